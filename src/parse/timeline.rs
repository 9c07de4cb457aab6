//! Periods for every column: read from its headers where they are whole, inferred where they
//! are missing or garbled (narrative figures, year-to-date arithmetic between tables, the
//! report date), each inference recorded as a diagnostic.

mod evidence;

use chrono::{Datelike, NaiveDate};

use super::model::{Basis, Diagnostic, Period, StatementKind};
use super::narrative::Claim;
use super::periods::{self, PartialDate};
use super::statements::{Draft, DraftColumn};
use evidence::{Claims, Figures, Known, Reason, describe, evidence};

/// What the timeline knows about the filing.
pub struct Calendar<'a> {
    pub report_date: Option<NaiveDate>,
    pub fye_month: u32,
    pub claims: &'a [Claim],
}

/// How many candidate periods one document may weigh in all. The largest real filings seen
/// weigh under ten thousand; the budget is a hundred times that, about a second of work.
const INFERENCE_BUDGET: usize = 1_000_000;

/// A candidate period for a column, with its score and reasons.
type Candidate<'a> = (Period, i64, Vec<Reason<'a>>);

/// Resolve the periods of every column of every draft.
pub fn resolve(drafts: &mut [Draft], calendar: &Calendar<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let debug = std::env::var_os("FILINGS_DEBUG").is_some();
    for draft in drafts.iter_mut() {
        let instant_table = draft.kind == StatementKind::BalanceSheet;
        for col in draft.columns.iter_mut() {
            if let Some(p) = from_header(col, instant_table) {
                col.period = Some(p);
                col.period_source = "column header".to_owned();
            }
        }
    }
    // columns headed by a fiscal quarter only, read against the periods the headers date
    let quarters = QuarterCalendar::of(drafts, calendar.fye_month);
    for draft in drafts.iter_mut().filter(|d| d.kind != StatementKind::BalanceSheet) {
        // a quarter's column of trailing figures ("Trailing 4-quarters") holds a year's sum
        if periods::names_trailing_periods(&draft.title)
            || periods::names_trailing_periods(&draft.shared_header)
        {
            continue;
        }
        for col in draft.columns.iter_mut().filter(|c| c.period.is_none()) {
            let Some((p, dated)) = from_quarter(col, &quarters) else {
                continue;
            };
            let end = if dated {
                "the quarter end another header dates".to_owned()
            } else {
                format!("its month's end (the fiscal year ending in month {})", quarters.fye_month)
            };
            diagnostics.push(Diagnostic::info(
                "period_from_fiscal_quarter",
                format!(
                    "column headed `{}` read as {}: a fiscal quarter, at {end}",
                    col.header, p.id
                ),
                None,
            ));
            col.period = Some(p);
            col.period_source = format!("column header (fiscal quarter, at {end})");
        }
    }
    let figures = Figures::of(drafts);
    let claims = Claims::of(calendar.claims);
    // infer the rest, most certain first, so that each inference can lean on the last
    let mut weighed = 0usize;
    loop {
        // every round weighs every column left, so a document of many garbled tables would
        // take time that grows with the square of its size; past the budget the columns
        // left stay without a period (their values unread), which is said
        if weighed >= INFERENCE_BUDGET {
            let left = drafts.iter().flat_map(|d| &d.columns).filter(|c| c.period.is_none());
            diagnostics.push(Diagnostic::warning(
                "period_inference_limit",
                format!(
                    "period inference stopped after weighing {weighed} candidate periods; {} \
                     columns left without a period",
                    left.count()
                ),
                None,
            ));
            break;
        }
        let mut best: Option<(i64, usize, usize, Period, Vec<Reason<'_>>)> = None;
        // what the candidates are weighed against, once per basis of the columns left
        let mut knowns: Vec<(Basis, Known<'_>)> = Vec::new();
        for col in drafts.iter().flat_map(|d| &d.columns).filter(|c| c.period.is_none()) {
            let basis = col.basis.unwrap_or(Basis::Gaap);
            if !knowns.iter().any(|(b, _)| *b == basis) {
                knowns.push((basis, Known::of(drafts, &figures, basis)));
            }
        }
        for (d, draft) in drafts.iter().enumerate() {
            for (c, col) in draft.columns.iter().enumerate() {
                if col.period.is_some() {
                    continue;
                }
                let basis = col.basis.unwrap_or(Basis::Gaap);
                let Some((_, known)) = knowns.iter().find(|(b, _)| *b == basis) else {
                    continue;
                };
                for (period, score, why) in candidates(drafts, (known, &claims), d, c, calendar) {
                    weighed += 1;
                    if debug {
                        eprintln!("CAND d{d} c{c} {} {score} {}", period.id, describe(&why));
                    }
                    if best.as_ref().is_none_or(|b| score > b.0) {
                        best = Some((score, d, c, period, why));
                    }
                }
            }
        }
        let Some((score, d, c, period, reasons)) = best else {
            break;
        };
        // one weak hint (the latest quarter before the report date) is no evidence
        if score < 2 {
            break;
        }
        let why = describe(&reasons);
        // columns of one table that share their header share the inferred period, one column
        // per basis: two columns of one basis under one header ("December 31,  December 31,"
        // with the years lost) are two periods, and the next round weighs the other
        let header = period_words(&drafts[d].columns[c].facts);
        let text = drafts[d].columns[c].header.clone();
        let draft = &mut drafts[d];
        let sharing: Vec<usize> = std::iter::once(c)
            .chain((0..draft.columns.len()).filter(|&k| k != c))
            .filter(|&k| {
                let col = &draft.columns[k];
                col.period.is_none() && period_words(&col.facts) == header
            })
            .collect();
        for k in sharing {
            // the column weighed always takes it (each round settles one column at least)
            let basis = draft.columns[k].basis;
            if k != c
                && draft
                    .columns
                    .iter()
                    .any(|o| o.basis == basis && o.period.as_ref() == Some(&period))
            {
                continue;
            }
            let col = &mut draft.columns[k];
            diagnostics.push(Diagnostic::info(
                "period_inferred",
                format!(
                    "column headed `{}` read as {} ({why})",
                    if text.is_empty() { col.header.as_str() } else { text.as_str() },
                    period.id
                ),
                None,
            ));
            col.period = Some(period.clone());
            col.period_source = format!("inferred: {why}");
        }
    }
    // two columns of one table with the same period and basis (segment columns, repeated
    // headers) cannot both be that period's figure: keep the whole-company one (a header
    // naming the total or the consolidated figure, else the rightmost), leave the rest unread
    for draft in drafts.iter_mut() {
        let n = draft.columns.len();
        for c in 0..n {
            let Some(period) = draft.columns[c].period.clone() else {
                continue;
            };
            let basis = draft.columns[c].basis;
            let same: Vec<usize> = (0..n)
                .filter(|&k| {
                    draft.columns[k].basis == basis
                        && draft.columns[k].period.as_ref() == Some(&period)
                })
                .collect();
            if same.len() < 2 {
                continue;
            }
            let whole = |k: &usize| {
                let h = draft.columns[*k].header.to_lowercase();
                h.contains("consolidated") || h.contains("total")
            };
            let keep = same.iter().copied().rfind(whole).or(same.last().copied()).unwrap_or(c);
            for k in same.into_iter().filter(|&k| k != keep) {
                diagnostics.push(Diagnostic::warning(
                    "duplicate_column",
                    format!(
                        "column headed `{}` repeats {} ({:?}) in `{}`; not read",
                        draft.columns[k].header,
                        period.id,
                        basis.unwrap_or(Basis::Gaap),
                        draft.title
                    ),
                    Some(draft.span),
                ));
                draft.columns[k].period = None;
                draft.columns[k].period_source = "duplicate of another column".to_owned();
            }
        }
    }
    for draft in drafts.iter() {
        for col in draft.columns.iter().filter(|c| c.period.is_none() && c.period_source.is_empty())
        {
            diagnostics.push(Diagnostic::warning(
                "period_unknown",
                format!(
                    "no period found for the column headed `{}` of `{}`; its values are not read",
                    col.header, draft.title
                ),
                Some(draft.span),
            ));
        }
    }
}

/// What a header says about the period, bases aside.
fn period_words(
    facts: &periods::HeaderFacts,
) -> (Option<u32>, Option<u32>, Vec<PartialDate>, Vec<i32>) {
    (facts.months, facts.weeks, facts.dates.clone(), facts.years.clone())
}

fn from_header(col: &DraftColumn, instant_table: bool) -> Option<Period> {
    let facts = &col.facts;
    let date = facts.dates.first().copied();
    let year =
        date.and_then(|d| d.year).or_else(|| (facts.years.len() == 1).then(|| facts.years[0]));
    let date = date.filter(|d| !d.fuzzy)?;
    let end = periods::resolve_date(&date, year?)?;
    if date.day.is_some_and(|day| NaiveDate::from_ymd_opt(end.year(), end.month(), day).is_none()) {
        return None;
    }
    match facts.months {
        // a balance sheet is dated: any duration words above it belong to other tables
        _ if instant_table => Some(periods::instant(end)),
        Some(m) => periods::duration(end, m, facts.weeks),
        _ => None,
    }
}

/// What fiscal quarters named by number ("Q3 2024") are read against: the month the fiscal
/// year ends (a twelve-month period dated in the headers tells it, else the filing's fiscal
/// year end), and the quarter ends the headers date, which a 52- or 53-week year puts a few
/// days before its month's end.
struct QuarterCalendar {
    fye_month: u32,
    quarter_ends: Vec<NaiveDate>,
}

impl QuarterCalendar {
    /// From the columns whose headers dated their period.
    fn of(drafts: &[Draft], fye_month: u32) -> Self {
        let mut year_ends = Vec::new();
        let mut quarter_ends = Vec::new();
        let dated = drafts.iter().filter(|d| d.kind != StatementKind::BalanceSheet);
        for col in dated.flat_map(|d| &d.columns) {
            match &col.period {
                Some(p) if col.facts.months == Some(12) => year_ends.push(p.end),
                Some(p) if col.facts.months == Some(3) => quarter_ends.push(p.end),
                _ => {}
            }
        }
        let fye_month = year_ends.first().map_or(fye_month, |d| d.month());
        Self { fye_month, quarter_ends }
    }
}

/// A column headed by a fiscal quarter and its year ("Q3 2024", "Second Quarter 1997") in its
/// own header words, printing no date: the quarter's month end, or the quarter end a header
/// elsewhere dates within a week before it (then `true`).
fn from_quarter(col: &DraftColumn, calendar: &QuarterCalendar) -> Option<(Period, bool)> {
    let own = periods::read_header(col.header.rsplit("||").next().unwrap_or_default());
    let (quarter, [year]) = (own.quarter?, own.years.as_slice()) else {
        return None;
    };
    if !own.dates.is_empty() {
        return None;
    }
    let month_end = periods::fiscal_quarter_end(*year, quarter, calendar.fye_month)?;
    let printed = calendar
        .quarter_ends
        .iter()
        .copied()
        .find(|d| *d <= month_end && (month_end - *d).num_days() < 7);
    let period = periods::duration(printed.unwrap_or(month_end), 3, None)?;
    Some((period, printed.is_some()))
}

/// Candidate periods for an unresolved column, with a score and the reason.
fn candidates<'a>(
    drafts: &[Draft],
    (known, claims): (&Known<'_>, &Claims<'a>),
    d: usize,
    c: usize,
    calendar: &Calendar<'a>,
) -> Vec<Candidate<'a>> {
    let draft = &drafts[d];
    let col = &draft.columns[c];
    let Some(anchor) = calendar.report_date.or_else(|| latest_known_end(drafts)) else {
        return Vec::new();
    };
    let months_options: Vec<u32> = match col.facts.months {
        Some(m) => vec![m],
        None if draft.kind == StatementKind::BalanceSheet => {
            return instant_candidates(draft, c, anchor);
        }
        // no duration printed at all: try each, and let only real evidence (stated figures,
        // sums with other columns) decide
        None => vec![3, 6, 9, 12],
    };
    let mut out = Vec::new();
    for months in months_options {
        // fiscal quarter ends within two years before the anchor
        for back in 0..27 {
            let total = anchor.year() * 12 + anchor.month() as i32 - 1 - back;
            let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
            if !(m + 12 - calendar.fye_month).is_multiple_of(3) {
                continue;
            }
            let Some(end) = periods::month_end(y, m) else {
                continue;
            };
            if end > anchor {
                continue;
            }
            let Some(period) = periods::duration(end, months, col.facts.weeks) else {
                continue;
            };
            let (score, why) = evidence(drafts, (d, c), &period, known, claims, calendar);
            out.push((period, score, why));
        }
    }
    out
}

/// A balance-sheet column dated without its year ("December 31,"): the latest such date on or
/// before the report date that no column to its left has taken (statements print the
/// current date first).
fn instant_candidates<'a>(draft: &Draft, c: usize, anchor: NaiveDate) -> Vec<Candidate<'a>> {
    let Some(date) =
        draft.columns[c].facts.dates.first().filter(|d| d.year.is_none() && d.month.is_some())
    else {
        return Vec::new();
    };
    let taken: Vec<NaiveDate> =
        draft.columns[..c].iter().filter_map(|col| col.period.as_ref().map(|p| p.end)).collect();
    (0..4)
        .filter_map(|back| periods::resolve_date(date, anchor.year() - back))
        .filter(|end| *end <= anchor)
        .find(|end| !taken.contains(end))
        .map(|end| {
            let period = periods::instant(end);
            vec![(period, 2, vec![Reason::LatestInstant { end, anchor }])]
        })
        .unwrap_or_default()
}

fn latest_known_end(drafts: &[Draft]) -> Option<NaiveDate> {
    drafts
        .iter()
        .flat_map(|d| d.columns.iter())
        .filter_map(|c| c.period.as_ref().map(|p| p.end))
        .max()
}
