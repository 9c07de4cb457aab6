//! A parse result as rows: periods (shared per company), statements, line items, facts and
//! checks of one filing, written with bulk inserts inside the caller's transaction.

use std::collections::HashMap;

use sqlx::PgConnection;

use crate::db::checks::{self, NewCheck};
use crate::db::facts::{self, NewFact};
use crate::db::periods::{self, NewPeriod};
use crate::db::statements::{self, NewLineItem, NewStatement};
use crate::parse::{Diagnostic, ParsedFiling, PeriodKind};

use super::{clean, name_of};

/// Stores everything `parsed` says about filing `filing_id` of company `company_id` below the
/// filing row. Parse results that refer to a statement, line item or period that is not there
/// lose that fact or check, with a note (returned); a fact or check the schema refuses fails
/// the whole transaction.
pub async fn store_contents(
    conn: &mut PgConnection,
    filing_id: i64,
    company_id: i64,
    parsed: &ParsedFiling,
) -> sqlx::Result<Vec<Diagnostic>> {
    let mut notes = Vec::new();
    let (new_periods, period_keys) = period_rows(parsed, &mut notes);
    let period_ids = periods::upsert_periods(conn, company_id, &new_periods).await?;
    let period_id: HashMap<&str, i64> =
        period_keys.iter().map(String::as_str).zip(period_ids.iter().copied()).collect();

    let new_statements: Vec<NewStatement> = parsed
        .statements
        .iter()
        .enumerate()
        .map(|(position, s)| NewStatement {
            position: to_i32(position),
            kind: name_of(&s.kind),
            title: clean(&s.title),
            scale: s.scale,
            scale_source: clean(&s.scale_source),
            currency: s.currency.clone(),
            columns: serde_json::to_value(&s.columns)
                .map(|v| strip_nul(&v))
                .unwrap_or(serde_json::Value::Array(Vec::new())),
            span: (to_i64(s.span[0]), to_i64(s.span[1].max(s.span[0]))),
        })
        .collect();
    let statement_ids = statements::insert_statements(conn, filing_id, &new_statements).await?;

    let new_items: Vec<NewLineItem> = parsed
        .statements
        .iter()
        .zip(&statement_ids)
        .flat_map(|(s, &statement_id)| {
            s.line_items.iter().enumerate().map(move |(position, item)| NewLineItem {
                statement_id,
                position: to_i32(position),
                label: clean(&item.label),
                concept: item.concept.as_deref().map(clean),
                section: item.section.as_deref().map(clean),
                is_total: item.is_total,
                is_header: item.is_header,
            })
        })
        .collect();
    let item_ids = statements::insert_line_items(conn, &new_items).await?;
    // (statement index, line item index) -> id
    let mut line_item_id = HashMap::new();
    let mut next = item_ids.iter();
    for (statement_index, s) in parsed.statements.iter().enumerate() {
        for item_index in 0..s.line_items.len() {
            if let Some(&id) = next.next() {
                line_item_id.insert((statement_index, item_index), id);
            }
        }
    }

    let mut new_facts = Vec::with_capacity(parsed.facts.len());
    for fact in &parsed.facts {
        let item = line_item_id.get(&(fact.statement_index, fact.line_item));
        let period = period_id.get(fact.period.as_str());
        let (Some(&line_item_id), Some(&period_id)) = (item, period) else {
            notes.push(Diagnostic::warning(
                "fact_not_stored",
                format!(
                    "the value `{}` of `{}` refers to a line item or period ({}) the parse does \
                     not have; not stored",
                    fact.value,
                    clean(&fact.label),
                    fact.period
                ),
                Some(fact.span),
            ));
            continue;
        };
        new_facts.push(NewFact {
            line_item_id,
            period_id,
            basis: name_of(&fact.basis),
            value: fact.value,
            unit: name_of(&fact.unit),
            status: name_of(&fact.status),
            as_printed: clean(&fact.as_printed),
            span: (to_i64(fact.span[0]), to_i64(fact.span[1].max(fact.span[0]))),
            formula: fact.formula.as_deref().map(clean),
        });
    }
    facts::insert_facts(conn, &new_facts).await?;

    let mut new_checks = Vec::with_capacity(parsed.checks.len());
    for check in &parsed.checks {
        let statement_id = check.statement_index.and_then(|i| statement_ids.get(i).copied());
        let Some(&period_id) = period_id.get(check.period.as_str()) else {
            notes.push(Diagnostic::warning(
                "check_not_stored",
                format!(
                    "the check `{}` refers to an unknown period {}",
                    clean(&check.description),
                    check.period
                ),
                None,
            ));
            continue;
        };
        new_checks.push(NewCheck {
            statement_id,
            kind: name_of(&check.kind),
            description: clean(&check.description),
            period_id,
            basis: name_of(&check.basis),
            expected: check.expected,
            actual: check.actual,
            passed: check.passed,
        });
    }
    checks::insert_checks(conn, filing_id, &new_checks).await?;
    Ok(notes)
}

/// The periods to store, and for each the parser's id of it.
fn period_rows(
    parsed: &ParsedFiling,
    notes: &mut Vec<Diagnostic>,
) -> (Vec<NewPeriod>, Vec<String>) {
    let mut rows = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for period in &parsed.periods {
        if keys.contains(&period.id) {
            continue;
        }
        let row = match period.kind {
            PeriodKind::Instant => NewPeriod {
                kind: "instant",
                start: None,
                end: period.end,
                months: None,
                fiscal_label: period.fiscal_label.as_deref().map(clean),
            },
            PeriodKind::Duration => {
                let Some(start) = period.start.filter(|s| *s <= period.end) else {
                    notes.push(Diagnostic::warning(
                        "period_not_stored",
                        format!(
                            "the duration {} has no valid start date; its values are not stored",
                            period.id
                        ),
                        None,
                    ));
                    continue;
                };
                NewPeriod {
                    kind: "duration",
                    start: Some(start),
                    end: period.end,
                    months: period.months.and_then(|m| i32::try_from(m).ok()).filter(|m| *m > 0),
                    fiscal_label: period.fiscal_label.as_deref().map(clean),
                }
            }
        };
        rows.push(row);
        keys.push(period.id.clone());
    }
    (rows, keys)
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `value` with NUL characters removed from every string (PostgreSQL text and jsonb refuse
/// them).
pub fn strip_nul(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(clean(s)),
        Value::Array(items) => Value::Array(items.iter().map(strip_nul).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (clean(k), strip_nul(v))).collect())
        }
        other => other.clone(),
    }
}
