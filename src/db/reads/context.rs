//! What every company-scoped read needs first: the company (or its absence) and its periods,
//! in one round trip.

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
}

/// The company `company_id` and its periods, by end date; empty when there is no such company.
pub async fn company_periods(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Vec<CompanyPeriodRow>> {
    sqlx::query_as(
        "SELECT c.id AS company_id, c.name, c.fiscal_year_end, p.id AS period_id, p.kind, \
                p.start_date, p.end_date, p.months \
         FROM companies c LEFT JOIN periods p ON p.company_id = c.id \
         WHERE c.id = $1 \
         ORDER BY p.end_date, p.months NULLS FIRST, p.id",
    )
    .bind(company_id)
    .fetch_all(executor)
    .await
}
