//! How a candidate period for an unresolved column is weighed: figures the narrative states,
//! year-to-date sums with resolved columns, what a damaged header still shows, a period another
//! column already takes, and the report date.
//!
//! Every unresolved column weighs dozens of candidates, again after every inference, so what
//! does not depend on the candidate is worked out once per column ([`Known`]) and the reasons
//! are written out as text only for the candidate chosen ([`describe`]).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::Calendar;
use crate::parse::model::{Basis, Period, PeriodKind, Unit};
use crate::parse::narrative::Claim;
use crate::parse::periods::{self, PartialDate};
use crate::parse::statements::Draft;

/// Why a candidate period scored.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reason<'a> {
    /// The narrative states the column's figure for the period.
    Stated(&'a Claim),
    /// The period completes a year-to-date sum of quarters.
    CompletesSum,
    /// Only the report date points at the period.
    LatestBeforeReport(NaiveDate),
    /// A balance-sheet date without its year, placed by the report date.
    LatestInstant { end: NaiveDate, anchor: NaiveDate },
}

impl std::fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Stated(claim) => write!(
                f,
                "the text states {} for the {}",
                claim.amount.normalize(),
                claim.period_text
            ),
            Reason::CompletesSum => f.write_str("it completes a year-to-date sum of quarters"),
            Reason::LatestBeforeReport(report) => {
                write!(f, "the latest period ending before the report date {report}")
            }
            Reason::LatestInstant { end, anchor } => write!(
                f,
                "the latest {} on or before the report date {anchor} not shown by an earlier column",
                end.format("%B %-d")
            ),
        }
    }
}

/// The reasons of a candidate, as the diagnostic states them.
pub(super) fn describe(reasons: &[Reason<'_>]) -> String {
    let mut out = String::new();
    for (i, reason) in reasons.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let _ = write!(out, "{reason}");
    }
    out
}

/// A resolved column: (draft, column, period).
type Resolved<'d> = (usize, usize, &'d Period);

/// A resolved duration, with what pairing it with others asks of it again and again.
struct Duration<'d> {
    column: Resolved<'d>,
    /// Its months (a duration always has them: `periods::duration` makes every one).
    months: u32,
    /// The day after its end: where a duration that follows it starts.
    next: Option<NaiveDate>,
}

/// The concepts year-to-date sums are tested on, in the order [`ColumnFigures::sums`] keeps them.
const SUM_CONCEPTS: [&str; 4] = ["revenue", "gross_profit", "operating_expenses", "net_income"];

/// What the weighing compares of one column, read once per resolution: the values do not change
/// while periods are assigned, and finding a concept among a table's lines is what a candidate
/// would otherwise do for every pair of columns it is tested against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ColumnFigures {
    /// The values of [`SUM_CONCEPTS`] in full units.
    sums: [Option<Decimal>; 4],
}

impl ColumnFigures {
    /// The column's revenue, else its net income: what tells its figures from another's.
    fn figure(&self) -> Option<Decimal> {
        self.sums[0].or(self.sums[3])
    }
}

/// [`ColumnFigures`] of every column of every draft.
pub(super) struct Figures(Vec<Vec<ColumnFigures>>);

impl Figures {
    pub(super) fn of(drafts: &[Draft]) -> Self {
        let of_column = |draft: &Draft, c: usize| ColumnFigures {
            sums: SUM_CONCEPTS.map(|concept| column_value(draft, c, concept)),
        };
        Self(
            drafts
                .iter()
                .map(|draft| (0..draft.columns.len()).map(|c| of_column(draft, c)).collect())
                .collect(),
        )
    }

    fn at(&self, (d, c): (usize, usize)) -> &ColumnFigures {
        &self.0[d][c]
    }
}

/// What the candidates of the unresolved columns of one basis are weighed against: the same
/// for all of them until the next inference.
pub(super) struct Known<'d> {
    /// Resolved durations of the basis, sorted by months; of columns with the same period and
    /// the same figures (a table printed twice) only the first, as a sum with one says what a
    /// sum with any other would.
    durations: Vec<Duration<'d>>,
    /// The durations of each length, by months: their range in `durations`.
    lengths: Vec<std::ops::Range<usize>>,
    /// The periods resolved columns of the basis have, each with the figures of those columns.
    taken: HashMap<&'d Period, Vec<Option<Decimal>>>,
    figures: &'d Figures,
}

impl<'d> Known<'d> {
    pub(super) fn of(drafts: &'d [Draft], figures: &'d Figures, basis: Basis) -> Self {
        let mut resolved = Vec::new();
        for (d2, draft) in drafts.iter().enumerate() {
            for (c2, col) in draft.columns.iter().enumerate() {
                if let Some(p) = &col.period
                    && basis_of(draft, c2) == basis
                {
                    resolved.push((d2, c2, p));
                }
            }
        }
        let mut taken: HashMap<&'d Period, Vec<Option<Decimal>>> = HashMap::new();
        for &(d2, c2, p) in &resolved {
            let figure = figures.at((d2, c2)).figure();
            let seen = taken.entry(p).or_default();
            if !seen.contains(&figure) {
                seen.push(figure);
            }
        }
        let mut seen = HashSet::new();
        let mut durations: Vec<Duration<'d>> = resolved
            .iter()
            .filter(|(_, _, p)| p.kind == PeriodKind::Duration)
            .filter(|&&(d2, c2, p)| seen.insert((p, figures.at((d2, c2)))))
            .filter_map(|&column| {
                let months = column.2.months?;
                Some(Duration { column, months, next: column.2.end.succ_opt() })
            })
            .collect();
        durations.sort_by_key(|d| d.months);
        let longest = durations.last().map_or(0, |d| d.months as usize);
        let mut lengths = vec![0..0; longest + 1];
        for (i, duration) in durations.iter().enumerate() {
            let range = &mut lengths[duration.months as usize];
            if range.start == range.end {
                *range = i..i;
            }
            range.end = i + 1;
        }
        Self { durations, lengths, taken, figures }
    }

    /// The resolved durations of `months` months.
    fn with_months(&self, months: u32) -> &[Duration<'d>] {
        let range = self.lengths.get(months as usize).cloned().unwrap_or_default();
        self.durations.get(range).unwrap_or_default()
    }
}

fn basis_of(draft: &Draft, c: usize) -> Basis {
    draft.columns[c].basis.unwrap_or(Basis::Gaap)
}

/// Value of a concept in a column, in full units.
fn column_value(draft: &Draft, c: usize, concept: &str) -> Option<Decimal> {
    let item = draft.items.iter().find(|i| !i.dropped && i.concept.as_deref() == Some(concept))?;
    let v = item.values.get(c)?.as_ref()?;
    Some(if item.unit == Unit::Usd { v.printed * draft.scale.scale } else { v.printed })
}

/// The narrative's claims by the period they name (months, end), in document order: a long
/// release states many, and each candidate asks only for those about its own period.
pub(super) struct Claims<'a>(HashMap<(u32, NaiveDate), Vec<&'a Claim>>);

impl<'a> Claims<'a> {
    pub(super) fn of(claims: &'a [Claim]) -> Self {
        let mut by_period: HashMap<_, Vec<_>> = HashMap::new();
        for claim in claims {
            by_period.entry((claim.months, claim.end)).or_default().push(claim);
        }
        Self(by_period)
    }

    fn about(&self, period: &Period) -> &[&'a Claim] {
        self.0.get(&(period.months.unwrap_or(0), period.end)).map_or(&[], Vec::as_slice)
    }
}

/// The score of `period` for column `c` of draft `d`, and why.
pub(super) fn evidence<'a>(
    drafts: &[Draft],
    (d, c): (usize, usize),
    period: &Period,
    known: &Known<'_>,
    claims: &Claims<'a>,
    calendar: &Calendar<'a>,
) -> (i64, Vec<Reason<'a>>) {
    let draft = &drafts[d];
    let col = &draft.columns[c];
    let basis = basis_of(draft, c);
    let mut score = 0i64;
    let mut why = Vec::new();
    // 1. the narrative states this column's figure for this period
    for &claim in claims.about(period) {
        if basis != Basis::Gaap {
            continue;
        }
        if let Some(v) = column_value(draft, c, &claim.concept)
            && (v.abs() - claim.amount).abs() <= claim.tolerance
        {
            score += 3;
            why.push(Reason::Stated(claim));
        }
    }
    // 2. year-to-date arithmetic with resolved columns of the same basis
    if let Some(n) = sums_agree((d, c), period, known) {
        score += 3 * n;
        why.push(Reason::CompletesSum);
    }
    // 3. what a damaged header still shows
    if let Some(date) = col.facts.dates.first() {
        score += header_agreement(date, period.end, &col.facts.years);
    }
    // 4. the period is already taken by another column of the same basis with other values
    if taken((d, c), period, known) {
        score -= 5;
    }
    // 5. a release reports its latest quarter; comparatives go back a year
    if let Some(report) = calendar.report_date
        && let Some(latest) = latest_end_before(report, calendar.fye_month)
    {
        if period.end == latest {
            score += 1;
        }
        if why.is_empty() && score > 0 {
            why.push(Reason::LatestBeforeReport(report));
        }
    }
    (score, why)
}

fn latest_end_before(report: NaiveDate, fye_month: u32) -> Option<NaiveDate> {
    (0..4).find_map(|back| {
        let total = report.year() * 12 + report.month() as i32 - 1 - back;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        let end = periods::month_end(y, m)?;
        ((m + 12 - fye_month).is_multiple_of(3) && end <= report).then_some(end)
    })
}

fn header_agreement(date: &PartialDate, end: NaiveDate, years: &[i32]) -> i64 {
    let mut s = 0;
    if date.month == Some(end.month()) {
        s += 1;
    }
    if date.year == Some(end.year()) || years.contains(&end.year()) {
        s += 1;
    }
    s
}

/// Number of concepts for which the candidate makes a longer period equal the sum of its parts.
///
/// A pair of resolved durations counts when the candidate and one of them make up the other
/// (the candidate is a part), or when the two make up the candidate (a whole); their months
/// must add up, so only the durations of the right length are looked at.
fn sums_agree((d, c): (usize, usize), period: &Period, known: &Known<'_>) -> Option<i64> {
    let months = period.months?;
    let period_next = period.end.succ_opt();
    let mut best = 0;
    for one in &known.durations {
        let ((d1, c1, p1), m1) = (one.column, one.months);
        // two durations are adjacent when one starts the day after the other ends
        let next_to = period_next == p1.start || one.next == period.start;
        // candidate + p1 = p2 (candidate is a part)
        let as_part = |p2: &Period| next_to && p2.end == period.end.max(p1.end);
        if next_to {
            for two in known.with_months(m1 + months) {
                let (d2, c2, p2) = two.column;
                if as_part(p2) {
                    best = best.max(agreement(known, (d, c), (d1, c1), (d2, c2), true));
                }
            }
        }
        // p1 + p2 = candidate (a whole); a pair that is also the other case counts as that
        let Some(m2) = months.checked_sub(m1) else {
            continue;
        };
        for two in known.with_months(m2) {
            let (d2, c2, p2) = two.column;
            let as_whole = p1.end.max(p2.end) == period.end
                && (one.next == p2.start || two.next == p1.start)
                && (d1, c1) < (d2, c2)
                && !(m2 == m1 + months && as_part(p2));
            if as_whole {
                best = best.max(agreement(known, (d, c), (d1, c1), (d2, c2), false));
            }
        }
    }
    (best > 0).then_some(best.min(2))
}

/// Concepts whose values in the candidate column `x` and columns `a` and `b` add up (x + a =
/// b for a part, a + b = x for a whole), less those that do not.
fn agreement(
    known: &Known<'_>,
    x: (usize, usize),
    a: (usize, usize),
    b: (usize, usize),
    as_part: bool,
) -> i64 {
    let (x, a, b) = (known.figures.at(x), known.figures.at(a), known.figures.at(b));
    let mut agree = 0;
    for ((x, a), b) in x.sums.iter().zip(&a.sums).zip(&b.sums) {
        let (Some(x), Some(a), Some(b)) = (x, a, b) else {
            continue;
        };
        let ok = if as_part { x + a == *b } else { a + b == *x };
        if ok {
            agree += 1;
        } else {
            agree -= 1;
        }
    }
    agree
}

/// Whether another column of the same basis, with other figures, has the period already.
fn taken(x: (usize, usize), period: &Period, known: &Known<'_>) -> bool {
    let own = known.figures.at(x).figure();
    // `x` itself is unresolved, so every column that has the period is another
    known.taken.get(period).is_some_and(|figures| figures.iter().any(|f| *f != own))
}
