//! The HTTP API: every route is registered here, so this file is the map of the contract.
//!
//! Handlers live in one module per resource and return `Result<_, ApiError>`; the middleware
//! around them is assembled in `app.rs`.

pub mod auth;
pub mod companies;
pub mod comparisons;
pub mod docs;
pub mod extract;
pub mod facts;
pub mod filings;
pub mod health;
pub mod metrics;
pub mod non_gaap;
pub mod pagination;
pub mod problem;
pub mod rate_limit;
pub mod reads;
pub mod series;
pub mod statements;

use std::sync::Arc;

use axum::extract::OriginalUri;
use axum::http::Method;
use sqlx::PgPool;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Config;
use crate::ingest::Ingestor;
use auth::ApiKeys;
use problem::ApiError;

/// What handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Database connections.
    pub pool: PgPool,
    /// Keys that writes need (none: writes are open).
    pub api_keys: Arc<ApiKeys>,
    /// Parses and stores uploads.
    pub ingestor: Ingestor,
    /// Rendered analytical reads, per company data version.
    pub read_cache: Arc<reads::cache::ReadCache>,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Requests per client.
    pub rate_limit: Arc<rate_limit::RateLimit>,
}

impl AppState {
    /// The state for `pool` as `config` sets it up: keys, rate limits, and parses bounded by
    /// the request timeout.
    pub fn new(pool: PgPool, config: &Config) -> Self {
        let api_keys = Arc::new(
            ApiKeys::new(&config.api_keys).with_read_requires_key(config.read_requires_key),
        );
        let metrics = Arc::new(crate::metrics::Metrics::new());
        let rate_limit = Arc::new(rate_limit::RateLimit::new(
            config.rate_limit_per_sec,
            config.rate_limit_burst,
            api_keys.clone(),
            metrics.clone(),
        ));
        Self {
            api_keys,
            ingestor: Ingestor::new(pool.clone(), config.request_timeout())
                .with_metrics(metrics.clone()),
            read_cache: Arc::default(),
            metrics,
            rate_limit,
            pool,
        }
    }
}

/// Every documented route. The OpenAPI document is generated from this list.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .routes(routes!(health::get_health))
        .routes(routes!(health::get_readiness))
        .routes(routes!(metrics::get_metrics))
        .routes(routes!(filings::ingest_filing, filings::list_filings))
        .routes(routes!(filings::get_filing, filings::delete_filing))
        .routes(routes!(filings::get_filing_document))
        .routes(routes!(filings::list_filing_checks))
        .routes(routes!(filings::reparse_filing))
        .routes(routes!(facts::list_filing_facts))
        .routes(routes!(facts::get_fact))
        .routes(routes!(companies::list_companies_handler))
        .routes(routes!(companies::get_company))
        .routes(routes!(statements::get_statement))
        .routes(routes!(comparisons::get_comparison))
        .routes(routes!(non_gaap::get_non_gaap))
        .routes(routes!(series::get_series))
}

/// Fallback for paths no route matches: 404.
pub async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("No route matches {method} {}.", uri.path()))
}

/// Fallback for a known path with a method it does not accept: 405 (axum adds `Allow`).
pub async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "{} does not accept {method}; the Allow header lists the methods it does.",
        uri.path()
    ))
}
