//! Periods for every column: read from its headers where they are whole, inferred where they
//! are missing or garbled (narrative figures, year-to-date arithmetic between tables, the
//! report date), each inference recorded as a diagnostic.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::model::{Basis, Diagnostic, Period, PeriodKind, StatementKind, Unit};
use super::narrative::Claim;
use super::periods::{self, PartialDate};
use super::statements::{Draft, DraftColumn};

/// What the timeline knows about the filing.
pub struct Calendar<'a> {
    pub report_date: Option<NaiveDate>,
    pub fye_month: u32,
    pub claims: &'a [Claim],
}

/// Resolve the periods of every column of every draft.
pub fn resolve(drafts: &mut [Draft], calendar: &Calendar<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for draft in drafts.iter_mut() {
        let instant_table = draft.kind == StatementKind::BalanceSheet;
        for col in draft.columns.iter_mut() {
            if let Some(p) = from_header(col, instant_table) {
                col.period = Some(p);
                col.period_source = "column header".to_owned();
            }
        }
    }
    // infer the rest, most certain first, so that each inference can lean on the last
    loop {
        let mut best: Option<(i64, usize, usize, Period, String)> = None;
        for (d, draft) in drafts.iter().enumerate() {
            for (c, col) in draft.columns.iter().enumerate() {
                if col.period.is_some() {
                    continue;
                }
                for (period, score, why) in candidates(drafts, d, c, calendar) {
                    if std::env::var_os("FILINGS_DEBUG").is_some() {
                        eprintln!("CAND d{d} c{c} {} {score} {why}", period.id);
                    }
                    if best.as_ref().is_none_or(|b| score > b.0) {
                        best = Some((score, d, c, period, why));
                    }
                }
            }
        }
        let Some((score, d, c, period, why)) = best else {
            break;
        };
        // one weak hint (the latest quarter before the report date) is no evidence
        if score < 2 {
            break;
        }
        // columns of one table that share their header share the inferred period
        let header = period_words(&drafts[d].columns[c].facts);
        let text = drafts[d].columns[c].header.clone();
        for col in drafts[d]
            .columns
            .iter_mut()
            .filter(|col| col.period.is_none() && period_words(&col.facts) == header)
        {
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

/// Candidate periods for an unresolved column, with a score and the reason.
fn candidates(
    drafts: &[Draft],
    d: usize,
    c: usize,
    calendar: &Calendar<'_>,
) -> Vec<(Period, i64, String)> {
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
            let (score, why) = evidence(drafts, d, c, &period, calendar);
            out.push((period, score, why));
        }
    }
    out
}

/// A balance-sheet column dated without its year ("December 31,"): the latest such date on or
/// before the report date that no column to its left has taken (statements print the
/// current date first).
fn instant_candidates(draft: &Draft, c: usize, anchor: NaiveDate) -> Vec<(Period, i64, String)> {
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
            let why = format!("the latest {} on or before the report date {anchor} not shown by an earlier column", end.format("%B %-d"));
            vec![(period, 2, why)]
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

/// Value of a concept in a column, in full units.
fn column_value(draft: &Draft, c: usize, concept: &str) -> Option<Decimal> {
    let item = draft.items.iter().find(|i| !i.dropped && i.concept.as_deref() == Some(concept))?;
    let v = item.values.get(c)?.as_ref()?;
    Some(if item.unit == Unit::Usd { v.printed * draft.scale.scale } else { v.printed })
}

fn evidence(
    drafts: &[Draft],
    d: usize,
    c: usize,
    period: &Period,
    calendar: &Calendar<'_>,
) -> (i64, String) {
    let draft = &drafts[d];
    let col = &draft.columns[c];
    let basis = col.basis.unwrap_or(Basis::Gaap);
    let mut score = 0i64;
    let mut why = Vec::new();
    // 1. the narrative states this column's figure for this period
    for claim in calendar
        .claims
        .iter()
        .filter(|cl| cl.months == period.months.unwrap_or(0) && cl.end == period.end)
    {
        if basis != Basis::Gaap {
            continue;
        }
        if let Some(v) = column_value(draft, c, &claim.concept)
            && (v.abs() - claim.amount).abs() <= claim.tolerance
        {
            score += 3;
            why.push(format!(
                "the text states {} for the {}",
                claim.amount.normalize(),
                claim.period_text
            ));
        }
    }
    // 2. year-to-date arithmetic with resolved columns of the same basis
    if let Some(n) = sums_agree(drafts, d, c, period, basis) {
        score += 3 * n;
        why.push("it completes a year-to-date sum of quarters".to_owned());
    }
    // 3. what a damaged header still shows
    if let Some(date) = col.facts.dates.first() {
        score += header_agreement(date, period.end, &col.facts.years);
    }
    // 4. the period is already taken by another column of the same basis with other values
    if taken(drafts, d, c, period, basis) {
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
            why.push(format!("the latest period ending before the report date {report}"));
        }
    }
    (score, why.join("; "))
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

fn resolved_columns(drafts: &[Draft], basis: Basis) -> Vec<(usize, usize, Period)> {
    let mut out = Vec::new();
    for (d, draft) in drafts.iter().enumerate() {
        for (c, col) in draft.columns.iter().enumerate() {
            if let Some(p) = &col.period
                && col.basis.unwrap_or(Basis::Gaap) == basis
                && p.kind == PeriodKind::Duration
            {
                out.push((d, c, p.clone()));
            }
        }
    }
    out
}

/// Number of concepts for which the candidate makes a longer period equal the sum of its parts.
fn sums_agree(drafts: &[Draft], d: usize, c: usize, period: &Period, basis: Basis) -> Option<i64> {
    let resolved = resolved_columns(drafts, basis);
    let months = period.months?;
    let concepts = ["revenue", "gross_profit", "operating_expenses", "net_income"];
    let mut best = 0;
    for (d1, c1, p1) in &resolved {
        for (d2, c2, p2) in &resolved {
            let (m1, m2) = (p1.months?, p2.months?);
            // candidate + p1 = p2 (candidate is a part) or p1 + p2 = candidate (a whole)
            let as_part =
                m1 + months == m2 && p2.end == period.end.max(p1.end) && adjacent(period, p1);
            let as_whole = m1 + m2 == months
                && p1.end.max(p2.end) == period.end
                && adjacent(p1, p2)
                && (d1, c1) < (d2, c2);
            if !(as_part || as_whole) {
                continue;
            }
            let mut agree = 0;
            for concept in concepts {
                let (Some(x), Some(a), Some(b)) = (
                    column_value(&drafts[d], c, concept),
                    column_value(&drafts[*d1], *c1, concept),
                    column_value(&drafts[*d2], *c2, concept),
                ) else {
                    continue;
                };
                let ok = if as_part { x + a == b } else { a + b == x };
                if ok {
                    agree += 1;
                } else {
                    agree -= 1;
                }
            }
            best = best.max(agree);
        }
    }
    (best > 0).then_some(best.min(2))
}

/// Two durations that follow each other without gap or overlap.
fn adjacent(a: &Period, b: &Period) -> bool {
    let follows = |x: &Period, y: &Period| x.end.succ_opt() == y.start;
    follows(a, b) || follows(b, a)
}

fn taken(drafts: &[Draft], d: usize, c: usize, period: &Period, basis: Basis) -> bool {
    let value = column_value(&drafts[d], c, "revenue")
        .or_else(|| column_value(&drafts[d], c, "net_income"));
    drafts.iter().enumerate().any(|(d2, draft)| {
        draft.columns.iter().enumerate().any(|(c2, col)| {
            (d2, c2) != (d, c)
                && col.basis.unwrap_or(Basis::Gaap) == basis
                && col.period.as_ref() == Some(period)
                && column_value(draft, c2, "revenue")
                    .or_else(|| column_value(draft, c2, "net_income"))
                    != value
        })
    })
}
