//! Command line and configuration: every setting is a flag with an environment variable.
//!
//! Flags win over the environment, the environment wins over defaults. `filings --help` lists
//! them all; the README's configuration table mirrors this file.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::HeaderValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::parse::InputFormat;

/// 25 MiB: large EDGAR submissions with exhibits stay under it.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// The `filings` command line.
#[derive(Debug, Parser)]
#[command(
    name = "filings",
    version,
    about = "Filings API: company filings in, checked financial facts out."
)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings shared by every subcommand.
    #[command(flatten)]
    pub config: Config,
}

/// The subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the HTTP API (the default). Applies pending migrations first.
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Print the OpenAPI document (YAML) to stdout.
    Openapi,
    /// Parse one file and print the result as JSON (no database needed).
    Parse(ParseArgs),
    /// Ingest files and folders (recursively): to a running server with --server, else
    /// straight into the database (DATABASE_URL, or the embedded default). Exits non-zero when
    /// any file is rejected.
    Ingest(IngestArgs),
    /// Print the effective configuration as JSON (secrets redacted), then exit.
    Config,
}

/// Arguments of `filings parse`.
#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// The file to parse.
    pub file: PathBuf,
    /// Force the input layout instead of detecting it.
    #[arg(long, value_name = "edgar|html|text", value_parser = parse_format)]
    pub format: Option<InputFormat>,
}

/// Arguments of `filings ingest`.
#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// Files and folders to ingest; folders are walked recursively (hidden entries skipped).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Upload to this running server (e.g. http://127.0.0.1:8080) instead of writing to the
    /// database directly.
    #[arg(long, env = "FILINGS_SERVER", value_name = "URL")]
    pub server: Option<String>,
    /// The API key to send to --server (as `Authorization: Bearer KEY`).
    #[arg(long, env = "FILINGS_API_KEY", hide_env_values = true, value_name = "KEY")]
    pub api_key: Option<String>,
    /// How many files to ingest at once.
    #[arg(long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

/// How log lines are written (always to stderr).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable single lines with the request's span fields.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Service settings. Each one is a flag and an environment variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL server to use, e.g. postgres://user:pass@host:5432/filings. When unset, a
    /// private cluster is run under FILINGS_DATA_DIR/postgres from the PostgreSQL binaries
    /// installed on this machine.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Address and port the HTTP server listens on.
    #[arg(
        long,
        env = "FILINGS_BIND",
        default_value = "127.0.0.1:8080",
        global = true,
        value_name = "ADDR"
    )]
    pub bind: SocketAddr,

    /// Directory for local state: the embedded PostgreSQL cluster lives in its `postgres/`
    /// folder (only used when DATABASE_URL is unset).
    #[arg(
        long,
        env = "FILINGS_DATA_DIR",
        default_value = "./data",
        global = true,
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,

    /// Largest accepted request body, in bytes; larger uploads get 413.
    #[arg(long, env = "FILINGS_MAX_UPLOAD_BYTES", default_value_t = DEFAULT_MAX_UPLOAD_BYTES,
          global = true, value_name = "BYTES", value_parser = parse_positive_usize)]
    pub max_upload_bytes: usize,

    /// Longest time a request may take, in seconds (1 to 3600); slower ones get 408.
    #[arg(long, env = "FILINGS_REQUEST_TIMEOUT_SECS", default_value_t = 30, global = true,
          value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_secs: u64,

    /// Comma-separated API keys. When set, writes (POST, PUT, PATCH, DELETE) need one, sent
    /// as `Authorization: Bearer KEY` or `X-API-Key: KEY` (401 without, 403 with a wrong one).
    /// Reads stay open unless FILINGS_READ_REQUIRES_KEY is true.
    #[arg(long, env = "FILINGS_API_KEYS", value_delimiter = ',', global = true,
          hide_env_values = true, value_name = "KEYS", value_parser = parse_api_key)]
    pub api_keys: Vec<String>,

    /// When true (and FILINGS_API_KEYS is set), reads under /v1/ need a key as well; the
    /// probes, /openapi.json and /docs stay open.
    #[arg(long, env = "FILINGS_READ_REQUIRES_KEY", default_value_t = false, global = true,
          value_name = "BOOL", num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub read_requires_key: bool,

    /// Comma-separated origins allowed to call the API from a browser (CORS), e.g.
    /// https://dashboard.example.com; `*` allows any origin. Empty: no CORS headers.
    #[arg(long, env = "FILINGS_CORS_ORIGINS", value_delimiter = ',', global = true,
          value_name = "ORIGINS", value_parser = parse_origin)]
    pub cors_origins: Vec<String>,

    /// Log line format.
    #[arg(long, env = "FILINGS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,

    /// Which log lines to keep, as tracing directives (e.g. `info`, `filings=debug,info`).
    #[arg(long = "log-filter", env = "RUST_LOG", default_value = "info", global = true,
          value_name = "DIRECTIVES", value_parser = parse_log_filter)]
    pub log_filter: String,

    /// Most database connections this process opens.
    #[arg(long, env = "FILINGS_DB_POOL_SIZE", default_value_t = 10, global = true,
          value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,

    /// Requests a second each client may make on average (a client is an API key when the
    /// request presents a configured one, else the client's address); over it, 429 with
    /// Retry-After. 0 turns rate limiting off. /healthz, /readyz and /metrics are never limited.
    #[arg(long, env = "FILINGS_RATE_LIMIT_PER_SEC", default_value_t = 100, global = true,
          value_name = "N", value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub rate_limit_per_sec: u32,

    /// Requests a client may make at once, above its average rate, before it is limited.
    #[arg(long, env = "FILINGS_RATE_LIMIT_BURST", default_value_t = 200, global = true,
          value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub rate_limit_burst: u32,
}

impl Config {
    /// The request timeout as a [`std::time::Duration`].
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout_secs)
    }

    /// The configuration as JSON for `filings config`, with secrets replaced by `"***"`.
    pub fn redacted(&self) -> serde_json::Value {
        serde_json::json!({
            "database_url": self.database_url.as_deref().map(redact_url),
            "bind": self.bind.to_string(),
            "data_dir": self.data_dir,
            "max_upload_bytes": self.max_upload_bytes,
            "request_timeout_secs": self.request_timeout_secs,
            "api_keys": self.api_keys.iter().map(|_| "***").collect::<Vec<_>>(),
            "read_requires_key": self.read_requires_key,
            "cors_origins": self.cors_origins,
            "log_format": self.log_format,
            "log_filter": self.log_filter,
            "db_pool_size": self.db_pool_size,
            "rate_limit_per_sec": self.rate_limit_per_sec,
            "rate_limit_burst": self.rate_limit_burst,
        })
    }
}

/// Replaces the password of a `scheme://user:password@host/...` URL with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return url.to_owned() };
    match rest[..at].split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

fn parse_format(value: &str) -> Result<InputFormat, String> {
    value.parse()
}

fn parse_positive_usize(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("expected a whole number of bytes: {e}")),
    }
}

fn parse_api_key(value: &str) -> Result<String, String> {
    let key = value.trim();
    if key.len() < 16 {
        return Err("API keys must be at least 16 characters".to_owned());
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("API keys must be printable ASCII without spaces".to_owned());
    }
    Ok(key.to_owned())
}

fn parse_origin(value: &str) -> Result<String, String> {
    let origin = value.trim().trim_end_matches('/');
    if origin == "*" {
        return Ok(origin.to_owned());
    }
    let Some((scheme, host)) = origin.split_once("://") else {
        return Err(format!("`{origin}` is not an origin like https://app.example.com"));
    };
    if !matches!(scheme, "http" | "https") || host.is_empty() || host.contains('/') {
        return Err(format!("`{origin}` is not an origin like https://app.example.com"));
    }
    HeaderValue::from_str(origin).map_err(|_| format!("`{origin}` is not a valid header value"))?;
    Ok(origin.to_owned())
}

fn parse_log_filter(value: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(value).map_err(|e| e.to_string())?;
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_only_the_password() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/filings"),
            "postgres://app:***@db:5432/filings"
        );
        assert_eq!(redact_url("postgres://app@db/filings"), "postgres://app@db/filings");
        assert_eq!(
            redact_url("postgres:///filings?host=/run/pg"),
            "postgres:///filings?host=/run/pg"
        );
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn origins_must_be_scheme_and_host() {
        assert_eq!(parse_origin("https://app.example.com/").unwrap(), "https://app.example.com");
        assert_eq!(parse_origin("http://localhost:3000").unwrap(), "http://localhost:3000");
        assert!(parse_origin("app.example.com").is_err());
        assert!(parse_origin("ftp://app.example.com").is_err());
        assert!(parse_origin("https://app.example.com/path").is_err());
    }

    #[test]
    fn api_keys_are_long_printable_tokens() {
        assert!(parse_api_key("0123456789abcdef").is_ok());
        assert!(parse_api_key("short").is_err());
        assert!(parse_api_key("0123456789 abcdef").is_err());
    }
}
