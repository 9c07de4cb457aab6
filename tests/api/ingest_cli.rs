//! `filings ingest`: a folder with one good and one bad file, straight into the database and
//! through a running server; the summary table and the exit status; a rate-limited server is
//! waited out, not counted as rejecting files.

use std::process::{Command, Output};

use filings::app::App;
use filings::config::Config;

use crate::helpers::{TestDatabase, test_config};
use crate::uploads::{LETTER, TEN_Q, fixture};

/// A temporary folder holding the 10-Q (nested one level) and the letter.
fn folder_with_one_good_and_one_bad_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("2004")).unwrap();
    std::fs::write(dir.path().join("2004/q2-10q.txt"), fixture(TEN_Q)).unwrap();
    std::fs::write(dir.path().join("letter.txt"), fixture(LETTER)).unwrap();
    dir
}

fn ingest(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_filings"))
        .arg("ingest")
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("running filings ingest")
}

fn line_for<'a>(stdout: &'a str, file: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("no line for {file}: {stdout}"))
}

#[tokio::test]
async fn ingest_into_the_database_reports_each_file_and_fails_when_one_is_rejected() {
    let database = TestDatabase::create().await;
    let dir = folder_with_one_good_and_one_bad_file();
    let path = dir.path().to_str().unwrap();

    let first = ingest(&[path, "--jobs", "2"], &database.url());
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert_eq!(first.status.code(), Some(1), "{stdout}{}", String::from_utf8_lossy(&first.stderr));
    assert!(line_for(&stdout, "q2-10q.txt").contains(" new "), "{stdout}");
    let letter = line_for(&stdout, "letter.txt");
    assert!(letter.contains("rejected") && letter.contains("filer's name"), "{stdout}");
    assert!(stdout.contains("2 file(s): 1 new, 0 already present, 1 rejected"), "{stdout}");
    assert!(String::from_utf8_lossy(&first.stderr).contains("1 of 2 file(s) rejected"));

    // Again, only the good file: already there, and a clean exit.
    let good = dir.path().join("2004");
    let second = ingest(&[good.to_str().unwrap()], &database.url());
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{stdout}{}", String::from_utf8_lossy(&second.stderr));
    assert!(line_for(&stdout, "q2-10q.txt").contains("already present"), "{stdout}");

    let pool = filings::db::pool_options(1).connect_with(database.options()).await.unwrap();
    let filings: i64 =
        sqlx::query_scalar("SELECT count(*) FROM filings").fetch_one(&pool).await.unwrap();
    assert_eq!(filings, 1);
    pool.close().await;
}

#[tokio::test]
async fn ingest_to_a_server_uploads_with_the_api_key() {
    let database = TestDatabase::create().await;
    let key = "cli-key-0123456789abcdef";
    let config = Config {
        database_url: Some(database.url()),
        api_keys: vec![key.to_owned()],
        max_upload_bytes: 1 << 20,
        ..test_config()
    };
    let app = App::build(config).await.expect("the app builds");
    let port = app.port();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stop_rx.await.ok();
    }));
    let dir = folder_with_one_good_and_one_bad_file();
    let url = format!("http://127.0.0.1:{port}");
    let path = dir.path().to_str().unwrap().to_owned();

    let run = |key: &'static str| {
        let (url, path) = (url.clone(), path.clone());
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_filings"))
                .args(["ingest", &path, "--server", &url, "--api-key", key])
                .env("RUST_LOG", "warn")
                .output()
                .unwrap()
        })
    };
    let wrong = run("not-the-key-0123456789").await.unwrap();
    let stdout = String::from_utf8_lossy(&wrong.stdout);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(line_for(&stdout, "q2-10q.txt").contains("403"), "{stdout}");

    let right = run(key).await.unwrap();
    let stdout = String::from_utf8_lossy(&right.stdout);
    assert_eq!(right.status.code(), Some(1), "the letter is still rejected: {stdout}");
    assert!(line_for(&stdout, "q2-10q.txt").contains(" new "), "{stdout}");
    assert!(line_for(&stdout, "letter.txt").contains("422"), "{stdout}");

    stop_tx.send(()).unwrap();
    server.await.unwrap().expect("a clean shutdown");
}

#[tokio::test]
async fn ingest_to_a_server_waits_out_its_rate_limit() {
    let database = TestDatabase::create().await;
    let config = Config {
        database_url: Some(database.url()),
        max_upload_bytes: 1 << 20,
        rate_limit_per_sec: 2,
        rate_limit_burst: 1,
        ..test_config()
    };
    let app = App::build(config).await.expect("the app builds");
    let port = app.port();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stop_rx.await.ok();
    }));
    // Four different documents, sent four at a time to a server that takes two a second.
    let dir = tempfile::tempdir().unwrap();
    for n in 0..4 {
        let mut bytes = fixture(TEN_Q);
        bytes.extend_from_slice(format!("\ncopy {n}\n").as_bytes());
        std::fs::write(dir.path().join(format!("copy-{n}.txt")), bytes).unwrap();
    }
    let (url, path) = (format!("http://127.0.0.1:{port}"), dir.path().to_str().unwrap().to_owned());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_filings"))
            .args(["ingest", &path, "--server", &url, "--jobs", "4"])
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for n in 0..4 {
        assert!(line_for(&stdout, &format!("copy-{n}.txt")).contains(" new "), "{stdout}");
    }
    let metrics = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let limited = metrics
        .lines()
        .find_map(|l| l.strip_prefix("filings_rate_limited_requests_total "))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or_default();
    assert!(limited >= 1.0, "the server did refuse some uploads for a while: {metrics}");
    stop_tx.send(()).unwrap();
    server.await.unwrap().expect("a clean shutdown");
}
