//! The bad-input catalogue: whatever a script sends, the answer is a problem+json response with
//! the right status, and nothing is stored. Memory use under the same inputs is measured over a
//! real socket in `process.rs`.

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use flate2::Compression;
use flate2::write::GzEncoder;

use filings::config::{Config, DEFAULT_MAX_UPLOAD_BYTES};

use crate::helpers::{TestApp, TestResponse, spawn_app_with, test_config};
use crate::uploads::{TEN_Q, fixture, multipart, row_counts, upload};

/// An app with the production upload limit (25 MiB) and time for debug-build parses.
async fn hostile_app() -> TestApp {
    spawn_app_with(Config {
        max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
        request_timeout_secs: 60,
        ..test_config()
    })
    .await
}

/// Asserts a refusal: `status`, a problem of type `kind`, and no row in any table.
async fn assert_refused(app: &TestApp, response: &TestResponse, status: StatusCode, kind: &str) {
    response.assert_problem(status, &format!("urn:filings:problem:{kind}"));
    let counts = row_counts(&app.pool).await;
    assert!(counts.iter().all(|(_, n)| *n == 0), "rows were left behind: {counts:?}");
}

/// `POST /v1/filings` with a raw body and extra headers.
async fn post(app: &TestApp, body: Vec<u8>, headers: &[(&str, &str)]) -> TestResponse {
    let mut request = Request::post("/v1/filings");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.request(request.body(Body::from(body)).unwrap()).await
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Bytes that look random (a fixed-seed xorshift: the same noise on every run).
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

#[tokio::test]
async fn an_empty_body_is_a_422_problem() {
    let app = hostile_app().await;
    let response = upload(&app, Vec::new(), "text/plain").await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
    assert!(response.json()["detail"].as_str().unwrap().contains("empty"));
    let (content_type, body) = multipart("file", "empty.txt", "text/plain", b"");
    let response = upload(&app, body, &content_type).await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
}

#[tokio::test]
async fn a_body_one_byte_over_25_mib_is_a_413_problem() {
    let app = hostile_app().await;
    let body = vec![b'x'; DEFAULT_MAX_UPLOAD_BYTES + 1];
    let response = upload(&app, body, "text/plain").await;
    assert_refused(&app, &response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
    let detail = response.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains(&DEFAULT_MAX_UPLOAD_BYTES.to_string()), "{detail}");
}

#[tokio::test]
async fn binary_noise_is_a_415_problem_saying_it_is_not_text() {
    let app = hostile_app().await;
    let response = upload(&app, noise(64 * 1024), "application/octet-stream").await;
    assert_refused(&app, &response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type")
        .await;
    assert!(response.json()["detail"].as_str().unwrap().contains("binary"));
}

#[tokio::test]
async fn zip_and_pdf_files_are_415_problems_that_name_the_format() {
    let app = hostile_app().await;
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend(noise(4096));
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
    pdf.extend(noise(4096));
    for (bytes, content_type, named) in [
        (zip, "application/octet-stream", "ZIP"),
        (pdf.clone(), "application/octet-stream", "PDF"),
        (pdf, "text/plain", "PDF"),
    ] {
        let response = upload(&app, bytes, content_type).await;
        assert_refused(
            &app,
            &response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        )
        .await;
        let detail = response.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(named), "{detail}");
    }
}

#[tokio::test]
async fn invalid_utf8_without_a_filing_is_a_422_problem_in_text_and_html() {
    let app = hostile_app().await;
    let text = b"Dear shareholders \xff\xfe\xc3\x28 a year of \xe2\x82 growth \xf0\x90\x28\xbc\n"
        .repeat(50);
    let response = upload(&app, text.clone(), "text/plain; charset=utf-8").await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
    let mut html = b"<html><body><p>".to_vec();
    html.extend(&text);
    html.extend(b"</p><table><tr><td>\xc0\xaf\xed\xa0\x80</td></tr></table></body></html>");
    let response = upload(&app, html, "text/html; charset=utf-8").await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
}

#[tokio::test]
async fn a_filing_with_invalid_utf8_is_stored_and_its_bytes_kept_exactly() {
    let app = hostile_app().await;
    let mut bytes = fixture(TEN_Q);
    // Windows-1252 quotes and a lone continuation byte, as old submissions have them.
    bytes.extend_from_slice(b"Signed with \x93care\x94 \x80 \xff\n");
    let response = upload(&app, bytes.clone(), "text/plain").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    let id = response.json()["id"].as_i64().unwrap();
    let document = app.get(&format!("/v1/filings/{id}/document")).await;
    assert_eq!(document.status, StatusCode::OK);
    assert_eq!(document.body.as_ref(), bytes.as_slice(), "the stored bytes are the uploaded ones");
}

#[tokio::test]
async fn html_nested_100000_deep_is_answered_quickly_with_a_422_problem() {
    let app = hostile_app().await;
    for element in ["div", "ul", "blockquote", "span"] {
        let html = format!(
            "<html><body>{}Revenue 1,234{}</body></html>",
            format!("<{element}>").repeat(100_000),
            format!("</{element}>").repeat(100_000)
        );
        let started = std::time::Instant::now();
        let response = upload(&app, html.into_bytes(), "text/html").await;
        assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
            .await;
        // The request timeout is 60 s; unbounded nesting took minutes in a debug build.
        assert!(started.elapsed().as_secs() < 30, "<{element}>: {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn a_table_with_100000_columns_is_a_422_problem() {
    let app = hostile_app().await;
    let cells: String = (0..100_000).map(|i| format!("<td>{i}</td>")).collect();
    let html = format!(
        "<html><body><table><tr><td>Revenue</td>{cells}</tr><tr><td>Net income</td>{cells}</tr>\
         </table></body></html>"
    );
    let response = upload(&app, html.into_bytes(), "text/html").await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
    let tabs: String = (0..100_000).map(|i| format!("\t{i}")).collect();
    let text = format!("Revenue{tabs}\nNet income{tabs}\n");
    let response = upload(&app, text.into_bytes(), "text/plain").await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
}

#[tokio::test]
async fn a_line_of_10_mb_is_a_422_problem() {
    let app = hostile_app().await;
    for line in ["1,234 ".repeat(10 * 1024 * 1024 / 6), "a".repeat(10 * 1024 * 1024)] {
        let response = upload(&app, format!("Revenue {line}\n").into_bytes(), "text/plain").await;
        assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
            .await;
    }
}

#[tokio::test]
async fn numbers_of_400_digits_are_never_stored_as_facts() {
    let app = hostile_app().await;
    let huge = "9".repeat(400);
    let statement = format!(
        "CONSOLIDATED STATEMENTS OF OPERATIONS\n(in thousands)\n\
         \tThree Months Ended June 30,\n\t2003\t2002\n\
         Revenue\t{huge}\t1,200\nCost of revenue\t(4{huge})\t300\nGross profit\t800\t900\n"
    );
    // Without a filer: refused, like any document that names no company.
    let response = upload(&app, statement.clone().into_bytes(), "text/plain").await;
    assert_refused(&app, &response, StatusCode::UNPROCESSABLE_ENTITY, "unrecognised-document")
        .await;
    // With one: stored, and no fact holds (or rounds) the unreadable numbers.
    let filing = format!("HOLLOWAY FASTENERS INC.\nFORM 10-Q\n\n{statement}");
    let response = upload(&app, filing.into_bytes(), "text/plain").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    let id = response.json()["id"].as_i64().unwrap();
    let facts = app.get(&format!("/v1/filings/{id}/facts")).await.json();
    let values: Vec<&str> =
        facts["items"].as_array().unwrap().iter().map(|f| f["value"].as_str().unwrap()).collect();
    assert!(values.contains(&"1200000"), "{values:?}");
    assert!(values.iter().all(|v| v.len() < 30), "{values:?}");
}

#[tokio::test]
async fn a_gzip_bomb_is_inflated_only_up_to_the_limit_and_refused_with_413() {
    let app = spawn_app_with(Config { max_upload_bytes: 1 << 20, ..test_config() }).await;
    // 64 MiB of spaces, about 64 KB compressed: 64 times the limit once inflated.
    let bomb = gzip(&vec![b' '; 64 << 20]);
    assert!(bomb.len() < 1 << 20, "the compressed body itself is under the limit");
    let response =
        post(&app, bomb, &[("content-type", "text/plain"), ("content-encoding", "gzip")]).await;
    assert_refused(&app, &response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
}

#[tokio::test]
async fn a_gzip_encoded_upload_is_inflated_and_stored() {
    let app = spawn_app_with(Config { max_upload_bytes: 1 << 20, ..test_config() }).await;
    let response = post(
        &app,
        gzip(&fixture(TEN_Q)),
        &[("content-type", "text/plain"), ("content-encoding", "gzip")],
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&response.body));
    let id = response.json()["id"].as_i64().unwrap();
    let document = app.get(&format!("/v1/filings/{id}/document")).await;
    assert_eq!(document.body.as_ref(), fixture(TEN_Q).as_slice(), "stored inflated");
    let response = post(
        &app,
        b"garbage".to_vec(),
        &[("content-type", "text/plain"), ("content-encoding", "gzip")],
    )
    .await;
    assert!(response.status.is_client_error(), "{}", response.status);
    assert_eq!(response.header("content-type"), Some("application/problem+json"));
    let response =
        post(&app, fixture(TEN_Q), &[("content-type", "text/plain"), ("content-encoding", "zstd")])
            .await;
    response.assert_problem(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "urn:filings:problem:unsupported-media-type",
    );
}

#[tokio::test]
async fn a_multipart_body_with_two_files_or_none_is_a_400_problem() {
    let app = hostile_app().await;
    let boundary = "hostile-boundary-0c2e";
    let part = |name: &str, bytes: &[u8]| {
        let mut part = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"q.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n"
        )
        .into_bytes();
        part.extend_from_slice(bytes);
        part.extend_from_slice(b"\r\n");
        part
    };
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let mut two = part("file", &fixture(TEN_Q));
    two.extend(part("file", b"a second document"));
    two.extend(format!("--{boundary}--\r\n").into_bytes());
    let response = upload(&app, two, &content_type).await;
    assert_refused(&app, &response, StatusCode::BAD_REQUEST, "bad-request").await;
    assert!(response.json()["detail"].as_str().unwrap().contains("more than one"));
    let mut none = part("note", b"no document here");
    none.extend(format!("--{boundary}--\r\n").into_bytes());
    let response = upload(&app, none, &content_type).await;
    assert_refused(&app, &response, StatusCode::BAD_REQUEST, "bad-request").await;
    let response = upload(&app, format!("--{boundary}--\r\n").into_bytes(), &content_type).await;
    assert_refused(&app, &response, StatusCode::BAD_REQUEST, "bad-request").await;
}

#[tokio::test]
async fn path_ids_that_are_not_ids_are_400_problems() {
    let app = hostile_app().await;
    let ids = ["abc", "-1", "0", "1.5", "1e3", "99999999999999999999999", "%00", "1%20", "0x10"];
    for id in ids {
        for path in [
            format!("/v1/filings/{id}"),
            format!("/v1/filings/{id}/facts"),
            format!("/v1/filings/{id}/checks"),
            format!("/v1/filings/{id}/document"),
            format!("/v1/facts/{id}"),
            format!("/v1/companies/{id}"),
            format!("/v1/companies/{id}/statements/income_statement?period=FY2003"),
            format!("/v1/companies/{id}/non-gaap?period=FY2003"),
        ] {
            let response = app.get(&path).await;
            response.assert_problem(StatusCode::BAD_REQUEST, "urn:filings:problem:bad-request");
        }
    }
}

#[tokio::test]
async fn query_parameters_out_of_range_are_client_problems() {
    let app = hostile_app().await;
    let many_periods = vec!["FY2003"; 1000].join(",");
    let paths = [
        "/v1/filings?limit=0".to_owned(),
        "/v1/filings?limit=1001".to_owned(),
        "/v1/filings?limit=-1".to_owned(),
        "/v1/filings?limit=18446744073709551616".to_owned(),
        "/v1/filings?from=2003-13-45".to_owned(),
        "/v1/filings?company=abc".to_owned(),
        "/v1/filings?cursor=not-a-cursor".to_owned(),
        "/v1/companies?limit=100000".to_owned(),
        "/v1/companies?cursor=%FF%FE".to_owned(),
        "/v1/filings/1/facts?limit=5000".to_owned(),
        "/v1/filings/1/checks?failed=maybe".to_owned(),
        format!("/v1/companies/1/statements/income_statement?period={many_periods}"),
        "/v1/companies/1/series/revenue?months=-3".to_owned(),
        "/v1/companies/1/series/revenue?months=99999999999".to_owned(),
        "/v1/companies/1/comparisons?statement=income_statement&period=FY2003&compare=weekly"
            .to_owned(),
    ];
    for path in paths {
        let response = app.get(&path).await;
        assert!(
            matches!(response.status.as_u16(), 400 | 404 | 422),
            "{path}: {} {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        );
        assert_eq!(response.header("content-type"), Some("application/problem+json"), "{path}");
    }
}

#[tokio::test]
async fn sql_and_script_injection_in_every_string_parameter_is_inert() {
    let app = hostile_app().await;
    let seeded = upload(&app, fixture(TEN_Q), "text/plain").await;
    assert_eq!(seeded.status, StatusCode::CREATED);
    let before = row_counts(&app.pool).await;
    let payloads = [
        "' OR '1'='1",
        "1; DROP TABLE filings; --",
        "'); DELETE FROM facts; --",
        "\" OR 1=1 --",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "%00",
        "${jndi:ldap://x}",
        "../../etc/passwd",
    ];
    let templates = [
        "/v1/filings?form={}",
        "/v1/filings?cursor={}",
        "/v1/filings?from={}",
        "/v1/companies?q={}",
        "/v1/companies?cik={}",
        "/v1/companies?ticker={}",
        "/v1/companies?cursor={}",
        "/v1/filings/1/facts?cursor={}",
        "/v1/companies/1/statements/{}?period=FY2004-Q2",
        "/v1/companies/1/statements/income_statement?period={}",
        "/v1/companies/1/statements/income_statement?period=FY2004-Q2&basis={}",
        "/v1/companies/1/statements/income_statement?period=FY2004-Q2&filing={}",
        "/v1/companies/1/comparisons?statement={}&periods=FY2004-Q2,FY2004-Q1",
        "/v1/companies/1/comparisons?statement=income_statement&periods={}",
        "/v1/companies/1/comparisons?statement=income_statement&period=FY2004-Q2&compare={}",
        "/v1/companies/1/non-gaap?period={}",
        "/v1/companies/1/series/{}",
        "/v1/companies/1/series/revenue?basis={}",
    ];
    for payload in payloads {
        let encoded: String = payload
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        for template in templates {
            let path = template.replace("{}", &encoded);
            let response = app.get(&path).await;
            assert!(!response.status.is_server_error(), "{path}: {}", response.status);
            let content_type = response.header("content-type").unwrap_or_default().to_owned();
            assert!(!content_type.contains("html"), "{path}: served as {content_type}");
            assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{path}");
            if response.status.is_success() {
                // A search that matches nothing is the only success an injection can get.
                let body = String::from_utf8_lossy(&response.body);
                assert!(!body.contains("<script>"), "{path}: {body}");
            }
        }
    }
    assert_eq!(row_counts(&app.pool).await, before, "no row changed");
}
