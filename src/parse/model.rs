//! The parser's output: what a filing says, as typed data with provenance.
//!
//! These types are the parser's public result. They serialize to the JSON printed by
//! `filings parse` and are stored by the ingest layer; the API maps them to its own wire types.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// A byte range `[start, end)` in the original input.
pub type Span = [usize; 2];

/// Everything extracted from one uploaded document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParsedFiling {
    /// The input layout that was detected (or forced).
    pub format: InputFormat,
    /// Who filed it.
    pub company: CompanyInfo,
    /// What was filed.
    pub filing: FilingInfo,
    /// Parts of an EDGAR submission (one entry for a single document).
    pub documents: Vec<DocumentPart>,
    /// Every period some fact refers to.
    pub periods: Vec<Period>,
    /// Financial tables recognised as statements.
    pub statements: Vec<Statement>,
    /// One value per line item, period and basis.
    pub facts: Vec<Fact>,
    /// Accounting identities tested on the statements.
    pub checks: Vec<Check>,
    /// What the parser noticed, inferred or skipped.
    pub diagnostics: Vec<Diagnostic>,
}

/// The input layouts the parser reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// EDGAR full-submission text (`<SEC-DOCUMENT>`, `<SEC-HEADER>`, `<DOCUMENT>` parts).
    Edgar,
    /// One HTML document.
    Html,
    /// Plain text, including text extracted from PDF.
    #[default]
    Text,
}

impl std::str::FromStr for InputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "edgar" => Ok(Self::Edgar),
            "html" => Ok(Self::Html),
            "text" => Ok(Self::Text),
            other => Err(format!("unknown format `{other}` (expected edgar, html or text)")),
        }
    }
}

/// Company identity, from the SEC header or the cover page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CompanyInfo {
    pub name: Option<String>,
    /// Central index key, ten digits with leading zeros as EDGAR prints it.
    pub cik: Option<String>,
    pub ticker: Option<String>,
    pub exchange: Option<String>,
    /// Two-letter code where the state is a US state (e.g. `DE`), else as printed.
    pub state_of_incorporation: Option<String>,
    pub commission_file_number: Option<String>,
    pub irs_employer_id: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// Fiscal year end as `MMDD` (EDGAR's convention), when known.
    pub fiscal_year_end: Option<String>,
}

/// Filing identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FilingInfo {
    pub form_type: Option<String>,
    /// Date of report (period of report, or the cover page's "Date of Report").
    pub report_date: Option<NaiveDate>,
    pub filing_date: Option<NaiveDate>,
    pub accession_number: Option<String>,
    /// Item numbers the filing reports under (e.g. `["9", "12"]`).
    pub items: Vec<String>,
    /// Exhibit numbers (e.g. `["99.1"]`).
    pub exhibits: Vec<String>,
    pub signed_by: Option<String>,
}

/// One part of a submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentPart {
    /// `<TYPE>` (e.g. `8-K`, `EX-99.1`); `None` for a bare document.
    pub doc_type: Option<String>,
    pub filename: Option<String>,
    pub description: Option<String>,
    /// Layout of the part's text.
    pub format: InputFormat,
    /// The part's text in the input.
    pub span: Span,
    /// Why the part was not read (uuencoded, PDF, ...), if it was not.
    pub skipped: Option<String>,
}

/// Instant or duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Instant,
    Duration,
}

/// A period facts refer to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    /// Canonical id: `3M-2003-06-30` for a duration, `I-2003-06-30` for an instant.
    pub id: String,
    pub kind: PeriodKind,
    /// First day of a duration; `None` for an instant.
    pub start: Option<NaiveDate>,
    /// Last day of a duration, or the instant's date.
    pub end: NaiveDate,
    /// Length of a duration in months (13 weeks count as 3).
    pub months: Option<u32>,
    /// A fiscal label the document gives (e.g. "second quarter of fiscal 2003").
    pub fiscal_label: Option<String>,
}

/// Kinds of financial table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    BalanceSheet,
    IncomeStatement,
    CashFlow,
    NonGaapReconciliation,
    Other,
}

/// GAAP as reported, an adjustment, or the adjusted (non-GAAP) figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Gaap,
    Adjustment,
    NonGaap,
}

/// A recognised financial table.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// Position among the filing's statements (0-based); facts refer to it.
    pub index: usize,
    pub kind: StatementKind,
    /// Title as printed (joined across lines).
    pub title: String,
    /// Multiplier from the table's caption (1, 1000, 1000000, ...).
    pub scale: Decimal,
    /// Where the scale came from (the caption text, or "default").
    pub scale_source: String,
    /// ISO currency code.
    pub currency: String,
    /// Value columns, left to right.
    pub columns: Vec<Column>,
    /// Rows that carry a label, in printed order.
    pub line_items: Vec<LineItem>,
    pub span: Span,
}

/// One value column of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Period id.
    pub period: String,
    pub basis: Basis,
    /// Header text as printed (may be garbled or empty).
    pub header: String,
    /// How the period was found: "column header", or the inference and its evidence.
    pub period_source: String,
}

/// A labelled row of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineItem {
    /// Order within the statement (0-based).
    pub index: usize,
    /// Label as printed, joined across lines.
    pub label: String,
    /// Normalized concept key from the lexicon (e.g. `revenue`).
    pub concept: Option<String>,
    /// The section header above the row (e.g. "Operating expenses").
    pub section: Option<String>,
    /// Whether the row is a total or subtotal.
    pub is_total: bool,
    /// Whether the row only heads a section (no values).
    pub is_header: bool,
}

/// Units of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Unit {
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "USD/share")]
    UsdPerShare,
    #[serde(rename = "shares")]
    Shares,
    #[serde(rename = "percent")]
    Percent,
    /// Other counts (employees, units, kWh ...).
    #[serde(rename = "pure")]
    Pure,
}

/// How a fact's value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactStatus {
    /// Printed in the document.
    Reported,
    /// Not printed; computed from identities (see `formula`).
    Derived,
    /// Printed text contradicts two or more identities that agree on this value.
    Corrected,
}

/// One value of one line item for one period and basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// Statement kind.
    pub statement: StatementKind,
    /// Index into `ParsedFiling::statements`.
    pub statement_index: usize,
    /// Index into that statement's `line_items`.
    pub line_item: usize,
    pub label: String,
    pub concept: Option<String>,
    /// Period id.
    pub period: String,
    pub basis: Basis,
    /// Exact value in full units (scale applied), serialized as a decimal string.
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub unit: Unit,
    pub status: FactStatus,
    /// Text as printed (for a corrected value, the printed text; empty when derived).
    pub as_printed: String,
    /// Bytes of the printed value in the input (for a derived value, its row's label).
    pub span: Span,
    /// How a derived or corrected value was computed.
    pub formula: Option<String>,
}

/// Kinds of accounting identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// A total row against its components.
    Total,
    /// Gross profit = revenue - cost of revenue.
    GrossProfit,
    /// Operating result = gross profit - operating expenses.
    OperatingResult,
    /// Net result from the operating result and the items below it.
    NetResult,
    /// Assets = liabilities + equity.
    BalanceSheet,
    /// GAAP + adjustment = non-GAAP on one line.
    NonGaapBridge,
    /// Gross margin % = gross profit / revenue.
    GrossMargin,
    /// Cash at the end of a period = cash at its beginning + the net change in cash.
    CashRollForward,
    /// A year-to-date column = the sum of its quarters.
    PeriodSum,
}

/// The outcome of one identity test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    pub statement_index: Option<usize>,
    /// The identity in words, with the labels involved.
    pub description: String,
    pub period: String,
    pub basis: Basis,
    /// Value computed from the components.
    #[serde(with = "rust_decimal::serde::str")]
    pub expected: Decimal,
    /// Value printed (or derived) for the total.
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    pub passed: bool,
}

/// Severity of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
}

/// Something the parser noticed, inferred or skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code (e.g. `period_inferred`, `part_skipped`).
    pub code: String,
    pub message: String,
    pub span: Option<Span>,
}

impl Diagnostic {
    /// An informational note.
    pub fn info(code: &str, message: impl Into<String>, span: Option<Span>) -> Self {
        Self { severity: Severity::Info, code: code.to_owned(), message: message.into(), span }
    }

    /// Something that may make the result incomplete or wrong.
    pub fn warning(code: &str, message: impl Into<String>, span: Option<Span>) -> Self {
        Self { severity: Severity::Warning, code: code.to_owned(), message: message.into(), span }
    }
}
