//! The middleware every request goes through: request ids, logging, compression, CORS.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tracing_subscriber::fmt::MakeWriter;

use filings::config::{Config, LogFormat};

use crate::helpers::{spawn_app, spawn_app_with, test_config};

#[tokio::test]
async fn a_request_id_is_generated_when_the_client_sends_none() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    let id = response.header("x-request-id").expect("an x-request-id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let other = app.get("/healthz").await;
    assert_ne!(other.header("x-request-id"), Some(id));
}

#[tokio::test]
async fn a_client_request_id_is_kept_when_usable_and_replaced_otherwise() {
    let app = spawn_app().await;
    let with_id =
        |id: &str| Request::get("/healthz").header("x-request-id", id).body(Body::empty()).unwrap();

    let response = app.request(with_id("client-chosen.id-42")).await;
    assert_eq!(response.header("x-request-id"), Some("client-chosen.id-42"));

    for unusable in ["has spaces in it", &"x".repeat(200)] {
        let response = app.request(with_id(unusable)).await;
        let id = response.header("x-request-id").unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{unusable:?} gave {id}");
    }
}

/// Log lines written to memory.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    fn lines(&self) -> Vec<Value> {
        let bytes = self.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for CapturedLogs {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_request_id() {
    let app = spawn_app().await;
    let logs = CapturedLogs::default();
    let subscriber =
        filings::telemetry::subscriber(LogFormat::Json, "info", logs.clone(), false).unwrap();
    // Current-thread test runtime: the request runs on this thread, under this subscriber.
    let guard = tracing::subscriber::set_default(subscriber);

    let request = Request::get("/__test/panic")
        .header("x-request-id", "trace-me-42")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    drop(guard);
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);

    let lines = logs.lines();
    assert!(lines.len() >= 2, "expected the error and the response line: {lines:?}");
    for line in &lines {
        assert_eq!(line["span"]["request_id"], "trace-me-42", "{line}");
        assert_eq!(line["span"]["path"], "/__test/panic", "{line}");
    }
    // The cause of the 500 is in the log (and only there).
    let error = lines.iter().find(|l| l["level"] == "ERROR").expect("an ERROR line");
    assert!(error.to_string().contains("secret cause 7f3a"), "{error}");
}

#[tokio::test]
async fn responses_are_gzip_compressed_for_clients_that_accept_it() {
    let app = spawn_app().await;
    let request = Request::get("/openapi.json")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-encoding"), Some("gzip"));
    assert_eq!(&response.body[..2], &[0x1f, 0x8b], "gzip magic bytes");

    let plain = app.get("/openapi.json").await;
    assert_eq!(plain.header("content-encoding"), None);
}

#[tokio::test]
async fn cors_allows_exactly_the_configured_origins() {
    let config =
        Config { cors_origins: vec!["https://dash.example.com".to_owned()], ..test_config() };
    let app = spawn_app_with(config).await;
    let preflight = |origin: &str| {
        Request::options("/readyz")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .unwrap()
    };

    let allowed = app.request(preflight("https://dash.example.com")).await;
    assert_eq!(allowed.header("access-control-allow-origin"), Some("https://dash.example.com"));
    let refused = app.request(preflight("https://evil.example.net")).await;
    assert_eq!(refused.header("access-control-allow-origin"), None);

    // Error responses carry the CORS headers too, so browsers can read the problem.
    let request = Request::get("/missing")
        .header("origin", "https://dash.example.com")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.header("access-control-allow-origin"), Some("https://dash.example.com"));
}

#[tokio::test]
async fn without_configured_origins_there_are_no_cors_headers() {
    let app = spawn_app().await;
    let request = Request::get("/healthz")
        .header("origin", "https://dash.example.com")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.header("access-control-allow-origin"), None);
}
