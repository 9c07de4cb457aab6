//! What every company-scoped read needs first: the company (or its absence), its periods, and
//! the version of its data, in one round trip.
//!
//! The version is (filings, statements, sum of statement ids) over the company's filings. Every
//! write that changes what a read of the company returns (an ingest, a reparse that replaces
//! rows, a delete) changes it: new rows get new, larger ids, and removed rows lower a count or
//! the sum. Reads cache their responses under it.

use chrono::NaiveDate;
use sqlx::PgExecutor;

/// A company with one of its periods (one row per period; the period columns are NULL when
/// the company has none).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanyPeriodRow {
    /// Company id.
    pub company_id: i64,
    /// Company name.
    pub name: String,
    /// Fiscal year end as `MMDD`, when known.
    pub fiscal_year_end: Option<String>,
    /// Period id.
    pub period_id: Option<i64>,
    /// `instant` or `duration`.
    pub kind: Option<String>,
    /// First day of a duration.
    pub start_date: Option<NaiveDate>,
    /// Last day, or the instant.
    pub end_date: Option<NaiveDate>,
    /// Length of a duration in months.
    pub months: Option<i32>,
    /// How many filings the company has.
    pub filings_count: i64,
    /// How many statements those filings have.
    pub statements_count: i64,
    /// The sum of those statements' ids.
    pub statement_id_sum: i64,
}

/// The company `company_id` and its periods, by end date; empty when there is no such company.
pub async fn company_periods(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Vec<CompanyPeriodRow>> {
    sqlx::query_as(
        "SELECT c.id AS company_id, c.name, c.fiscal_year_end, p.id AS period_id, p.kind, \
                p.start_date, p.end_date, p.months, v.filings_count, v.statements_count, \
                v.statement_id_sum \
         FROM companies c \
         CROSS JOIN LATERAL ( \
             SELECT (SELECT count(*) FROM filings WHERE company_id = c.id) AS filings_count, \
                    count(s.id) AS statements_count, \
                    COALESCE(sum(s.id), 0)::bigint AS statement_id_sum \
             FROM filings fi JOIN statements s ON s.filing_id = fi.id \
             WHERE fi.company_id = c.id \
         ) v \
         LEFT JOIN periods p ON p.company_id = c.id \
         WHERE c.id = $1 \
         ORDER BY p.end_date, p.months NULLS FIRST, p.id",
    )
    .bind(company_id)
    .fetch_all(executor)
    .await
}
