//! `GET /v1/companies/{id}/statements/{kind}`: the filing's tables reproduced, the latest filing
//! winning, `filing=` pinning, CSV agreeing with JSON, ETags, and problems that say what exists.

use std::collections::HashMap;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;

use filings::ingest::Ingestor;

use filings::parse::{ParseOptions, parse};

use crate::helpers::spawn_app;
use crate::reads_support::{
    fixture, get_csv, get_json, get_with, ingest, line, records, seed_path,
};

#[tokio::test]
async fn seed_statements_reproduce_the_filing_tables() {
    let Some(seed) = seed_path() else { return };
    let app = spawn_app().await;
    let stored = ingest(&app, &seed).await;
    let parsed = parse(&std::fs::read(&seed).unwrap(), &ParseOptions::default());
    let kind_name = |s: &filings::parse::Statement| {
        serde_json::to_value(s.kind).unwrap().as_str().unwrap().to_owned()
    };
    let mut checked = 0;
    for statement in &parsed.statements {
        let kind = kind_name(statement);
        if !["balance_sheet", "income_statement", "cash_flow"].contains(&kind.as_str()) {
            continue;
        }
        let mut periods: Vec<&str> = statement.columns.iter().map(|c| c.period.as_str()).collect();
        periods.dedup();
        let body = get_json(
            &app,
            &format!(
                "/v1/companies/{}/statements/{kind}?period={}&basis=all&filing={}",
                stored.company,
                periods.join(","),
                stored.filing
            ),
        )
        .await;
        let columns: Vec<(String, String)> = body["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (c["period"]["id"].as_str().unwrap().into(), c["basis"].as_str().unwrap().into())
            })
            .collect();
        let lines = body["line_items"].as_array().unwrap();
        // Every printed line item is there, in the printed order.
        let labels: Vec<&str> = lines.iter().map(|l| l["label"].as_str().unwrap()).collect();
        let printed: Vec<&str> = statement.line_items.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, printed, "{kind} {periods:?}");
        for (line, item) in lines.iter().zip(&statement.line_items) {
            assert_eq!(line["is_total"], item.is_total, "{}", item.label);
            assert_eq!(line["is_header"], item.is_header, "{}", item.label);
            assert_eq!(line["section"].as_str(), item.section.as_deref(), "{}", item.label);
        }
        // Every fact of the table is its cell, with its status and the filing it came from.
        let facts: Vec<_> =
            parsed.facts.iter().filter(|f| f.statement_index == statement.index).collect();
        assert!(!facts.is_empty());
        for fact in &facts {
            let basis = serde_json::to_value(fact.basis).unwrap();
            let column = columns
                .iter()
                .position(|(p, b)| *p == fact.period && *b == basis.as_str().unwrap())
                .unwrap_or_else(|| panic!("no column for {} {basis}", fact.period));
            let cell = &lines[fact.line_item]["values"][column];
            assert_eq!(
                cell["value"].as_str().unwrap(),
                fact.value.normalize().to_string(),
                "{}",
                fact.label
            );
            assert_eq!(
                cell["status"],
                serde_json::to_value(fact.status).unwrap(),
                "{}",
                fact.label
            );
            assert_eq!(cell["filing_id"], stored.filing);
            checked += 1;
        }
        let cells = lines
            .iter()
            .flat_map(|l| l["values"].as_array().unwrap())
            .filter(|v| !v.is_null())
            .count();
        assert_eq!(cells, facts.len(), "no value the table does not print");
    }
    assert!(checked > 200, "the seed's statements hold more than 200 facts; checked {checked}");
}

#[tokio::test]
async fn a_restating_filing_wins_and_filing_brings_the_first_back() {
    let app = spawn_app().await;
    let first = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let second = ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    assert_eq!(first.company, second.company, "one company, matched by CIK");
    let path = format!("/v1/companies/{}/statements/income_statement", first.company);

    let latest = get_json(&app, &format!("{path}?period=3M-2004-06-30,3M-2003-06-30")).await;
    let revenue = line(&latest, "revenue");
    assert_eq!(revenue["values"][0]["value"], "51980000");
    assert_eq!(revenue["values"][0]["filing_id"], second.filing);
    // Values both filings print alike come from the latest too.
    assert_eq!(revenue["values"][1]["value"], "47300000");
    assert_eq!(revenue["values"][1]["filing_id"], second.filing);
    assert_eq!(line(&latest, "net_income")["values"][0]["value"], "3515000");
    assert_eq!(latest["sources"].as_array().unwrap().len(), 1);

    let pinned =
        get_json(&app, &format!("{path}?period=3M-2004-06-30&filing={}", first.filing)).await;
    assert_eq!(pinned["pinned_filing"], first.filing);
    let revenue = line(&pinned, "revenue");
    assert_eq!(revenue["values"][0]["value"], "52410000");
    assert_eq!(revenue["values"][0]["filing_id"], first.filing);
    assert_eq!(line(&pinned, "eps_diluted")["values"][0]["value"], "0.41");
}

#[tokio::test]
async fn a_remembered_statement_is_never_served_after_its_data_changed() {
    let app = spawn_app().await;
    let first = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let path =
        format!("/v1/companies/{}/statements/income_statement?period=3M-2004-06-30", first.company);
    let revenue = |body: &Value| line(body, "revenue")["values"][0]["value"].clone();
    assert_eq!(revenue(&get_json(&app, &path).await), "52410000");
    assert_eq!(revenue(&get_json(&app, &path).await), "52410000", "the same answer again");
    let second = ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    assert_eq!(revenue(&get_json(&app, &path).await), "51980000");
    let ingestor = Ingestor::new(app.pool.clone(), Duration::from_secs(60));
    assert!(ingestor.delete(second.filing).await.expect("the delete"));
    assert_eq!(revenue(&get_json(&app, &path).await), "52410000");
    let again = ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    assert_eq!(revenue(&get_json(&app, &path).await), "51980000");
    // A reparse that replaces a filing's rows is a change too (forgetting the stored parse
    // result makes the reparse replace them).
    let before = app.get(&path).await.header("etag").unwrap().to_owned();
    sqlx::query("UPDATE filings SET result_sha256 = NULL WHERE id = $1")
        .bind(again.filing)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(ingestor.reparse(again.filing).await.expect("the reparse").changed);
    let after = app.get(&path).await;
    assert_eq!(revenue(&after.json()), "51980000");
    assert_ne!(after.header("etag"), Some(before.as_str()), "new rows, new ids, new answer");
}

#[tokio::test]
async fn fiscal_aliases_follow_the_company_fiscal_year() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let path = format!("/v1/companies/{}/statements/income_statement", stored.company);
    // The fiscal year ends on September 30: the quarter ended June 30, 2004 is FY2004's third.
    let by_alias = get_json(&app, &format!("{path}?period=FY2004-Q3")).await;
    let by_id = get_json(&app, &format!("{path}?period=3M-2004-06-30")).await;
    assert_eq!(by_alias, by_id);
    assert_eq!(by_alias["columns"][0]["period"]["fiscal_alias"], "FY2004-Q3");
    let nine = get_json(&app, &format!("{path}?period=FY2004-9M")).await;
    assert_eq!(line(&nine, "revenue")["values"][0]["value"], "150220000");
    let missing = app.get(&format!("{path}?period=FY2004-Q2")).await;
    let problem = missing.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    assert!(problem["detail"].as_str().unwrap().contains("3M-2004-06-30 (FY2004-Q3)"), "{problem}");
}

#[tokio::test]
async fn statement_csv_and_json_agree() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let path = format!(
        "/v1/companies/{}/statements/income_statement?period=3M-2004-06-30,9M-2004-06-30",
        stored.company
    );
    let json = get_json(&app, &path).await;
    let csv = records(&get_csv(&app, &path).await);
    let columns = json["columns"].as_array().unwrap();
    let mut expected: Vec<HashMap<&str, String>> = Vec::new();
    for line in json["line_items"].as_array().unwrap() {
        for (column, value) in columns.iter().zip(line["values"].as_array().unwrap()) {
            if value.is_null() {
                continue;
            }
            expected.push(HashMap::from([
                ("label", line["label"].as_str().unwrap().to_owned()),
                ("period", column["period"]["id"].as_str().unwrap().to_owned()),
                ("value", value["value"].as_str().unwrap().to_owned()),
                ("status", value["status"].as_str().unwrap().to_owned()),
                ("fact_id", value["fact_id"].to_string()),
            ]));
        }
    }
    let got: Vec<HashMap<&str, String>> = csv
        .iter()
        .filter(|r| !r["value"].is_empty())
        .map(|r| {
            ["label", "period", "value", "status", "fact_id"]
                .into_iter()
                .map(|k| (k, r[k].clone()))
                .collect()
        })
        .collect();
    assert_eq!(got, expected);
    assert!(got.iter().any(|r| r["value"] == "150220000"));
}

#[tokio::test]
async fn statements_carry_an_etag_and_answer_304_when_it_matches() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let path =
        format!("/v1/companies/{}/statements/income_statement?period=FY2004-Q3", stored.company);
    let first = app.get(&path).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    let again = get_with(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let other = get_with(&app, &path, &[("if-none-match", "W/\"0000\"")]).await;
    assert_eq!(other.status, StatusCode::OK);
    let csv = get_with(&app, &path, &[("accept", "text/csv")]).await;
    assert_ne!(csv.header("etag"), Some(etag.as_str()), "CSV and JSON are different bodies");
    // A restating filing changes the statement, so the old ETag no longer matches.
    ingest(&app, &fixture("reads/quillfeather-q3-restated.txt")).await;
    let changed = get_with(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_kinds_periods_companies_and_filings_are_problems_that_say_what_exists() {
    let app = spawn_app().await;
    let stored = ingest(&app, &fixture("reads/quillfeather-q3.txt")).await;
    let base = format!("/v1/companies/{}/statements", stored.company);
    let detail = |body: Value| body["detail"].as_str().unwrap().to_owned();

    let kind = app.get(&format!("{base}/equity?period=3M-2004-06-30")).await;
    let d = detail(kind.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found"));
    assert!(d.contains("balance_sheet, income_statement, cash_flow"), "{d}");

    let period = app.get(&format!("{base}/income_statement?period=3M-1999-03-31")).await;
    let d = detail(period.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found"));
    assert!(d.contains("3M-2004-06-30") && d.contains("9M-2003-06-30"), "{d}");

    let malformed = app.get(&format!("{base}/income_statement?period=Q3")).await;
    let d = detail(malformed.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    ));
    assert!(d.contains("FY2003-Q2"), "{d}");

    let absent = app.get(&format!("{base}/income_statement")).await;
    let d = detail(absent.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    ));
    assert!(d.contains("3M-2004-06-30"), "{d}");

    let basis = app.get(&format!("{base}/income_statement?period=3M-2004-06-30&basis=ifrs")).await;
    basis.assert_problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "urn:filings:problem:unprocessable-content",
    );

    let no_table = app.get(&format!("{base}/balance_sheet?period=3M-2004-06-30")).await;
    let d = detail(no_table.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found"));
    assert!(d.contains("Periods with balance_sheet data: none"), "{d}");
    assert!(d.contains("Statement kinds with data: income_statement"), "{d}");

    let filing = app
        .get(&format!("{base}/income_statement?period=3M-2004-06-30&filing={}", stored.filing + 99))
        .await;
    let d = detail(filing.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found"));
    assert!(d.contains(&stored.filing.to_string()), "{d}");

    let company = app.get("/v1/companies/987654/statements/income_statement?period=FY2004").await;
    company.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
}
