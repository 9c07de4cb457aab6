//! Companies for reads: the searchable list, one company's identity and what it has data for.

use chrono::NaiveDate;
use sqlx::PgExecutor;

/// A company as the list and the detail show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanyRow {
    /// Id.
    pub id: i64,
    /// Name as filed.
    pub name: String,
    /// EDGAR central index key.
    pub cik: Option<String>,
    /// Trading symbol.
    pub ticker: Option<String>,
    /// Exchange.
    pub exchange: Option<String>,
    /// State of incorporation.
    pub state_of_incorporation: Option<String>,
    /// Commission file number.
    pub commission_file_number: Option<String>,
    /// IRS employer id.
    pub irs_employer_id: Option<String>,
    /// Business address.
    pub address: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Fiscal year end as `MMDD`.
    pub fiscal_year_end: Option<String>,
    /// How many filings it has.
    pub filings_count: i64,
    /// The newest report date among them.
    pub latest_report_date: Option<NaiveDate>,
}

/// Filters of the company list.
#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    /// Every one of these lower-case words occurs in the name.
    pub name_words: Vec<String>,
    /// Exact CIK (ten digits).
    pub cik: Option<String>,
    /// Exact ticker (upper case).
    pub ticker: Option<String>,
    /// Only ids after this one (the cursor).
    pub after_id: Option<i64>,
    /// At most this many rows.
    pub limit: i64,
}

/// The columns of [`CompanyRow`] over `companies c` (a macro so queries stay `&'static str`).
macro_rules! company_columns {
    () => {
        "SELECT c.id, c.name, c.cik, c.ticker, c.exchange, c.state_of_incorporation, \
                c.commission_file_number, c.irs_employer_id, c.address, c.phone, \
                c.fiscal_year_end, \
                (SELECT count(*) FROM filings f WHERE f.company_id = c.id) AS filings_count, \
                (SELECT max(f.report_date) FROM filings f WHERE f.company_id = c.id) \
                    AS latest_report_date \
         FROM companies c "
    };
}

/// Companies matching `filter`, by id.
pub async fn list_companies(
    executor: impl PgExecutor<'_>,
    filter: &CompanyFilter,
) -> sqlx::Result<Vec<CompanyRow>> {
    let patterns: Vec<String> = filter.name_words.iter().map(|w| format!("%{w}%")).collect();
    sqlx::query_as(concat!(
        company_columns!(),
        "WHERE (cardinality($1::text[]) = 0 OR lower(c.name) LIKE ALL($1)) \
           AND ($2::text IS NULL OR c.cik = $2) \
           AND ($3::text IS NULL OR c.ticker = $3) \
           AND ($4::bigint IS NULL OR c.id > $4) \
         ORDER BY c.id LIMIT $5"
    ))
    .bind(patterns)
    .bind(&filter.cik)
    .bind(&filter.ticker)
    .bind(filter.after_id)
    .bind(filter.limit)
    .fetch_all(executor)
    .await
}

/// One company.
pub async fn find_company(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Option<CompanyRow>> {
    sqlx::query_as(concat!(company_columns!(), "WHERE c.id = $1"))
        .bind(company_id)
        .fetch_optional(executor)
        .await
}

/// A period of a company that has facts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodWithData {
    /// Period id.
    pub id: i64,
    /// `instant` or `duration`.
    pub kind: String,
    /// First day of a duration.
    pub start_date: Option<NaiveDate>,
    /// Last day, or the instant.
    pub end_date: NaiveDate,
    /// Length of a duration in months.
    pub months: Option<i32>,
    /// A fiscal label the filing gave.
    pub fiscal_label: Option<String>,
    /// How many facts refer to it.
    pub facts_count: i64,
    /// Statement kinds those facts are in.
    pub statement_kinds: Vec<String>,
}

/// The company's periods that have facts, by end date and length.
pub async fn periods_with_data(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Vec<PeriodWithData>> {
    sqlx::query_as(
        "SELECT p.id, p.kind, p.start_date, p.end_date, p.months, p.fiscal_label, \
                count(*) AS facts_count, \
                array_agg(DISTINCT s.kind ORDER BY s.kind) AS statement_kinds \
         FROM periods p \
         JOIN facts f ON f.period_id = p.id \
         JOIN line_items li ON li.id = f.line_item_id \
         JOIN statements s ON s.id = li.statement_id \
         WHERE p.company_id = $1 \
         GROUP BY p.id \
         ORDER BY p.end_date, p.months NULLS FIRST, p.id",
    )
    .bind(company_id)
    .fetch_all(executor)
    .await
}

/// A filing of a company, as reads cite it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FilingRef {
    /// Id.
    pub id: i64,
    /// Form type.
    pub form_type: Option<String>,
    /// Report date.
    pub report_date: Option<NaiveDate>,
}

/// The company's filings, newest report first.
pub async fn company_filings(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Vec<FilingRef>> {
    sqlx::query_as(
        "SELECT id, form_type, report_date FROM filings WHERE company_id = $1 \
         ORDER BY report_date DESC NULLS LAST, id DESC",
    )
    .bind(company_id)
    .fetch_all(executor)
    .await
}
