//! `POST /v1/filings`: both body forms, idempotence under races, every refusal as a problem
//! with nothing stored, and atomicity when storing fails half-way.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use sqlx::PgPool;

use filings::config::Config;
use filings::ingest::{IngestError, Upload};
use filings::parse::{ParseOptions, parse};

use crate::helpers::{TestApp, TestResponse, spawn_app, spawn_app_with, test_config};

/// The synthetic 10-Q (EDGAR submission, with a CIK).
pub const TEN_Q: &str = "tests/fixtures/ingest/brackenridge-10q-2004-q2.txt";
/// The same company's next press release (HTML, no CIK).
pub const RELEASE: &str = "tests/fixtures/ingest/brackenridge-release-2004-q3.htm";
/// Prose without a company or a table.
pub const LETTER: &str = "tests/fixtures/ingest/letter-to-shareholders.txt";

/// A fixture's bytes.
pub fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// An app whose upload limit fits the fixtures.
pub async fn ingest_app() -> TestApp {
    spawn_app_with(Config { max_upload_bytes: 1 << 20, ..test_config() }).await
}

/// `POST /v1/filings` with a raw body.
pub async fn upload(app: &TestApp, bytes: Vec<u8>, content_type: &str) -> TestResponse {
    app.request(
        Request::post("/v1/filings")
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .unwrap(),
    )
    .await
}

/// A multipart/form-data body with one part named `name`.
pub fn multipart(
    name: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "----filings-test-boundary-7d3f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfirst upload\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Rows in every table ingest writes, by table.
pub async fn row_counts(pool: &PgPool) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in [
        "companies",
        "filings",
        "documents",
        "periods",
        "statements",
        "line_items",
        "facts",
        "checks",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(pool)
                .await
                .unwrap();
        counts.push((table, n));
    }
    counts
}

/// One table's row count.
pub async fn count(pool: &PgPool, table: &str) -> i64 {
    row_counts(pool).await.into_iter().find(|(t, _)| *t == table).map(|(_, n)| n).unwrap()
}

#[tokio::test]
async fn a_raw_edgar_upload_is_stored_and_summarised_with_its_location() {
    let app = ingest_app().await;
    let response = upload(&app, fixture(TEN_Q), "text/plain").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    let summary = response.json();
    let id = summary["id"].as_i64().unwrap();
    assert_eq!(response.header("location"), Some(format!("/v1/filings/{id}").as_str()));
    assert_eq!(summary["company"]["cik"], "0000876543");
    assert_eq!(summary["form_type"], "10-Q");
    assert_eq!(summary["report_date"], "2004-06-30");
    assert_eq!(summary["format"], "edgar");
    assert_eq!(summary["document"]["content_type"], "text/plain");
    let periods: Vec<&str> =
        summary["periods"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    // By end date, an instant before the duration that ends with it.
    assert_eq!(periods, ["3M-2003-06-30", "I-2003-12-31", "I-2004-06-30", "3M-2004-06-30"]);
    let statements = summary["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0]["kind"], "income_statement");
    assert_eq!(statements[0]["scale"], "1000");
    let parsed = parse(&fixture(TEN_Q), &ParseOptions::default());
    assert_eq!(summary["counts"]["facts"], parsed.facts.len());
    assert_eq!(summary["counts"]["checks"], parsed.checks.len());
    let failed = parsed.checks.iter().filter(|c| !c.passed).count();
    assert_eq!(summary["counts"]["failed_checks"], failed);
    assert_eq!(summary["failed_checks"].as_array().unwrap().len(), failed);
    assert_eq!(count(&app.pool, "facts").await, parsed.facts.len() as i64);

    // The detail is the same summary.
    let detail = app.get(&format!("/v1/filings/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(detail.json(), summary);
}

#[tokio::test]
async fn a_multipart_upload_keeps_its_part_type_and_bytes() {
    let app = ingest_app().await;
    let bytes = fixture(RELEASE);
    let (content_type, body) = multipart("file", "release.htm", "text/html", &bytes);
    let response = upload(&app, body, &content_type).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    let summary = response.json();
    assert_eq!(summary["format"], "html");
    assert_eq!(summary["company"]["ticker"], "BRKI");
    assert_eq!(summary["document"]["content_type"], "text/html");

    let document = app.get(summary["document"]["url"].as_str().unwrap()).await;
    assert_eq!(document.status, StatusCode::OK);
    assert_eq!(document.header("content-type"), Some("text/html"));
    assert_eq!(document.body.as_ref(), bytes.as_slice(), "the original bytes come back");
    let etag = document.header("etag").unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", summary["document"]["sha256"].as_str().unwrap()));
    let again = app
        .request(
            Request::get(summary["document"]["url"].as_str().unwrap())
                .header("if-none-match", etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn an_identical_upload_returns_the_existing_filing_with_200() {
    let app = ingest_app().await;
    let first = upload(&app, fixture(TEN_Q), "text/plain").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let before = row_counts(&app.pool).await;

    // Same bytes, other body form and type: still the same document.
    let (content_type, body) =
        multipart("file", "q2.txt", "application/octet-stream", &fixture(TEN_Q));
    let second = upload(&app, body, &content_type).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.json(), first.json(), "the same summary");
    assert_eq!(second.header("location"), first.header("location"));
    assert_eq!(row_counts(&app.pool).await, before);
}

#[tokio::test]
async fn fifty_concurrent_identical_uploads_store_one_filing() {
    let app =
        spawn_app_with(Config { max_upload_bytes: 1 << 20, db_pool_size: 20, ..test_config() })
            .await;
    let bytes = fixture(TEN_Q);
    let uploads = (0..50).map(|_| {
        let router = app.router.clone();
        let bytes = bytes.clone();
        tokio::spawn(async move {
            let request = Request::post("/v1/filings")
                .header("content-type", "text/plain")
                .body(Body::from(bytes))
                .unwrap();
            crate::helpers::send(&router, request).await
        })
    });
    let responses: Vec<TestResponse> =
        futures_join(uploads.collect()).await.into_iter().map(Result::unwrap).collect();
    let created = responses.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let repeated = responses.iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(
        (created, repeated),
        (1, 49),
        "{:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let ids: std::collections::BTreeSet<i64> =
        responses.iter().map(|r| r.json()["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1, "every upload names the same filing");
    assert_eq!(count(&app.pool, "filings").await, 1);
    assert_eq!(count(&app.pool, "documents").await, 1);
    assert_eq!(count(&app.pool, "companies").await, 1);
}

async fn futures_join<T>(
    handles: Vec<tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await);
    }
    results
}

/// Asserts a refused upload: the problem, and no row added anywhere.
async fn assert_refused(
    app: &TestApp,
    response: TestResponse,
    status: StatusCode,
    kind: &str,
) -> Value {
    let problem = response.assert_problem(status, &format!("urn:filings:problem:{kind}"));
    assert!(row_counts(&app.pool).await.iter().all(|(_, n)| *n == 0), "rows were left behind");
    problem
}

#[tokio::test]
async fn uploads_over_the_limit_are_413_and_store_nothing() {
    let app = spawn_app().await; // limit: 1024 bytes
    let response = upload(&app, fixture(TEN_Q), "text/plain").await;
    let problem =
        assert_refused(&app, response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
    assert!(problem["detail"].as_str().unwrap().contains("1024"), "{problem}");
    let (content_type, body) = multipart("file", "q2.txt", "text/plain", &fixture(TEN_Q));
    let response = upload(&app, body, &content_type).await;
    assert_refused(&app, response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
}

#[tokio::test]
async fn other_media_types_are_415_and_store_nothing() {
    let app = ingest_app().await;
    for content_type in ["application/json", "image/png", ""] {
        let request = Request::post("/v1/filings");
        let request = if content_type.is_empty() {
            request
        } else {
            request.header("content-type", content_type)
        };
        let response = app.request(request.body(Body::from(fixture(TEN_Q))).unwrap()).await;
        let problem = assert_refused(
            &app,
            response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        )
        .await;
        assert!(problem["detail"].as_str().unwrap().contains("text/html"), "{problem}");
    }
    let (content_type, body) = multipart("file", "q2.pdf", "application/pdf", b"%PDF-1.4");
    let response = upload(&app, body, &content_type).await;
    assert_refused(&app, response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type")
        .await;
}

#[tokio::test]
async fn documents_without_a_filing_or_financial_content_are_422_saying_what_is_missing() {
    let app = ingest_app().await;
    let response = upload(&app, fixture(LETTER), "text/plain").await;
    let problem =
        assert_refused(&app, response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
            .await;
    let missing = problem["missing"].as_array().unwrap();
    assert!(missing.iter().any(|m| m.as_str().unwrap().contains("name")), "{problem}");
    assert!(problem["found"].is_array(), "{problem}");
    let empty = upload(&app, Vec::new(), "text/plain").await;
    assert_refused(&app, empty, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document").await;
}

#[tokio::test]
async fn broken_multipart_bodies_are_400_and_store_nothing() {
    let app = ingest_app().await;
    let truncated =
        b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhalf a fi".to_vec();
    let response = upload(&app, truncated, "multipart/form-data; boundary=xyz").await;
    assert_refused(&app, response, StatusCode::BAD_REQUEST, "bad-request").await;
    let response = upload(&app, b"whatever".to_vec(), "multipart/form-data").await;
    assert_refused(&app, response, StatusCode::BAD_REQUEST, "bad-request").await;
    let (content_type, body) = multipart("document", "q2.txt", "text/plain", &fixture(TEN_Q));
    let response = upload(&app, body, &content_type).await;
    let problem = assert_refused(&app, response, StatusCode::BAD_REQUEST, "bad-request").await;
    assert!(problem["detail"].as_str().unwrap().contains("`file`"), "{problem}");
}

#[tokio::test]
async fn uploads_need_a_valid_key_when_keys_are_configured() {
    let key = "ingest-key-0123456789abcdef";
    let app = spawn_app_with(Config {
        api_keys: vec![key.to_owned()],
        max_upload_bytes: 1 << 20,
        ..test_config()
    })
    .await;
    let response = upload(&app, fixture(TEN_Q), "text/plain").await;
    assert_refused(&app, response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let wrong = Request::post("/v1/filings")
        .header("content-type", "text/plain")
        .header("authorization", "Bearer wrong-key-0123456789abcdef")
        .body(Body::from(fixture(TEN_Q)))
        .unwrap();
    let response = app.request(wrong).await;
    assert_refused(&app, response, StatusCode::FORBIDDEN, "forbidden").await;
    let right = Request::post("/v1/filings")
        .header("content-type", "text/plain")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(fixture(TEN_Q)))
        .unwrap();
    assert_eq!(app.request(right).await.status, StatusCode::CREATED);
    // Reads stay open.
    assert_eq!(app.get("/v1/filings").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_failure_in_the_middle_of_storing_leaves_nothing() {
    let app = ingest_app().await;
    let bytes = fixture(TEN_Q);
    let mut parsed = parse(&bytes, &ParseOptions::default());
    // The same fact twice: company, filing, document, periods, statements and line items are
    // written before the facts' unique constraint refuses it.
    let last = parsed.facts.last().cloned().unwrap();
    parsed.facts.push(last);
    let upload = Upload { bytes: bytes.into(), content_type: "text/plain".to_owned() };
    let ingestor =
        filings::ingest::Ingestor::new(app.pool.clone(), std::time::Duration::from_secs(5));
    match ingestor.store(&upload, &parsed).await {
        Err(IngestError::Database(error)) => {
            assert!(error.to_string().contains("facts_line_item_id_period_id_basis_key"), "{error}")
        }
        other => panic!("expected a constraint violation, got {other:?}"),
    }
    assert!(
        row_counts(&app.pool).await.iter().all(|(_, n)| *n == 0),
        "{:?}",
        row_counts(&app.pool).await
    );
    // The same document then stores cleanly.
    parsed.facts.pop();
    assert!(ingestor.store(&upload, &parsed).await.is_ok());
}

#[tokio::test]
async fn a_later_filing_of_the_company_fills_empty_fields_and_records_conflicts() {
    let app = ingest_app().await;
    let first = upload(&app, fixture(TEN_Q), "text/plain").await.json();
    assert_eq!(first["company"]["ticker"], Value::Null);

    // The release names the company without a CIK, and adds its ticker.
    let second = upload(&app, fixture(RELEASE), "text/html").await;
    assert_eq!(second.status, StatusCode::CREATED);
    let second = second.json();
    assert_eq!(second["company"]["id"], first["company"]["id"], "matched by name");
    assert_eq!(second["company"]["ticker"], "BRKI", "an empty field is filled");

    // An amended copy that disagrees on the state of incorporation: the stored value stays.
    let amended = String::from_utf8(fixture(TEN_Q))
        .unwrap()
        .replace("STATE OF INCORPORATION:\t\t\tDE", "STATE OF INCORPORATION:\t\t\tNV")
        .replace("0000876543-04-000031", "0000876543-04-000032");
    let third = upload(&app, amended.into_bytes(), "text/plain").await;
    assert_eq!(third.status, StatusCode::CREATED);
    let third = third.json();
    assert_eq!(third["company"]["id"], first["company"]["id"], "matched by CIK");
    let conflicts: Vec<&Value> = third["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "company_field_conflict")
        .collect();
    assert_eq!(conflicts.len(), 1, "{:#}", third["diagnostics"]);
    assert!(conflicts[0]["message"].as_str().unwrap().contains("`NV`"), "{}", conflicts[0]);
    let state: String = sqlx::query_scalar("SELECT state_of_incorporation FROM companies")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "DE");
    assert_eq!(count(&app.pool, "companies").await, 1);
}
