//! Abuse: rate limits per API key or client address (429 with `Retry-After`), page-size
//! limits, and errors that never carry internal detail.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};

use filings::config::Config;

use crate::helpers::{
    TestApp, TestResponse, send, spawn_app_with, test_config, test_router, unreachable_pool,
};

/// `GET path` as the client at `peer`, optionally with an API key.
async fn get_as(app: &TestApp, path: &str, peer: [u8; 4], key: Option<&str>) -> TestResponse {
    let mut request = Request::get(path);
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let mut request = request.body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from((peer, 40_000))));
    app.request(request).await
}

fn limited(per_sec: u32, burst: u32, keys: &[&str]) -> Config {
    Config {
        rate_limit_per_sec: per_sec,
        rate_limit_burst: burst,
        api_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        ..test_config()
    }
}

#[tokio::test]
async fn a_client_over_its_rate_gets_a_429_problem_with_retry_after() {
    let app = spawn_app_with(limited(1, 3, &[])).await;
    for _ in 0..3 {
        assert_eq!(get_as(&app, "/v1/companies", [10, 0, 0, 1], None).await.status, StatusCode::OK);
    }
    let refused = get_as(&app, "/v1/companies", [10, 0, 0, 1], None).await;
    let problem =
        refused.assert_problem(StatusCode::TOO_MANY_REQUESTS, "urn:filings:problem:rate-limited");
    let retry_after: u64 = refused.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert!(problem["detail"].as_str().unwrap().contains("Retry-After"), "{problem}");
    // Another address has an allowance of its own.
    assert_eq!(get_as(&app, "/v1/companies", [10, 0, 0, 2], None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_allowance_comes_back_with_time() {
    // A path no route has: limited like any other, and answered without the database, so that
    // the first answer's time does not count against the second.
    let path = "/v1/no-such-resource";
    let app = spawn_app_with(limited(4, 1, &[])).await;
    assert_eq!(get_as(&app, path, [10, 0, 0, 3], None).await.status, StatusCode::NOT_FOUND);
    let refused = get_as(&app, path, [10, 0, 0, 3], None).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // One request every 250 ms is the rate: after 400 ms there is one again.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(get_as(&app, path, [10, 0, 0, 3], None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_api_key_has_its_own_allowance_wherever_it_comes_from() {
    let (first, second) = ("first-key-0123456789", "second-key-0123456789");
    let app = spawn_app_with(limited(1, 2, &[first, second])).await;
    // The same key from two addresses shares one allowance.
    assert_eq!(
        get_as(&app, "/v1/companies", [10, 0, 1, 1], Some(first)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get_as(&app, "/v1/companies", [10, 0, 1, 2], Some(first)).await.status,
        StatusCode::OK
    );
    let refused = get_as(&app, "/v1/companies", [10, 0, 1, 3], Some(first)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // Another key, and the same address without a key, are counted apart.
    assert_eq!(
        get_as(&app, "/v1/companies", [10, 0, 1, 1], Some(second)).await.status,
        StatusCode::OK
    );
    assert_eq!(get_as(&app, "/v1/companies", [10, 0, 1, 1], None).await.status, StatusCode::OK);
    // A key that is not configured counts as its address, not as a key of its own.
    let wrong = "wrong-key-0123456789";
    assert_eq!(
        get_as(&app, "/v1/companies", [10, 0, 1, 9], Some(wrong)).await.status,
        StatusCode::OK
    );
    assert_eq!(get_as(&app, "/v1/companies", [10, 0, 1, 9], None).await.status, StatusCode::OK);
    let refused =
        get_as(&app, "/v1/companies", [10, 0, 1, 9], Some("another-wrong-key-0123")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn probes_and_metrics_are_never_rate_limited() {
    let app = spawn_app_with(limited(1, 1, &[])).await;
    for _ in 0..20 {
        for path in ["/healthz", "/readyz", "/metrics"] {
            let response = get_as(&app, path, [10, 0, 2, 1], None).await;
            assert_eq!(response.status, StatusCode::OK, "{path}");
        }
    }
    let metrics = get_as(&app, "/metrics", [10, 0, 2, 1], None).await;
    let text = String::from_utf8_lossy(&metrics.body).into_owned();
    assert!(text.contains("filings_rate_limited_requests_total 0"), "{text}");
    get_as(&app, "/v1/filings", [10, 0, 2, 1], None).await;
    get_as(&app, "/v1/filings", [10, 0, 2, 1], None).await;
    let text = String::from_utf8_lossy(&get_as(&app, "/metrics", [10, 0, 2, 1], None).await.body)
        .into_owned();
    assert!(text.contains("filings_rate_limited_requests_total 1"), "{text}");
}

#[tokio::test]
async fn pages_larger_than_1000_are_refused_on_every_list() {
    let app = spawn_app_with(test_config()).await;
    for path in [
        "/v1/filings?limit=1001",
        "/v1/companies?limit=1001",
        "/v1/filings/1/facts?limit=1001",
        "/v1/companies/1/series/revenue?limit=1001",
    ] {
        let response = app.get(path).await;
        assert!(matches!(response.status.as_u16(), 400 | 422), "{path}: {}", response.status);
        assert_eq!(response.header("content-type"), Some("application/problem+json"), "{path}");
        let detail = response.json()["detail"].as_str().unwrap_or_default().to_owned();
        assert!(detail.contains("1000"), "{path}: {detail}");
    }
}

/// Words that would give away how the service is built or where it runs.
const INTERNAL_WORDS: &[&str] = &[
    "sqlx",
    "postgres",
    "select ",
    "insert ",
    "error returned from database",
    "connection refused",
    "127.0.0.1",
    "/src/",
    ".rs:",
    "panicked",
    "secret cause",
    "backtrace",
    "tokio",
];

fn assert_no_internal_detail(path: &str, response: &TestResponse) {
    let body = String::from_utf8_lossy(&response.body).to_lowercase();
    for word in INTERNAL_WORDS {
        assert!(!body.contains(word), "{path} ({}) leaks `{word}`: {body}", response.status);
    }
    for (name, value) in &response.headers {
        let value = value.to_str().unwrap_or_default().to_lowercase();
        assert!(!value.contains("sqlx") && !value.contains("/src/"), "{path}: header {name}");
    }
}

#[tokio::test]
async fn no_response_carries_internal_detail_when_things_fail() {
    // A database that is not there: every read and write fails inside.
    let down = test_router(unreachable_pool(), &test_config());
    let paths = [
        "/readyz",
        "/v1/filings",
        "/v1/filings/1",
        "/v1/filings/1/facts",
        "/v1/filings/1/checks",
        "/v1/filings/1/document",
        "/v1/facts/1",
        "/v1/companies",
        "/v1/companies/1",
        "/v1/companies/1/statements/income_statement?period=FY2003",
        "/v1/companies/1/comparisons?statement=income_statement&period=FY2003-Q2&compare=qoq",
        "/v1/companies/1/non-gaap?period=FY2003-Q2",
        "/v1/companies/1/series/revenue",
        "/__test/panic",
    ];
    // Concurrently: each waits out the pool's acquire timeout.
    let responses = paths.map(|path| {
        let down = down.clone();
        tokio::spawn(
            async move { send(&down, Request::get(path).body(Body::empty()).unwrap()).await },
        )
    });
    for (path, response) in paths.into_iter().zip(responses) {
        let response = response.await.unwrap();
        assert!(response.status.is_server_error(), "{path}: {}", response.status);
        assert_eq!(response.header("content-type"), Some("application/problem+json"), "{path}");
        assert_no_internal_detail(path, &response);
    }
    let upload = Request::post("/v1/filings")
        .header("content-type", "text/plain")
        .body(Body::from("ACME CORP\nFORM 8-K\n"))
        .unwrap();
    let response = send(&down, upload).await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_no_internal_detail("POST /v1/filings", &response);
}

#[tokio::test]
async fn client_errors_carry_no_internal_detail_either() {
    let app = spawn_app_with(test_config()).await;
    for path in [
        "/v1/filings/abc",
        "/v1/filings?limit=zero",
        "/v1/filings?cursor=%27%3B--",
        "/v1/companies/1/statements/nope?period=FY2003",
        "/v1/companies/999/non-gaap?period=FY2003",
        "/nowhere",
    ] {
        let response = app.get(path).await;
        assert!(response.status.is_client_error(), "{path}: {}", response.status);
        assert_no_internal_detail(path, &response);
    }
}
