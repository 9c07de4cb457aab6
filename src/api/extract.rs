//! Request extractors that fail with [`ApiError`] (problem+json) instead of axum's plain text.
//!
//! Handlers use these in place of `axum::Json`, `axum::extract::Path` and `Query`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::problem::ApiError;

/// A JSON body (or response). Rejections: 415 without `Content-Type: application/json`, 400 for
/// malformed JSON, 422 when the JSON does not fit the expected shape, 413 when too large.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Self(value))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// 400 when the URI part `what` encodes a NUL character (`%00`): no parameter means one, and
/// PostgreSQL text cannot hold it.
fn refuse_nul(what: &str, text: &str) -> Result<(), ApiError> {
    let encoded_nul =
        text.as_bytes().windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0');
    if encoded_nul {
        return Err(ApiError::BadRequest(format!(
            "The {what} holds a NUL character (%00), which no parameter accepts."
        )));
    }
    Ok(())
}

/// Path parameters. Rejection: 400 when a segment does not parse or holds a NUL character.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        refuse_nul("path", parts.uri.path())?;
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

/// Query string parameters. Rejection: 400 when the query does not parse or holds a NUL
/// character.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        refuse_nul("query", parts.uri.query().unwrap_or_default())?;
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}
