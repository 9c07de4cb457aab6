//! Non-GAAP reconciliations: for one period, each reconciled line item (GAAP value, each
//! adjustment named by what it excludes, non-GAAP value, whether they add up) and a bridge for
//! the headline measures (operating result, net result, per share where printed).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Path, Query};
use super::pagination::parse_id;
use super::problem::{ApiError, ApiResult, Problem};
use super::reads::bridge::{self, Line, Reconciled, Value};
use super::reads::context::CompanyContext;
use super::reads::csv::{CsvWriter, Field, opt};
use super::reads::params::{ALL_BASES, clip};
use super::reads::respond::{Representation, wants_csv};
use super::reads::select::rank_rows;
use super::reads::wire::{CompanyRef, PeriodInfo, SourceFiling, source_of};
use crate::db::reads::LineFact;
use crate::db::reads::lines::{LineQuery, line_facts};
use crate::db::reads::non_gaap::periods_with_non_gaap;

/// Every statement kind: reconciliations appear in income statements (GAAP | Adjustments |
/// Non-GAAP columns) and in tables of their own.
const ALL_KINDS: [&str; 5] =
    ["balance_sheet", "income_statement", "cash_flow", "non_gaap_reconciliation", "other"];

/// Parameters of `GET /v1/companies/{id}/non-gaap`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NonGaapQuery {
    /// The period: an id (`3M-2003-06-30`) or a fiscal alias (`FY2003-Q2`).
    #[param(example = "3M-2003-06-30")]
    #[param(required = true, min_length = 1)]
    pub period: Option<String>,
    /// Read this filing's reconciliation (default: the latest filing that has one).
    #[param(minimum = 1)]
    pub filing: Option<i64>,
}

/// One adjustment, named by what it excludes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AdjustmentItem {
    /// What it excludes, from the table's own row (e.g. `Stock-based compensation`).
    #[schema(example = "Stock-based compensation")]
    pub name: String,
    /// That row's concept key.
    pub concept: Option<String>,
    /// Its effect on this line, exact.
    #[schema(value_type = String, example = "739000")]
    pub amount: Decimal,
    /// The fact it comes from.
    pub fact_id: i64,
}

/// A reconciled line item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReconciledLine {
    /// The statement it is printed in.
    pub statement_id: i64,
    /// Its label (the GAAP row's, for a reconciliation printed row by row).
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// `USD` or `USD/share`.
    pub unit: String,
    /// GAAP value.
    #[schema(value_type = Option<String>)]
    pub gaap: Option<Decimal>,
    /// The adjustments, each named by what it excludes.
    pub adjustments: Vec<AdjustmentItem>,
    /// The adjustment printed on the line itself (GAAP | Adjustments | Non-GAAP layout).
    #[schema(value_type = Option<String>)]
    pub printed_adjustment: Option<Decimal>,
    /// Non-GAAP value as printed (absent when its cell is blank).
    #[schema(value_type = Option<String>)]
    pub non_gaap: Option<Decimal>,
    /// GAAP plus the adjustments.
    #[schema(value_type = Option<String>)]
    pub computed_non_gaap: Option<Decimal>,
    /// Whether GAAP plus the adjustments equals the printed non-GAAP value (absent without
    /// both).
    pub adds_up: Option<bool>,
    /// The printed adjustment less the named ones, when the table's rows do not explain it all.
    #[schema(value_type = Option<String>)]
    pub unexplained: Option<Decimal>,
}

/// One add-back of a bridge.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AddBack {
    /// What it excludes.
    #[schema(example = "Stock-based compensation")]
    pub name: String,
    /// Its concept key.
    pub concept: Option<String>,
    /// `+` (added back) or `-` (taken off).
    #[schema(example = "+")]
    pub sign: String,
    /// Its size, exact and unsigned.
    #[schema(value_type = String, example = "739000")]
    pub amount: Decimal,
    /// The fact it comes from.
    pub fact_id: i64,
}

/// A headline measure from GAAP to non-GAAP.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BridgeOut {
    /// `operating_result`, `net_result`, `per_share` (or `per_share_basic`,
    /// `per_share_diluted`).
    #[schema(example = "net_result")]
    pub measure: String,
    /// The label printed.
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Unit.
    pub unit: String,
    /// GAAP value.
    #[schema(value_type = Option<String>, example = "-3210000")]
    pub gaap: Option<Decimal>,
    /// The add-backs, in the table's order.
    pub add_backs: Vec<AddBack>,
    /// The adjustment printed on the measure's own line, if any.
    #[schema(value_type = Option<String>)]
    pub printed_adjustment: Option<Decimal>,
    /// Non-GAAP value as printed.
    #[schema(value_type = Option<String>, example = "-2200000")]
    pub non_gaap: Option<Decimal>,
    /// GAAP plus the add-backs.
    #[schema(value_type = Option<String>)]
    pub computed_non_gaap: Option<Decimal>,
    /// Whether that equals the printed non-GAAP value (absent when it cannot be checked, e.g.
    /// per share with no adjustment printed).
    pub adds_up: Option<bool>,
    /// The printed adjustment less the add-backs, when they differ.
    #[schema(value_type = Option<String>)]
    pub unexplained: Option<Decimal>,
}

/// A period's reconciliation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NonGaapResponse {
    /// The company.
    pub company: CompanyRef,
    /// The period.
    pub period: PeriodInfo,
    /// The filing whose reconciliation this is.
    pub filing: SourceFiling,
    /// Other filings with a reconciliation for this period (pin one with `filing=`).
    pub other_filings: Vec<SourceFiling>,
    /// Each reconciled line item.
    pub lines: Vec<ReconciledLine>,
    /// The headline measures' bridges.
    pub bridges: Vec<BridgeOut>,
}

/// A period's non-GAAP reconciliation.
///
/// Reads the reconciliation of the latest filing that has one for the period (or the filing
/// `filing=` names): tables in the GAAP | Adjustments | Non-GAAP layout and tables that reconcile
/// row by row. Adjustments are named by the table's own rows. `Accept: text/csv` gives one row
/// per line (or bridge) and adjustment.
#[utoipa::path(
    get,
    path = "/v1/companies/{id}/non-gaap",
    tag = "statements",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Company id"), NonGaapQuery),
    responses(
        (status = 200, description = "The reconciliation.", content(
            (NonGaapResponse = "application/json"),
            (String = "text/csv"),
        ), headers(("etag" = String, description = "Validator for If-None-Match"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        (status = 404, description = "No such company or period, or no reconciliation for it; \
         the detail lists the periods that have one.", body = Problem,
         content_type = "application/problem+json"),
        (status = 422, description = "A missing or malformed period.", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn get_non_gaap(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<NonGaapQuery>,
) -> ApiResult<Response> {
    let id = parse_id(&id, "company")?;
    let context = CompanyContext::load(&state.pool, id).await?;
    let Some(text) = query.period.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
        return Err(ApiError::Unprocessable(format!(
            "period= is required (an id or a fiscal alias). {}",
            with_non_gaap(&state, &context).await?
        )));
    };
    let period = context.resolve_stored(text)?;
    let cache_key =
        format!("non-gaap|{id}|{}|{:?}|{}", period.id, query.filing, wants_csv(&headers));
    if let Some(hit) = state.read_cache.get(&cache_key, context.version) {
        return Ok(hit.into_response_for(&headers));
    }
    let mut rows = line_facts(
        &state.pool,
        &LineQuery {
            company_id: id,
            kinds: &ALL_KINDS,
            period_ids: &[period.id],
            bases: &ALL_BASES,
            selecting_bases: &["adjustment", "non_gaap"],
            filing_id: query.filing,
        },
    )
    .await?;
    if rows.is_empty() {
        let pinned = query.filing.map(|f| format!(" in filing {f}")).unwrap_or_default();
        return Err(ApiError::NotFound(format!(
            "Company {id} has no non-GAAP reconciliation for {}{pinned}. {}",
            clip(text),
            with_non_gaap(&state, &context).await?
        )));
    }
    rank_rows(&mut rows);
    let filing = source_of(&rows[0]);
    let mut other_filings: Vec<SourceFiling> = Vec::new();
    for row in &rows {
        let source = source_of(row);
        if source.id != filing.id && !other_filings.contains(&source) {
            other_filings.push(source);
        }
    }
    rows.retain(|r| r.filing_id == filing.id);
    let (lines, bridges) = reconcile(rows);
    let response = NonGaapResponse {
        company: context.company.clone(),
        period: context.period_info(&period),
        filing,
        other_filings,
        lines,
        bridges,
    };
    let representation = Representation::negotiate(&headers, &response, non_gaap_csv)?;
    state.read_cache.put(cache_key, context.version, &representation);
    Ok(representation.into_response_for(&headers))
}

/// The sentence listing the periods with a reconciliation.
async fn with_non_gaap(state: &AppState, context: &CompanyContext) -> Result<String, ApiError> {
    let ids = periods_with_non_gaap(&state.pool, context.company.id).await?;
    Ok(format!(
        "Periods with non-GAAP data: {}.",
        context.describe_periods(|p| ids.contains(&p.id))
    ))
}

/// Reconciles each statement of one filing (rows of one period).
fn reconcile(rows: Vec<LineFact>) -> (Vec<ReconciledLine>, Vec<BridgeOut>) {
    // statement -> (position, line items by position)
    let mut statements: BTreeMap<(i32, i64), BTreeMap<(i32, i64), Line>> = BTreeMap::new();
    for row in rows {
        let lines = statements.entry((row.statement_position, row.statement_id)).or_default();
        let line = lines.entry((row.line_position, row.line_item_id)).or_insert_with(|| Line {
            line_item_id: row.line_item_id,
            label: row.label.clone(),
            concept: row.concept.clone(),
            section: row.section.clone(),
            is_total: row.is_total,
            is_header: row.is_header,
            ..Line::default()
        });
        let (Some(basis), Some(value), Some(unit), Some(fact_id), Some(status)) =
            (row.basis.as_deref(), row.value, row.unit, row.fact_id, row.status)
        else {
            continue;
        };
        let value = Some(Value { value, unit, fact_id, status });
        match basis {
            "gaap" => line.gaap = value,
            "adjustment" => line.adjustment = value,
            _ => line.non_gaap = value,
        }
    }
    let mut lines_out = Vec::new();
    let mut reconciled_all: Vec<Reconciled> = Vec::new();
    let mut all_lines: Vec<Line> = Vec::new();
    for ((_, statement_id), lines) in statements {
        let lines: Vec<Line> = lines.into_values().collect();
        for reconciled in bridge::reconcile(&lines) {
            lines_out.push(line_out(statement_id, &reconciled));
            reconciled_all.push(reconciled);
        }
        all_lines.extend(lines);
    }
    let bridges = bridge::bridges(&reconciled_all, &all_lines)
        .into_iter()
        .map(|b| bridge_out(b.measure, &b.line))
        .collect();
    (lines_out, bridges)
}

fn line_out(statement_id: i64, r: &Reconciled) -> ReconciledLine {
    ReconciledLine {
        statement_id,
        label: r.label.clone(),
        concept: r.concept.clone(),
        unit: r.unit.clone(),
        gaap: r.gaap.as_ref().map(|v| v.value.normalize()),
        adjustments: r
            .adjustments
            .iter()
            .map(|a| AdjustmentItem {
                name: a.name.clone(),
                concept: a.concept.clone(),
                amount: a.amount.normalize(),
                fact_id: a.fact_id,
            })
            .collect(),
        printed_adjustment: r.printed_adjustment.as_ref().map(|v| v.value.normalize()),
        non_gaap: r.non_gaap.as_ref().map(|v| v.value.normalize()),
        computed_non_gaap: r.computed.map(|d| d.normalize()),
        adds_up: r.adds_up,
        unexplained: r.unexplained.map(|d| d.normalize()),
    }
}

fn bridge_out(measure: &str, r: &Reconciled) -> BridgeOut {
    BridgeOut {
        measure: measure.to_owned(),
        label: r.label.clone(),
        concept: r.concept.clone(),
        unit: r.unit.clone(),
        gaap: r.gaap.as_ref().map(|v| v.value.normalize()),
        add_backs: r
            .adjustments
            .iter()
            .map(|a| AddBack {
                name: a.name.clone(),
                concept: a.concept.clone(),
                sign: if a.amount.is_sign_negative() { "-" } else { "+" }.to_owned(),
                amount: a.amount.abs().normalize(),
                fact_id: a.fact_id,
            })
            .collect(),
        printed_adjustment: r.printed_adjustment.as_ref().map(|v| v.value.normalize()),
        non_gaap: r.non_gaap.as_ref().map(|v| v.value.normalize()),
        computed_non_gaap: r.computed.map(|d| d.normalize()),
        adds_up: r.adds_up,
        unexplained: r.unexplained.map(|d| d.normalize()),
    }
}

/// One CSV row per line (then per bridge) and adjustment; a line without adjustments gets one.
fn non_gaap_csv(response: &NonGaapResponse) -> String {
    let mut csv = CsvWriter::with_header(&[
        "part",
        "measure",
        "label",
        "concept",
        "unit",
        "gaap",
        "adjustment",
        "adjustment_concept",
        "amount",
        "non_gaap",
        "computed_non_gaap",
        "adds_up",
    ]);
    let mut write = |part: &str,
                     measure: &str,
                     label: &str,
                     concept: Option<&str>,
                     unit: &str,
                     gaap: Option<Decimal>,
                     items: Vec<(String, Option<String>, Decimal)>,
                     non_gaap: Option<Decimal>,
                     computed: Option<Decimal>,
                     adds_up: Option<bool>| {
        let fixed = [opt(gaap), opt(non_gaap), opt(computed), opt(adds_up)];
        let rows: Vec<(String, Option<String>, String)> = if items.is_empty() {
            vec![(String::new(), None, String::new())]
        } else {
            items.into_iter().map(|(n, c, a)| (n, c, a.to_string())).collect()
        };
        for (name, item_concept, amount) in rows {
            csv.row([
                Field::Plain(part),
                Field::Plain(measure),
                Field::Text(label),
                Field::Plain(concept.unwrap_or("")),
                Field::Plain(unit),
                Field::Plain(&fixed[0]),
                Field::Text(&name),
                Field::Plain(item_concept.as_deref().unwrap_or("")),
                Field::Plain(&amount),
                Field::Plain(&fixed[1]),
                Field::Plain(&fixed[2]),
                Field::Plain(&fixed[3]),
            ]);
        }
    };
    for line in &response.lines {
        let items = line.adjustments.iter().map(|a| (a.name.clone(), a.concept.clone(), a.amount));
        write(
            "line",
            "",
            &line.label,
            line.concept.as_deref(),
            &line.unit,
            line.gaap,
            items.collect(),
            line.non_gaap,
            line.computed_non_gaap,
            line.adds_up,
        );
    }
    for bridge in &response.bridges {
        let items = bridge.add_backs.iter().map(|a| {
            let signed = if a.sign == "-" { -a.amount } else { a.amount };
            (a.name.clone(), a.concept.clone(), signed)
        });
        write(
            "bridge",
            &bridge.measure,
            &bridge.label,
            bridge.concept.as_deref(),
            &bridge.unit,
            bridge.gaap,
            items.collect(),
            bridge.non_gaap,
            bridge.computed_non_gaap,
            bridge.adds_up,
        );
    }
    csv.finish()
}
