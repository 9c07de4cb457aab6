//! Filings API: turns company filings into checked, queryable financial data.
//!
//! The pipeline, and where each step lives:
//! 1. `config`: settings from flags and environment; `cli` runs the chosen subcommand.
//! 2. `app`: builds the service (database, migrations, listener) and the middleware stack.
//! 3. `api`: routes and handlers; every error is an [`api::problem::ApiError`] rendered as
//!    `application/problem+json`; the OpenAPI document is generated from the handlers.
//! 4. `parse`: the pure core, bytes in and a [`parse::ParsedFiling`] with diagnostics out
//!    (decode, envelope, html/text layout, cover, statements, reconcile).
//! 5. `db`: the pool, migrations, readiness and the embedded PostgreSQL default; all SQL.
//! 6. `telemetry`: log lines, each carrying its request's id; `metrics`: what `/metrics`
//!    counts (requests, ingests, parse time, pool, memory).
//! 7. `ingest`: parse, decide whether the document holds a filing, store it in one transaction
//!    (idempotent by the document's SHA-256); `filings ingest` drives it for whole folders.
//!
//! Dependencies point one way: `api -> ingest -> db` and `ingest -> parse`; `parse` imports
//! nothing of ours.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod ingest;
pub mod metrics;
pub mod parse;
pub mod telemetry;
