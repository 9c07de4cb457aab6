//! `GET /metrics`: what it counts, in the Prometheus text format.

use axum::http::StatusCode;

use crate::uploads::{LETTER, TEN_Q, fixture, ingest_app, upload};

/// The value of the sample `series` (name and labels exactly as exposed), if exposed.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_ingests_parses_and_the_pool() {
    let app = ingest_app().await;
    app.get("/healthz").await;
    app.get("/healthz").await;
    app.get("/no/such/page/12345").await;
    app.get("/v1/filings/77").await;
    assert_eq!(upload(&app, fixture(TEN_Q), "text/plain").await.status, StatusCode::CREATED);
    assert_eq!(upload(&app, fixture(TEN_Q), "text/plain").await.status, StatusCode::OK);
    let refused = upload(&app, fixture(LETTER), "text/plain").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        upload(&app, b"%PDF-1.4 ...".to_vec(), "text/plain").await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let response = app.get("/metrics").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.header("content-type").unwrap().starts_with("application/openmetrics-text"));
    let text = String::from_utf8(response.body.to_vec()).unwrap();
    let value =
        |series: &str| sample(&text, series).unwrap_or_else(|| panic!("no {series}:\n{text}"));

    assert_eq!(
        value(r#"filings_http_requests_total{method="GET",route="/healthz",status="200"}"#),
        2.0
    );
    // Paths no route has are counted together, so random paths cannot grow the label set.
    assert_eq!(
        value(r#"filings_http_requests_total{method="GET",route="unmatched",status="404"}"#),
        1.0
    );
    assert_eq!(
        value(r#"filings_http_requests_total{method="GET",route="/v1/filings/{id}",status="404"}"#),
        1.0
    );
    assert_eq!(
        value(r#"filings_http_requests_total{method="POST",route="/v1/filings",status="201"}"#),
        1.0
    );
    assert_eq!(
        value(
            r#"filings_http_request_duration_seconds_count{method="POST",route="/v1/filings",status="201"}"#
        ),
        1.0
    );
    assert!(text.contains(r#"filings_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/healthz",status="200"}"#)
        || text.contains(r#"filings_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="0.001"}"#), "{text}");

    assert_eq!(value(r#"filings_ingests_total{outcome="created"}"#), 1.0);
    assert_eq!(value(r#"filings_ingests_total{outcome="already_present"}"#), 1.0);
    assert_eq!(value(r#"filings_ingests_total{outcome="unrecognised"}"#), 1.0);
    assert_eq!(value(r#"filings_ingests_total{outcome="unsupported_media_type"}"#), 1.0);
    // Parsed: the new filing and the refused letter (a repeat upload is found by its hash, and
    // the PDF is refused before parsing).
    assert_eq!(value("filings_parse_duration_seconds_count"), 2.0);
    assert!(value("filings_parse_duration_seconds_sum") > 0.0);

    assert_eq!(value("filings_db_pool_max_connections"), 4.0);
    let idle = value(r#"filings_db_pool_connections{state="idle"}"#);
    let in_use = value(r#"filings_db_pool_connections{state="in_use"}"#);
    assert!(idle + in_use >= 1.0 && idle + in_use <= 4.0, "idle {idle}, in use {in_use}");
    assert!(
        value(r#"process_memory_bytes{kind="peak"}"#)
            >= value(r#"process_memory_bytes{kind="resident"}"#)
    );
    assert!(text.ends_with("# EOF\n"), "an OpenMetrics exposition ends with # EOF");
}
