//! The `companies` table: who filed. Matching by CIK, commission file number or normalized
//! name, filling empty fields, and removing a company nothing refers to any more.

use sqlx::{FromRow, PgConnection, PgExecutor};

/// A company as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CompanyRow {
    /// Primary key.
    pub id: i64,
    /// Name as first seen.
    pub name: String,
    /// Lower case, punctuation and legal suffixes removed: what name matching compares.
    pub normalized_name: String,
    /// EDGAR central index key, ten digits.
    pub cik: Option<String>,
    /// Trading symbol, upper case.
    pub ticker: Option<String>,
    /// Exchange the ticker trades on.
    pub exchange: Option<String>,
    /// State of incorporation.
    pub state_of_incorporation: Option<String>,
    /// SEC commission file number.
    pub commission_file_number: Option<String>,
    /// IRS employer identification number.
    pub irs_employer_id: Option<String>,
    /// Business address.
    pub address: Option<String>,
    /// Business phone.
    pub phone: Option<String>,
    /// Fiscal year end as MMDD.
    pub fiscal_year_end: Option<String>,
}

/// The fields an ingested document gives for its company (all but the name may be missing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyFields {
    /// Name as printed.
    pub name: String,
    /// See [`CompanyRow::normalized_name`].
    pub normalized_name: String,
    /// See [`CompanyRow::cik`].
    pub cik: Option<String>,
    /// See [`CompanyRow::ticker`].
    pub ticker: Option<String>,
    /// See [`CompanyRow::exchange`].
    pub exchange: Option<String>,
    /// See [`CompanyRow::state_of_incorporation`].
    pub state_of_incorporation: Option<String>,
    /// See [`CompanyRow::commission_file_number`].
    pub commission_file_number: Option<String>,
    /// See [`CompanyRow::irs_employer_id`].
    pub irs_employer_id: Option<String>,
    /// See [`CompanyRow::address`].
    pub address: Option<String>,
    /// See [`CompanyRow::phone`].
    pub phone: Option<String>,
    /// See [`CompanyRow::fiscal_year_end`].
    pub fiscal_year_end: Option<String>,
}

const COLUMNS: &str = "id, name, normalized_name, cik, ticker, exchange, state_of_incorporation, \
                       commission_file_number, irs_employer_id, address, phone, fiscal_year_end";

/// The company `fields` identify, without locking it: by CIK when the document has one; else
/// (or when no company has that CIK) by commission file number, then by normalized name, among
/// companies whose CIK and file number do not contradict the document's.
pub async fn find_matching_company(
    conn: &mut PgConnection,
    fields: &CompanyFields,
) -> sqlx::Result<Option<CompanyRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM companies \
         WHERE (cik = $1) \
            OR (commission_file_number = $2 AND (cik IS NULL OR $1::text IS NULL)) \
            OR (normalized_name = $3 AND (cik IS NULL OR $1::text IS NULL OR cik = $1) \
                AND (commission_file_number IS NULL OR $2::text IS NULL \
                     OR commission_file_number = $2)) \
         ORDER BY (cik = $1) IS TRUE DESC, (commission_file_number = $2) IS TRUE DESC, id \
         LIMIT 1"
    );
    sqlx::query_as::<_, CompanyRow>(sqlx::AssertSqlSafe(sql))
        .bind(&fields.cik)
        .bind(&fields.commission_file_number)
        .bind(&fields.normalized_name)
        .fetch_optional(conn)
        .await
}

/// Locks company `id` against deletion until the transaction ends (other ingests of the same
/// company are not blocked); `None` when it no longer exists.
pub async fn share_company(conn: &mut PgConnection, id: i64) -> sqlx::Result<Option<CompanyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM companies WHERE id = $1 FOR KEY SHARE");
    sqlx::query_as::<_, CompanyRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await
}

/// Locks company `id` for removing what it owns (periods, itself) until the transaction ends;
/// waits for ingests of the company in flight. `false` when it no longer exists.
pub async fn lock_company(conn: &mut PgConnection, id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query("SELECT 1 FROM companies WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Fills the fields of company `id` that are empty with those of `fields` (never overwriting
/// one that is set) and returns the row as it now is; `None` when it no longer exists.
pub async fn fill_company(
    conn: &mut PgConnection,
    id: i64,
    fields: &CompanyFields,
) -> sqlx::Result<Option<CompanyRow>> {
    let sql = format!(
        "UPDATE companies SET \
            cik = COALESCE(cik, $2), ticker = COALESCE(ticker, $3), \
            exchange = COALESCE(exchange, $4), \
            state_of_incorporation = COALESCE(state_of_incorporation, $5), \
            commission_file_number = COALESCE(commission_file_number, $6), \
            irs_employer_id = COALESCE(irs_employer_id, $7), address = COALESCE(address, $8), \
            phone = COALESCE(phone, $9), fiscal_year_end = COALESCE(fiscal_year_end, $10), \
            updated_at = now() \
         WHERE id = $1 RETURNING {COLUMNS}"
    );
    sqlx::query_as::<_, CompanyRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(&fields.cik)
        .bind(&fields.ticker)
        .bind(&fields.exchange)
        .bind(&fields.state_of_incorporation)
        .bind(&fields.commission_file_number)
        .bind(&fields.irs_employer_id)
        .bind(&fields.address)
        .bind(&fields.phone)
        .bind(&fields.fiscal_year_end)
        .fetch_optional(conn)
        .await
}

/// Inserts a new company.
pub async fn insert_company(
    conn: &mut PgConnection,
    fields: &CompanyFields,
) -> sqlx::Result<CompanyRow> {
    let sql = format!(
        "INSERT INTO companies (name, normalized_name, cik, ticker, exchange, \
            state_of_incorporation, commission_file_number, irs_employer_id, address, phone, \
            fiscal_year_end) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
    );
    sqlx::query_as::<_, CompanyRow>(sqlx::AssertSqlSafe(sql))
        .bind(&fields.name)
        .bind(&fields.normalized_name)
        .bind(&fields.cik)
        .bind(&fields.ticker)
        .bind(&fields.exchange)
        .bind(&fields.state_of_incorporation)
        .bind(&fields.commission_file_number)
        .bind(&fields.irs_employer_id)
        .bind(&fields.address)
        .bind(&fields.phone)
        .bind(&fields.fiscal_year_end)
        .fetch_one(conn)
        .await
}

/// One company.
pub async fn get_company(
    executor: impl PgExecutor<'_>,
    id: i64,
) -> sqlx::Result<Option<CompanyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM companies WHERE id = $1");
    sqlx::query_as::<_, CompanyRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// Deletes company `id` if no filing refers to it (its periods go with it); whether it did.
pub async fn delete_company_if_unused(conn: &mut PgConnection, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "DELETE FROM companies c WHERE id = $1 \
         AND NOT EXISTS (SELECT 1 FROM filings f WHERE f.company_id = c.id)",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
