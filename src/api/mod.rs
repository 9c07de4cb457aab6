//! The HTTP API: every route is registered here, so this file is the map of the contract.
//!
//! Handlers live in one module per resource and return `Result<_, ApiError>`; the middleware
//! around them is assembled in `app.rs`.

pub mod auth;
pub mod companies;
pub mod comparisons;
pub mod docs;
pub mod extract;
pub mod health;
pub mod non_gaap;
pub mod problem;
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

use auth::ApiKeys;
use problem::ApiError;

/// What handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Database connections.
    pub pool: PgPool,
    /// Keys that writes need (none: writes are open).
    pub api_keys: Arc<ApiKeys>,
}

/// Every documented route. The OpenAPI document is generated from this list.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .routes(routes!(health::get_health))
        .routes(routes!(health::get_readiness))
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
