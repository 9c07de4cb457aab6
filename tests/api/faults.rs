//! Faults: PostgreSQL going away under load and coming back, clients that hang up half-way
//! through an upload, and shutdown while requests are in flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use filings::app::App;
use filings::config::Config;
use filings::db::embedded::{EmbeddedOptions, EmbeddedPostgres};
use filings::db::{self, ACQUIRE_TIMEOUT, pool_options};

use crate::helpers::{TestDatabase, TestResponse, cluster_dir, send, test_config, test_router};
use crate::uploads::{TEN_Q, fixture, row_counts};

/// The fixture with a marker line appended: the same filing, other bytes (another SHA-256).
fn variant(n: usize) -> Vec<u8> {
    let mut bytes = fixture(TEN_Q);
    bytes.extend_from_slice(format!("\nload variant {n}\n").as_bytes());
    bytes
}

fn post_filing(bytes: Vec<u8>) -> Request<Body> {
    Request::post("/v1/filings")
        .header("content-type", "text/plain")
        .body(Body::from(bytes))
        .unwrap()
}

async fn start_cluster(dir: std::path::PathBuf) -> EmbeddedPostgres {
    tokio::task::spawn_blocking(move || {
        EmbeddedPostgres::start(&dir, &EmbeddedOptions { durable: false })
    })
    .await
    .unwrap()
    .expect("the private cluster starts")
}

/// What one request of the background load got, and how long it took.
struct Outcome {
    what: String,
    status: StatusCode,
    problem: bool,
    elapsed: Duration,
}

/// Ingests and reads in a loop on `router` until `stop` is set.
async fn load(router: Router, worker: usize, stop: Arc<AtomicBool>) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (what, request) = if n % 2 == 0 {
            ("ingest".to_owned(), post_filing(variant(worker * 100_000 + n)))
        } else {
            let path = ["/v1/filings/1/facts", "/v1/companies/1", "/v1/filings"][n % 3].to_owned();
            (path.clone(), Request::get(path).body(Body::empty()).unwrap())
        };
        let started = Instant::now();
        let response = send(&router, request).await;
        outcomes.push(Outcome {
            what,
            status: response.status,
            problem: response.header("content-type") == Some("application/problem+json"),
            elapsed: started.elapsed(),
        });
    }
    outcomes
}

async fn facts_per_filing(pool: &PgPool) -> Vec<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT f.id, (SELECT count(*) FROM documents d WHERE d.filing_id = f.id), \
                (SELECT count(*) FROM facts x JOIN line_items l ON l.id = x.line_item_id \
                 JOIN statements s ON s.id = l.statement_id WHERE s.filing_id = f.id) \
         FROM filings f ORDER BY f.id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_stopping_under_load_gives_fast_503s_and_the_service_recovers_by_itself() {
    let dir = cluster_dir();
    let cluster = start_cluster(dir.path().to_owned()).await;
    let pool = pool_options(8).connect_with(cluster.connect_options()).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let config = Config { request_timeout_secs: 30, max_upload_bytes: 1 << 20, ..test_config() };
    let router = test_router(pool.clone(), &config);
    let first = send(&router, post_filing(fixture(TEN_Q))).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let facts = facts_per_filing(&pool).await[0].2;
    assert!(facts > 0);

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> =
        (1..=4).map(|w| tokio::spawn(load(router.clone(), w, stop.clone()))).collect();
    tokio::time::sleep(Duration::from_millis(700)).await;

    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap().expect("stopping");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // While it is down: quick 503 problems, for the probe, reads and writes alike.
    for request in [
        Request::get("/readyz").body(Body::empty()).unwrap(),
        Request::get("/v1/filings").body(Body::empty()).unwrap(),
        Request::get("/v1/companies/1/statements/income_statement?period=FY2004-Q2")
            .body(Body::empty())
            .unwrap(),
        post_filing(variant(1)),
    ] {
        let what = format!("{} {}", request.method(), request.uri());
        let started = Instant::now();
        let response: TestResponse = send(&router, request).await;
        response.assert_problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "urn:filings:problem:service-unavailable",
        );
        assert!(
            started.elapsed() <= ACQUIRE_TIMEOUT + Duration::from_secs(1),
            "{what}: {:?}",
            started.elapsed()
        );
    }

    let restarted_at = Instant::now();
    let cluster = start_cluster(dir.path().to_owned()).await;
    let started_in = restarted_at.elapsed();
    loop {
        let ready = send(&router, Request::get("/readyz").body(Body::empty()).unwrap()).await;
        if ready.status == StatusCode::OK {
            break;
        }
        assert!(
            restarted_at.elapsed() < started_in + Duration::from_secs(5),
            "not ready 5 s after PostgreSQL came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let the load run against the recovered database for a moment, then stop it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.unwrap());
    }

    let unavailable =
        outcomes.iter().filter(|o| o.status == StatusCode::SERVICE_UNAVAILABLE).count();
    let created = outcomes.iter().filter(|o| o.status == StatusCode::CREATED).count();
    assert!(unavailable > 0 && created > 0, "{unavailable} 503s, {created} 201s");
    for outcome in &outcomes {
        assert!(
            matches!(outcome.status.as_u16(), 200 | 201 | 503),
            "{}: {} after {:?}",
            outcome.what,
            outcome.status,
            outcome.elapsed
        );
        if outcome.status == StatusCode::SERVICE_UNAVAILABLE {
            assert!(outcome.problem, "{}: a 503 that is not a problem", outcome.what);
            assert!(
                outcome.elapsed <= ACQUIRE_TIMEOUT + Duration::from_secs(2),
                "{}: {:?}",
                outcome.what,
                outcome.elapsed
            );
        }
    }
    // Nothing half-written: every filing has its document and all of its facts.
    for (id, documents, count) in facts_per_filing(&pool).await {
        assert_eq!((documents, count), (1, facts), "filing {id}");
    }
    let after = send(&router, post_filing(variant(2))).await;
    assert_eq!(after.status, StatusCode::CREATED, "ingest works again without a restart");
    pool.close().await;
    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap().expect("stopping");
}

/// A server on a fresh database over a real socket, stopped when `stop` is sent.
async fn serve(
    config: Config,
) -> (
    TestDatabase,
    u16,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    let database = TestDatabase::create().await;
    let config = Config { database_url: Some(database.url()), ..config };
    let app = App::build(config).await.expect("the app builds");
    let port = app.port();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stop_rx.await.ok();
    }));
    (database, port, stop_tx, server)
}

/// A connection on which a whole upload of `body` has been sent (the answer is still to read).
async fn send_upload(port: u16, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /v1/filings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    stream
}

#[tokio::test]
async fn a_client_that_hangs_up_mid_upload_leaves_nothing_behind() {
    let (database, port, stop, server) =
        serve(Config { max_upload_bytes: 1 << 20, ..test_config() }).await;
    let body = fixture(TEN_Q);
    for sent in [0, body.len() / 2, body.len() - 1] {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let head = format!(
            "POST /v1/filings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body[..sent]).await.unwrap();
        stream.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        drop(stream);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pool = pool_options(1).connect_with(database.options()).await.unwrap();
    assert!(row_counts(&pool).await.iter().all(|(_, n)| *n == 0), "{:?}", row_counts(&pool).await);
    // The server is none the worse: the whole upload now goes through.
    let mut stream = send_upload(port, &body).await;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    pool.close().await;
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_hang_up_after_their_upload_leave_whole_filings_or_none() {
    let (database, port, stop, server) =
        serve(Config { max_upload_bytes: 1 << 20, db_pool_size: 2, ..test_config() }).await;
    // Hang-ups at every moment of the work: while parsing, while storing, after.
    for n in 0..24 {
        let stream = send_upload(port, &variant(n)).await;
        tokio::time::sleep(Duration::from_millis(2 * n as u64)).await;
        drop(stream);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pool = pool_options(1).connect_with(database.options()).await.unwrap();
    let expected = facts_of_one_upload().await;
    for (id, documents, facts) in facts_per_filing(&pool).await {
        assert_eq!((documents, facts), (1, expected), "filing {id} is whole");
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(open, 0, "connections left idle in a transaction");
    // The pool's connections carry no transaction left open: uploads still store, whole.
    for n in 100..104 {
        let mut stream = send_upload(port, &variant(n)).await;
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    }
    for (id, documents, facts) in facts_per_filing(&pool).await {
        assert_eq!((documents, facts), (1, expected), "filing {id} is whole");
    }
    pool.close().await;
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// How many facts one upload of the fixture stores.
async fn facts_of_one_upload() -> i64 {
    let database = TestDatabase::create().await;
    let pool = pool_options(2).connect_with(database.options()).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let router = test_router(pool.clone(), &Config { max_upload_bytes: 1 << 20, ..test_config() });
    assert_eq!(send(&router, post_filing(variant(0))).await.status, StatusCode::CREATED);
    let facts = facts_per_filing(&pool).await[0].2;
    pool.close().await;
    facts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_under_load_finishes_the_requests_in_flight() {
    let (database, port, stop, server) =
        serve(Config { max_upload_bytes: 1 << 20, request_timeout_secs: 60, ..test_config() })
            .await;
    // Sixteen uploads in flight when the shutdown begins: each has sent all of its body but the
    // last bytes, which follow only once the server is shutting down.
    let mut streams = Vec::new();
    for n in 0..16 {
        let body = variant(n);
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let head = format!(
            "POST /v1/filings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let (sent, rest) = body.split_at(body.len() - 64);
        stream.write_all(sent).await.unwrap();
        streams.push((stream, rest.to_vec()));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!server.is_finished(), "the server waits for the requests in flight");
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "no new connections");
    for (mut stream, rest) in streams {
        stream.write_all(&rest).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    }
    server.await.unwrap().expect("a clean shutdown");
    let pool = pool_options(1).connect_with(database.options()).await.unwrap();
    let filings: i64 =
        sqlx::query_scalar("SELECT count(*) FROM filings").fetch_one(&pool).await.unwrap();
    assert_eq!(filings, 16, "every upload in flight was stored");
    pool.close().await;
}
