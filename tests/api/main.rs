//! Integration tests: the service through its router (in-process) and over a real socket,
//! against real PostgreSQL. See `helpers.rs` for how each test gets its own database.

mod abuse;
mod config;
mod embedded;
mod faults;
mod filing_reads;
mod health;
mod helpers;
mod hostile;
mod ingest_cli;
mod middleware;
mod observability;
mod openapi;
mod problems;
mod process;
mod reads_companies;
mod reads_comparisons;
mod reads_non_gaap;
mod reads_series;
mod reads_statements;
mod reads_support;
mod schema;
mod smoke;
mod uploads;
