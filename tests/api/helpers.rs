//! The test harness: each test gets its own freshly migrated database and the app's router,
//! driven in-process with `tower::ServiceExt::oneshot`.
//!
//! Databases are created on the server `DATABASE_URL` names, or, when it is unset, on one
//! throwaway private cluster started once per test binary from the local PostgreSQL binaries
//! (the same code as the embedded default). Each database is dropped when its test ends.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Executor, PgConnection};
use tower::ServiceExt;
use utoipa_axum::router::OpenApiRouter;

use filings::api::extract::{Json, Path, Query};
use filings::api::problem::{ApiError, ApiResult};
use filings::api::{self, AppState};
use filings::app::build_router;
use filings::config::{Config, LogFormat};
use filings::db::embedded::{EmbeddedOptions, EmbeddedPostgres};
use filings::db::{self, pool_options};

/// A configuration for tests: small limits so that limit tests need little data.
pub fn test_config() -> Config {
    Config {
        database_url: None,
        bind: "127.0.0.1:0".parse().expect("a socket address"),
        data_dir: PathBuf::from("./data"),
        max_upload_bytes: 1024,
        request_timeout_secs: 5,
        api_keys: Vec::new(),
        read_requires_key: false,
        cors_origins: Vec::new(),
        log_format: LogFormat::Json,
        log_filter: "info".to_owned(),
        db_pool_size: 4,
        rate_limit_per_sec: 0,
        rate_limit_burst: 1,
    }
}

/// One test's application: its router, pool and database.
pub struct TestApp {
    /// The full router with middleware, plus the test-only routes under `/__test`.
    pub router: Router,
    /// A pool on the test's own database.
    pub pool: PgPool,
    /// The test's own database (dropped with the app; keep it last so the pool goes first).
    #[allow(dead_code, reason = "held so that the database is dropped with the app")]
    pub database: TestDatabase,
}

/// An app on a fresh, migrated database, with [`test_config`].
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

/// An app on a fresh, migrated database, with `config`.
pub async fn spawn_app_with(config: Config) -> TestApp {
    let database = TestDatabase::create().await;
    let pool = pool_options(config.db_pool_size)
        .connect_with(database.options())
        .await
        .expect("connecting to the test database");
    db::migrate(&pool).await.expect("migrating the test database");
    let router = test_router(pool.clone(), &config);
    TestApp { router, pool, database }
}

/// The router over `pool`, without creating or migrating anything (for tests that point the
/// app at a database that is down or empty).
pub fn test_router(pool: PgPool, config: &Config) -> Router {
    let state = AppState::new(pool, config);
    build_router(api::routes().merge(test_routes()), state, config)
}

/// A pool whose server is not there: a closed port on localhost.
pub fn unreachable_pool() -> PgPool {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a free port");
        listener.local_addr().expect("its address").port()
    };
    let options = PgConnectOptions::new().host("127.0.0.1").port(port).username("nobody");
    pool_options(2).connect_lazy_with(options)
}

impl TestApp {
    /// Sends `request` through the router.
    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        send(&self.router, request).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Request::get(path).body(Body::empty()).expect("a request")).await
    }
}

/// Sends `request` through `router`.
pub async fn send(router: &Router, request: Request<Body>) -> TestResponse {
    let response = router.clone().oneshot(request).await.expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("reading the body").to_bytes();
    TestResponse { status, headers, body }
}

/// `GET path` through `router`.
pub async fn get(router: &Router, path: &str) -> TestResponse {
    send(router, Request::get(path).body(Body::empty()).expect("a request")).await
}

/// A response, fully read.
#[derive(Debug)]
pub struct TestResponse {
    /// Its status.
    pub status: StatusCode,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body.
    pub body: Bytes,
}

impl TestResponse {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body))
        })
    }

    /// Asserts that this is a problem+json response with `status` and `type`, with every
    /// required member, and returns its body.
    pub fn assert_problem(&self, status: StatusCode, problem_type: &str) -> Value {
        assert_eq!(self.status, status, "body: {}", String::from_utf8_lossy(&self.body));
        assert_eq!(self.header("content-type"), Some("application/problem+json"));
        let problem = self.json();
        assert_eq!(problem["type"], problem_type, "{problem}");
        assert_eq!(problem["status"], status.as_u16(), "{problem}");
        for member in ["title", "detail", "instance", "request_id"] {
            assert!(
                problem[member].as_str().is_some_and(|s| !s.is_empty()),
                "missing {member}: {problem}"
            );
        }
        assert_eq!(
            Some(problem["request_id"].as_str().unwrap_or_default()),
            self.header("x-request-id")
        );
        problem
    }
}

/// A uniquely named database, dropped (best effort) when this value is dropped.
pub struct TestDatabase {
    name: String,
    server: PgConnectOptions,
}

impl TestDatabase {
    /// Creates an empty database on the test server.
    pub async fn create() -> Self {
        let server = server_options();
        let name = format!("filings_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin =
            PgConnection::connect_with(&server).await.expect("connecting to the test server");
        admin
            .execute(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .await
            .expect("creating the test database");
        admin.close().await.ok();
        Self { name, server }
    }

    /// How to connect to it.
    pub fn options(&self) -> PgConnectOptions {
        self.server.clone().database(&self.name)
    }

    /// A `postgres://` URL for it (as `DATABASE_URL` would give).
    pub fn url(&self) -> String {
        self.options().to_url_lossy().to_string()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let server = self.server.clone();
        let sql = format!(r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#, self.name);
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with
        // a runtime of its own. FORCE ends the pool's sessions, so nothing waits on them.
        let dropped = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect_with(&server).await.ok()?;
                admin.execute(AssertSqlSafe(sql)).await.ok()?;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}

/// The server test databases are created on.
fn server_options() -> PgConnectOptions {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            PgConnectOptions::from_str(&url).expect("DATABASE_URL is not a PostgreSQL URL")
        }
        _ => shared_cluster().connect_options(),
    }
}

/// The throwaway cluster for this test binary, started on first use. A watcher process stops
/// it and deletes its directory when this process exits, however it exits.
fn shared_cluster() -> &'static EmbeddedPostgres {
    struct Shared {
        cluster: EmbeddedPostgres,
        _watcher: Child,
    }
    static SHARED: OnceLock<Shared> = OnceLock::new();
    &SHARED
        .get_or_init(|| {
            let dir = cluster_dir().keep();
            let cluster = EmbeddedPostgres::start(&dir, &EmbeddedOptions { durable: false })
                .unwrap_or_else(|e| panic!("DATABASE_URL is unset and no test cluster could start: {e}"));
            // The watcher blocks reading its stdin, whose other end only this process holds;
            // when this process ends, the read returns and the watcher stops the server
            // (SIGINT: fast shutdown) and removes the directory.
            let watcher = Command::new("sh")
                .arg("-c")
                .arg(
                    r#"read -r _; pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null) && kill -INT "$pid";
                       while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; rm -rf "$2""#,
                )
                .arg("watcher")
                .arg(cluster.pgdata())
                .arg(&dir)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starting the test cluster's watcher");
            Shared { cluster, _watcher: watcher }
        })
        .cluster
}

/// A temporary directory for a private cluster, reachable by the `postgres` user (tests may
/// run as root, and then the server runs as `postgres`).
pub fn cluster_dir() -> tempfile::TempDir {
    let dir =
        tempfile::Builder::new().prefix("filings-test-").tempdir().expect("a temporary directory");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("opening it up");
    dir
}

/// What the test-only routes accept and return.
#[derive(Debug, Serialize, Deserialize)]
pub struct Echo {
    /// Any text.
    pub name: String,
    /// A small count.
    pub count: u8,
}

#[derive(Debug, Deserialize)]
struct Search {
    limit: u32,
}

/// Routes that exist only in tests, to drive every error class through the real middleware.
fn test_routes() -> OpenApiRouter<AppState> {
    use axum::routing::{get, post};
    OpenApiRouter::new()
        .route("/__test/echo", post(|Json(echo): Json<Echo>| async move { Json(echo) }))
        .route("/__test/items/{id}", get(|Path(id): Path<u32>| async move { Json(id) }))
        .route("/__test/search", get(|Query(q): Query<Search>| async move { Json(q.limit) }))
        .route("/__test/panic", get(panicking))
        .route("/__test/slow", get(|| async { tokio::time::sleep(Duration::from_secs(30)).await }))
        .route("/__test/db", get(query_database))
}

async fn panicking() -> &'static str {
    panic!("secret cause 7f3a: the handler fell over")
}

async fn query_database(State(state): State<AppState>) -> ApiResult<Json<i32>> {
    let one: i32 =
        sqlx::query_scalar("SELECT 1").fetch_one(&state.pool).await.map_err(ApiError::from)?;
    Ok(Json(one))
}
