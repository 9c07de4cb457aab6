//! The running service: [`App::build`] opens the database, migrates it and binds the listener;
//! [`App::run`] serves until SIGINT or SIGTERM, then drains requests and stops the database.
//!
//! [`build_router`] wraps the routes of `api` in the middleware every request goes through.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{from_fn_with_state, map_request};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_axum::router::OpenApiRouter;

use crate::api::auth::require_api_key;
use crate::api::metrics::count_requests;
use crate::api::problem::{ApiError, ProblemContext, problem_details};
use crate::api::rate_limit::limit_rate;
use crate::api::{self, AppState, docs};
use crate::config::Config;
use crate::db::{self, Database};

/// The request id header: taken from the client when it sends a sane one, generated otherwise,
/// and returned on the response.
pub const X_REQUEST_ID: &str = "x-request-id";

/// A service ready to run: database open and migrated, listener bound.
#[derive(Debug)]
pub struct App {
    listener: TcpListener,
    address: SocketAddr,
    router: Router,
    database: Database,
}

impl App {
    /// Opens the database (the embedded cluster when `DATABASE_URL` is unset), applies
    /// migrations and binds `FILINGS_BIND` (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let database = Database::open(&config).await?;
        db::migrate(&database.pool).await?;
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("listening on {} (FILINGS_BIND)", config.bind))?;
        let address = listener.local_addr().context("reading the bound address")?;
        let state = AppState::new(database.pool.clone(), &config);
        let router = build_router(api::routes(), state, &config);
        Ok(Self { listener, address, router, database })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The database in use.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Serves until SIGINT or SIGTERM.
    pub async fn run(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, lets in-flight requests finish, then closes the pool
    /// and stops the embedded cluster.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let address = self.local_addr();
        match self.database.embedded() {
            Some(cluster) => {
                tracing::info!(%address, pgdata = %cluster.pgdata().display(), "serving on the embedded PostgreSQL cluster")
            }
            None => tracing::info!(%address, "serving"),
        }
        // The peer address is what rate limits tell clients without an API key apart by.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .context("serving HTTP");
        tracing::info!("HTTP server stopped; closing the database");
        let closed = self.database.close().await;
        served.and(closed)
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM (what container runtimes send).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received; shutting down"),
        () = terminate => tracing::info!("SIGTERM received; shutting down"),
    }
}

/// The whole HTTP application: `routes`, the docs, the 404/405 fallbacks and the middleware.
///
/// Takes the routes as a parameter so tests can mount test-only routes beside the real ones.
pub fn build_router(routes: OpenApiRouter<AppState>, state: AppState, config: &Config) -> Router {
    let (routes, openapi) = routes.split_for_parts();
    let openapi = docs::with_common_responses(openapi);
    let api_keys = state.api_keys.clone();
    let metrics = state.metrics.clone();
    let rate_limit = state.rate_limit.clone();
    let router = routes
        .merge(Router::from(docs::swagger_ui(openapi)))
        .fallback(api::not_found)
        // Registered last: it applies to the routes registered before it.
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state);

    let problems = ProblemContext {
        max_upload_bytes: config.max_upload_bytes,
        request_timeout_secs: config.request_timeout_secs,
    };
    let request_id = HeaderName::from_static(X_REQUEST_ID);
    // Outermost first: the request id exists before the span that records it; requests are
    // counted with the status they finally leave with; CORS headers go on error responses
    // too; problems are rendered after the rate limit, timeout, panic and body-limit layers
    // have had their say. A gzip body is inflated before the body limit counts it, so a small
    // compressed body cannot grow past the limit. (axum's `from_fn` needs a plain `Body`, so
    // the rate limit and key check sit outside the inflating and limiting layers, which wrap
    // the body.)
    let middleware = ServiceBuilder::new()
        .layer(map_request(drop_unusable_request_id))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(from_fn_with_state(metrics, count_requests))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        // Bodies are JSON, CSV or problems: a browser must never sniff one into HTML.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .option_layer(cors_layer(&config.cors_origins))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(problems, problem_details))
        .layer(from_fn_with_state(rate_limit, limit_rate))
        .layer(from_fn_with_state(api_keys, require_api_key))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout(),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(RequestDecompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(config.max_upload_bytes))
        // One limit, the one above: axum's own 2 MB default would otherwise apply as well.
        .layer(DefaultBodyLimit::disable());
    router.layer(middleware)
}

/// The span every log line of a request is written in.
///
/// At ERROR level so that it exists whenever anything is logged: a span filtered out by a
/// stricter `RUST_LOG` would drop the request id from the request's warnings and errors.
fn request_span(request: &Request) -> tracing::Span {
    let request_id =
        request.headers().get(X_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::error_span!(
        "request",
        request_id = %request_id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// A client's `x-request-id` is kept only if it is short printable ASCII; otherwise a fresh
/// one is generated, so that log lines stay well-formed.
async fn drop_unusable_request_id(mut request: Request) -> Request {
    let usable = request
        .headers()
        .get(X_REQUEST_ID)
        .map(|v| !v.is_empty() && v.len() <= 128 && v.as_bytes().iter().all(u8::is_ascii_graphic));
    if usable == Some(false) {
        request.headers_mut().remove(X_REQUEST_ID);
    }
    request
}

/// The response to a panicking handler: a generic 500 problem; the message goes to the log.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = crate::telemetry::panic_message(panic.as_ref()).to_owned();
    ApiError::Internal(anyhow::anyhow!("handler panicked: {message}")).into_response()
}

/// CORS for `FILINGS_CORS_ORIGINS`; none configured means no CORS headers at all.
fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::DELETE])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                header::ACCEPT,
                header::CONTENT_ENCODING,
                header::IF_NONE_MATCH,
                HeaderName::from_static("x-api-key"),
                HeaderName::from_static(X_REQUEST_ID),
            ])
            .expose_headers([
                HeaderName::from_static(X_REQUEST_ID),
                header::LOCATION,
                header::ETAG,
                header::RETRY_AFTER,
            ])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}
