//! What the read tests share: filings stored through the ingest layer, the seed from
//! `../shared/seed` (tests skip with a message when it is absent), and request helpers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;

use filings::ingest::{Ingestor, Upload};

use crate::helpers::{TestApp, TestResponse};

/// The seed filing, when `../shared/seed` holds it.
pub fn seed_path() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed");
    let found = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"));
    if found.is_none() {
        eprintln!("skipped: the seed filing is not in {} (needs ../shared/seed)", dir.display());
    }
    found
}

/// A fixture under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

/// A stored filing and its company.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    /// The filing.
    pub filing: i64,
    /// Its company.
    pub company: i64,
}

/// Stores the file at `path` through the ingest layer.
pub async fn ingest(app: &TestApp, path: &Path) -> Stored {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let ingestor = Ingestor::new(app.pool.clone(), Duration::from_secs(60));
    let upload = Upload { bytes: bytes.into(), content_type: "text/plain".to_owned() };
    let ingested = ingestor.ingest(upload).await.expect("the filing is stored");
    let company: i64 = sqlx::query_scalar("SELECT company_id FROM filings WHERE id = $1")
        .bind(ingested.filing_id)
        .fetch_one(&app.pool)
        .await
        .expect("the filing's company");
    Stored { filing: ingested.filing_id, company }
}

/// `GET path` with extra headers.
pub async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.request(request.body(Body::empty()).expect("a request")).await
}

/// `GET path` as JSON, asserting 200.
pub async fn get_json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status, 200, "GET {path}: {}", String::from_utf8_lossy(&response.body));
    response.json()
}

/// `GET path` as CSV rows (header row first), asserting 200 and the media type.
pub async fn get_csv(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let response = get_with(app, path, &[("accept", "text/csv")]).await;
    assert_eq!(response.status, 200, "GET {path}: {}", String::from_utf8_lossy(&response.body));
    assert_eq!(response.header("content-type"), Some("text/csv; charset=utf-8"));
    parse_csv(&String::from_utf8_lossy(&response.body))
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF rows).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// CSV rows as maps from the header's names.
pub fn records(rows: &[Vec<String>]) -> Vec<std::collections::HashMap<String, String>> {
    let Some((header, rest)) = rows.split_first() else { return Vec::new() };
    rest.iter().map(|row| header.iter().cloned().zip(row.iter().cloned()).collect()).collect()
}

/// The line item with `key` in a statement or comparison body.
pub fn line<'a>(body: &'a Value, key: &str) -> &'a Value {
    body["line_items"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["key"] == key))
        .unwrap_or_else(|| panic!("no line {key} in {body:#}"))
}
