//! Filings: upload (`POST /v1/filings`), list, detail, the original document, checks, reparse
//! and delete. Facts are in `facts.rs`.

pub mod upload;
pub mod wire;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;

use super::AppState;
use super::extract::{Json, Path, Query};
use super::pagination::{decode_cursor, decode_id_cursor, next_cursor, page_limit, parse_id};
use super::problem::{ApiError, ApiResult, Problem};
use super::reads::respond::Representation;
use crate::db::{checks, documents, filings, periods, statements};
use crate::ingest::{Ingested, Outcome};
use wire::{
    CheckItem, CheckListQuery, CheckPage, DiagnosticItem, DocumentInfo, FilingCounts,
    FilingListItem, FilingListQuery, FilingPage, FilingSummary, ReparseResponse, UploadForm,
};

/// Most failed checks a summary lists.
const SUMMARY_FAILED_CHECKS: i64 = 100;

/// Ingest one document.
///
/// The body is the document itself (`text/plain`, `text/html`, `application/xhtml+xml` or
/// `application/octet-stream`; an EDGAR `.txt` submission is `text/plain`), or a
/// `multipart/form-data` form whose `file` field is the document. It is parsed and stored in
/// one transaction: all of it or nothing. Identical bytes (by SHA-256) are stored once: a
/// repeat upload, even concurrent, returns the existing filing with 200.
#[utoipa::path(
    post,
    path = "/v1/filings",
    tag = "filings",
    request_body(
        description = "The document, raw or as the multipart field `file`.",
        content(
            (String = "text/plain"),
            (String = "text/html"),
            (String = "application/xhtml+xml"),
            (String = "application/octet-stream"),
            (inline(UploadForm) = "multipart/form-data"),
        )
    ),
    responses(
        (status = 201, description = "Stored; `Location` names the new filing.", body = FilingSummary,
         headers(("location" = String, description = "`/v1/filings/{id}`"))),
        (status = 200, description = "These bytes were stored before: that filing.", body = FilingSummary,
         headers(("location" = String, description = "`/v1/filings/{id}`"))),
        (status = 400, description = "Broken multipart body, or no `file` field.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "API keys are configured and none was sent.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The API key sent is not a configured one.", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "Parsing took longer than the request timeout.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over FILINGS_MAX_UPLOAD_BYTES.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "A media type not listed above.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No recognisable filing or financial content; `found` and `missing` say why.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ingest_filing(State(state): State<AppState>, request: Request) -> ApiResult<Response> {
    let ingested = ingest_upload(&state, request).await;
    state.metrics.observe_ingest(ingest_outcome(&ingested));
    let ingested = ingested?;
    let summary = load_summary(&state.pool, ingested.filing_id).await?;
    let status = match ingested.outcome {
        Outcome::Created => StatusCode::CREATED,
        Outcome::AlreadyPresent => StatusCode::OK,
    };
    let mut response = (status, Json(summary)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/filings/{}", ingested.filing_id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

async fn ingest_upload(state: &AppState, request: Request) -> ApiResult<Ingested> {
    let upload = upload::read_upload(request).await?;
    Ok(state.ingestor.ingest(upload).await?)
}

/// The `outcome` label an ingest is counted under in `/metrics`.
fn ingest_outcome(result: &ApiResult<Ingested>) -> &'static str {
    match result {
        Ok(Ingested { outcome: Outcome::Created, .. }) => "created",
        Ok(Ingested { outcome: Outcome::AlreadyPresent, .. }) => "already_present",
        Err(ApiError::UnrecognisedDocument { .. }) => "unrecognised",
        Err(ApiError::UnsupportedMediaType(_)) => "unsupported_media_type",
        Err(ApiError::PayloadTooLarge(_)) => "too_large",
        Err(ApiError::BadRequest(_)) => "bad_request",
        Err(ApiError::Timeout) => "timed_out",
        Err(ApiError::Unavailable(_)) => "database_unavailable",
        Err(_) => "failed",
    }
}

/// List filings, newest report first.
///
/// Filter by company id, form type and report date range; paginate with `limit` and the
/// `next_cursor` of the previous page.
#[utoipa::path(
    get,
    path = "/v1/filings",
    tag = "filings",
    params(FilingListQuery),
    responses(
        (status = 200, description = "A page of filings; `ETag` names this content.", body = FilingPage),
        (status = 304, description = "`If-None-Match` names the current `ETag`."),
        (status = 400, description = "A malformed filter, limit or cursor.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_filings(
    State(state): State<AppState>,
    Query(query): Query<FilingListQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let limit = page_limit(query.limit)?;
    let after = query.cursor.as_deref().map(decode_filing_cursor).transpose()?;
    if let Some(company) = query.company
        && company < 1
    {
        return Err(ApiError::BadRequest(format!(
            "company={company} is not a company id: ids are positive whole numbers."
        )));
    }
    let filter = filings::FilingFilter {
        company_id: query.company,
        form_type: query.form.clone().filter(|f| !f.trim().is_empty()),
        from: query.from,
        to: query.to,
    };
    let rows = filings::list_filings(&state.pool, &filter, after, limit).await?;
    let next_cursor = next_cursor("filings", &rows, limit, |row| {
        format!("{}|{}", row.report_date.map(|d| d.to_string()).unwrap_or_default(), row.id)
    });
    let page =
        FilingPage { items: rows.into_iter().map(FilingListItem::from).collect(), next_cursor };
    Ok(Representation::json(&page)?.into_response_for(&headers))
}

fn decode_filing_cursor(cursor: &str) -> ApiResult<filings::FilingKey> {
    let position = decode_cursor("filings", cursor)?;
    let invalid = || ApiError::BadRequest("`cursor` is not a cursor of this list.".to_owned());
    let (date, id) = position.split_once('|').ok_or_else(invalid)?;
    let report_date =
        if date.is_empty() { None } else { Some(date.parse().map_err(|_| invalid())?) };
    Ok(filings::FilingKey { report_date, id: id.parse().map_err(|_| invalid())? })
}

/// One filing: company, form, dates, periods, statements with counts, failed checks and
/// diagnostics.
#[utoipa::path(
    get,
    path = "/v1/filings/{id}",
    tag = "filings",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Filing id.")),
    responses(
        (status = 200, description = "The filing; `ETag` names this content.", body = FilingSummary),
        (status = 304, description = "`If-None-Match` names the current `ETag`."),
        (status = 400, description = "The id is not a positive whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such filing.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_filing(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id(&id, "filing")?;
    let summary = load_summary(&state.pool, id).await?;
    Ok(Representation::json(&summary)?.into_response_for(&headers))
}

/// The original document, byte for byte, with the media type it was uploaded with.
#[utoipa::path(
    get,
    path = "/v1/filings/{id}/document",
    tag = "filings",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Filing id.")),
    responses(
        (status = 200, description = "The bytes as uploaded, with the media type they were uploaded as; `ETag` is their SHA-256.", content(
            (String = "text/plain"),
            (String = "text/html"),
            (String = "application/xhtml+xml"),
            (String = "application/octet-stream"),
        )),
        (status = 304, description = "`If-None-Match` names this document."),
        (status = 404, description = "No such filing.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_filing_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id(&id, "filing")?;
    let document = documents::get_document(&state.pool, id).await?.ok_or_else(|| not_found(id))?;
    let etag = format!("\"{}\"", document.sha256);
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| ApiError::Internal(e.into()))?;
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    let content_type = HeaderValue::from_str(&document.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, content_type), (header::ETAG, etag_value)], document.bytes)
        .into_response())
}

/// The accounting identities tested on the filing, with their values and outcome.
#[utoipa::path(
    get,
    path = "/v1/filings/{id}/checks",
    tag = "filings",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Filing id."), CheckListQuery),
    responses(
        (status = 200, description = "A page of checks; `ETag` names this content.", body = CheckPage),
        (status = 304, description = "`If-None-Match` names the current `ETag`."),
        (status = 400, description = "A malformed id, limit or cursor.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such filing.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_filing_checks(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<CheckListQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id(&id, "filing")?;
    let limit = page_limit(query.limit)?;
    let after = decode_id_cursor("checks", query.cursor.as_deref())?;
    let failed_only = query.failed.unwrap_or(false);
    let rows = checks::list_filing_checks(&state.pool, id, failed_only, after, limit).await?;
    if rows.is_empty() && !filings::filing_exists(&state.pool, id).await? {
        return Err(not_found(id));
    }
    let next_cursor = next_cursor("checks", &rows, limit, |row| row.id.to_string());
    let page = CheckPage { items: rows.into_iter().map(CheckItem::from).collect(), next_cursor };
    Ok(Representation::json(&page)?.into_response_for(&headers))
}

/// Re-run the current parser on the stored document.
///
/// When the result differs from the stored one, the filing's statements, line items, facts
/// and checks are replaced in one transaction (fact ids change); when it is the same, nothing
/// is touched. Repeating it changes nothing more.
#[utoipa::path(
    post,
    path = "/v1/filings/{id}/reparse",
    tag = "filings",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Filing id.")),
    responses(
        (status = 200, description = "Reparsed.", body = ReparseResponse),
        (status = 401, description = "API keys are configured and none was sent.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The API key sent is not a configured one.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such filing.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reparse_filing(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ReparseResponse>> {
    let id = parse_id(&id, "filing")?;
    let reparsed = state.ingestor.reparse(id).await?;
    let filing = load_summary(&state.pool, id).await?;
    Ok(Json(ReparseResponse { changed: reparsed.changed, filing }))
}

/// Delete a filing with its document, statements, facts and checks, and the periods and
/// company that no other filing uses.
#[utoipa::path(
    delete,
    path = "/v1/filings/{id}",
    tag = "filings",
    params(("id" = i64, Path, minimum = 1, example = 1, description = "Filing id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "API keys are configured and none was sent.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The API key sent is not a configured one.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such filing.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_filing(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "filing")?;
    if state.ingestor.delete(id).await? { Ok(StatusCode::NO_CONTENT) } else { Err(not_found(id)) }
}

/// 404 for filing `id`.
pub fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("No filing has id {id}."))
}

/// The summary of filing `id`; 404 when there is none.
pub async fn load_summary(pool: &PgPool, id: i64) -> ApiResult<FilingSummary> {
    let (filing, periods, statements, failed, (checks, failed_checks)) = tokio::try_join!(
        filings::get_filing(pool, id),
        periods::filing_periods(pool, id),
        statements::statement_summaries(pool, id),
        checks::list_filing_checks(pool, id, true, None, SUMMARY_FAILED_CHECKS),
        checks::count_filing_checks(pool, id),
    )?;
    let filing = filing.ok_or_else(|| not_found(id))?;
    let statements: Vec<wire::StatementSummary> =
        statements.into_iter().map(wire::StatementSummary::from).collect();
    let counts = FilingCounts {
        statements: i64::try_from(statements.len()).unwrap_or(i64::MAX),
        line_items: statements.iter().map(|s| s.line_items).sum(),
        facts: statements.iter().map(|s| s.facts).sum(),
        derived: statements.iter().map(|s| s.derived).sum(),
        corrected: statements.iter().map(|s| s.corrected).sum(),
        checks,
        failed_checks,
    };
    let diagnostics: Vec<DiagnosticItem> =
        serde_json::from_value(filing.diagnostics.0.clone()).unwrap_or_default();
    Ok(FilingSummary {
        id: filing.id,
        company: wire::company_ref(&filing),
        document: DocumentInfo {
            sha256: filing.sha256.clone(),
            content_type: filing.content_type.clone(),
            size: filing.size,
            url: format!("/v1/filings/{}/document", filing.id),
        },
        form_type: filing.form_type,
        report_date: filing.report_date,
        filing_date: filing.filing_date,
        accession_number: filing.accession_number,
        items: filing.items,
        exhibits: filing.exhibits,
        signed_by: filing.signed_by,
        format: filing.format,
        parser_version: filing.parser_version,
        periods: periods.into_iter().map(Into::into).collect(),
        statements,
        counts,
        failed_checks: failed.into_iter().map(CheckItem::from).collect(),
        diagnostics,
        created_at: filing.created_at,
    })
}
