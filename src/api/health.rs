//! Liveness and readiness probes for operators and orchestrators.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::extract::Json;
use super::problem::{ApiError, ApiResult, Problem};
use crate::db;

/// The process is up.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthResponse {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: String,
    /// The server's version.
    #[schema(example = "0.1.0")]
    pub version: String,
}

/// The service can serve requests: the database answers and its schema is current.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReadinessResponse {
    /// Always `ready`.
    #[schema(example = "ready")]
    pub status: String,
    /// The newest database migration, applied.
    #[schema(example = 20261122000600_i64)]
    pub migration: i64,
}

/// Liveness: answers as long as the process serves HTTP; it does not touch the database.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "The process is up.", body = HealthResponse))
)]
pub async fn get_health() -> Json<HealthResponse> {
    Json(HealthResponse { status: "ok".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() })
}

/// Readiness: the database is reachable and every migration of this build is applied.
///
/// Fails fast (within about two seconds) with 503 when the database is down.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve.", body = ReadinessResponse),
        (status = 503, description = "The database is unreachable or its schema is behind.",
         body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_readiness(State(state): State<AppState>) -> ApiResult<Json<ReadinessResponse>> {
    match db::check_readiness(&state.pool).await {
        Ok(migration) => Ok(Json(ReadinessResponse { status: "ready".to_owned(), migration })),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            let detail = match reason {
                db::NotReady::MigrationsPending { .. } => reason.to_string(),
                _ => "The database is unreachable.".to_owned(),
            };
            Err(ApiError::Unavailable(detail))
        }
    }
}
