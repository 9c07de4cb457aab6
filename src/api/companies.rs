//! Companies: the searchable list (`q`, `cik`, `ticker`; cursor pagination; JSON or CSV) and
//! one company's identity with what it has data for.

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
use super::reads::csv::{CsvWriter, Field, opt};
use super::reads::cursor;
use super::reads::params::clip;
use super::reads::periods::{FiscalYearEnd, KnownPeriod, PeriodKind};
use super::reads::respond::Representation;
use super::reads::wire::PeriodInfo;
use crate::db::reads::companies::{
    CompanyFilter, CompanyRow, find_company, list_companies, periods_with_data,
};

/// Filters and paging of `GET /v1/companies`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompanyListQuery {
    /// Words that must all occur in the name (case and punctuation ignored), e.g. `sonus`.
    pub q: Option<String>,
    /// EDGAR central index key (leading zeros optional).
    #[param(pattern = "^[0-9]{1,10}$")]
    pub cik: Option<String>,
    /// Trading symbol (case ignored).
    pub ticker: Option<String>,
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// A company in the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanySummary {
    /// Id.
    #[schema(example = 1)]
    pub id: i64,
    /// Name as filed.
    #[schema(example = "Sonus Networks, Inc.")]
    pub name: String,
    /// EDGAR central index key.
    pub cik: Option<String>,
    /// Trading symbol.
    #[schema(example = "SONS")]
    pub ticker: Option<String>,
    /// Exchange.
    #[schema(example = "Nasdaq")]
    pub exchange: Option<String>,
    /// Fiscal year end as `MMDD`, when a filing states it.
    pub fiscal_year_end: Option<String>,
    /// How many filings it has.
    pub filings_count: i64,
    /// The newest report date among them.
    pub latest_report_date: Option<NaiveDate>,
}

/// A page of companies.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompanyList {
    /// The companies, by id.
    pub items: Vec<CompanySummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A company, with what it has data for.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompanyDetail {
    /// Id.
    pub id: i64,
    /// Name as filed.
    pub name: String,
    /// EDGAR central index key.
    pub cik: Option<String>,
    /// Trading symbol.
    pub ticker: Option<String>,
    /// Exchange.
    pub exchange: Option<String>,
    /// State of incorporation.
    pub state_of_incorporation: Option<String>,
    /// Commission file number.
    pub commission_file_number: Option<String>,
    /// IRS employer identification number.
    pub irs_employer_id: Option<String>,
    /// Business address.
    pub address: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Fiscal year end as `MMDD`, as the filings state it (absent when none does).
    pub fiscal_year_end: Option<String>,
    /// The fiscal year end fiscal aliases use: the stated one, else `1231`.
    #[schema(example = "1231")]
    pub fiscal_year_end_used: String,
    /// How many filings it has.
    pub filings_count: i64,
    /// The newest report date among them.
    pub latest_report_date: Option<NaiveDate>,
    /// Statement kinds with data.
    pub statement_kinds: Vec<String>,
    /// Periods with data, by end date.
    pub periods: Vec<PeriodWithData>,
}

/// A period with data.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PeriodWithData {
    /// The period.
    #[serde(flatten)]
    pub period: PeriodInfo,
    /// A fiscal label a filing printed for it.
    pub fiscal_label: Option<String>,
    /// How many facts refer to it.
    pub facts_count: i64,
    /// Statement kinds those facts are in.
    pub statement_kinds: Vec<String>,
}

/// List and search companies.
///
/// `q` matches names word by word (`q=sonus networks`); `cik` and `ticker` match exactly.
/// Paginated by id: follow `next_cursor` (also in the `x-next-cursor` header) until it is
/// absent. `Accept: text/csv` gives the page as CSV.
#[utoipa::path(
    get,
    path = "/v1/companies",
    tag = "companies",
    params(CompanyListQuery),
    responses(
        (status = 200, description = "A page of companies.", content(
            (CompanyList = "application/json"),
            (String = "text/csv"),
        ), headers(("etag" = String, description = "Validator for If-None-Match"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        (status = 400, description = "Malformed query or cursor.", body = Problem,
         content_type = "application/problem+json"),
        (status = 422, description = "A parameter out of range.", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn list_companies_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CompanyListQuery>,
) -> ApiResult<Response> {
    let limit = cursor::page_limit(query.limit)?;
    let after_id = match query.cursor.as_deref() {
        Some(c) => Some(
            cursor::decode(c)?
                .strip_prefix("id:")
                .and_then(|id| id.parse::<i64>().ok())
                .ok_or_else(|| ApiError::BadRequest("cursor is not one this API gave.".into()))?,
        ),
        None => None,
    };
    let filter = CompanyFilter {
        name_words: query.q.as_deref().map(name_words).unwrap_or_default(),
        cik: query.cik.as_deref().map(normalize_cik).transpose()?,
        ticker: query.ticker.as_deref().map(|t| t.trim().to_uppercase()),
        after_id,
        limit: i64::from(limit) + 1,
    };
    let mut rows = list_companies(&state.pool, &filter).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor =
        if more { rows.last().map(|r| cursor::encode(&format!("id:{}", r.id))) } else { None };
    let list = CompanyList {
        items: rows.into_iter().map(summary).collect(),
        next_cursor: next_cursor.clone(),
    };
    Ok(Representation::negotiate(&headers, &list, companies_csv)?
        .with_next_cursor(next_cursor)
        .into_response_for(&headers))
}

/// One company: identity, filings count, fiscal year end, and the periods with data.
#[utoipa::path(
    get,
    path = "/v1/companies/{id}",
    tag = "companies",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Company id")),
    responses(
        (status = 200, description = "The company.", body = CompanyDetail,
         headers(("etag" = String, description = "Validator for If-None-Match"))),
        (status = 304, description = "Not modified (If-None-Match)."),
        (status = 404, description = "No such company.", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn get_company(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id(&id, "company")?;
    let row = find_company(&state.pool, id).await?.ok_or_else(|| {
        ApiError::NotFound(format!("There is no company {id}; GET /v1/companies lists them."))
    })?;
    let periods = periods_with_data(&state.pool, id).await?;
    let fye = row.fiscal_year_end.as_deref().and_then(FiscalYearEnd::parse).unwrap_or_default();
    let mut statement_kinds: Vec<String> =
        periods.iter().flat_map(|p| p.statement_kinds.iter().cloned()).collect();
    statement_kinds.sort();
    statement_kinds.dedup();
    let detail = CompanyDetail {
        id: row.id,
        name: row.name,
        cik: row.cik,
        ticker: row.ticker,
        exchange: row.exchange,
        state_of_incorporation: row.state_of_incorporation,
        commission_file_number: row.commission_file_number,
        irs_employer_id: row.irs_employer_id,
        address: row.address,
        phone: row.phone,
        fiscal_year_end: row.fiscal_year_end,
        fiscal_year_end_used: fye.mmdd(),
        filings_count: row.filings_count,
        latest_report_date: row.latest_report_date,
        statement_kinds,
        periods: periods
            .into_iter()
            .map(|p| {
                let known = KnownPeriod {
                    id: p.id,
                    kind: if p.kind == "instant" {
                        PeriodKind::Instant
                    } else {
                        PeriodKind::Duration
                    },
                    start: p.start_date,
                    end: p.end_date,
                    months: p.months.and_then(|m| u32::try_from(m).ok()),
                };
                PeriodWithData {
                    period: PeriodInfo::of(&known, fye),
                    fiscal_label: p.fiscal_label,
                    facts_count: p.facts_count,
                    statement_kinds: p.statement_kinds,
                }
            })
            .collect(),
    };
    Ok(Representation::json(&detail)?.into_response_for(&headers))
}

fn summary(row: CompanyRow) -> CompanySummary {
    CompanySummary {
        id: row.id,
        name: row.name,
        cik: row.cik,
        ticker: row.ticker,
        exchange: row.exchange,
        fiscal_year_end: row.fiscal_year_end,
        filings_count: row.filings_count,
        latest_report_date: row.latest_report_date,
    }
}

fn companies_csv(list: &CompanyList) -> String {
    let mut csv = CsvWriter::with_header(&[
        "id",
        "name",
        "cik",
        "ticker",
        "exchange",
        "fiscal_year_end",
        "filings_count",
        "latest_report_date",
    ]);
    for c in &list.items {
        let (id, count, latest) =
            (c.id.to_string(), c.filings_count.to_string(), opt(c.latest_report_date));
        csv.row([
            Field::Plain(&id),
            Field::Text(&c.name),
            Field::Text(c.cik.as_deref().unwrap_or("")),
            Field::Text(c.ticker.as_deref().unwrap_or("")),
            Field::Text(c.exchange.as_deref().unwrap_or("")),
            Field::Text(c.fiscal_year_end.as_deref().unwrap_or("")),
            Field::Plain(&count),
            Field::Plain(&latest),
        ]);
    }
    csv.finish()
}

/// Lower-case words of a name query, punctuation dropped (at most 8 words of 64 characters).
fn name_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.chars().take(64).flat_map(char::to_lowercase).collect())
        .collect()
}

/// A CIK as stored: ten digits with leading zeros.
fn normalize_cik(cik: &str) -> Result<String, ApiError> {
    let digits = cik.trim();
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::Unprocessable(format!(
            "cik={} is not a CIK: give up to ten digits, e.g. 1105472 or 0001105472.",
            clip(cik)
        )));
    }
    Ok(format!("{digits:0>10}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_queries_become_words_and_ciks_ten_digits() {
        assert_eq!(name_words("Sonus Networks, Inc."), ["sonus", "networks", "inc"]);
        assert_eq!(name_words("%_"), Vec::<String>::new());
        assert_eq!(normalize_cik("1105472").unwrap(), "0001105472");
        assert!(normalize_cik("12345678901").is_err());
        assert!(normalize_cik("12a").is_err());
    }
}
