//! Series: one concept of a company over time, for charts. The latest filing wins per period
//! and basis; with `months=3` (or no `months`), quarters no filing prints are derived from longer
//! periods where the filings allow it, and marked `derived`.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Path, Query};
use super::pagination::parse_id;
use super::problem::{ApiError, ApiResult, Problem};
use super::reads::context::CompanyContext;
use super::reads::csv::{CsvWriter, Field, opt};
use super::reads::cursor;
use super::reads::derive::{StoredValue, derive_quarter};
use super::reads::params::{self, clip};
use super::reads::periods::{KnownPeriod, PeriodKind, PeriodSpec, find_duration, months_before};
use super::reads::respond::{Representation, wants_csv};
use super::reads::select::rank_rows;
use super::reads::wire::{CompanyRef, DerivationInput, PeriodInfo, ValueCell};
use crate::db::reads::LineFact;
use crate::db::reads::series::{company_concepts, concept_facts};

/// Parameters of `GET /v1/companies/{id}/series/{concept}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// `gaap` (default), `non_gaap`, or `all`.
    #[param(inline, value_type = Option<params::BasisParam>)]
    pub basis: Option<String>,
    /// Only durations of this many months (`3` for quarters, derived ones included); absent:
    /// every period, instants included.
    #[param(example = 3)]
    #[param(minimum = 1, maximum = 120)]
    pub months: Option<u32>,
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// One point of a series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SeriesPoint {
    /// The period.
    pub period: PeriodInfo,
    /// `gaap`, `adjustment` or `non_gaap`.
    pub basis: String,
    /// The label the winning filing printed (absent for a derived quarter).
    pub label: Option<String>,
    /// The value and its provenance.
    #[serde(flatten)]
    pub value: ValueCell,
}

/// A concept over time.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SeriesResponse {
    /// The company.
    pub company: CompanyRef,
    /// The concept key.
    #[schema(example = "revenue")]
    pub concept: String,
    /// The basis asked for.
    pub basis: String,
    /// The period length asked for.
    pub months: Option<u32>,
    /// Points by period end, then length, then basis.
    pub items: Vec<SeriesPoint>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One concept over time.
///
/// Each point says its period, value, status and source filing. Quarters that no filing prints
/// are derived (money only) when a longer period and the periods covering the rest of it are
/// stored; they carry status `derived`, the formula and the facts used. `Accept: text/csv`
/// gives the page as CSV (the next cursor is then in `x-next-cursor`).
#[utoipa::path(
    get,
    path = "/v1/companies/{id}/series/{concept}",
    tag = "statements",
    params(
        ("id" = i64, Path, minimum = 1, example = 1, description = "Company id"),
        ("concept" = String, Path, description = "Concept key, e.g. `revenue`, `net_income`"),
        SeriesQuery,
    ),
    responses(
        (status = 200, description = "The series.", content(
            (SeriesResponse = "application/json"),
            (String = "text/csv"),
        ), headers(("etag" = String, description = "Validator for If-None-Match"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        (status = 404, description = "No such company, or a concept it has no values for; the \
         detail lists its concepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed basis, months or limit.", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn get_series(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, concept)): Path<(String, String)>,
    Query(query): Query<SeriesQuery>,
) -> ApiResult<Response> {
    let id = parse_id(&id, "company")?;
    let bases = params::bases(query.basis.as_deref(), true)?;
    let limit = cursor::page_limit(query.limit)? as usize;
    if let Some(months) = query.months
        && !(1..=120).contains(&months)
    {
        return Err(ApiError::Unprocessable(format!(
            "months={months} is out of range: give a length in months such as 3, 6, 9 or 12."
        )));
    }
    let after = query.cursor.as_deref().map(cursor::decode).transpose()?;
    let context = CompanyContext::load(&state.pool, id).await?;
    let cache_key = format!(
        "series|{id}|{concept:?}|{bases:?}|{:?}|{limit}|{after:?}|{}",
        query.months,
        wants_csv(&headers)
    );
    if let Some(hit) = state.read_cache.get(&cache_key, context.version) {
        return Ok(hit.into_response_for(&headers));
    }
    let rows = concept_facts(&state.pool, id, &concept, bases).await?;
    if rows.is_empty() {
        let concepts = company_concepts(&state.pool, id).await?;
        let known = concepts.contains(&concept);
        return Err(ApiError::NotFound(if known {
            format!(
                "Company {id} has no {} values of `{concept}`; try basis=all.",
                query.basis.as_deref().unwrap_or("gaap")
            )
        } else {
            format!(
                "Company {id} has no concept `{}`. Its concepts: {}.",
                clip(&concept),
                if concepts.is_empty() { "none".to_owned() } else { concepts.join(", ") }
            )
        }));
    }
    let mut points = build_points(&context, rows, query.months);
    points.sort_by_key(sort_key);
    if let Some(after) = after {
        points.retain(|p| key_text(p) > after);
    }
    let more = points.len() > limit;
    points.truncate(limit);
    let next_cursor = if more { points.last().map(|p| cursor::encode(&key_text(p))) } else { None };
    let response = SeriesResponse {
        company: context.company.clone(),
        concept,
        basis: query.basis.unwrap_or_else(|| "gaap".into()),
        months: query.months,
        items: points,
        next_cursor: next_cursor.clone(),
    };
    let representation =
        Representation::negotiate(&headers, &response, series_csv)?.with_next_cursor(next_cursor);
    state.read_cache.put(cache_key, context.version, &representation);
    Ok(representation.into_response_for(&headers))
}

/// Stored points (latest filing wins) plus derived quarters.
fn build_points(
    context: &CompanyContext,
    mut rows: Vec<LineFact>,
    months: Option<u32>,
) -> Vec<SeriesPoint> {
    rank_rows(&mut rows);
    let mut winners: HashMap<(i64, String), LineFact> = HashMap::new();
    for row in rows {
        let (Some(period), Some(basis)) = (row.period_id, row.basis.clone()) else { continue };
        winners.entry((period, basis)).or_insert(row);
    }
    let mut points = Vec::new();
    let mut by_basis: BTreeMap<String, HashMap<i64, StoredValue>> = BTreeMap::new();
    for ((period_id, basis), row) in &winners {
        let Some(period) = context.period(*period_id) else { continue };
        if let (Some(value), Some(unit), Some(fact_id)) = (row.value, row.unit.clone(), row.fact_id)
        {
            by_basis
                .entry(basis.clone())
                .or_default()
                .insert(*period_id, StoredValue { value, unit, fact_id, filing_id: row.filing_id });
        }
        if months.is_some_and(|m| period.months != Some(m)) {
            continue;
        }
        let Some(value) = ValueCell::of_fact(row) else { continue };
        points.push(SeriesPoint {
            period: context.period_info(period),
            basis: basis.clone(),
            label: Some(row.label.clone()),
            value,
        });
    }
    if months.is_none_or(|m| m == 3) {
        for (basis, values) in &by_basis {
            points.extend(derived_quarters(context, basis, values));
        }
    }
    points
}

/// Quarters inside stored longer periods that no filing prints, derived where possible.
fn derived_quarters(
    context: &CompanyContext,
    basis: &str,
    values: &HashMap<i64, StoredValue>,
) -> Vec<SeriesPoint> {
    let periods: Vec<KnownPeriod> =
        context.periods.iter().filter(|p| values.contains_key(&p.id)).cloned().collect();
    let mut ends: Vec<NaiveDate> = Vec::new();
    for period in &periods {
        let Some(months) = period.months.filter(|m| *m > 3 && m % 3 == 0) else { continue };
        for k in 0..months / 3 {
            let Some(end) = months_before(period.end, k * 3) else { continue };
            let printed = find_duration(&periods, 3, end).is_some();
            let seen = ends.iter().any(|e| (*e - end).num_days().abs() <= 7);
            if !printed && !seen {
                ends.push(end);
            }
        }
    }
    let mut out = Vec::new();
    for end in ends {
        let Some(derived) = derive_quarter(end, &periods, |id| values.get(&id).cloned()) else {
            continue;
        };
        let spec = PeriodSpec {
            kind: PeriodKind::Duration,
            months: Some(3),
            end,
            exact: true,
            written: String::new(),
        };
        out.push(SeriesPoint {
            period: PeriodInfo::of_spec(&spec, context.fiscal_year_end),
            basis: basis.to_owned(),
            label: None,
            value: ValueCell {
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
            },
        });
    }
    out
}

fn basis_rank(basis: &str) -> usize {
    params::ALL_BASES.iter().position(|b| *b == basis).unwrap_or(usize::MAX)
}

fn sort_key(point: &SeriesPoint) -> (NaiveDate, u32, usize) {
    (point.period.end, point.period.months.unwrap_or(0), basis_rank(&point.basis))
}

/// The cursor key of a point: sorts as [`sort_key`] does.
fn key_text(point: &SeriesPoint) -> String {
    let (end, months, basis) = sort_key(point);
    format!("{end}|{months:04}|{basis}")
}

fn series_csv(series: &SeriesResponse) -> String {
    let mut csv = CsvWriter::with_header(&[
        "period",
        "start",
        "end",
        "months",
        "fiscal_alias",
        "basis",
        "label",
        "value",
        "unit",
        "status",
        "filing_id",
        "fact_id",
        "formula",
    ]);
    for point in &series.items {
        let p = &point.period;
        let v = &point.value;
        let cells =
            [opt(p.start), p.end.to_string(), opt(p.months), opt(v.filing_id), opt(v.fact_id)];
        let value = v.value.to_string();
        csv.row([
            Field::Plain(&p.id),
            Field::Plain(&cells[0]),
            Field::Plain(&cells[1]),
            Field::Plain(&cells[2]),
            Field::Plain(p.fiscal_alias.as_deref().unwrap_or("")),
            Field::Plain(&point.basis),
            Field::Text(point.label.as_deref().unwrap_or("")),
            Field::Plain(&value),
            Field::Plain(&v.unit),
            Field::Plain(&v.status),
            Field::Plain(&cells[3]),
            Field::Plain(&cells[4]),
            Field::Text(v.formula.as_deref().unwrap_or("")),
        ]);
    }
    csv.finish()
}
