//! Reading filings back: the list with filters and cursors, facts as JSON and CSV, one fact's
//! provenance, checks, reparse and delete, path ids, keys for reads, and the seed end to end.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use filings::config::Config;
use filings::parse::{ParseOptions, parse};

use crate::helpers::{TestApp, spawn_app_with, test_config};
use crate::uploads::{RELEASE, TEN_Q, count, fixture, ingest_app, row_counts, upload};

/// Uploads a fixture; the new filing's summary.
async fn ingest(app: &TestApp, path: &str, content_type: &str) -> Value {
    let response = upload(app, fixture(path), content_type).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    response.json()
}

/// Every fact of a filing through the JSON pages.
async fn all_facts(app: &TestApp, id: i64, limit: usize) -> Vec<Value> {
    let mut facts = Vec::new();
    let mut path = format!("/v1/filings/{id}/facts?limit={limit}");
    loop {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", String::from_utf8_lossy(&page.body));
        let page = page.json();
        facts.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/filings/{id}/facts?limit={limit}&cursor={cursor}"),
            None => return facts,
        }
    }
}

/// The parser's facts as JSON, each without the fields the API does not repeat.
fn parsed_facts(bytes: &[u8]) -> Vec<Value> {
    let parsed = parse(bytes, &ParseOptions::default());
    parsed
        .facts
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap();
            // The API normalizes decimals (no trailing zeros): compare the numbers.
            let value: rust_decimal::Decimal = f.value;
            v["value"] = Value::String(value.normalize().to_string());
            v
        })
        .collect()
}

fn without_id(fact: &Value) -> Value {
    let mut fact = fact.clone();
    fact.as_object_mut().unwrap().remove("id");
    fact
}

#[tokio::test]
async fn facts_come_back_in_the_shape_and_order_of_filings_parse() {
    let app = ingest_app().await;
    let id = ingest(&app, TEN_Q, "text/plain").await["id"].as_i64().unwrap();
    let facts = all_facts(&app, id, 7).await;
    let served: Vec<Value> = facts.iter().map(without_id).collect();
    assert_eq!(served, parsed_facts(&fixture(TEN_Q)));
}

#[tokio::test]
async fn facts_as_json_and_as_csv_agree() {
    let app = ingest_app().await;
    let id = ingest(&app, TEN_Q, "text/plain").await["id"].as_i64().unwrap();
    let json = all_facts(&app, id, 1000).await;
    let csv = app
        .request(
            Request::get(format!("/v1/filings/{id}/facts?limit=1000"))
                .header("accept", "text/csv")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let text = String::from_utf8(csv.body.to_vec()).unwrap();
    let rows = parse_csv(&text);
    assert_eq!(rows[0].join(","), filings::api::facts::CSV_HEADER);
    assert_eq!(rows.len() - 1, json.len());
    for (row, fact) in rows[1..].iter().zip(&json) {
        let text = |v: &Value| match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let expected = [
            text(&fact["id"]),
            text(&fact["statement"]),
            text(&fact["statement_index"]),
            text(&fact["line_item"]),
            text(&fact["label"]),
            text(&fact["concept"]),
            text(&fact["period"]),
            text(&fact["basis"]),
            text(&fact["value"]),
            text(&fact["unit"]),
            text(&fact["status"]),
            text(&fact["as_printed"]),
            text(&fact["span"][0]),
            text(&fact["span"][1]),
            text(&fact["formula"]),
        ];
        assert_eq!(row.as_slice(), expected.as_slice());
    }
    // A CSV page names the next one.
    let paged = app
        .request(
            Request::get(format!("/v1/filings/{id}/facts?limit=5"))
                .header("accept", "text/csv")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(paged.header("x-next-cursor").is_some_and(|c| !c.is_empty()));
    assert_eq!(parse_csv(&String::from_utf8_lossy(&paged.body)).len(), 6);
    // Unchanged content: 304 for the ETag it was sent with; JSON and CSV have their own.
    let etag = csv.header("etag").unwrap().to_owned();
    let again = app
        .request(
            Request::get(format!("/v1/filings/{id}/facts?limit=1000"))
                .header("accept", "text/csv")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let json_page = app.get(&format!("/v1/filings/{id}/facts?limit=1000")).await;
    assert_ne!(json_page.header("etag"), Some(etag.as_str()));
}

/// A small RFC 4180 reader for the test.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn a_fact_shows_its_source_line_and_the_decisions_behind_it() {
    let app = ingest_app().await;
    let id = ingest(&app, TEN_Q, "text/plain").await["id"].as_i64().unwrap();
    let facts = all_facts(&app, id, 1000).await;
    let revenue = facts
        .iter()
        .find(|f| {
            f["label"].as_str().unwrap().starts_with("Cost of revenue")
                && f["period"] == "3M-2004-06-30"
        })
        .expect("cost of revenue for the quarter");
    assert_eq!(revenue["value"], "5130000");
    let detail = app.get(&format!("/v1/facts/{}", revenue["id"])).await;
    assert_eq!(detail.status, StatusCode::OK);
    let detail = detail.json();
    assert_eq!(detail["fact"], *revenue);
    assert_eq!(detail["filing_id"], id);
    let text = detail["source"]["text"].as_str().unwrap();
    assert!(text.starts_with("Cost of revenue....") && text.contains("4,402"), "{text}");
    let highlight: Vec<usize> = detail["source"]["highlight"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let shown: String = text.chars().skip(highlight[0]).take(highlight[1] - highlight[0]).collect();
    assert_eq!(shown, revenue["as_printed"].as_str().unwrap());
    let decisions = &detail["decisions"];
    assert_eq!(decisions["scale"], "1000");
    assert!(decisions["scale_source"].as_str().unwrap().contains("In thousands"), "{decisions}");
    assert_eq!(decisions["period"], "3M-2004-06-30");
    assert_eq!(decisions["period_source"], "column header");
    assert_eq!(decisions["status"], "reported");

    assert_eq!(app.get("/v1/facts/999999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_list_filters_by_company_form_and_date_and_pages_with_a_cursor() {
    let app = ingest_app().await;
    let q2 = ingest(&app, TEN_Q, "text/plain").await;
    let q3 = ingest(&app, RELEASE, "text/html").await;
    let other = String::from_utf8(fixture(TEN_Q))
        .unwrap()
        .replace("BRACKENRIDGE INSTRUMENTS INC", "HALVERSON FOUNDRY CORP")
        .replace("0000876543", "0000765432")
        .replace("000-24817", "000-31170")
        .replace("20040630", "20040331");
    let other = upload(&app, other.into_bytes(), "text/plain").await.json();
    assert_ne!(other["company"]["id"], q2["company"]["id"]);

    let ids = |page: &Value| -> Vec<i64> {
        page["items"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect()
    };
    let all = app.get("/v1/filings").await.json();
    // Newest report first, undated (the release) last.
    assert_eq!(
        ids(&all),
        [q2["id"].as_i64().unwrap(), other["id"].as_i64().unwrap(), q3["id"].as_i64().unwrap()]
    );
    assert_eq!(all["next_cursor"], Value::Null);

    let company = app.get(&format!("/v1/filings?company={}", q2["company"]["id"])).await.json();
    assert_eq!(ids(&company).len(), 2);
    let form = app.get("/v1/filings?form=10-q").await.json();
    assert_eq!(ids(&form).len(), 2);
    let dated = app.get("/v1/filings?from=2004-04-01&to=2004-12-31").await.json();
    assert_eq!(ids(&dated), [q2["id"].as_i64().unwrap()]);

    let mut seen = Vec::new();
    let mut path = "/v1/filings?limit=1".to_owned();
    loop {
        let page = app.get(&path).await.json();
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/filings?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ids(&all));

    for bad in [
        "/v1/filings?limit=0",
        "/v1/filings?limit=5000",
        "/v1/filings?cursor=nonsense",
        "/v1/filings?from=yesterday",
    ] {
        app.get(bad)
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
    }
}

#[tokio::test]
async fn paths_whose_ids_are_not_ids_are_400_and_unknown_ids_404() {
    let app = ingest_app().await;
    for path in ["/v1/filings/abc", "/v1/filings/-1/facts", "/v1/filings/0/checks", "/v1/facts/1.5"]
    {
        app.get(path)
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
    }
    for path in [
        "/v1/filings/42",
        "/v1/filings/42/facts",
        "/v1/filings/42/checks",
        "/v1/filings/42/document",
    ] {
        app.get(path).await.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    }
    let delete = app.request(Request::delete("/v1/filings/42").body(Body::empty()).unwrap()).await;
    delete.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
    let reparse =
        app.request(Request::post("/v1/filings/42/reparse").body(Body::empty()).unwrap()).await;
    reparse.assert_problem(StatusCode::NOT_FOUND, "urn:filings:problem:not-found");
}

#[tokio::test]
async fn checks_list_every_identity_and_filter_the_failed_ones() {
    let app = ingest_app().await;
    let summary = ingest(&app, TEN_Q, "text/plain").await;
    let id = summary["id"].as_i64().unwrap();
    let all = app.get(&format!("/v1/filings/{id}/checks")).await.json();
    assert_eq!(
        all["items"].as_array().unwrap().len() as i64,
        summary["counts"]["checks"].as_i64().unwrap()
    );
    let failed = app.get(&format!("/v1/filings/{id}/checks?failed=true")).await.json();
    let failed = failed["items"].as_array().unwrap();
    assert_eq!(failed.len() as i64, summary["counts"]["failed_checks"].as_i64().unwrap());
    assert!(failed.iter().all(|c| c["passed"] == false));
    assert_eq!(Value::Array(failed.clone()), summary["failed_checks"]);
}

async fn post(app: &TestApp, path: &str) -> crate::helpers::TestResponse {
    app.request(Request::post(path).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn reparse_is_idempotent() {
    let app = ingest_app().await;
    let summary = ingest(&app, TEN_Q, "text/plain").await;
    let id = summary["id"].as_i64().unwrap();
    let facts = all_facts(&app, id, 1000).await;
    let counts = row_counts(&app.pool).await;

    let first = post(&app, &format!("/v1/filings/{id}/reparse")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", String::from_utf8_lossy(&first.body));
    let first = first.json();
    assert_eq!(first["changed"], false, "the same parser gives the same result");
    assert_eq!(first["filing"], summary);
    assert_eq!(all_facts(&app, id, 1000).await, facts, "fact ids are kept");

    // A stored result from an older parser is replaced, once.
    sqlx::query("UPDATE filings SET result_sha256 = NULL").execute(&app.pool).await.unwrap();
    let second = post(&app, &format!("/v1/filings/{id}/reparse")).await.json();
    assert_eq!(second["changed"], true);
    let third = post(&app, &format!("/v1/filings/{id}/reparse")).await.json();
    assert_eq!(third["changed"], false);
    let after: Vec<Value> = all_facts(&app, id, 1000).await.iter().map(without_id).collect();
    assert_eq!(after, facts.iter().map(without_id).collect::<Vec<_>>());
    assert_eq!(row_counts(&app.pool).await, counts);
    assert_eq!(third["filing"]["counts"], summary["counts"]);
}

#[tokio::test]
async fn delete_removes_what_only_that_filing_supplied() {
    let app = ingest_app().await;
    let q2 = ingest(&app, TEN_Q, "text/plain").await;
    let only_q2 = row_counts(&app.pool).await;
    let q3 = ingest(&app, RELEASE, "text/html").await;
    assert_eq!(q3["company"]["id"], q2["company"]["id"]);
    // Both report December 31, 2003: one shared period.
    assert_eq!(count(&app.pool, "periods").await, 7);

    let deleted = app
        .request(Request::delete(format!("/v1/filings/{}", q3["id"])).body(Body::empty()).unwrap())
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    // The release's own periods are gone; the shared one and the company stay.
    let mut expected = only_q2.clone();
    let mut now = row_counts(&app.pool).await;
    expected.sort();
    now.sort();
    assert_eq!(now, expected);
    let periods: Vec<String> =
        sqlx::query_scalar("SELECT to_char(end_date, 'YYYY-MM-DD') FROM periods ORDER BY 1")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(periods, ["2003-06-30", "2003-12-31", "2004-06-30", "2004-06-30"]);
    assert_eq!(app.get(&format!("/v1/filings/{}", q3["id"])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/v1/filings/{}", q2["id"])).await.json()["counts"], q2["counts"]);

    // The last filing takes its company with it.
    let deleted = app
        .request(Request::delete(format!("/v1/filings/{}", q2["id"])).body(Body::empty()).unwrap())
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(
        row_counts(&app.pool).await.iter().all(|(_, n)| *n == 0),
        "{:?}",
        row_counts(&app.pool).await
    );
}

#[tokio::test]
async fn reads_need_a_key_when_configured_to() {
    let key = "reader-key-0123456789abcdef";
    let app = spawn_app_with(Config {
        api_keys: vec![key.to_owned()],
        read_requires_key: true,
        max_upload_bytes: 1 << 20,
        ..test_config()
    })
    .await;
    app.get("/v1/filings")
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "urn:filings:problem:unauthorized");
    let wrong = app
        .request(
            Request::get("/v1/filings")
                .header("x-api-key", "wrong-key-0123456789abcd")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    wrong.assert_problem(StatusCode::FORBIDDEN, "urn:filings:problem:forbidden");
    let right = app
        .request(
            Request::get("/v1/filings")
                .header("authorization", format!("Bearer {key}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK);
    // Probes and the contract stay open.
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/openapi.json").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_seed_ingested_over_http_gives_the_facts_of_filings_parse() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/002_a20aa652e07729f8.txt");
    let Ok(bytes) = std::fs::read(&seed) else {
        eprintln!("skipped: {} not found (the seed lives in ../shared)", seed.display());
        return;
    };
    let app = ingest_app().await;
    let response = upload(&app, bytes.clone(), "text/plain").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    let id = response.json()["id"].as_i64().unwrap();
    let served: Vec<Value> = all_facts(&app, id, 100).await.iter().map(without_id).collect();
    let expected = parsed_facts(&bytes);
    assert!(!expected.is_empty());
    assert_eq!(served.len(), expected.len());
    assert_eq!(served, expected);
}
