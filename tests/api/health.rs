//! Liveness and readiness.

use axum::http::StatusCode;

use crate::helpers::{TestDatabase, get, spawn_app, test_config, test_router, unreachable_pool};

#[tokio::test]
async fn healthz_reports_the_process_is_up_with_its_version() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn readyz_is_ok_on_a_migrated_database() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let body = response.json();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["migration"], filings::db::latest_migration());
}

#[tokio::test]
async fn readyz_is_503_quickly_when_the_database_is_unreachable() {
    let router = test_router(unreachable_pool(), &test_config());
    let started = std::time::Instant::now();
    let response = get(&router, "/readyz").await;
    let problem = response
        .assert_problem(StatusCode::SERVICE_UNAVAILABLE, "urn:filings:problem:service-unavailable");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    // The connection error stays in the log.
    assert_eq!(problem["detail"], "The database is unreachable.");
}

#[tokio::test]
async fn readyz_is_503_until_migrations_are_applied() {
    let database = TestDatabase::create().await;
    let pool = filings::db::pool_options(2).connect_with(database.options()).await.unwrap();
    let router = test_router(pool.clone(), &test_config());

    let response = get(&router, "/readyz").await;
    let problem = response
        .assert_problem(StatusCode::SERVICE_UNAVAILABLE, "urn:filings:problem:service-unavailable");
    assert!(problem["detail"].as_str().unwrap().contains("filings migrate"), "{problem}");

    filings::db::migrate(&pool).await.unwrap();
    assert_eq!(get(&router, "/readyz").await.status, StatusCode::OK);
}
