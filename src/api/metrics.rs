//! `GET /metrics` and the middleware that counts every request for it.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::metrics::{self, Metrics, RequestLabels};

/// The service's metrics in the Prometheus text format (OpenMetrics 1.0).
///
/// `filings_http_requests_total` and `filings_http_request_duration_seconds` by method, route
/// template and status; `filings_ingests_total` by outcome; `filings_parse_duration_seconds`;
/// `filings_rate_limited_requests_total`; `filings_db_pool_connections` (idle, in use) and
/// `filings_db_pool_max_connections`; `process_memory_bytes` (resident, peak). Open like the
/// probes: it is never rate limited and needs no API key.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "health",
    responses(
        (status = 200, description = "The metrics, as OpenMetrics text.", body = String,
         content_type = "application/openmetrics-text"),
    )
)]
pub async fn get_metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state.pool);
    let mut response = text.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(metrics::CONTENT_TYPE));
    response
}

/// Middleware: counts each request by method, matched route and final status, with its
/// latency. Paths no route matches count under `unmatched`.
pub async fn count_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = match *request.method() {
        Method::GET
        | Method::HEAD
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::OPTIONS => request.method().as_str().to_owned(),
        // Any token is a valid method: the rest share one label, as unknown paths do.
        _ => "other".to_owned(),
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let labels = RequestLabels { method, route, status: response.status().as_u16() };
    metrics.observe_request(&labels, started.elapsed());
    response
}
