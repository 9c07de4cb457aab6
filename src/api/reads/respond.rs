//! Responses of the reads: JSON by default, CSV for `Accept: text/csv`, each with an `ETag` (a
//! digest of the body) and `304 Not Modified` when `If-None-Match` names it.
//!
//! The ETag is computed from the representation itself, so it changes exactly when the bytes
//! do (a new filing that wins a value, a reparse), and JSON and CSV never share one. It is weak
//! (`W/"..."`) because the compression layer may send the same content gzip-encoded.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::api::problem::ApiError;

/// The CSV media type we send.
pub const TEXT_CSV: &str = "text/csv; charset=utf-8";

/// The header that carries the next page's cursor on CSV pages (JSON has `next_cursor`).
pub const NEXT_CURSOR_HEADER: &str = "x-next-cursor";

/// Whether the client asked for CSV: `Accept` names `text/csv` with a quality at least that of
/// any JSON type it names.
pub fn wants_csv(headers: &HeaderMap) -> bool {
    let mut csv = None::<f32>;
    let mut json = None::<f32>;
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for range in value.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let slot = match media.as_str() {
                "text/csv" => &mut csv,
                "application/json" | "application/*" => &mut json,
                _ => continue,
            };
            *slot = Some(slot.map_or(quality, |q| q.max(quality)));
        }
    }
    match (csv, json) {
        (Some(c), Some(j)) => c > 0.0 && c >= j,
        (Some(c), None) => c > 0.0,
        _ => false,
    }
}

/// A read's answer: a JSON body, or CSV when asked, with its ETag. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Representation {
    body: Bytes,
    content_type: &'static str,
    etag: String,
    next_cursor: Option<String>,
}

impl Representation {
    fn new(body: Vec<u8>, content_type: &'static str) -> Self {
        let digest = Sha256::digest(&body);
        let etag = format!("W/\"{}\"", hex::encode(&digest[..16]));
        Self { body: Bytes::from(body), content_type, etag, next_cursor: None }
    }

    /// JSON of `value`.
    pub fn json(value: &impl Serialize) -> Result<Self, ApiError> {
        let body = serde_json::to_vec(value)
            .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("serializing JSON")))?;
        Ok(Self::new(body, "application/json"))
    }

    /// A CSV document.
    pub fn csv(text: String) -> Self {
        Self::new(text.into_bytes(), TEXT_CSV)
    }

    /// JSON, or the CSV `csv` makes when the request asked for CSV.
    pub fn negotiate<T: Serialize>(
        headers: &HeaderMap,
        value: &T,
        csv: impl FnOnce(&T) -> String,
    ) -> Result<Self, ApiError> {
        if wants_csv(headers) { Ok(Self::csv(csv(value))) } else { Self::json(value) }
    }

    /// Sends the next page's cursor in a header too (CSV has nowhere else to put it).
    pub fn with_next_cursor(mut self, cursor: Option<String>) -> Self {
        self.next_cursor = cursor;
        self
    }

    /// The ETag of this body (weak: see the module doc).
    pub fn etag(&self) -> &str {
        &self.etag
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.body.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// The response to a request with `headers`: 304 when its `If-None-Match` names this
    /// ETag, else 200 with the body.
    pub fn into_response_for(self, headers: &HeaderMap) -> Response {
        let not_modified = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| if_none_match_names(v, &self.etag));
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(self.body));
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
            response
        };
        let out = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.etag) {
            out.insert(header::ETAG, value);
        }
        out.insert(header::VARY, HeaderValue::from_static("accept"));
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if let Some(cursor) = self.next_cursor.and_then(|c| HeaderValue::from_str(&c).ok()) {
            out.insert(HeaderName::from_static(NEXT_CURSOR_HEADER), cursor);
        }
        response
    }
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for it).
fn if_none_match_names(value: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let wanted = bare(etag);
    value.split(',').any(|tag| tag.trim() == "*" || bare(tag) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn csv_is_chosen_only_when_asked_for_at_least_as_much_as_json() {
        assert!(wants_csv(&accept("text/csv")));
        assert!(wants_csv(&accept("text/csv, application/json;q=0.5")));
        assert!(!wants_csv(&accept("application/json, text/csv;q=0.5")));
        assert!(!wants_csv(&accept("*/*")));
        assert!(!wants_csv(&accept("text/csv;q=0")));
        assert!(!wants_csv(&HeaderMap::new()));
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        assert!(if_none_match_names("\"abc\"", "W/\"abc\""));
        assert!(if_none_match_names("W/\"abc\"", "\"abc\""));
        assert!(if_none_match_names("\"x\", \"abc\"", "\"abc\""));
        assert!(if_none_match_names("*", "\"abc\""));
        assert!(!if_none_match_names("\"abd\"", "\"abc\""));
    }
}
