//! The embedded default: a private cluster from the local PostgreSQL binaries, initialised
//! once, reused, stopped cleanly, locked against a second user, and adopted after a crash.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use filings::app::App;
use filings::config::Config;
use filings::db::embedded::{EmbeddedError, EmbeddedOptions, EmbeddedPostgres};
use filings::db::{self, pool_options};

use crate::helpers::{cluster_dir, get, test_config, test_router};

async fn start(dir: &std::path::Path) -> Result<EmbeddedPostgres, EmbeddedError> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        EmbeddedPostgres::start(&dir, &EmbeddedOptions { durable: false })
    })
    .await
    .unwrap()
}

async fn stop(cluster: EmbeddedPostgres) {
    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap().unwrap();
}

#[tokio::test]
async fn the_cluster_is_initialised_once_reused_and_stopped_and_readiness_follows_it() {
    let dir = cluster_dir();
    let first = start(dir.path()).await.expect("first start");
    assert!(first.initialised(), "the first start runs initdb");
    assert!(!first.adopted());
    let pgdata = first.pgdata().to_path_buf();
    assert!(pgdata.join("PG_VERSION").exists());

    // A second user of the same data directory is turned away while the first holds it.
    match start(dir.path()).await {
        Err(EmbeddedError::InUse { .. }) => {}
        other => panic!("expected InUse, got {other:?}"),
    }

    let pool = pool_options(2).connect_with(first.connect_options()).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let router = test_router(pool.clone(), &test_config());
    assert_eq!(get(&router, "/readyz").await.status, StatusCode::OK);

    stop(first).await;
    assert!(!pgdata.join("postmaster.pid").exists(), "the server is down");
    get(&router, "/readyz")
        .await
        .assert_problem(StatusCode::SERVICE_UNAVAILABLE, "urn:filings:problem:service-unavailable");

    let second = start(dir.path()).await.expect("second start");
    assert!(!second.initialised(), "the second start reuses the cluster");
    assert!(!second.adopted());
    // The same pool reconnects, and the data (the migrations) survived.
    assert_eq!(get(&router, "/readyz").await.status, StatusCode::OK);
    pool.close().await;
    stop(second).await;
}

/// A child process killed when the test ends, even by a failed assertion.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_cluster_left_running_by_a_killed_process_is_adopted_and_stopped() {
    let dir = cluster_dir();
    let mut serve = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_filings"))
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .env_remove("DATABASE_URL")
            .env("FILINGS_LOG_FORMAT", "json")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = BufReader::new(serve.0.stderr.take().unwrap());
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        let serving = line.contains("serving on the embedded PostgreSQL cluster");
        seen.push(line);
        if serving {
            break;
        }
    }
    assert!(
        seen.last().is_some_and(|l| l.contains("serving")),
        "filings serve did not start: {seen:#?}"
    );
    serve.0.kill().unwrap(); // SIGKILL: no chance to stop the cluster
    serve.0.wait().unwrap();
    let pgdata = dir.path().join("postgres");
    assert!(pgdata.join("postmaster.pid").exists(), "the server outlived its parent");

    let cluster = start(dir.path()).await.expect("start after the crash");
    assert!(cluster.adopted(), "the running server is adopted");
    assert!(!cluster.initialised());
    let pool = pool_options(1).connect_with(cluster.connect_options()).await.unwrap();
    assert_eq!(db::check_readiness(&pool).await.unwrap(), db::latest_migration());
    pool.close().await;
    stop(cluster).await;
    assert!(!pgdata.join("postmaster.pid").exists());
}

#[tokio::test]
async fn serving_on_the_embedded_default_is_ready_and_stops_its_cluster_on_shutdown() {
    let dir = cluster_dir();
    let config = Config { database_url: None, data_dir: dir.path().to_path_buf(), ..test_config() };
    let app = App::build(config).await.expect("the app builds on the embedded default");
    let cluster = app.database().embedded().expect("an embedded cluster");
    assert!(cluster.initialised());
    let pgdata = cluster.pgdata().to_path_buf();
    let port = app.port();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stop_rx.await.ok();
    }));

    let response = crate::smoke::http_get(port, "/readyz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    stop_tx.send(()).unwrap();
    server.await.unwrap().expect("a clean shutdown");
    assert!(!pgdata.join("postmaster.pid").exists(), "the cluster was stopped");
}
