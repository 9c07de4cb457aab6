//! Rate limits per client: each API key (when the request presents a configured one), else each
//! client address, may make `FILINGS_RATE_LIMIT_PER_SEC` requests a second on average with
//! bursts of up to `FILINGS_RATE_LIMIT_BURST`. Over that, 429 with `Retry-After`.
//!
//! The probes and `/metrics` are never limited: an orchestrator that polls them must not be
//! told to back off, and they cost nothing.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::auth::ApiKeys;
use super::problem::ApiError;
use crate::metrics::Metrics;

/// Paths that are never limited.
const UNLIMITED_PATHS: &[&str] = &["/healthz", "/readyz", "/metrics"];

/// How often (in checked requests) clients that are back to a full burst are forgotten, so that
/// the table of clients stays as small as the set of recently active ones.
const FORGET_EVERY: u64 = 4096;

/// Who a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// The configured API key at this place in `FILINGS_API_KEYS`.
    Key(usize),
    /// A client without a (valid) key, by its address.
    Address(IpAddr),
    /// A request whose peer address is not known (only in-process tests).
    Unknown,
}

/// The limiter and what it needs to tell clients apart.
#[derive(Debug)]
pub struct RateLimit {
    limiter: Option<DefaultKeyedRateLimiter<Client>>,
    keys: Arc<ApiKeys>,
    metrics: Arc<Metrics>,
    checked: AtomicU64,
}

impl RateLimit {
    /// `per_second` requests a second per client with bursts of `burst`; `per_second == 0`
    /// turns limiting off.
    pub fn new(per_second: u32, burst: u32, keys: Arc<ApiKeys>, metrics: Arc<Metrics>) -> Self {
        let limiter = NonZeroU32::new(per_second).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(rate);
            DefaultKeyedRateLimiter::dashmap(Quota::per_second(rate).allow_burst(burst))
        });
        Self { limiter, keys, metrics, checked: AtomicU64::new(0) }
    }

    /// Who `request` counts against.
    pub fn client_of(&self, request: &Request) -> Client {
        if let Some(key) = self.keys.presented_by(request.headers()) {
            return Client::Key(key);
        }
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(Client::Unknown, |ConnectInfo(peer)| Client::Address(peer.ip()))
    }

    /// Takes one request from `client`'s allowance: `Err` with how long until the next one
    /// would be allowed when it has none left.
    pub fn check(&self, client: &Client) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        if self.checked.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            limiter.retain_recent();
        }
        limiter
            .check_key(client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// Middleware: 429 with `Retry-After` (whole seconds, at least 1) for a client over its rate.
pub async fn limit_rate(
    State(limit): State<Arc<RateLimit>>,
    request: Request,
    next: Next,
) -> Response {
    if limit.limiter.is_none() || UNLIMITED_PATHS.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let client = limit.client_of(&request);
    match limit.check(&client) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            limit.metrics.observe_rate_limited();
            tracing::info!(?client, wait_ms = wait.as_millis(), "rate limited");
            let retry_after_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::TooManyRequests { retry_after_secs: retry_after_secs.max(1) }.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(per_second: u32, burst: u32) -> RateLimit {
        RateLimit::new(per_second, burst, Arc::default(), Arc::default())
    }

    #[test]
    fn a_client_gets_its_burst_then_waits_for_the_next_request() {
        let limit = limit(1, 3);
        let client = Client::Address([10, 0, 0, 1].into());
        for _ in 0..3 {
            assert_eq!(limit.check(&client), Ok(()));
        }
        let wait = limit.check(&client).expect_err("the fourth request within a second");
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1), "{wait:?}");
    }

    #[test]
    fn clients_are_limited_separately() {
        let limit = limit(1, 1);
        assert_eq!(limit.check(&Client::Key(0)), Ok(()));
        assert!(limit.check(&Client::Key(0)).is_err());
        assert_eq!(limit.check(&Client::Key(1)), Ok(()));
        assert_eq!(limit.check(&Client::Address([10, 0, 0, 2].into())), Ok(()));
    }

    #[test]
    fn a_rate_of_zero_turns_limiting_off() {
        let limit = limit(0, 1);
        for _ in 0..1000 {
            assert_eq!(limit.check(&Client::Unknown), Ok(()));
        }
    }
}
