//! The contract: `openapi.yaml` is what the code generates, and it is what the server serves;
//! the docs page works without internet.

use axum::http::StatusCode;

use crate::helpers::spawn_app;

#[test]
fn openapi_yaml_matches_the_document_the_code_generates() {
    let generated = filings::api::docs::openapi_yaml().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is out of date with the code: run `cargo run -- openapi > openapi.yaml` \
         and review the diff"
    );
}

#[tokio::test]
async fn the_served_openapi_json_is_the_generated_document() {
    let app = spawn_app().await;
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    let served = response.json();
    let generated = serde_json::to_value(filings::api::docs::openapi()).unwrap();
    assert_eq!(served, generated);
    assert_eq!(served["info"]["title"], "Filings API");
    assert_eq!(served["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(served["paths"]["/readyz"].is_object());
}

#[tokio::test]
async fn the_docs_page_and_its_assets_are_served_by_the_binary() {
    let app = spawn_app().await;
    let redirect = app.get("/docs").await;
    assert!(redirect.status.is_redirection(), "{}", redirect.status);
    assert_eq!(redirect.header("location"), Some("/docs/"));

    let page = app.get("/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains("swagger-ui"), "{html}");

    let script = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.len() > 100_000, "the UI bundle is vendored, not fetched");
    let initializer = app.get("/docs/swagger-initializer.js").await;
    assert!(String::from_utf8_lossy(&initializer.body).contains("/openapi.json"));
}
