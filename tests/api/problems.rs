//! Every error class leaves as `application/problem+json` with type, title, status, detail,
//! instance and request id.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::helpers::{get, spawn_app, spawn_app_with, test_config, test_router, unreachable_pool};

fn post_json(path: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path).header("content-type", content_type).body(body.into()).unwrap()
}

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    let app = spawn_app().await;
    let response = app.get("/v9/nothing-here?x=1").await;
    let problem = response.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    assert_eq!(problem["instance"], "/v9/nothing-here");
    assert_eq!(problem["title"], "Not found");
    assert!(problem["detail"].as_str().unwrap().contains("GET /v9/nothing-here"));
}

#[tokio::test]
async fn wrong_methods_are_405_problems_that_list_the_allowed_ones() {
    let app = spawn_app().await;
    let response = app.request(Request::delete("/healthz").body(Body::empty()).unwrap()).await;
    response
        .assert_problem(StatusCode::METHOD_NOT_ALLOWED, "urn:filings:problem:method-not-allowed");
    let allow = response.header("allow").expect("an Allow header");
    assert!(allow.contains("GET"), "{allow}");
}

#[tokio::test]
async fn unparseable_path_parameters_are_400_problems() {
    let app = spawn_app().await;
    let response = app.get("/__test/items/not-a-number").await;
    response.assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
    assert_eq!(app.get("/__test/items/7").await.json(), 7);
}

#[tokio::test]
async fn unparseable_query_strings_are_400_problems() {
    let app = spawn_app().await;
    let response = app.get("/__test/search?limit=-1").await;
    response.assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
    assert_eq!(app.get("/__test/search?limit=5").await.json(), 5);
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    let response = app.request(post_json("/__test/echo", "application/json", "{not json")).await;
    response.assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_422_problem() {
    let app = spawn_app().await;
    let body = r#"{"name": "acme", "count": 1000}"#;
    let response = app.request(post_json("/__test/echo", "application/json", body)).await;
    let problem = response.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
    assert!(problem["detail"].as_str().unwrap().contains("count"), "{problem}");

    let body = r#"{"name": "acme", "count": 3}"#;
    let response = app.request(post_json("/__test/echo", "application/json", body)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["count"], 3);
}

#[tokio::test]
async fn bodies_of_an_unsupported_type_are_415_problems() {
    let app = spawn_app().await;
    let response =
        app.request(post_json("/__test/echo", "text/plain", r#"{"name":"a","count":1}"#)).await;
    response.assert_problem(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "urn:filings:problem:unsupported-media-type",
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_problems_whether_or_not_their_length_is_announced() {
    let app = spawn_app().await; // limit: 1024 bytes
    let big = format!(r#"{{"name": "{}", "count": 1}}"#, "x".repeat(2000));

    // With Content-Length, the body-limit layer refuses before any handler runs.
    let announced = Request::post("/__test/echo")
        .header("content-type", "application/json")
        .header("content-length", big.len())
        .body(Body::from(big.clone()))
        .unwrap();
    let problem = app
        .request(announced)
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "urn:filings:problem:payload-too-large");
    assert!(problem["detail"].as_str().unwrap().contains("1024 bytes"), "{problem}");

    // Without it, the limit trips while the JSON extractor reads the body.
    let unannounced = post_json("/__test/echo", "application/json", big);
    let problem = app
        .request(unannounced)
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "urn:filings:problem:payload-too-large");
    assert!(problem["detail"].as_str().unwrap().contains("1024 bytes"), "{problem}");
}

#[tokio::test]
async fn database_errors_in_handlers_are_503_problems() {
    let router = test_router(unreachable_pool(), &test_config());
    let response = get(&router, "/__test/db").await;
    response
        .assert_problem(StatusCode::SERVICE_UNAVAILABLE, "urn:filings:problem:service-unavailable");

    let app = spawn_app().await;
    assert_eq!(app.get("/__test/db").await.json(), 1);
}

#[tokio::test]
async fn slow_requests_are_cut_off_with_a_408_problem() {
    let app =
        spawn_app_with(filings::config::Config { request_timeout_secs: 1, ..test_config() }).await;
    let started = std::time::Instant::now();
    let response = app.get("/__test/slow").await;
    let problem =
        response.assert_problem(StatusCode::REQUEST_TIMEOUT, "urn:filings:problem:timeout");
    assert!(problem["detail"].as_str().unwrap().contains("1 seconds"), "{problem}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn panics_are_generic_500_problems_that_do_not_leak_the_cause() {
    let app = spawn_app().await;
    let response = app.get("/__test/panic").await;
    let problem =
        response.assert_problem(StatusCode::INTERNAL_SERVER_ERROR, "urn:filings:problem:internal");
    let body = String::from_utf8_lossy(&response.body);
    assert!(!body.contains("secret cause"), "{body}");
    assert!(!body.contains("fell over"), "{body}");
    assert_eq!(problem["title"], "Internal server error");
    // The service keeps serving after a panic.
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn writes_need_an_api_key_once_keys_are_configured() {
    let key = "test-key-0123456789abcdef";
    let app =
        spawn_app_with(filings::config::Config { api_keys: vec![key.to_owned()], ..test_config() })
            .await;
    let body = r#"{"name": "acme", "count": 1}"#;

    let anonymous = app.request(post_json("/__test/echo", "application/json", body)).await;
    anonymous.assert_problem(StatusCode::UNAUTHORIZED, "urn:filings:problem:unauthorized");
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));

    let wrong = Request::post("/__test/echo")
        .header("content-type", "application/json")
        .header("authorization", "Bearer not-the-key-000000000")
        .body(Body::from(body))
        .unwrap();
    let wrong = app.request(wrong).await;
    wrong.assert_problem(StatusCode::FORBIDDEN, "urn:filings:problem:forbidden");
    assert!(!String::from_utf8_lossy(&wrong.body).contains("not-the-key"), "the key is not echoed");

    for (name, value) in [("authorization", format!("Bearer {key}")), ("x-api-key", key.to_owned())]
    {
        let request = Request::post("/__test/echo")
            .header("content-type", "application/json")
            .header(name, value)
            .body(Body::from(body))
            .unwrap();
        assert_eq!(app.request(request).await.status, StatusCode::OK, "with {name}");
    }
    // Reads stay open.
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}
