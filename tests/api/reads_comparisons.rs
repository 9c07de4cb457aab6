//! `GET /v1/companies/{id}/comparisons`: changes between periods, derived quarters (money only),
//! qoq/yoy, and no year-to-date column set against a quarter.

use axum::http::StatusCode;

use crate::helpers::spawn_app;
use crate::reads_support::{fixture, get_csv, get_json, ingest, line, records, seed_path};

#[tokio::test]
async fn seed_revenue_rises_33_3_percent_from_the_first_to_the_second_quarter_of_2003() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let body = get_json(
        &app,
        &format!(
            "/v1/companies/{}/comparisons?statement=income_statement&periods=3M-2003-06-30,3M-2003-03-31",
            stored.company
        ),
    )
    .await;
    let revenue = line(&body, "revenue");
    assert_eq!(revenue["values"][0]["value"], "21356000");
    assert_eq!(revenue["values"][1]["value"], "16019000");
    let change = &revenue["changes"][0];
    assert_eq!(change["absolute"], "5337000");
    assert_eq!(change["percent"], "33.3");
    assert_eq!(
        (change["period"].as_str(), change["against"].as_str()),
        (Some("3M-2003-06-30"), Some("3M-2003-03-31"))
    );
    // A smaller net loss is a positive change.
    assert_eq!(line(&body, "net_income")["changes"][0]["absolute"], "1171000");
}

#[tokio::test]
async fn seed_quarter_ended_march_2002_is_derived_as_six_months_less_the_second_quarter() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let body = get_json(
        &app,
        &format!(
            "/v1/companies/{}/comparisons?statement=income_statement&periods=3M-2002-06-30,3M-2002-03-31",
            stored.company
        ),
    )
    .await;
    assert_eq!(body["periods"][0]["source"], "stored");
    assert_eq!(body["periods"][1]["source"], "derived");
    assert_eq!(body["periods"][1]["id"], "3M-2002-03-31");
    assert_eq!(body["periods"][1]["start"], "2002-01-01");
    let revenue = line(&body, "revenue");
    let derived = &revenue["values"][1];
    assert_eq!(derived["value"], "21158000");
    assert_eq!(derived["status"], "derived");
    assert_eq!(derived["formula"], "6M-2002-06-30 - 3M-2002-06-30 = 42453000 - 21295000");
    let inputs = derived["derived_from"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(
        (inputs[0]["period"].as_str(), inputs[0]["sign"].as_str(), inputs[0]["value"].as_str()),
        (Some("6M-2002-06-30"), Some("+"), Some("42453000"))
    );
    assert_eq!(
        (inputs[1]["period"].as_str(), inputs[1]["sign"].as_str(), inputs[1]["value"].as_str()),
        (Some("3M-2002-06-30"), Some("-"), Some("21295000"))
    );
    assert!(inputs.iter().all(|i| i["fact_id"].is_i64() && i["filing_id"] == stored.filing));
    // Per-share values, share counts and ratios are never derived by subtraction.
    for key in ["eps_basic_diluted", "shares_basic_diluted", "gross_margin"] {
        let l = line(&body, key);
        assert!(!l["values"][0].is_null(), "{key} is printed for the second quarter");
        assert!(l["values"][1].is_null(), "{key} must not be derived: {l}");
        assert!(l["changes"][0].is_null());
    }
    assert!(body["notes"][0].as_str().unwrap().contains("never derived"));
}

#[tokio::test]
async fn seed_qoq_and_yoy_pick_the_other_period() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let base = format!("/v1/companies/{}/comparisons?statement=income_statement", stored.company);
    let ids = |body: &serde_json::Value| -> Vec<String> {
        body["periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let qoq = get_json(&app, &format!("{base}&period=FY2003-Q2&compare=qoq")).await;
    assert_eq!(ids(&qoq), ["3M-2003-06-30", "3M-2003-03-31"]);
    assert_eq!(line(&qoq, "revenue")["changes"][0]["percent"], "33.3");
    let yoy = get_json(&app, &format!("{base}&period=3M-2003-06-30&compare=yoy")).await;
    assert_eq!(ids(&yoy), ["3M-2003-06-30", "3M-2002-06-30"]);
    assert_eq!(line(&yoy, "revenue")["changes"][0]["absolute"], "61000");
    let half = get_json(&app, &format!("{base}&period=FY2003-H1&compare=yoy")).await;
    assert_eq!(ids(&half), ["6M-2003-06-30", "6M-2002-06-30"]);
}

#[tokio::test]
async fn a_year_to_date_column_is_never_compared_with_a_quarter() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let base = format!("/v1/companies/{}/comparisons?statement=income_statement", stored.company);
    let mixed = app.get(&format!("{base}&periods=9M-2004-06-30,3M-2004-06-30")).await;
    let problem = mixed.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
    assert!(problem["detail"].as_str().unwrap().contains("never compared"), "{problem}");
    let qoq_of_nine = app.get(&format!("{base}&period=9M-2004-06-30&compare=qoq")).await;
    qoq_of_nine.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
    let one = app.get(&format!("{base}&periods=3M-2004-06-30")).await;
    one.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
    let no_statement = app
        .get(&format!("/v1/companies/{}/comparisons?periods=FY2004-Q3,FY2003-Q3", stored.company))
        .await;
    no_statement.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
    // A quarter nothing prints and nothing derives: 404 with what exists.
    let lost = app.get(&format!("{base}&periods=3M-2004-06-30,3M-2004-03-31")).await;
    let problem = lost.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    assert!(problem["detail"].as_str().unwrap().contains("9M-2004-06-30"), "{problem}");
}

#[tokio::test]
async fn yoy_uses_the_restated_quarter_and_csv_agrees_with_json() {
    let app = spawn_app().await;
    ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    let path = format!(
        "/v1/companies/{}/comparisons?statement=income_statement&period=FY2004-Q3&compare=yoy",
        stored.company
    );
    let json = get_json(&app, &path).await;
    let revenue = line(&json, "revenue");
    assert_eq!(revenue["values"][0]["value"], "51980000");
    assert_eq!(revenue["changes"][0]["absolute"], "4680000");
    assert_eq!(revenue["changes"][0]["percent"], "9.9");
    let csv = records(&get_csv(&app, &path).await);
    let mut count = 0;
    for line in json["line_items"].as_array().unwrap() {
        for (p, value) in line["values"].as_array().unwrap().iter().enumerate() {
            if value.is_null() {
                continue;
            }
            count += 1;
            let period = json["periods"][p]["id"].as_str().unwrap();
            let row = csv
                .iter()
                .find(|r| r["label"] == line["label"].as_str().unwrap() && r["period"] == period)
                .unwrap_or_else(|| panic!("no CSV row for {} {period}", line["label"]));
            assert_eq!(row["value"], value["value"].as_str().unwrap());
            let change = &line["changes"][p];
            let expected = change["percent"].as_str().unwrap_or("");
            assert_eq!(row["percent_change"], expected, "{}", line["label"]);
        }
    }
    assert_eq!(csv.iter().filter(|r| !r["value"].is_empty()).count(), count);
}
