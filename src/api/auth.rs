//! API keys: when `FILINGS_API_KEYS` is set, writes need one of them; reads of `/v1/` need one
//! too when `FILINGS_READ_REQUIRES_KEY` is true. Probes and the docs stay open.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::problem::ApiError;

/// The configured keys, kept as SHA-256 digests so that comparing them takes the same time
/// whatever the presented key is.
#[derive(Debug, Clone, Default)]
pub struct ApiKeys {
    digests: Vec<[u8; 32]>,
    read_requires_key: bool,
}

impl ApiKeys {
    /// Keys from the configuration; none means writes are open.
    pub fn new(keys: &[String]) -> Self {
        Self { digests: keys.iter().map(|k| digest(k)).collect(), read_requires_key: false }
    }

    /// The same keys, also required for reads under `/v1/` when `required` (and keys are set).
    pub fn with_read_requires_key(mut self, required: bool) -> Self {
        self.read_requires_key = required;
        self
    }

    /// Whether any key is configured.
    pub fn enabled(&self) -> bool {
        !self.digests.is_empty()
    }

    /// Whether `key` is one of the configured keys.
    pub fn accepts(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Which of the configured keys `key` is (its place in `FILINGS_API_KEYS`), if any.
    pub fn position(&self, key: &str) -> Option<usize> {
        let presented = digest(key);
        // Look at every key, and at every byte, so timing says nothing about near misses.
        self.digests.iter().enumerate().fold(None, |found, (index, d)| {
            let difference = d.iter().zip(presented.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
            if difference == 0 { Some(index) } else { found }
        })
    }

    /// The configured key `request` presents, if it presents one of them.
    pub fn presented_by(&self, headers: &HeaderMap) -> Option<usize> {
        presented_key(headers).and_then(|key| self.position(key))
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The key a request presents: `Authorization: Bearer KEY` or `X-API-Key: KEY`.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim());
    bearer
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::trim))
        .filter(|key| !key.is_empty())
}

/// Middleware, when keys are configured: writes (anything but GET, HEAD and OPTIONS), and
/// reads under `/v1/` when `FILINGS_READ_REQUIRES_KEY` is set, need a key: 401 without one,
/// 403 with one that is not configured.
pub async fn require_api_key(
    State(keys): State<Arc<ApiKeys>>,
    request: Request,
    next: Next,
) -> Response {
    let is_read = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let needs_key = keys.enabled()
        && (!is_read || (keys.read_requires_key && request.uri().path().starts_with("/v1/")));
    if !needs_key {
        return next.run(request).await;
    }
    match presented_key(request.headers()) {
        Some(key) if keys.accepts(key) => next.run(request).await,
        Some(_) => ApiError::Forbidden.into_response(),
        None => {
            let mut response = ApiError::Unauthorized.into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_configured_keys_are_accepted() {
        let keys = ApiKeys::new(&["first-key-0123456789".into(), "second-key-0123456789".into()]);
        assert!(keys.enabled());
        assert!(keys.accepts("first-key-0123456789"));
        assert!(keys.accepts("second-key-0123456789"));
        assert!(!keys.accepts("first-key-012345678"));
        assert!(!keys.accepts(""));
        assert!(!ApiKeys::new(&[]).enabled());
    }

    #[test]
    fn keys_are_read_from_bearer_or_x_api_key() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer abc"));
        assert_eq!(presented_key(&headers), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(presented_key(&headers), None);
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static("xyz"));
        assert_eq!(presented_key(&headers), Some("xyz"));
    }
}
