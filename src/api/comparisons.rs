//! Comparisons: a statement's line items side by side over several periods, with the absolute
//! and percent change of each period against the next one listed. Quarters no filing prints are
//! derived from longer periods where the filings allow it (money only), and a year-to-date
//! column is never set against a single quarter.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Path, Query};
use super::pagination::parse_id;
use super::problem::{ApiError, ApiResult, Problem};
use super::reads::context::{CompanyContext, Resolved};
use super::reads::csv::{CsvWriter, Field, opt};
use super::reads::derive::{StoredValue, derive_quarter};
use super::reads::params::{self, clip};
use super::reads::periods::{KnownPeriod, PeriodKind, PeriodSpec, months_before, shift_days};
use super::reads::respond::{Representation, wants_csv};
use super::reads::select::{Selection, select};
use super::reads::wire::{CompanyRef, DerivationInput, PeriodInfo, ValueCell};
use crate::db::reads::lines::{LineQuery, line_facts};

/// Parameters of `GET /v1/companies/{id}/comparisons`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonQuery {
    /// `balance_sheet`, `income_statement` or `cash_flow`.
    #[param(inline, value_type = params::StatementKindParam, required = true, example = "income_statement")]
    pub statement: Option<String>,
    /// Two or more periods, comma-separated (ids or fiscal aliases); each is compared with the
    /// next one listed.
    #[param(example = "3M-2003-06-30,3M-2003-03-31", min_length = 1)]
    pub periods: Option<String>,
    /// One period, with `compare`.
    #[param(min_length = 1)]
    pub period: Option<String>,
    /// `qoq` (the quarter before) or `yoy` (the same period a year before), with `period`.
    #[param(inline, value_type = Option<params::CompareParam>)]
    pub compare: Option<String>,
    /// `gaap` (default) or `non_gaap`.
    #[param(inline, value_type = Option<params::ComparisonBasisParam>)]
    pub basis: Option<String>,
}

/// A compared period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComparedPeriod {
    /// The period.
    #[serde(flatten)]
    pub period: PeriodInfo,
    /// `stored` (a filing prints it) or `derived` (computed here from longer periods).
    #[schema(example = "stored")]
    pub source: String,
}

/// The change of one period against the next one listed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// The later (listed first) period.
    pub period: String,
    /// The period it is compared against.
    pub against: String,
    /// `period - against`, exact.
    #[schema(value_type = String, example = "5337000")]
    pub absolute: Decimal,
    /// `absolute / |against| * 100`, rounded to one decimal (half away from zero); absent when
    /// `against` is zero or the values are percentages (their change is `absolute`, in points).
    #[schema(value_type = Option<String>, example = "33.3")]
    pub percent: Option<Decimal>,
}

/// One line item across the periods.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComparisonLine {
    /// Stable key: the concept, else the normalized label.
    pub key: String,
    /// Label as printed (latest filing).
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Section header above it.
    pub section: Option<String>,
    /// Total or subtotal.
    pub is_total: bool,
    /// Section header.
    pub is_header: bool,
    /// One per period (`null`: no value).
    pub values: Vec<Option<ValueCell>>,
    /// One per adjacent pair of periods (`null` when either value is missing or the units
    /// differ).
    pub changes: Vec<Option<Change>>,
}

/// Line items side by side.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComparisonResponse {
    /// The company.
    pub company: CompanyRef,
    /// The statement kind.
    pub statement: String,
    /// The basis.
    pub basis: String,
    /// The periods, in the order compared.
    pub periods: Vec<ComparedPeriod>,
    /// Line items in the filings' order.
    pub line_items: Vec<ComparisonLine>,
    /// How derived periods were obtained, and what was left out.
    pub notes: Vec<String>,
}

/// Line items side by side over periods, with changes.
///
/// Give `periods=A,B[,C...]` (each compared with the next), or `period=A&compare=qoq|yoy`.
/// All periods must have the same length (quarters with quarters, six months with six months,
/// instants with instants). A quarter no filing prints is derived where a longer period and the
/// periods covering the rest of it are stored: its money values are `derived`, with the formula
/// and the facts used; per-share values, share counts and ratios are never derived.
#[utoipa::path(
    get,
    path = "/v1/companies/{id}/comparisons",
    tag = "statements",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Company id"), ComparisonQuery),
    responses(
        (status = 200, description = "The comparison.", content(
            (ComparisonResponse = "application/json"),
            (String = "text/csv"),
        ), headers(("etag" = String, description = "Validator for If-None-Match"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        (status = 404, description = "No such company, or a period with no data that cannot \
         be derived; the detail lists the periods that exist.", body = Problem,
         content_type = "application/problem+json"),
        (status = 422, description = "Missing or malformed parameters, or periods of different \
         lengths.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_comparison(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<ComparisonQuery>,
) -> ApiResult<Response> {
    let id = parse_id(&id, "company")?;
    let kind = params::statement_kind_param(query.statement.as_deref())?;
    let basis = params::bases(query.basis.as_deref(), false)?[0];
    let context = CompanyContext::load(&state.pool, id).await?;
    let targets = targets(&context, &query)?;
    check_same_length(&targets)?;
    let target_ids: Vec<String> = targets.iter().map(|t| spec_of(t).canonical_id()).collect();
    let cache_key =
        format!("comparison|{id}|{kind}|{basis}|{target_ids:?}|{}", wants_csv(&headers));
    if let Some(hit) = state.read_cache.get(&cache_key, context.version) {
        return Ok(hit.into_response_for(&headers));
    }

    // Stored targets, and for derived ones every stored duration within a year of them.
    let mut period_ids: BTreeSet<i64> = BTreeSet::new();
    for target in &targets {
        match target {
            Resolved::Stored(period) => {
                period_ids.insert(period.id);
            }
            Resolved::Missing(spec) => {
                let (from, to) = (shift_days(spec.end, -380), shift_days(spec.end, 380));
                period_ids.extend(
                    context
                        .periods
                        .iter()
                        .filter(|p| p.kind == PeriodKind::Duration && p.end >= from && p.end <= to)
                        .map(|p| p.id),
                );
            }
        }
    }
    let period_ids: Vec<i64> = period_ids.into_iter().collect();
    let rows = line_facts(
        &state.pool,
        &LineQuery {
            company_id: id,
            kinds: &[kind],
            period_ids: &period_ids,
            bases: &[basis],
            selecting_bases: &[basis],
            filing_id: None,
        },
    )
    .await?;
    let selection = select(rows);
    let inputs: Vec<KnownPeriod> =
        context.periods.iter().filter(|p| period_ids.contains(&p.id)).cloned().collect();
    let response = compare(&context, kind, basis, &targets, &inputs, &selection)?;
    let representation = Representation::negotiate(&headers, &response, comparison_csv)?;
    state.read_cache.put(cache_key, context.version, &representation);
    Ok(representation.into_response_for(&headers))
}

/// The periods to compare, resolved.
fn targets(context: &CompanyContext, query: &ComparisonQuery) -> Result<Vec<Resolved>, ApiError> {
    if let Some(compare) = query.compare.as_deref() {
        let single = query
            .period
            .as_deref()
            .or(query.periods.as_deref())
            .map(params::period_list)
            .transpose()?;
        let Some([one]) = single.as_deref() else {
            return Err(ApiError::Unprocessable(
                "compare= needs exactly one period=, e.g. period=FY2003-Q2&compare=qoq.".into(),
            ));
        };
        let first = context.resolve(one)?;
        let spec = spec_of(&first);
        let back = match (compare, spec.kind, spec.months) {
            ("qoq", PeriodKind::Instant, _) | ("qoq", PeriodKind::Duration, Some(3)) => 3,
            ("qoq", ..) => {
                return Err(ApiError::Unprocessable(format!(
                    "compare=qoq needs a quarter or an instant; {} is {} months long. Use \
                     compare=yoy, or list the periods with periods=.",
                    spec.canonical_id(),
                    spec.months.unwrap_or(0)
                )));
            }
            ("yoy", ..) => 12,
            (other, ..) => {
                return Err(ApiError::Unprocessable(format!(
                    "compare={} is not a comparison: use qoq (the quarter before) or yoy (the \
                     same period a year before).",
                    clip(other)
                )));
            }
        };
        let end = months_before(spec.end, back).ok_or_else(|| {
            ApiError::Unprocessable(format!("{} has no period before it.", spec.canonical_id()))
        })?;
        let other = PeriodSpec { end, exact: false, written: String::new(), ..spec.clone() };
        let other = PeriodSpec { written: other.canonical_id(), ..other };
        let second = match super::reads::periods::find(&other, &context.periods) {
            Some(period) => Resolved::Stored(period.clone()),
            None => Resolved::Missing(PeriodSpec { exact: true, ..other }),
        };
        return Ok(vec![first, second]);
    }
    let listed = query.periods.as_deref().or(query.period.as_deref()).map(params::period_list);
    let listed = listed.transpose()?.unwrap_or_default();
    if listed.len() < 2 {
        return Err(ApiError::Unprocessable(format!(
            "Give two or more periods (periods=A,B) or one period with compare=qoq|yoy. Company \
             {} has: {}.",
            context.company.id,
            context.describe_periods(|_| true)
        )));
    }
    listed.into_iter().map(|text| context.resolve(text)).collect()
}

fn spec_of(resolved: &Resolved) -> PeriodSpec {
    match resolved {
        Resolved::Stored(p) => PeriodSpec {
            kind: p.kind,
            months: p.months,
            end: p.end,
            exact: true,
            written: p.canonical_id(),
        },
        Resolved::Missing(spec) => spec.clone(),
    }
}

/// Quarters with quarters, years with years, instants with instants.
fn check_same_length(targets: &[Resolved]) -> Result<(), ApiError> {
    let shapes: Vec<PeriodSpec> = targets.iter().map(spec_of).collect();
    let first = &shapes[0];
    if let Some(other) = shapes.iter().find(|s| s.kind != first.kind || s.months != first.months) {
        return Err(ApiError::Unprocessable(format!(
            "{} and {} are of different lengths: a year-to-date column is never compared with a \
             single quarter (nor a duration with an instant). Compare periods of one length.",
            first.canonical_id(),
            other.canonical_id()
        )));
    }
    Ok(())
}

fn compare(
    context: &CompanyContext,
    kind: &str,
    basis: &str,
    targets: &[Resolved],
    inputs: &[KnownPeriod],
    selection: &Selection,
) -> Result<ComparisonResponse, ApiError> {
    let fye = context.fiscal_year_end;
    let mut notes = Vec::new();
    // values[entry][target]
    let mut values: Vec<Vec<Option<ValueCell>>> =
        vec![vec![None; targets.len()]; selection.entries.len()];
    let mut contributing: BTreeSet<i64> = BTreeSet::new();
    let mut periods = Vec::with_capacity(targets.len());
    for (t, target) in targets.iter().enumerate() {
        match target {
            Resolved::Stored(period) => {
                periods.push(ComparedPeriod {
                    period: context.period_info(period),
                    source: "stored".into(),
                });
                for (entry, row) in values.iter_mut().enumerate() {
                    if let Some(fact) = selection.cell(entry, period.id, basis) {
                        contributing.insert(fact.statement_id);
                        row[t] = ValueCell::of_fact(fact);
                    }
                }
            }
            Resolved::Missing(spec) => {
                let derivable = spec.kind == PeriodKind::Duration && spec.months == Some(3);
                let mut derived_any = false;
                for (entry, row) in values.iter_mut().enumerate().filter(|_| derivable) {
                    let value_of = |period: i64| {
                        let fact = selection.cell(entry, period, basis)?;
                        Some(StoredValue {
                            value: fact.value?,
                            unit: fact.unit.clone()?,
                            fact_id: fact.fact_id?,
                            filing_id: fact.filing_id,
                        })
                    };
                    let Some(derived) = derive_quarter(spec.end, inputs, value_of) else {
                        continue;
                    };
                    derived_any = true;
                    if let Some(first) = derived.terms.first()
                        && let Some(fact) = selection.cell(entry, first.period.id, basis)
                    {
                        contributing.insert(fact.statement_id);
                    }
                    row[t] = Some(ValueCell {
                        value: derived.value.normalize(),
                        unit: derived.terms[0].value.unit.clone(),
                        status: "derived".into(),
                        filing_id: None,
                        fact_id: None,
                        formula: Some(derived.formula()),
                        derived_from: derived
                            .terms
                            .iter()
                            .map(|term| DerivationInput {
                                period: term.period.canonical_id(),
                                sign: if term.added { "+" } else { "-" }.into(),
                                value: term.value.value.normalize(),
                                fact_id: term.value.fact_id,
                                filing_id: term.value.filing_id,
                            })
                            .collect(),
                    });
                }
                if !derived_any {
                    let hint = if derivable {
                        " No filing prints it, and no stored longer period and the periods \
                         covering the rest of it allow deriving it."
                    } else {
                        " Only quarters are derived from longer periods."
                    };
                    return Err(context.unknown_period(spec, hint));
                }
                notes.push(format!(
                    "{}: no filing prints this quarter; its money values are derived from longer \
                     periods less the periods covering the rest (see each value's formula). \
                     Per-share values, share counts and ratios are never derived by subtraction.",
                    spec.canonical_id()
                ));
                periods.push(ComparedPeriod {
                    period: PeriodInfo::of_spec(spec, fye),
                    source: "derived".into(),
                });
            }
        }
    }
    let line_items = selection
        .entries
        .iter()
        .zip(values)
        .filter(|(entry, values)| {
            values.iter().any(Option::is_some)
                || (entry.is_header && entry.statements.iter().any(|s| contributing.contains(s)))
        })
        .map(|(entry, values)| {
            let changes = (1..values.len())
                .map(|i| {
                    change(&periods[i - 1], &periods[i], values[i - 1].as_ref(), values[i].as_ref())
                })
                .collect();
            ComparisonLine {
                key: entry.key.clone(),
                label: entry.label.clone(),
                concept: entry.concept.clone(),
                section: entry.section.clone(),
                is_total: entry.is_total,
                is_header: entry.is_header,
                values,
                changes,
            }
        })
        .collect();
    Ok(ComparisonResponse {
        company: context.company.clone(),
        statement: kind.to_owned(),
        basis: basis.to_owned(),
        periods,
        line_items,
        notes,
    })
}

/// The change of `current` against `base`.
fn change(
    current_period: &ComparedPeriod,
    base_period: &ComparedPeriod,
    current: Option<&ValueCell>,
    base: Option<&ValueCell>,
) -> Option<Change> {
    let (current, base) = (current?, base?);
    if current.unit != base.unit {
        return None;
    }
    let absolute = current.value.checked_sub(base.value)?;
    let percent = if base.value.is_zero() || current.unit == "percent" {
        None
    } else {
        absolute
            .checked_div(base.value.abs())
            .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
            .map(|p| {
                p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero).normalize()
            })
    };
    Some(Change {
        period: current_period.period.id.clone(),
        against: base_period.period.id.clone(),
        absolute: absolute.normalize(),
        percent,
    })
}

/// One CSV row per line item and period, with the change against the next period.
fn comparison_csv(comparison: &ComparisonResponse) -> String {
    let mut csv = CsvWriter::with_header(&[
        "line",
        "key",
        "label",
        "concept",
        "section",
        "is_total",
        "is_header",
        "period",
        "value",
        "unit",
        "status",
        "filing_id",
        "fact_id",
        "formula",
        "against",
        "change",
        "percent_change",
    ]);
    for (index, line) in comparison.line_items.iter().enumerate() {
        let position = index.to_string();
        let flags = (line.is_total.to_string(), line.is_header.to_string());
        for (p, period) in comparison.periods.iter().enumerate() {
            let value = line.values.get(p).and_then(Option::as_ref);
            if value.is_none() && !line.is_header {
                continue;
            }
            if line.is_header && p > 0 {
                continue;
            }
            let change = line.changes.get(p).and_then(Option::as_ref);
            let cells = [
                opt(value.map(|v| v.value)),
                value.map(|v| v.unit.clone()).unwrap_or_default(),
                value.map(|v| v.status.clone()).unwrap_or_default(),
                opt(value.and_then(|v| v.filing_id)),
                opt(value.and_then(|v| v.fact_id)),
                value.and_then(|v| v.formula.clone()).unwrap_or_default(),
                change.map(|c| c.against.clone()).unwrap_or_default(),
                opt(change.map(|c| c.absolute)),
                opt(change.and_then(|c| c.percent)),
            ];
            let period_id = if line.is_header { "" } else { period.period.id.as_str() };
            csv.row(
                [
                    Field::Plain(&position),
                    Field::Text(&line.key),
                    Field::Text(&line.label),
                    Field::Plain(line.concept.as_deref().unwrap_or("")),
                    Field::Text(line.section.as_deref().unwrap_or("")),
                    Field::Plain(&flags.0),
                    Field::Plain(&flags.1),
                    Field::Plain(period_id),
                ]
                .into_iter()
                .chain(cells.iter().map(|c| Field::Plain(c))),
            );
        }
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(id: &str) -> ComparedPeriod {
        ComparedPeriod {
            period: PeriodInfo {
                id: id.to_owned(),
                kind: "duration".into(),
                start: None,
                end: chrono::NaiveDate::MIN,
                months: Some(3),
                fiscal_alias: None,
            },
            source: "stored".into(),
        }
    }

    fn cell(value: &str, unit: &str) -> ValueCell {
        ValueCell {
            value: value.parse().unwrap(),
            unit: unit.to_owned(),
            status: "reported".into(),
            filing_id: Some(1),
            fact_id: Some(1),
            formula: None,
            derived_from: Vec::new(),
        }
    }

    #[test]
    fn changes_are_exact_and_percentages_rounded_to_one_decimal() {
        let (q2, q1) = (period("3M-2003-06-30"), period("3M-2003-03-31"));
        let c = change(&q2, &q1, Some(&cell("21356000", "USD")), Some(&cell("16019000", "USD")))
            .unwrap();
        assert_eq!(c.absolute, Decimal::from(5_337_000));
        assert_eq!(c.percent, Some("33.3".parse().unwrap()));
        let loss = change(&q2, &q1, Some(&cell("-3210000", "USD")), Some(&cell("-4381000", "USD")))
            .unwrap();
        assert_eq!(loss.percent, Some("26.7".parse().unwrap()), "a smaller loss is a rise");
    }

    #[test]
    fn no_percentage_against_zero_or_of_a_percentage() {
        let (a, b) = (period("a"), period("b"));
        assert_eq!(
            change(&a, &b, Some(&cell("5", "USD")), Some(&cell("0", "USD"))).unwrap().percent,
            None
        );
        let margin =
            change(&a, &b, Some(&cell("58.8", "percent")), Some(&cell("61.5", "percent"))).unwrap();
        assert_eq!((margin.absolute, margin.percent), ("-2.7".parse().unwrap(), None));
        assert!(change(&a, &b, Some(&cell("1", "USD")), Some(&cell("1", "shares"))).is_none());
    }
}
