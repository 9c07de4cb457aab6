//! The API's one error type, [`ApiError`], and its RFC 9457 `application/problem+json` body.
//!
//! Handlers return `Result<T, ApiError>`; only this module knows how an error becomes a status
//! code. The `problem_details` middleware (see `app.rs`) adds `instance` and `request_id` to every
//! problem and turns any other error response (from axum or a tower layer) into one.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response body (RFC 9457 problem details).
///
/// `type` is a stable identifier of the kind of problem, one of `urn:filings:problem:` followed
/// by `bad-request`, `unauthorized`, `forbidden`, `not-found`, `method-not-allowed`, `timeout`,
/// `payload-too-large`, `unsupported-media-type`, `unprocessable-content`,
/// `unrecognised-document`, `rate-limited`, `internal` or `service-unavailable`; other HTTP
/// errors use `about:blank`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:filings:problem:not-found",
    "title": "Not found",
    "status": 404,
    "detail": "No route matches GET /v2/filings.",
    "instance": "/v2/filings",
    "request_id": "0f5b7a52-4a8e-4d3b-9a55-0c7f3f0f9b1e"
}))]
pub struct Problem {
    /// Stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short, fixed summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request, and what to do about it.
    pub detail: String,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The request's `x-request-id`, also on every log line of the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For `unrecognised-document`: what the parser found in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<Vec<String>>,
    /// For `unrecognised-document`: what a filing needs that the document lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
}

impl Problem {
    /// A problem of one of our kinds.
    fn new(slug: &str, title: &str, status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            problem_type: format!("urn:filings:problem:{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: None,
            request_id: None,
            found: None,
            missing: None,
        }
    }

    /// The problem for an error response that carries no problem body of its own (from axum or
    /// a tower layer): our kind where the status has one, else `about:blank`.
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => {
                ApiError::NotFound("Nothing exists at this path.".into()).problem()
            }
            StatusCode::METHOD_NOT_ALLOWED => {
                ApiError::MethodNotAllowed("This path does not accept this method.".into())
                    .problem()
            }
            StatusCode::REQUEST_TIMEOUT => ApiError::Timeout.problem(),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge("The request body is too large.".into()).problem()
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType("This content type is not accepted here.".into())
                    .problem()
            }
            StatusCode::TOO_MANY_REQUESTS => {
                ApiError::TooManyRequests { retry_after_secs: 1 }.problem()
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                ApiError::Unavailable("The service is unavailable; try again shortly.".into())
                    .problem()
            }
            status if status.is_server_error() => ApiError::internal_detail(status),
            status => Self {
                problem_type: "about:blank".to_owned(),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                detail: status.canonical_reason().unwrap_or("Error").to_owned(),
                instance: None,
                request_id: None,
                found: None,
                missing: None,
            },
        }
    }

    /// The response: this problem as `application/problem+json` with its status.
    pub fn into_response_with_status(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(&self)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response.extensions_mut().insert(self);
        response
    }
}

/// Everything a request can fail with. Each variant is one problem `type`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the path, query or body is malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: a write (or, when reads need a key, a read) without an API key while keys are
    /// configured.
    #[error("missing API key")]
    Unauthorized,
    /// 403: an API key that is not one of the configured keys.
    #[error("invalid API key")]
    Forbidden,
    /// 404: no such route or resource.
    #[error("not found: {0}")]
    NotFound(String),
    /// 405: the route exists but not for this method.
    #[error("method not allowed: {0}")]
    MethodNotAllowed(String),
    /// 408: the request took longer than the configured timeout.
    #[error("request timed out")]
    Timeout,
    /// 413: the body is over the configured limit.
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// 415: the body's content type is not accepted.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// 422: the body is well-formed but its content is not acceptable.
    #[error("unprocessable content: {0}")]
    Unprocessable(String),
    /// 422: an uploaded document in which no filing or financial content was recognised.
    #[error("unrecognised document: {detail}")]
    UnrecognisedDocument {
        /// What went wrong, in a sentence.
        detail: String,
        /// What the parser found.
        found: Vec<String>,
        /// What is missing.
        missing: Vec<String>,
    },
    /// 429: the client (its API key, or its address) is over its rate limit.
    #[error("too many requests: retry after {retry_after_secs} s")]
    TooManyRequests {
        /// Whole seconds until the client may send again (the `Retry-After` header).
        retry_after_secs: u64,
    },
    /// 503: a dependency (the database) is unreachable; retrying later may work.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure. The cause is logged, never sent.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

/// Handler results.
pub type ApiResult<T, E = ApiError> = Result<T, E>;

impl ApiError {
    /// The problem body for this error (without `instance` and `request_id`).
    pub fn problem(&self) -> Problem {
        use StatusCode as S;
        match self {
            Self::BadRequest(d) => Problem::new("bad-request", "Bad request", S::BAD_REQUEST, d),
            Self::Unauthorized => Problem::new(
                "unauthorized",
                "Missing API key",
                S::UNAUTHORIZED,
                "This request needs an API key: send `Authorization: Bearer KEY` or \
                 `X-API-Key: KEY`.",
            ),
            Self::Forbidden => Problem::new(
                "forbidden",
                "Invalid API key",
                S::FORBIDDEN,
                "The API key sent is not one this server accepts.",
            ),
            Self::NotFound(d) => Problem::new("not-found", "Not found", S::NOT_FOUND, d),
            Self::MethodNotAllowed(d) => {
                Problem::new("method-not-allowed", "Method not allowed", S::METHOD_NOT_ALLOWED, d)
            }
            Self::Timeout => Problem::new(
                "timeout",
                "Request timed out",
                S::REQUEST_TIMEOUT,
                "The request took longer than the server's time limit.",
            ),
            Self::PayloadTooLarge(d) => {
                Problem::new("payload-too-large", "Payload too large", S::PAYLOAD_TOO_LARGE, d)
            }
            Self::UnsupportedMediaType(d) => Problem::new(
                "unsupported-media-type",
                "Unsupported media type",
                S::UNSUPPORTED_MEDIA_TYPE,
                d,
            ),
            Self::Unprocessable(d) => Problem::new(
                "unprocessable-content",
                "Unprocessable content",
                S::UNPROCESSABLE_ENTITY,
                d,
            ),
            Self::UnrecognisedDocument { detail, found, missing } => Problem {
                found: Some(found.clone()),
                missing: Some(missing.clone()),
                ..Problem::new(
                    "unrecognised-document",
                    "No filing or financial content recognised",
                    S::UNPROCESSABLE_ENTITY,
                    detail,
                )
            },
            Self::TooManyRequests { retry_after_secs } => Problem::new(
                "rate-limited",
                "Too many requests",
                S::TOO_MANY_REQUESTS,
                format!(
                    "This client is over its rate limit; send again after {retry_after_secs} \
                     second(s) (the Retry-After header)."
                ),
            ),
            Self::Unavailable(d) => Problem::new(
                "service-unavailable",
                "Service unavailable",
                S::SERVICE_UNAVAILABLE,
                d,
            ),
            Self::Internal(_) => Self::internal_detail(S::INTERNAL_SERVER_ERROR),
        }
    }

    fn internal_detail(status: StatusCode) -> Problem {
        Problem::new(
            "internal",
            "Internal server error",
            status,
            "The server failed to handle this request. The cause is in the server's log under \
             this request id.",
        )
    }

    /// Maps an extractor rejection (axum's status and message) to our error.
    fn from_rejection(status: StatusCode, message: String) -> Self {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge(message),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType(message),
            StatusCode::UNPROCESSABLE_ENTITY => Self::Unprocessable(message),
            status if status.is_client_error() => Self::BadRequest(message),
            // axum reports its own misuse (e.g. a path extractor on a route without
            // parameters) as 500: that is our bug.
            _ => Self::Internal(anyhow::anyhow!("extractor rejection ({status}): {message}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            // Whoever made an `Unavailable` logged its cause; the rest are the client's doing.
            _ => tracing::debug!(error = %self, "request rejected"),
        }
        let mut response = self.problem().into_response_with_status();
        if let Self::TooManyRequests { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    /// Connection-level failures mean the database is down or overloaded (503, retryable);
    /// anything else is a bug or a data problem (500).
    fn from(error: sqlx::Error) -> Self {
        if database_unavailable(&error) {
            tracing::warn!(%error, "database unavailable");
            Self::Unavailable("The database is unavailable; try again shortly.".to_owned())
        } else {
            Self::Internal(anyhow::Error::new(error).context("database query failed"))
        }
    }
}

/// Whether `error` says the database cannot be reached or is going away, rather than that a
/// query is wrong: pool and connection failures, and the server's own SQLSTATE classes for
/// connection exceptions (08), too many connections and other resource limits (53), and
/// shutdown or crash recovery (57P01 to 57P03, 57P05).
pub fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|code| {
            code.starts_with("08")
                || code.starts_with("53")
                || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "57P05")
        }),
        _ => false,
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self::from_rejection(rejection.status(), rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::from_rejection(rejection.status(), rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::from_rejection(rejection.status(), rejection.body_text())
    }
}

/// What the `problem_details` middleware needs to explain limits.
#[derive(Debug, Clone, Copy)]
pub struct ProblemContext {
    /// `FILINGS_MAX_UPLOAD_BYTES`.
    pub max_upload_bytes: usize,
    /// `FILINGS_REQUEST_TIMEOUT_SECS`.
    pub request_timeout_secs: u64,
}

/// Middleware: every error response leaves as problem+json with `instance` (the request path)
/// and `request_id`. Errors from our code keep their problem; error responses from axum or a
/// tower layer (an empty 408 from the timeout, a plain-text 413 from the body limit, ...) are
/// replaced by the problem for their status. Headers such as `WWW-Authenticate` are kept.
pub async fn problem_details(
    axum::extract::State(context): axum::extract::State<ProblemContext>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let request_id = request
        .headers()
        .get(crate::app::X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let mut problem = match parts.extensions.remove::<Problem>() {
        Some(problem) => problem,
        None if parts.headers.get(header::CONTENT_TYPE).is_some_and(|v| v == PROBLEM_JSON) => {
            return Response::from_parts(parts, body);
        }
        None => Problem::for_status(status),
    };
    drop(body);
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            problem.detail = format!(
                "The request body is larger than this server's limit of {} bytes.",
                context.max_upload_bytes
            );
        }
        StatusCode::REQUEST_TIMEOUT => {
            problem.detail = format!(
                "The request did not complete within this server's limit of {} seconds.",
                context.request_timeout_secs
            );
        }
        _ => {}
    }
    problem.instance = Some(path);
    problem.request_id = request_id;
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.extensions.insert(problem);
    Response::from_parts(parts, axum::body::Body::from(body))
}

impl From<crate::ingest::IngestError> for ApiError {
    fn from(error: crate::ingest::IngestError) -> Self {
        use crate::ingest::IngestError as E;
        match error {
            E::Unrecognised(why) => Self::UnrecognisedDocument {
                detail: format!(
                    "No filing or financial content was recognised in this document: {why}."
                ),
                found: why.found,
                missing: why.missing,
            },
            E::NotText(why) => Self::UnsupportedMediaType(why),
            E::ParseTimedOut(_) => Self::Timeout,
            E::ParserFailed(cause) => Self::Internal(anyhow::anyhow!("the parser failed: {cause}")),
            E::WriteFailed(cause) => Self::Internal(anyhow::anyhow!("the write failed: {cause}")),
            E::FilingNotFound(id) => Self::NotFound(format!("No filing has id {id}.")),
            E::Database(error) => Self::from(error),
        }
    }
}
