//! What the filing endpoints send and accept, separate from database rows and parser types.
//! Decimal values are JSON strings (exact: never rounded through a float).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::checks::CheckRow;
use crate::db::filings::FilingRow;
use crate::db::periods::PeriodRow;
use crate::db::statements::StatementSummaryRow;

/// The company a filing belongs to, briefly.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyRef {
    /// Company id.
    pub id: i64,
    /// Name as first filed.
    #[schema(example = "Sonus Networks, Inc.")]
    pub name: String,
    /// EDGAR central index key (ten digits), when known.
    #[schema(example = "0001105472")]
    pub cik: Option<String>,
    /// Ticker, when known.
    #[schema(example = "SONS")]
    pub ticker: Option<String>,
}

/// The stored original document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DocumentInfo {
    /// Lower-case hex SHA-256 of the bytes: uploading the same bytes again finds this filing.
    pub sha256: String,
    /// The media type it was uploaded with.
    #[schema(example = "text/plain")]
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Where to download it.
    #[schema(example = "/v1/filings/1/document")]
    pub url: String,
}

/// A period some fact or check of the filing refers to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeriodInfo {
    /// Canonical id: `3M-2003-06-30` (three months ended June 30, 2003), `I-2003-06-30` (instant).
    #[schema(example = "3M-2003-06-30")]
    pub id: String,
    /// `instant` or `duration`.
    pub kind: String,
    /// First day of a duration.
    pub start: Option<NaiveDate>,
    /// Last day, or the instant.
    pub end: NaiveDate,
    /// Months of a duration.
    pub months: Option<i32>,
    /// A fiscal label the document gives.
    pub fiscal_label: Option<String>,
}

impl From<PeriodRow> for PeriodInfo {
    fn from(row: PeriodRow) -> Self {
        Self {
            id: row.period,
            kind: row.kind,
            start: row.start_date,
            end: row.end_date,
            months: row.months,
            fiscal_label: row.fiscal_label,
        }
    }
}

/// One financial table of the filing, with counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatementSummary {
    /// Position among the filing's statements (facts' `statement_index`).
    pub index: i32,
    /// `balance_sheet`, `income_statement`, `cash_flow`, `non_gaap_reconciliation` or `other`.
    pub kind: String,
    /// Title as printed.
    pub title: String,
    /// Multiplier from the caption, as a decimal string (e.g. `"1000"`).
    #[schema(value_type = String, example = "1000")]
    pub scale: String,
    /// Where the scale came from (the caption text, or `default`).
    pub scale_source: String,
    /// ISO currency code.
    pub currency: String,
    /// Rows with a label.
    pub line_items: i64,
    /// Values.
    pub facts: i64,
    /// Values derived from accounting identities.
    pub derived: i64,
    /// Values corrected because the printed text contradicted two identities.
    pub corrected: i64,
}

impl From<StatementSummaryRow> for StatementSummary {
    fn from(row: StatementSummaryRow) -> Self {
        Self {
            index: row.position,
            kind: row.kind,
            title: row.title,
            scale: row.scale.normalize().to_string(),
            scale_source: row.scale_source,
            currency: row.currency,
            line_items: row.line_items,
            facts: row.facts,
            derived: row.derived,
            corrected: row.corrected,
        }
    }
}

/// Totals over the filing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct FilingCounts {
    /// Statements.
    pub statements: i64,
    /// Line items.
    pub line_items: i64,
    /// Facts.
    pub facts: i64,
    /// Facts derived from identities.
    pub derived: i64,
    /// Facts corrected.
    pub corrected: i64,
    /// Identity checks.
    pub checks: i64,
    /// Identity checks that failed.
    pub failed_checks: i64,
}

/// An accounting identity tested on the filing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckItem {
    /// Check id.
    pub id: i64,
    /// `total`, `gross_profit`, `operating_result`, `net_result`, `balance_sheet`,
    /// `non_gaap_bridge`, `gross_margin`, `cash_roll_forward` or `period_sum`.
    pub kind: String,
    /// The statement it was tested on (`null`: across statements).
    pub statement_index: Option<i32>,
    /// The identity in words.
    pub description: String,
    /// Period id.
    pub period: String,
    /// `gaap`, `adjustment` or `non_gaap`.
    pub basis: String,
    /// Computed from the components (decimal string).
    #[schema(value_type = String, example = "185156000")]
    pub expected: String,
    /// Printed or derived for the total (decimal string).
    #[schema(value_type = String, example = "185156000")]
    pub actual: String,
    /// Whether they agree.
    pub passed: bool,
}

impl From<CheckRow> for CheckItem {
    fn from(row: CheckRow) -> Self {
        Self {
            id: row.id,
            kind: row.kind,
            statement_index: row.statement_index,
            description: row.description,
            period: row.period,
            basis: row.basis,
            expected: row.expected.normalize().to_string(),
            actual: row.actual.normalize().to_string(),
            passed: row.passed,
        }
    }
}

/// Something the parser (or ingest) noticed, inferred or skipped.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DiagnosticItem {
    /// `info` or `warning`.
    pub severity: String,
    /// Stable code, e.g. `period_inferred`, `company_field_conflict`.
    pub code: String,
    /// What happened.
    pub message: String,
    /// Byte range in the document, when it concerns one place.
    pub span: Option<[i64; 2]>,
}

/// A filing: what `POST /v1/filings` and `GET /v1/filings/{id}` return.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FilingSummary {
    /// Filing id.
    pub id: i64,
    /// Who filed it.
    pub company: CompanyRef,
    /// Form type, e.g. `8-K`.
    pub form_type: Option<String>,
    /// Date of report.
    pub report_date: Option<NaiveDate>,
    /// Date filed.
    pub filing_date: Option<NaiveDate>,
    /// EDGAR accession number.
    pub accession_number: Option<String>,
    /// Items reported under.
    pub items: Vec<String>,
    /// Exhibits.
    pub exhibits: Vec<String>,
    /// Who signed.
    pub signed_by: Option<String>,
    /// Input layout read: `edgar`, `html` or `text`.
    pub format: String,
    /// The parser that produced the facts.
    pub parser_version: String,
    /// The original document.
    pub document: DocumentInfo,
    /// Periods the facts and checks refer to.
    pub periods: Vec<PeriodInfo>,
    /// Financial tables, in order.
    pub statements: Vec<StatementSummary>,
    /// Totals.
    pub counts: FilingCounts,
    /// Checks that failed (at most 100; all of them at `/v1/filings/{id}/checks?failed=true`).
    pub failed_checks: Vec<CheckItem>,
    /// What the parser noticed, inferred or skipped, and company fields that disagreed with
    /// the stored company.
    pub diagnostics: Vec<DiagnosticItem>,
    /// When it was ingested.
    pub created_at: DateTime<Utc>,
}

/// A filing in a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FilingListItem {
    /// Filing id.
    pub id: i64,
    /// Who filed it.
    pub company: CompanyRef,
    /// Form type.
    pub form_type: Option<String>,
    /// Date of report.
    pub report_date: Option<NaiveDate>,
    /// Date filed.
    pub filing_date: Option<NaiveDate>,
    /// Accession number.
    pub accession_number: Option<String>,
    /// Input layout.
    pub format: String,
    /// When it was ingested.
    pub created_at: DateTime<Utc>,
}

impl From<FilingRow> for FilingListItem {
    fn from(row: FilingRow) -> Self {
        Self {
            id: row.id,
            company: company_ref(&row),
            form_type: row.form_type,
            report_date: row.report_date,
            filing_date: row.filing_date,
            accession_number: row.accession_number,
            format: row.format,
            created_at: row.created_at,
        }
    }
}

/// The company of a filing row.
pub fn company_ref(row: &FilingRow) -> CompanyRef {
    CompanyRef {
        id: row.company_id,
        name: row.company_name.clone(),
        cik: row.company_cik.clone(),
        ticker: row.company_ticker.clone(),
    }
}

/// A page of filings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FilingPage {
    /// Newest report date first; filings without one last.
    pub items: Vec<FilingListItem>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A page of checks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckPage {
    /// In the order they were tested.
    pub items: Vec<CheckItem>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Filters and paging of `GET /v1/filings`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilingListQuery {
    /// Only this company's filings (company id).
    #[param(minimum = 1)]
    pub company: Option<i64>,
    /// Only this form type, e.g. `8-K` (case-insensitive).
    pub form: Option<String>,
    /// Report date on or after (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Report date on or before (YYYY-MM-DD).
    pub to: Option<NaiveDate>,
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// Filters and paging of `GET /v1/filings/{id}/checks`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckListQuery {
    /// Only failed checks when `true`.
    pub failed: Option<bool>,
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// What a reparse did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReparseResponse {
    /// `false` when the current parser gives the same result as stored: nothing was touched
    /// (fact ids stay).
    pub changed: bool,
    /// The filing as it now is.
    pub filing: FilingSummary,
}

/// The multipart form `POST /v1/filings` accepts.
#[derive(Debug, Clone, ToSchema)]
#[allow(dead_code, reason = "documents the multipart body; the handler reads it field by field")]
pub struct UploadForm {
    /// The document (EDGAR `.txt`, HTML or plain text).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}
