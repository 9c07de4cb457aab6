//! What the service counts for `GET /metrics`: requests by route and status with their
//! latencies, ingests by outcome, parse durations, rate-limited requests, database pool use
//! and the process's memory, in the Prometheus (OpenMetrics) text format.
//!
//! Each app owns one [`Metrics`] (a registry of its own, no process-wide state), so tests that
//! build many apps in one process each see only their own counts.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sqlx::PgPool;

/// The media type of the exposition [`Metrics::render`] writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Labels of one kind of HTTP request: its method, the route template it matched (`unmatched`
/// for paths no route has, so that random paths cannot grow the label set), and the status.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The route template, e.g. `/v1/filings/{id}`.
    pub route: String,
    /// The response status code.
    pub status: u16,
}

/// Labels of one ingest: how it ended (`created`, `already_present`, `unrecognised`, ...).
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// Labels of the database pool gauges: `idle` or `in_use` connections.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

/// Labels of the memory gauges: `resident` now, or `peak` resident since the process started.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MemoryLabels {
    kind: &'static str,
}

/// The service's metrics and the registry they are exposed from.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Family<RequestLabels, Histogram>,
    ingests: Family<OutcomeLabels, Counter>,
    parse_seconds: Histogram,
    rate_limited: Counter,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_max_connections: Gauge,
    memory_bytes: Family<MemoryLabels, Gauge>,
}

/// Latency buckets from 0.5 ms to about 33 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 17))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Fresh metrics, all at zero, registered under the `filings_` prefix (`process_` for the
    /// memory gauges, as Prometheus names them elsewhere).
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let request_seconds = Family::<RequestLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> _,
        );
        let ingests = Family::<OutcomeLabels, Counter>::default();
        let parse_seconds = latency_histogram();
        let rate_limited = Counter::default();
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        let pool_max_connections = Gauge::default();
        let memory_bytes = Family::<MemoryLabels, Gauge>::default();
        let filings = registry.sub_registry_with_prefix("filings");
        filings.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        filings.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response, by method, route and status",
            request_seconds.clone(),
        );
        filings.register("ingests", "Uploads by how they ended", ingests.clone());
        filings.register(
            "parse_duration_seconds",
            "Time the parser took per document (waiting for a parse slot excluded)",
            parse_seconds.clone(),
        );
        filings.register(
            "rate_limited_requests",
            "Requests refused with 429 because their client was over its rate",
            rate_limited.clone(),
        );
        filings.register(
            "db_pool_connections",
            "Open database connections, idle or in use",
            pool_connections.clone(),
        );
        filings.register(
            "db_pool_max_connections",
            "Most database connections the pool opens",
            pool_max_connections.clone(),
        );
        registry.register(
            "process_memory_bytes",
            "Resident memory of the process: now, and the peak since it started",
            memory_bytes.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            ingests,
            parse_seconds,
            rate_limited,
            pool_connections,
            pool_max_connections,
            memory_bytes,
        }
    }

    /// Counts one answered request and its latency.
    pub fn observe_request(&self, labels: &RequestLabels, elapsed: Duration) {
        self.requests.get_or_create(labels).inc();
        self.request_seconds.get_or_create(labels).observe(elapsed.as_secs_f64());
    }

    /// Counts one ingest that ended as `outcome`.
    pub fn observe_ingest(&self, outcome: &'static str) {
        self.ingests.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// Records how long one parse took.
    pub fn observe_parse(&self, elapsed: Duration) {
        self.parse_seconds.observe(elapsed.as_secs_f64());
    }

    /// Counts one request refused by the rate limit.
    pub fn observe_rate_limited(&self) {
        self.rate_limited.inc();
    }

    /// The exposition: the gauges read now from `pool` and the process, then every metric.
    pub fn render(&self, pool: &PgPool) -> String {
        let open = i64::from(pool.size());
        let idle = i64::try_from(pool.num_idle()).unwrap_or(i64::MAX);
        self.pool_connections.get_or_create(&PoolLabels { state: "idle" }).set(idle);
        self.pool_connections.get_or_create(&PoolLabels { state: "in_use" }).set(open - idle);
        self.pool_max_connections.set(i64::from(pool.options().get_max_connections()));
        if let Some(memory) = ProcessMemory::read() {
            self.memory_bytes
                .get_or_create(&MemoryLabels { kind: "resident" })
                .set(memory.resident);
            self.memory_bytes.get_or_create(&MemoryLabels { kind: "peak" }).set(memory.peak);
        }
        let mut text = String::new();
        // Writing to a String cannot fail; an encoding error would be a bug in a metric.
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(%error, "encoding the metrics failed");
        }
        text
    }
}

/// The process's resident memory, from `/proc/self/status` (Linux; elsewhere absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessMemory {
    /// Resident set size now, in bytes (`VmRSS`).
    pub resident: i64,
    /// The largest resident set size so far, in bytes (`VmHWM`).
    pub peak: i64,
}

impl ProcessMemory {
    /// Reads this process's figures; `None` where `/proc` is not there.
    pub fn read() -> Option<Self> {
        Self::parse(&std::fs::read_to_string("/proc/self/status").ok()?)
    }

    /// The figures in a `/proc/<pid>/status` text.
    pub fn parse(status: &str) -> Option<Self> {
        let kib = |key: &str| {
            status.lines().find_map(|line| {
                let value = line.strip_prefix(key)?.strip_prefix(':')?;
                value.trim().strip_suffix("kB")?.trim().parse::<i64>().ok()
            })
        };
        Some(Self { resident: kib("VmRSS")? * 1024, peak: kib("VmHWM")? * 1024 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_figures_are_read_from_proc_status_in_bytes() {
        let status = "Name:\tfilings\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t4\n";
        assert_eq!(
            ProcessMemory::parse(status),
            Some(ProcessMemory { resident: 100 * 1024 * 1024, peak: 200 * 1024 * 1024 })
        );
        assert_eq!(ProcessMemory::parse("Name:\tfilings\n"), None);
    }

    #[test]
    fn this_process_reports_its_memory() {
        let memory = ProcessMemory::read().expect("/proc/self/status on Linux");
        assert!(memory.resident > 0 && memory.peak >= memory.resident, "{memory:?}");
    }
}
