//! `GET /v1/companies/{id}/non-gaap`: reconciled lines with named adjustments, and bridges for
//! the headline measures, from both reconciliation layouts.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::reads_support::{fixture, get_csv, get_json, ingest, records, seed_path};

fn bridge<'a>(body: &'a Value, measure: &str) -> &'a Value {
    body["bridges"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["measure"] == measure))
        .unwrap_or_else(|| panic!("no {measure} bridge in {body:#}"))
}

fn add_backs(bridge: &Value) -> Vec<(String, String, String)> {
    bridge["add_backs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["sign"].as_str().unwrap().to_owned(),
                a["amount"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn seed_net_loss_bridge_adds_back_stock_compensation_and_amortization() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let body =
        get_json(&app, &format!("/v1/companies/{}/non-gaap?period=3M-2003-06-30", stored.company))
            .await;
    assert_eq!(body["filing"]["id"], stored.filing);
    let net = bridge(&body, "net_result");
    assert_eq!(net["gaap"], "-3210000");
    assert_eq!(
        add_backs(net),
        [
            ("Stock-based compensation".to_owned(), "+".to_owned(), "739000".to_owned()),
            (
                "Amort. of goodwill and purchased intangible assets".to_owned(),
                "+".to_owned(),
                "271000".to_owned()
            ),
        ]
    );
    assert_eq!(net["add_backs"][0]["concept"], "stock_based_compensation");
    assert_eq!(net["add_backs"][1]["concept"], "amortization_of_intangibles");
    // The table prints the net loss adjustment as one number, 1,010: the add-backs make it up.
    assert_eq!(net["printed_adjustment"], "1010000");
    assert!(net["unexplained"].is_null());
    assert_eq!(net["non_gaap"], "-2200000");
    assert_eq!(net["computed_non_gaap"], "-2200000");
    assert_eq!(net["adds_up"], true);

    let operating = bridge(&body, "operating_result");
    assert_eq!(
        (operating["gaap"].as_str(), operating["non_gaap"].as_str()),
        (Some("-3523000"), Some("-2513000"))
    );
    assert_eq!(operating["adds_up"], true);
    let per_share = bridge(&body, "per_share");
    assert_eq!(
        (per_share["gaap"].as_str(), per_share["non_gaap"].as_str()),
        (Some("-0.01"), Some("-0.01"))
    );
    assert!(per_share["add_backs"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn seed_reconciled_lines_name_each_adjustment_and_check_the_sum() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let body =
        get_json(&app, &format!("/v1/companies/{}/non-gaap?period=FY2003-Q1", stored.company))
            .await;
    assert_eq!(body["period"]["id"], "3M-2003-03-31");
    let lines = body["lines"].as_array().unwrap();
    let total = lines.iter().find(|l| l["concept"] == "operating_expenses").expect("total opex");
    let names: Vec<&str> = total["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Stock-based compensation", "Amort. of goodwill and purchased intangible assets"]
    );
    assert_eq!(total["adds_up"], true);
    // The inventory benefit excluded from cost of revenue lowers the non-GAAP result.
    let net = bridge(&body, "net_result");
    let items = add_backs(net);
    assert_eq!(
        items[0],
        (
            "Write-off (benefit) of inventory and purchase commitments".to_owned(),
            "-".to_owned(),
            "735000".to_owned()
        )
    );
    assert_eq!(net["adds_up"], true, "{net:#}");
    assert_eq!(net["non_gaap"], "-3951000");
}

#[tokio::test]
async fn a_reconciliation_printed_row_by_row_is_read_with_its_own_names() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("parse/row-reconciliation.txt")).await;
    let path = format!("/v1/companies/{}/non-gaap?period=3M-2009-12-31", stored.company);
    let body = get_json(&app, &path).await;
    let net = bridge(&body, "net_result");
    assert_eq!(net["gaap"], "-1250000");
    assert_eq!(
        add_backs(net),
        [
            ("Stock-based compensation".to_owned(), "+".to_owned(), "880000".to_owned()),
            (
                "Amortization of acquired intangible assets".to_owned(),
                "+".to_owned(),
                "415000".to_owned()
            ),
        ]
    );
    assert_eq!(net["non_gaap"], "45000");
    assert_eq!(net["adds_up"], true);
    let older =
        get_json(&app, &format!("/v1/companies/{}/non-gaap?period=3M-2008-12-31", stored.company))
            .await;
    assert_eq!(add_backs(bridge(&older, "net_result")).len(), 3, "restructuring printed in 2008");

    // CSV: one row per add-back of the bridge, same amounts.
    let csv = records(&get_csv(&app, &path).await);
    let bridge_rows: Vec<_> = csv.iter().filter(|r| r["part"] == "bridge").collect();
    assert_eq!(bridge_rows.len(), 2);
    assert_eq!(bridge_rows[0]["amount"], "880000");
    assert_eq!(bridge_rows[1]["non_gaap"], "45000");
    assert_eq!(bridge_rows[1]["adds_up"], "true");
}

#[tokio::test]
async fn periods_without_a_reconciliation_are_problems_that_list_those_with_one() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("parse/row-reconciliation.txt")).await;
    let base = format!("/v1/companies/{}/non-gaap", stored.company);
    let absent = app.get(&base).await;
    let problem = absent.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );
    assert!(problem["detail"].as_str().unwrap().contains("3M-2009-12-31"), "{problem}");
    let unknown = app.get(&format!("{base}?period=3M-2001-12-31")).await;
    let problem = unknown.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    assert!(problem["detail"].as_str().unwrap().contains("3M-2008-12-31"), "{problem}");

    let plain = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let gaap_only =
        app.get(&format!("/v1/companies/{}/non-gaap?period=FY2004-Q3", plain.company)).await;
    let problem = gaap_only.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    assert!(
        problem["detail"].as_str().unwrap().contains("Periods with non-GAAP data: none"),
        "{problem}"
    );
}
