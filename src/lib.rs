//! Filings API: turns company filings into checked, queryable financial data.
pub mod parse;
