//! `GET /v1/companies` and `GET /v1/companies/{id}`: search, cursor pages, CSV, detail.

use axum::http::StatusCode;

use crate::helpers::spawn_app;
use crate::reads_support::{fixture, get_csv, get_json, ingest, records};

#[tokio::test]
async fn companies_are_found_by_name_words_cik_and_ticker() {
    let app = spawn_app().await;
    let quill = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let brisk = ingest(&app, &fixture("parse/row-reconciliation.txt")).await;
    let names = |body: serde_json::Value| -> Vec<i64> {
        body["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(names(get_json(&app, "/v1/companies").await), [quill.company, brisk.company]);
    assert_eq!(
        names(get_json(&app, "/v1/companies?q=quillfeather%20INSTRUMENTS").await),
        [quill.company]
    );
    assert_eq!(names(get_json(&app, "/v1/companies?q=instruments,%20inc.").await), [quill.company]);
    assert_eq!(names(get_json(&app, "/v1/companies?q=nothing-like-it").await), Vec::<i64>::new());
    assert_eq!(names(get_json(&app, "/v1/companies?cik=954321").await), [quill.company]);
    assert_eq!(names(get_json(&app, "/v1/companies?ticker=bwtr").await), [brisk.company]);
    let bad = app.get("/v1/companies?cik=12x").await;
    bad.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
}

#[tokio::test]
async fn the_company_list_pages_by_cursor_and_speaks_csv() {
    let app = spawn_app().await;
    let quill = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let brisk = ingest(&app, &fixture("parse/row-reconciliation.txt")).await;
    let first = get_json(&app, "/v1/companies?limit=1").await;
    assert_eq!(first["items"][0]["id"], quill.company);
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = get_json(&app, &format!("/v1/companies?limit=1&cursor={cursor}")).await;
    assert_eq!(second["items"][0]["id"], brisk.company);
    assert!(second["next_cursor"].is_null());
    let zero = app.get("/v1/companies?limit=0").await;
    zero.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );

    let csv = records(&get_csv(&app, "/v1/companies").await);
    assert_eq!(csv.len(), 2);
    assert_eq!(csv[0]["id"], quill.company.to_string());
    assert_eq!(csv[0]["name"], "QUILLFEATHER INSTRUMENTS INC.");
    assert_eq!(csv[0]["cik"], "0000954321");
    assert_eq!(csv[1]["ticker"], "BWTR");
    assert_eq!(csv[1]["filings_count"], "1");
}

#[tokio::test]
async fn a_company_shows_its_identity_filings_and_periods_with_data() {
    let app = spawn_app().await;
    ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    let body = get_json(&app, &format!("/v1/companies/{}", stored.company)).await;
    assert_eq!(body["cik"], "0000954321");
    assert_eq!(body["fiscal_year_end"], "0930");
    assert_eq!(body["fiscal_year_end_used"], "0930");
    assert_eq!(body["filings_count"], 2);
    assert_eq!(body["latest_report_date"], "2004-08-16");
    assert_eq!(body["statement_kinds"], serde_json::json!(["income_statement"]));
    let periods: Vec<(&str, Option<&str>)> = body["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["fiscal_alias"].as_str()))
        .collect();
    assert_eq!(
        periods,
        [
            ("3M-2003-06-30", Some("FY2003-Q3")),
            ("9M-2003-06-30", Some("FY2003-9M")),
            ("3M-2004-06-30", Some("FY2004-Q3")),
            ("9M-2004-06-30", Some("FY2004-9M")),
        ]
    );
    assert!(body["periods"][0]["facts_count"].as_i64().unwrap() >= 20, "both filings' facts");
    let missing = app.get("/v1/companies/424242").await;
    missing.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    let malformed = app.get("/v1/companies/abc").await;
    malformed.assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
}
