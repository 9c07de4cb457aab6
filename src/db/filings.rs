//! The `filings` table: one uploaded document, parsed; listing, detail, and the rows a reparse
//! or a delete starts from.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{FromRow, PgConnection, PgExecutor};

/// What a new filing (or a reparse) stores on the filing row.
#[derive(Debug, Clone)]
pub struct FilingFields {
    /// The company that filed it.
    pub company_id: i64,
    /// Form type, e.g. `8-K`.
    pub form_type: Option<String>,
    /// Date of report.
    pub report_date: Option<NaiveDate>,
    /// Date filed.
    pub filing_date: Option<NaiveDate>,
    /// EDGAR accession number.
    pub accession_number: Option<String>,
    /// Item numbers.
    pub items: Vec<String>,
    /// Exhibit numbers.
    pub exhibits: Vec<String>,
    /// Who signed it.
    pub signed_by: Option<String>,
    /// Input layout: `edgar`, `html` or `text`.
    pub format: String,
    /// The parser that produced the rows.
    pub parser_version: String,
    /// Diagnostics, as a JSON array.
    pub diagnostics: serde_json::Value,
    /// SHA-256 of the parse result the rows were stored from.
    pub result_sha256: String,
}

/// A filing with its company's name and its document's metadata.
#[derive(Debug, Clone, FromRow)]
pub struct FilingRow {
    /// Primary key.
    pub id: i64,
    /// The company.
    pub company_id: i64,
    /// The company's name.
    pub company_name: String,
    /// The company's CIK.
    pub company_cik: Option<String>,
    /// The company's ticker.
    pub company_ticker: Option<String>,
    /// Form type.
    pub form_type: Option<String>,
    /// Date of report.
    pub report_date: Option<NaiveDate>,
    /// Date filed.
    pub filing_date: Option<NaiveDate>,
    /// Accession number.
    pub accession_number: Option<String>,
    /// Item numbers.
    pub items: Vec<String>,
    /// Exhibit numbers.
    pub exhibits: Vec<String>,
    /// Signer.
    pub signed_by: Option<String>,
    /// Input layout.
    pub format: String,
    /// Parser version.
    pub parser_version: String,
    /// Diagnostics (a JSON array).
    pub diagnostics: Json<serde_json::Value>,
    /// Document SHA-256.
    pub sha256: String,
    /// Document media type.
    pub content_type: String,
    /// Document size in bytes.
    pub size: i64,
    /// When it was ingested.
    pub created_at: DateTime<Utc>,
}

const FILING_COLUMNS: &str = "f.id, f.company_id, c.name AS company_name, c.cik AS company_cik, \
    c.ticker AS company_ticker, f.form_type, f.report_date, f.filing_date, f.accession_number, \
    f.items, f.exhibits, f.signed_by, f.format, f.parser_version, f.diagnostics, d.sha256, \
    d.content_type, d.size, f.created_at";

const FILING_FROM: &str =
    "FROM filings f JOIN companies c ON c.id = f.company_id JOIN documents d ON d.filing_id = f.id";

/// Inserts a filing row; its id.
pub async fn insert_filing(conn: &mut PgConnection, fields: &FilingFields) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO filings (company_id, form_type, report_date, filing_date, accession_number, \
            items, exhibits, signed_by, format, parser_version, diagnostics, result_sha256) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(fields.company_id)
    .bind(&fields.form_type)
    .bind(fields.report_date)
    .bind(fields.filing_date)
    .bind(&fields.accession_number)
    .bind(&fields.items)
    .bind(&fields.exhibits)
    .bind(&fields.signed_by)
    .bind(&fields.format)
    .bind(&fields.parser_version)
    .bind(Json(&fields.diagnostics))
    .bind(&fields.result_sha256)
    .fetch_one(conn)
    .await
}

/// Replaces what a parse determines on filing `id` (its company stays).
pub async fn update_filing(
    conn: &mut PgConnection,
    id: i64,
    fields: &FilingFields,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE filings SET form_type = $2, report_date = $3, filing_date = $4, \
            accession_number = $5, items = $6, exhibits = $7, signed_by = $8, format = $9, \
            parser_version = $10, diagnostics = $11, result_sha256 = $12 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(&fields.form_type)
    .bind(fields.report_date)
    .bind(fields.filing_date)
    .bind(&fields.accession_number)
    .bind(&fields.items)
    .bind(&fields.exhibits)
    .bind(&fields.signed_by)
    .bind(&fields.format)
    .bind(&fields.parser_version)
    .bind(Json(&fields.diagnostics))
    .bind(&fields.result_sha256)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a reparse or delete needs of a filing, locked until the transaction ends.
#[derive(Debug, Clone, FromRow)]
pub struct LockedFiling {
    /// The company.
    pub company_id: i64,
    /// SHA-256 of the parse result its rows came from.
    pub result_sha256: Option<String>,
}

/// Locks filing `id` for a reparse or a delete; `None` when it does not exist.
pub async fn lock_filing(conn: &mut PgConnection, id: i64) -> sqlx::Result<Option<LockedFiling>> {
    sqlx::query_as::<_, LockedFiling>(
        "SELECT company_id, result_sha256 FROM filings WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Deletes filing `id` and, by cascade, its document, statements, line items, facts and checks.
pub async fn delete_filing(conn: &mut PgConnection, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM filings WHERE id = $1").bind(id).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// One filing.
pub async fn get_filing(executor: impl PgExecutor<'_>, id: i64) -> sqlx::Result<Option<FilingRow>> {
    let sql = format!("SELECT {FILING_COLUMNS} {FILING_FROM} WHERE f.id = $1");
    sqlx::query_as::<_, FilingRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(executor).await
}

/// Whether filing `id` exists.
pub async fn filing_exists(executor: impl PgExecutor<'_>, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM filings WHERE id = $1)")
        .bind(id)
        .fetch_one(executor)
        .await
}

/// Where a page of filings starts: after this (report date, id); undated filings sort last
/// (their key is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilingKey {
    /// The report date (`None`: undated, which sorts after every date).
    pub report_date: Option<NaiveDate>,
    /// The filing id.
    pub id: i64,
}

/// Filters of the filing list.
#[derive(Debug, Clone, Default)]
pub struct FilingFilter {
    /// Only this company's filings.
    pub company_id: Option<i64>,
    /// Only this form type (compared case-insensitively).
    pub form_type: Option<String>,
    /// Report date on or after.
    pub from: Option<NaiveDate>,
    /// Report date on or before.
    pub to: Option<NaiveDate>,
}

/// Filings newest report first (undated last, then by id descending), after `after`.
pub async fn list_filings(
    executor: impl PgExecutor<'_>,
    filter: &FilingFilter,
    after: Option<FilingKey>,
    limit: i64,
) -> sqlx::Result<Vec<FilingRow>> {
    // The sort key matches the expression of filings_listing_idx; -infinity stands for "no
    // date" so that the keyset comparison needs no special case for NULL.
    let sql = format!(
        "SELECT {FILING_COLUMNS} {FILING_FROM} \
         WHERE ($1::bigint IS NULL OR f.company_id = $1) \
           AND ($2::text IS NULL OR upper(f.form_type) = upper($2)) \
           AND ($3::date IS NULL OR f.report_date >= $3) \
           AND ($4::date IS NULL OR f.report_date <= $4) \
           AND ($6::bigint IS NULL \
                OR (COALESCE(f.report_date, '-infinity'::date), f.id) \
                   < (COALESCE($5::date, '-infinity'::date), $6)) \
         ORDER BY COALESCE(f.report_date, '-infinity'::date) DESC, f.id DESC \
         LIMIT $7"
    );
    sqlx::query_as::<_, FilingRow>(sqlx::AssertSqlSafe(sql))
        .bind(filter.company_id)
        .bind(&filter.form_type)
        .bind(filter.from)
        .bind(filter.to)
        .bind(after.and_then(|k| k.report_date))
        .bind(after.map(|k| k.id))
        .bind(limit)
        .fetch_all(executor)
        .await
}
