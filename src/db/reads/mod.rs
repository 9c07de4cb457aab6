//! Read-only SQL behind the analytical endpoints (companies, statements, comparisons, non-GAAP
//! reconciliations, series): one file per read path, each a few indexed queries that take any
//! executor. Rows here are storage shapes; the API maps them to its own wire types.

pub mod companies;
pub mod context;
pub mod lines;
pub mod non_gaap;
pub mod series;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A line item of a statement with one of its facts (or none: a header row, or a row without a
/// value in the periods asked for), and where it came from. Every analytical read starts from
/// rows of this shape.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineFact {
    /// The filing the statement belongs to.
    pub filing_id: i64,
    /// Its report date.
    pub report_date: Option<NaiveDate>,
    /// Its filing date.
    pub filing_date: Option<NaiveDate>,
    /// Its form type (`8-K`, `10-Q`, ...).
    pub form_type: Option<String>,
    /// The statement.
    pub statement_id: i64,
    /// `balance_sheet`, `income_statement`, `cash_flow`, `non_gaap_reconciliation`, `other`.
    pub statement_kind: String,
    /// Order among the filing's statements.
    pub statement_position: i32,
    /// Title as printed.
    pub statement_title: String,
    /// The line item.
    pub line_item_id: i64,
    /// Order within the statement.
    pub line_position: i32,
    /// Label as printed.
    pub label: String,
    /// Concept key, when the lexicon knows the label.
    pub concept: Option<String>,
    /// The section header above the row.
    pub section: Option<String>,
    /// Whether the row is a total or subtotal.
    pub is_total: bool,
    /// Whether the row only heads a section.
    pub is_header: bool,
    /// The fact, if any.
    pub fact_id: Option<i64>,
    /// Its period.
    pub period_id: Option<i64>,
    /// `gaap`, `adjustment` or `non_gaap`.
    pub basis: Option<String>,
    /// Exact value in full units.
    pub value: Option<Decimal>,
    /// `USD`, `USD/share`, `shares`, `percent`, `pure`.
    pub unit: Option<String>,
    /// `reported`, `derived` or `corrected`.
    pub status: Option<String>,
    /// How a derived or corrected value was computed.
    pub formula: Option<String>,
}
