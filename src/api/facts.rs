//! Facts: a filing's facts as JSON or CSV (`GET /v1/filings/{id}/facts`), and one fact with its
//! provenance (`GET /v1/facts/{id}`): the source snippet around its span and the decisions
//! behind it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Path, Query};
use super::filings::not_found;
use super::pagination::{decode_id_cursor, next_cursor, page_limit, parse_id};
use super::problem::{ApiError, ApiResult, Problem};
use super::reads::respond::Representation;
use crate::db::{documents, facts, filings};
use crate::ingest::snippet::{self, CONTEXT_BYTES};

/// One fact, in the shape `filings parse` prints, with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FactItem {
    /// Fact id (`GET /v1/facts/{id}`).
    pub id: i64,
    /// Statement kind.
    #[schema(example = "income_statement")]
    pub statement: String,
    /// Position of its statement in the filing.
    pub statement_index: i32,
    /// Position of its line item in the statement.
    pub line_item: i32,
    /// Line item label as printed.
    pub label: String,
    /// Concept key, e.g. `revenue`.
    pub concept: Option<String>,
    /// Period id, e.g. `3M-2003-06-30`.
    pub period: String,
    /// `gaap`, `adjustment` or `non_gaap`.
    pub basis: String,
    /// Exact value in full units, as a decimal string.
    #[schema(example = "161064000")]
    pub value: String,
    /// `USD`, `USD/share`, `shares`, `percent` or `pure`.
    pub unit: String,
    /// `reported`, `derived` or `corrected`.
    pub status: String,
    /// Text as printed (empty when derived).
    pub as_printed: String,
    /// Byte range `[start, end)` in the stored document.
    pub span: [i64; 2],
    /// How a derived or corrected value was computed.
    pub formula: Option<String>,
}

impl From<facts::FactRow> for FactItem {
    fn from(row: facts::FactRow) -> Self {
        Self {
            id: row.id,
            statement: row.statement,
            statement_index: row.statement_index,
            line_item: row.line_item,
            label: row.label,
            concept: row.concept,
            period: row.period,
            basis: row.basis,
            value: row.value.normalize().to_string(),
            unit: row.unit,
            status: row.status,
            as_printed: row.as_printed,
            span: [row.span_start, row.span_end],
            formula: row.formula,
        }
    }
}

/// A page of facts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FactPage {
    /// In the parser's order.
    pub items: Vec<FactItem>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Paging of `GET /v1/filings/{id}/facts`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FactListQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// Where a fact's text is in the stored document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SourceSnippet {
    /// The printed line(s) holding the fact (at most 300 bytes either side of it).
    pub text: String,
    /// Byte range of `text` in the document.
    pub span: [i64; 2],
    /// Character range `[start, end)` of the fact's own text within `text`.
    pub highlight: [usize; 2],
}

/// The parse decisions behind a fact.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FactDecisions {
    /// Title of the statement it is in.
    pub statement_title: String,
    /// The statement's multiplier (decimal string); per-share values and percentages are never
    /// scaled.
    #[schema(example = "1000")]
    pub scale: String,
    /// Where the scale came from: the caption text, the text above the table, or `default`.
    pub scale_source: String,
    /// The fact's period id.
    pub period: String,
    /// How the period was found: `column header`, or the inference and its evidence.
    pub period_source: Option<String>,
    /// The column header as printed.
    pub column_header: Option<String>,
    /// `reported`, `derived` or `corrected`.
    pub status: String,
    /// For a derived or corrected value, how it was computed.
    pub formula: Option<String>,
}

/// A fact with its provenance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FactDetail {
    /// The fact.
    pub fact: FactItem,
    /// The filing it belongs to.
    pub filing_id: i64,
    /// The document text around it.
    pub source: SourceSnippet,
    /// The decisions that gave its value, period and status.
    pub decisions: FactDecisions,
}

/// Every fact of a filing, flat: JSON, or CSV with a header row for `Accept: text/csv`.
///
/// In the parser's order, paginated by `limit` and `cursor`; a CSV page names the next page's
/// cursor in the `x-next-cursor` header (JSON in `next_cursor`). `ETag` and `If-None-Match` as
/// everywhere.
#[utoipa::path(
    get,
    path = "/v1/filings/{id}/facts",
    tag = "facts",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Filing id."), FactListQuery),
    responses(
        (status = 304, description = "`If-None-Match` names the current `ETag`."),
        (status = 200, description = "A page of facts; `ETag` names this content.", content(
            (FactPage = "application/json"),
            (String = "text/csv", example = "id,statement,statement_index,line_item,label,concept,period,basis,value,unit,status,as_printed,span_start,span_end,formula\n")
        )),
        (status = 400, description = "A malformed id, limit or cursor.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such filing.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_filing_facts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<FactListQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id(&id, "filing")?;
    let limit = page_limit(query.limit)?;
    let after = decode_id_cursor("facts", query.cursor.as_deref())?;
    let rows = facts::list_filing_facts(&state.pool, id, after, limit).await?;
    if rows.is_empty() && !filings::filing_exists(&state.pool, id).await? {
        return Err(not_found(id));
    }
    let next_cursor = next_cursor("facts", &rows, limit, |row| row.id.to_string());
    let items: Vec<FactItem> = rows.into_iter().map(FactItem::from).collect();
    let page = FactPage { items, next_cursor: next_cursor.clone() };
    let representation = Representation::negotiate(&headers, &page, |p| facts_csv(&p.items))?;
    Ok(representation.with_next_cursor(next_cursor).into_response_for(&headers))
}

/// One fact with the text around it in the stored document and the decisions behind it.
#[utoipa::path(
    get,
    path = "/v1/facts/{id}",
    tag = "facts",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Fact id.")),
    responses(
        (status = 200, description = "The fact and its provenance.", body = FactDetail),
        (status = 400, description = "The id is not a positive whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such fact.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_fact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id(&id, "fact")?;
    let detail = facts::get_fact(&state.pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No fact has id {id}.")))?;
    let fact = detail.fact;
    let margin = i64::try_from(CONTEXT_BYTES).unwrap_or(0) + 4;
    let (window_start, window) = documents::document_window(
        &state.pool,
        fact.filing_id,
        fact.span_start,
        fact.span_end,
        margin,
    )
    .await?
    .unwrap_or_default();
    let to_usize = |n: i64| usize::try_from(n).unwrap_or(0);
    let snippet = snippet::snippet(
        &window,
        to_usize(window_start),
        [to_usize(fact.span_start), to_usize(fact.span_end)],
    );
    let column = detail.columns.0.as_array().and_then(|columns| {
        columns.iter().find(|c| {
            c.get("period").and_then(|v| v.as_str()) == Some(fact.period.as_str())
                && c.get("basis").and_then(|v| v.as_str()) == Some(fact.basis.as_str())
        })
    });
    let column_text =
        |key: &str| column.and_then(|c| c.get(key)).and_then(|v| v.as_str()).map(str::to_owned);
    let decisions = FactDecisions {
        statement_title: detail.statement_title,
        scale: detail.scale.normalize().to_string(),
        scale_source: detail.scale_source,
        period: fact.period.clone(),
        period_source: column_text("period_source"),
        column_header: column_text("header"),
        status: fact.status.clone(),
        formula: fact.formula.clone(),
    };
    let to_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let detail = FactDetail {
        filing_id: fact.filing_id,
        source: SourceSnippet {
            text: snippet.text,
            span: [to_i64(snippet.start), to_i64(snippet.end)],
            highlight: snippet.highlight,
        },
        decisions,
        fact: FactItem::from(fact),
    };
    Ok(Representation::json(&detail)?.into_response_for(&headers))
}

/// The CSV header row.
pub const CSV_HEADER: &str = "id,statement,statement_index,line_item,label,concept,period,basis,\
                              value,unit,status,as_printed,span_start,span_end,formula";

/// Facts as RFC 4180 CSV with a header row.
pub fn facts_csv(items: &[FactItem]) -> String {
    let mut out = String::with_capacity(64 + items.len() * 120);
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for f in items {
        let cells = [
            f.id.to_string(),
            f.statement.clone(),
            f.statement_index.to_string(),
            f.line_item.to_string(),
            f.label.clone(),
            f.concept.clone().unwrap_or_default(),
            f.period.clone(),
            f.basis.clone(),
            f.value.clone(),
            f.unit.clone(),
            f.status.clone(),
            f.as_printed.clone(),
            f.span[0].to_string(),
            f.span[1].to_string(),
            f.formula.clone().unwrap_or_default(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV cell, quoted when it holds a comma, quote or line break. Cells that a spreadsheet
/// would run as a formula (leading `=`, `+`, `-`, `@`) are left as they are: values such as
/// `-5` must stay numbers.
fn csv_cell(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("Revenue"), "Revenue");
        assert_eq!(csv_cell("Cash, cash equivalents"), "\"Cash, cash equivalents\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("-5"), "-5");
    }
}
