//! What the analytical reads (companies, statements, comparisons, non-GAAP, series) share:
//! period references and fiscal aliases, the company context every read starts from,
//! latest-filing selection, derived quarters, non-GAAP bridges, JSON/CSV responses with ETags,
//! cursors, and the wire types several endpoints use.
//!
//! The logic here is pure where it can be (`periods`, `select`, `derive`, `bridge`, `csv`);
//! SQL stays in `db::reads`.

pub mod bridge;
pub mod cache;
pub mod context;
pub mod csv;
pub mod cursor;
pub mod derive;
pub mod params;
pub mod periods;
pub mod respond;
pub mod select;
pub mod wire;
