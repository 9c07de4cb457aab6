//! Integration tests: the service through its router (in-process) and over a real socket,
//! against real PostgreSQL. See `helpers.rs` for how each test gets its own database.

mod config;
mod embedded;
mod filing_reads;
mod health;
mod helpers;
mod middleware;
mod openapi;
mod problems;
mod schema;
mod smoke;
mod uploads;
