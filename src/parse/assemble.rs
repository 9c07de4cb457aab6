//! Reconciled drafts to the parser's output: statements, facts in full units, checks with
//! period ids, and year-to-date sums checked across tables.

use rust_decimal::Decimal;
use std::collections::HashMap;

use super::model::{
    Basis, Check, CheckKind, Column, Fact, FactStatus, LineItem, Period, Statement, Unit,
};
use super::reconcile::checks;
use super::statements::{self, Draft};

/// Everything built from the drafts.
pub struct Assembled {
    pub statements: Vec<Statement>,
    pub facts: Vec<Fact>,
    pub checks: Vec<Check>,
    pub periods: Vec<Period>,
}

/// Scale a printed value to full units by its unit and the statement's caption.
pub fn full_value(draft: &Draft, unit: Unit, printed: Decimal) -> Decimal {
    match unit {
        Unit::Usd => printed * draft.scale.scale,
        Unit::Shares => printed * draft.scale.shares_scale,
        _ => printed,
    }
    .normalize()
}

/// The scale a row names for itself ("... (in thousands)"), which overrides the caption's.
fn row_scale(label: &str, unit: Unit) -> Option<Decimal> {
    match unit {
        Unit::Usd | Unit::Shares => statements::scale_of(label).map(|own| own.scale),
        _ => None,
    }
}

/// The scale a heading names for the rows under it: a heading about shares ("Shares used in
/// computing earnings per share (in thousands):") scales share counts only, any other heading
/// ("Numerator (in millions):") amounts only, since a section runs on past the rows it heads.
fn heading_scale(heading: &str, unit: Unit) -> Option<Decimal> {
    let about_shares =
        heading.split(|c: char| !c.is_alphabetic()).any(|w| w.eq_ignore_ascii_case("shares"));
    let applies = if about_shares { unit == Unit::Shares } else { unit == Unit::Usd };
    if applies { row_scale(heading, unit) } else { None }
}

/// A printed value in full units: by the row's own scale, else by the caption's.
fn row_value(draft: &Draft, row_scale: Option<Decimal>, unit: Unit, printed: Decimal) -> Decimal {
    match row_scale {
        Some(scale) => (printed * scale).normalize(),
        None => full_value(draft, unit, printed),
    }
}

/// Build the output from reconciled, period-resolved drafts.
pub fn assemble(drafts: &[Draft]) -> Assembled {
    let mut out = Assembled {
        statements: Vec::new(),
        facts: Vec::new(),
        checks: Vec::new(),
        periods: Vec::new(),
    };
    for draft in drafts {
        if draft.columns.iter().all(|c| c.period.is_none()) {
            continue;
        }
        let index = out.statements.len();
        let columns: Vec<Column> = draft
            .columns
            .iter()
            .map(|c| Column {
                period: c.period.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
                basis: c.basis.unwrap_or(Basis::Gaap),
                header: c.header.clone(),
                period_source: c.period_source.clone(),
            })
            .collect();
        let mut line_items = Vec::new();
        let mut item_index: HashMap<usize, usize> = HashMap::new();
        for (i, item) in draft.items.iter().enumerate() {
            if item.dropped {
                continue;
            }
            item_index.insert(i, line_items.len());
            line_items.push(LineItem {
                index: line_items.len(),
                label: item.label.clone(),
                concept: item.concept.clone(),
                section: item.section.clone(),
                is_total: item.is_total,
                is_header: item.is_header,
            });
        }
        for (i, item) in draft.items.iter().enumerate() {
            let Some(&li) = item_index.get(&i) else {
                continue;
            };
            // read once per row, not once per value; a heading's scale ("Shares used in
            // computing earnings per share (in thousands):") holds for the rows under it
            let scale = item
                .values
                .iter()
                .any(Option::is_some)
                .then(|| {
                    row_scale(&item.label, item.unit).or_else(|| {
                        item.section.as_deref().and_then(|s| heading_scale(s, item.unit))
                    })
                })
                .flatten();
            for (c, value) in item.values.iter().enumerate() {
                let (Some(value), Some(col)) = (value, draft.columns.get(c)) else {
                    continue;
                };
                let Some(period) = &col.period else { continue };
                out.facts.push(Fact {
                    statement: draft.kind,
                    statement_index: index,
                    line_item: li,
                    label: item.label.clone(),
                    concept: item.concept.clone(),
                    period: period.id.clone(),
                    basis: item.basis.or(col.basis).unwrap_or(Basis::Gaap),
                    value: row_value(draft, scale, item.unit, value.printed),
                    unit: item.unit,
                    status: value.status,
                    as_printed: value.as_printed.clone(),
                    span: value.span,
                    formula: value.formula.clone(),
                });
            }
        }
        for found in checks::run(draft) {
            let Some(col) = draft.columns.get(found.column) else {
                continue;
            };
            let Some(period) = &col.period else { continue };
            let unit = draft.items.get(found.target.0).map_or(Unit::Usd, |i| i.unit);
            let basis =
                draft.columns.get(found.target.1).and_then(|c| c.basis).unwrap_or(Basis::Gaap);
            let scaled = |v: Decimal| {
                if found.kind == CheckKind::GrossMargin { v } else { full_value(draft, unit, v) }
            };
            out.checks.push(Check {
                kind: found.kind,
                statement_index: Some(index),
                description: found.description(draft),
                period: period.id.clone(),
                basis: if found.kind == CheckKind::NonGaapBridge { Basis::NonGaap } else { basis },
                expected: scaled(found.expected),
                actual: scaled(found.actual),
                passed: found.passed,
            });
        }
        for col in &draft.columns {
            if let Some(p) = &col.period
                && !out.periods.iter().any(|q| q.id == p.id)
            {
                out.periods.push(p.clone());
            }
        }
        out.statements.push(Statement {
            index,
            kind: draft.kind,
            title: draft.title.clone(),
            scale: draft.scale.scale,
            scale_source: draft.scale.source.clone(),
            currency: "USD".to_owned(),
            columns,
            line_items,
            span: draft.span,
        });
    }
    period_sums(&mut out);
    out.periods
        .sort_by(|a, b| a.kind.cmp(&b.kind).then(b.end.cmp(&a.end)).then(a.months.cmp(&b.months)));
    out
}

/// Year-to-date = the sum of its quarters, for every concept printed in all the periods.
fn period_sums(out: &mut Assembled) {
    let mut by_key: HashMap<(String, Basis, String), Decimal> = HashMap::new();
    for f in out.facts.iter().filter(|f| f.unit == Unit::Usd && f.status != FactStatus::Derived) {
        if let Some(concept) = &f.concept {
            by_key.entry((concept.clone(), f.basis, f.period.clone())).or_insert(f.value);
        }
    }
    let periods = out.periods.clone();
    let mut checks = Vec::new();
    for whole in periods.iter().filter(|p| p.months.is_some_and(|m| m > 3)) {
        for part in periods.iter().filter(|p| {
            p.end == whole.end && p.months.is_some_and(|m| m < whole.months.unwrap_or(0))
        }) {
            let rest_months = whole.months.unwrap_or(0) - part.months.unwrap_or(0);
            let Some(rest) = periods
                .iter()
                .find(|p| p.months == Some(rest_months) && p.end.succ_opt() == part.start)
            else {
                continue;
            };
            let mut keys: Vec<&(String, Basis, String)> =
                by_key.keys().filter(|k| k.2 == whole.id).collect();
            keys.sort();
            for key in keys {
                let get = |pid: &str| by_key.get(&(key.0.clone(), key.1, pid.to_owned())).copied();
                let (Some(w), Some(a), Some(b)) = (get(&whole.id), get(&part.id), get(&rest.id))
                else {
                    continue;
                };
                checks.push(Check {
                    kind: CheckKind::PeriodSum,
                    statement_index: None,
                    description: format!("{} {} = {} + {}", key.0, whole.id, rest.id, part.id),
                    period: whole.id.clone(),
                    basis: key.1,
                    expected: a + b,
                    actual: w,
                    passed: a + b == w,
                });
            }
        }
    }
    out.checks.extend(checks);
}
