//! Statements: one statement kind of a company for one or more periods, line items in the
//! filings' order with sections and totals marked, each value with its status and the filing it
//! came from. The latest filing wins per line item, period and basis; `filing=` pins one.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Path, Query};
use super::pagination::parse_id;
use super::problem::{ApiError, ApiResult, Problem};
use super::reads::context::CompanyContext;
use super::reads::csv::{CsvWriter, Field, opt};
use super::reads::params::{self, clip};
use super::reads::periods::KnownPeriod;
use super::reads::respond::{Representation, wants_csv};
use super::reads::select::{Selection, select};
use super::reads::wire::{CompanyRef, PeriodInfo, SourceFiling, ValueCell, source_of};
use crate::db::reads::companies::{company_filings, periods_with_data};
use crate::db::reads::lines::{LineQuery, line_facts};

/// Parameters of `GET /v1/companies/{id}/statements/{kind}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// One or more periods, comma-separated: ids (`3M-2003-06-30`, `I-2003-06-30`) or fiscal
    /// aliases (`FY2003-Q2`, `FY2003-H1`, `FY2003`).
    #[param(example = "3M-2003-06-30,3M-2003-03-31", required = true, min_length = 1)]
    pub period: Option<String>,
    /// `gaap` (default), `non_gaap`, or `all` (GAAP, adjustment and non-GAAP columns).
    #[param(inline, value_type = Option<params::BasisParam>)]
    pub basis: Option<String>,
    /// Read only this filing's values (default: the latest filing wins per value).
    #[param(minimum = 1)]
    pub filing: Option<i64>,
}

/// One value column.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatementColumn {
    /// The period.
    pub period: PeriodInfo,
    /// `gaap`, `adjustment` or `non_gaap`.
    #[schema(example = "gaap")]
    pub basis: String,
}

/// One line item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatementLine {
    /// Stable key: the concept, else the normalized label.
    #[schema(example = "revenue")]
    pub key: String,
    /// Label as printed (by the latest filing that has the line).
    #[schema(example = "Revenues")]
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Section header above the line.
    pub section: Option<String>,
    /// Whether it is a total or subtotal.
    pub is_total: bool,
    /// Whether it only heads a section.
    pub is_header: bool,
    /// One entry per column (`null` where there is no value).
    pub values: Vec<Option<ValueCell>>,
}

/// A table the values came from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SourceTable {
    /// Statement id.
    pub statement_id: i64,
    /// Its filing.
    pub filing_id: i64,
    /// Its title as printed.
    pub title: String,
}

/// A statement over one or more periods.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatementResponse {
    /// The company.
    pub company: CompanyRef,
    /// `balance_sheet`, `income_statement` or `cash_flow`.
    pub kind: String,
    /// The basis asked for.
    pub basis: String,
    /// The filing pinned with `filing=`, if any.
    pub pinned_filing: Option<i64>,
    /// Value columns: each period, then each basis.
    pub columns: Vec<StatementColumn>,
    /// Line items in the filings' order.
    pub line_items: Vec<StatementLine>,
    /// Filings that supplied values.
    pub sources: Vec<SourceFiling>,
    /// Tables that supplied values.
    pub tables: Vec<SourceTable>,
}

/// A statement for one or more periods.
///
/// Values are in full units (scale applied) as exact decimal strings. When several filings
/// report the same line item, period and basis, the latest filing (by report date) wins and
/// `filing_id` says which; `filing=` reads one filing only. `Accept: text/csv` gives one row per
/// line item and column. Answers are kept per company data version, so a repeated request costs
/// one small query until a filing of the company is added, reparsed or deleted.
#[utoipa::path(
    get,
    path = "/v1/companies/{id}/statements/{kind}",
    tag = "statements",
    params(
        ("id" = i64, Path, minimum = 1, example = 1, description = "Company id"),
        ("kind" = inline(params::StatementKindParam), Path, description = "`balance_sheet`, `income_statement` or `cash_flow`"),
        StatementQuery,
    ),
    responses(
        (status = 200, description = "The statement.", content(
            (StatementResponse = "application/json"),
            (String = "text/csv"),
        ), headers(("etag" = String, description = "Validator for If-None-Match"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        (status = 404, description = "No such company, kind, period or filing; the detail \
         lists what exists.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed period or basis.", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn get_statement(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Query(query): Query<StatementQuery>,
) -> ApiResult<Response> {
    let id = parse_id(&id, "company")?;
    let kind = params::statement_kind(&kind)?;
    let bases = params::bases(query.basis.as_deref(), true)?;
    let context = CompanyContext::load(&state.pool, id).await?;
    let wanted = query.period.as_deref().map(params::period_list).transpose()?.unwrap_or_default();
    if wanted.is_empty() {
        return Err(ApiError::Unprocessable(format!(
            "period= is required: one or more period ids or fiscal aliases, comma-separated. \
             Company {id} has: {}.",
            context.describe_periods(|_| true)
        )));
    }
    let mut periods: Vec<KnownPeriod> = Vec::with_capacity(wanted.len());
    for text in wanted {
        let period = context.resolve_stored(text)?;
        if !periods.contains(&period) {
            periods.push(period);
        }
    }
    let period_ids: Vec<i64> = periods.iter().map(|p| p.id).collect();
    let cache_key = format!(
        "statement|{id}|{kind}|{period_ids:?}|{bases:?}|{:?}|{}",
        query.filing,
        wants_csv(&headers)
    );
    if let Some(hit) = state.read_cache.get(&cache_key, context.version) {
        return Ok(hit.into_response_for(&headers));
    }
    let rows = line_facts(
        &state.pool,
        &LineQuery {
            company_id: id,
            kinds: &[kind],
            period_ids: &period_ids,
            bases,
            selecting_bases: bases,
            filing_id: query.filing,
        },
    )
    .await?;
    if rows.is_empty() {
        return Err(nothing_found(&state, &context, kind, &periods, query.filing).await);
    }
    let selection = select(rows);
    let response = assemble(
        &context,
        kind,
        query.basis.as_deref().unwrap_or("gaap"),
        query.filing,
        &periods,
        bases,
        &selection,
    );
    let representation = Representation::negotiate(&headers, &response, statement_csv)?;
    state.read_cache.put(cache_key, context.version, &representation);
    Ok(representation.into_response_for(&headers))
}

/// The 404 when no statement matched: which of company, filing or period is the reason.
async fn nothing_found(
    state: &AppState,
    context: &CompanyContext,
    kind: &str,
    periods: &[KnownPeriod],
    filing: Option<i64>,
) -> ApiError {
    let asked: Vec<String> = periods.iter().map(KnownPeriod::canonical_id).collect();
    if let Some(filing) = filing {
        let filings = company_filings(&state.pool, context.company.id).await.unwrap_or_default();
        if !filings.iter().any(|f| f.id == filing) {
            let ids: Vec<String> = filings.iter().map(|f| f.id.to_string()).collect();
            return ApiError::NotFound(format!(
                "Company {} has no filing {filing}; its filings are: {}.",
                context.company.id,
                if ids.is_empty() { "none".to_owned() } else { ids.join(", ") }
            ));
        }
        return ApiError::NotFound(format!(
            "Filing {filing} has no {kind} values for {} on this basis.",
            asked.join(", ")
        ));
    }
    // Which periods have this kind, and which kinds the company has at all.
    let with_data = periods_with_data(&state.pool, context.company.id).await.unwrap_or_default();
    let of_kind: Vec<i64> = with_data
        .iter()
        .filter(|p| p.statement_kinds.iter().any(|k| k == kind))
        .map(|p| p.id)
        .collect();
    let mut kinds: Vec<&str> =
        with_data.iter().flat_map(|p| p.statement_kinds.iter().map(String::as_str)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    ApiError::NotFound(format!(
        "Company {} has no {kind} values for {} on this basis. Periods with {kind} data: {}. \
         Statement kinds with data: {}.",
        context.company.id,
        clip(&asked.join(", ")),
        context.describe_periods(|p| of_kind.contains(&p.id)),
        if kinds.is_empty() { "none".to_owned() } else { kinds.join(", ") }
    ))
}

fn assemble(
    context: &CompanyContext,
    kind: &str,
    basis: &str,
    pinned: Option<i64>,
    periods: &[KnownPeriod],
    bases: &[&str],
    selection: &Selection,
) -> StatementResponse {
    // Columns: every period, each basis; adjustment and non-GAAP columns only when they hold
    // a value (a GAAP-only table asked for `all` keeps its shape).
    let mut columns: Vec<(i64, &str)> = Vec::new();
    for period in periods {
        for &basis in bases {
            let has_values = (0..selection.entries.len())
                .any(|entry| selection.cell(entry, period.id, basis).is_some());
            if has_values || (basis == "gaap" || bases.len() == 1) {
                columns.push((period.id, basis));
            }
        }
    }
    let mut contributing: BTreeSet<i64> = BTreeSet::new();
    let mut sources: Vec<SourceFiling> = Vec::new();
    let mut tables: Vec<SourceTable> = Vec::new();
    let mut lines = Vec::with_capacity(selection.entries.len());
    for (index, entry) in selection.entries.iter().enumerate() {
        let values: Vec<Option<ValueCell>> = columns
            .iter()
            .map(|&(period, basis)| {
                let fact = selection.cell(index, period, basis)?;
                if contributing.insert(fact.statement_id) {
                    tables.push(SourceTable {
                        statement_id: fact.statement_id,
                        filing_id: fact.filing_id,
                        title: fact.statement_title.clone(),
                    });
                }
                let source = source_of(fact);
                if !sources.contains(&source) {
                    sources.push(source);
                }
                ValueCell::of_fact(fact)
            })
            .collect();
        lines.push((entry, values));
    }
    // Lines of tables that supplied nothing (wholly superseded) are left out.
    let line_items = lines
        .into_iter()
        .filter(|(entry, values)| {
            values.iter().any(Option::is_some)
                || entry.statements.iter().any(|s| contributing.contains(s))
        })
        .map(|(entry, values)| StatementLine {
            key: entry.key.clone(),
            label: entry.label.clone(),
            concept: entry.concept.clone(),
            section: entry.section.clone(),
            is_total: entry.is_total,
            is_header: entry.is_header,
            values,
        })
        .collect();
    tables.sort_by_key(|t| selection.ranked_statements.iter().position(|s| *s == t.statement_id));
    StatementResponse {
        company: context.company.clone(),
        kind: kind.to_owned(),
        basis: basis.to_owned(),
        pinned_filing: pinned,
        columns: columns
            .iter()
            .filter_map(|&(period, basis)| {
                Some(StatementColumn {
                    period: context.period_info(context.period(period)?),
                    basis: basis.to_owned(),
                })
            })
            .collect(),
        line_items,
        sources,
        tables,
    }
}

/// One CSV row per line item and column with a value; lines without values get one row.
fn statement_csv(statement: &StatementResponse) -> String {
    let mut csv = CsvWriter::with_header(&[
        "line",
        "key",
        "label",
        "concept",
        "section",
        "is_total",
        "is_header",
        "period",
        "basis",
        "value",
        "unit",
        "status",
        "filing_id",
        "fact_id",
        "formula",
    ]);
    for (index, line) in statement.line_items.iter().enumerate() {
        let position = index.to_string();
        let flags = (line.is_total.to_string(), line.is_header.to_string());
        let mut wrote = false;
        for (column, value) in statement.columns.iter().zip(&line.values) {
            let Some(value) = value else { continue };
            wrote = true;
            let number = value.value.to_string();
            let (filing, fact) = (opt(value.filing_id), opt(value.fact_id));
            csv.row([
                Field::Plain(&position),
                Field::Text(&line.key),
                Field::Text(&line.label),
                Field::Plain(line.concept.as_deref().unwrap_or("")),
                Field::Text(line.section.as_deref().unwrap_or("")),
                Field::Plain(&flags.0),
                Field::Plain(&flags.1),
                Field::Plain(&column.period.id),
                Field::Plain(&column.basis),
                Field::Plain(&number),
                Field::Plain(&value.unit),
                Field::Plain(&value.status),
                Field::Plain(&filing),
                Field::Plain(&fact),
                Field::Text(value.formula.as_deref().unwrap_or("")),
            ]);
        }
        if !wrote {
            csv.row([
                Field::Plain(&position),
                Field::Text(&line.key),
                Field::Text(&line.label),
                Field::Plain(line.concept.as_deref().unwrap_or("")),
                Field::Text(line.section.as_deref().unwrap_or("")),
                Field::Plain(&flags.0),
                Field::Plain(&flags.1),
                Field::Plain(""),
                Field::Plain(""),
                Field::Plain(""),
                Field::Plain(""),
                Field::Plain(""),
                Field::Plain(""),
                Field::Plain(""),
                Field::Plain(""),
            ]);
        }
    }
    csv.finish()
}
