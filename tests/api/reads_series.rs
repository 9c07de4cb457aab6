//! `GET /v1/companies/{id}/series/{concept}`: a concept over time with derived quarters marked,
//! the latest filing winning, cursor pages, CSV and unknown concepts.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::reads_support::{fixture, get_csv, get_json, get_with, ingest, records, seed_path};

fn points(body: &Value) -> Vec<(String, String, String)> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["period"]["id"].as_str().unwrap().to_owned(),
                p["value"].as_str().unwrap().to_owned(),
                p["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn seed_quarterly_revenue_includes_the_derived_first_quarter_of_2002() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let body =
        get_json(&app, &format!("/v1/companies/{}/series/revenue?months=3", stored.company)).await;
    let strings = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter().map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned())).collect()
    };
    assert_eq!(
        points(&body),
        strings(&[
            ("3M-2002-03-31", "21158000", "derived"),
            ("3M-2002-06-30", "21295000", "reported"),
            ("3M-2003-03-31", "16019000", "reported"),
            ("3M-2003-06-30", "21356000", "reported"),
        ])
    );
    let derived = &body["items"][0];
    assert!(derived["filing_id"].is_null() && derived["fact_id"].is_null());
    assert_eq!(derived["formula"], "6M-2002-06-30 - 3M-2002-06-30 = 42453000 - 21295000");
    assert_eq!(derived["derived_from"].as_array().unwrap().len(), 2);
    assert_eq!(body["items"][3]["filing_id"], stored.filing);
    assert_eq!(body["items"][3]["label"], "Revenues");
    // Per-share values are never derived.
    let eps = get_json(
        &app,
        &format!("/v1/companies/{}/series/eps_basic_diluted?months=3", stored.company),
    )
    .await;
    assert!(points(&eps).iter().all(|(_, _, status)| status == "reported"));
    assert_eq!(points(&eps).len(), 3);
}

#[tokio::test]
async fn a_series_takes_the_restated_value_and_pages_by_cursor() {
    let app = spawn_app().await;
    let first = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let second = ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    let path = format!("/v1/companies/{}/series/net_income", first.company);
    let all = get_json(&app, &path).await;
    let got = points(&all);
    let ids: Vec<&str> = got.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["3M-2003-06-30", "9M-2003-06-30", "3M-2004-06-30", "9M-2004-06-30"]);
    assert_eq!(got[2].1, "3515000");
    assert_eq!(all["items"][2]["filing_id"], second.filing);
    assert_eq!(all["items"][2]["period"]["fiscal_alias"], "FY2004-Q3");
    assert!(all["next_cursor"].is_null());

    let page1 = get_json(&app, &format!("{path}?limit=3")).await;
    assert_eq!(points(&page1), got[..3]);
    let cursor = page1["next_cursor"].as_str().expect("a next page");
    let page2 = get_with(&app, &format!("{path}?limit=3&cursor={cursor}"), &[]).await.json();
    assert_eq!(points(&page2), got[3..]);
    assert!(page2["next_cursor"].is_null());

    let quarters = get_json(&app, &format!("{path}?months=9")).await;
    assert_eq!(points(&quarters).len(), 2);
    let bad = app.get(&format!("{path}?cursor=nothex")).await;
    bad.assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
    let big = app.get(&format!("{path}?limit=100000")).await;
    big.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
}

#[tokio::test]
async fn series_csv_agrees_with_json_and_carries_the_next_cursor() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let path = format!("/v1/companies/{}/series/revenue?limit=3", stored.company);
    let json = get_json(&app, &path).await;
    let csv = records(&get_csv(&app, &path).await);
    let from_csv: Vec<(String, String, String)> = csv
        .iter()
        .map(|r| (r["period"].clone(), r["value"].clone(), r["status"].clone()))
        .collect();
    assert_eq!(from_csv, points(&json));
    let response = get_with(&app, &path, &[("accept", "text/csv")]).await;
    assert_eq!(response.header("x-next-cursor"), json["next_cursor"].as_str());
    let etag = response.header("etag").unwrap().to_owned();
    let again = get_with(&app, &path, &[("accept", "text/csv"), ("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn an_unknown_concept_is_a_404_that_lists_the_concepts() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let response = app.get(&format!("/v1/companies/{}/series/ebitda", stored.company)).await;
    let problem = response.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("revenue") && detail.contains("net_income"), "{detail}");
    let non_gaap =
        app.get(&format!("/v1/companies/{}/series/revenue?basis=non_gaap", stored.company)).await;
    let problem = non_gaap.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    assert!(problem["detail"].as_str().unwrap().contains("basis=all"), "{problem}");
}
