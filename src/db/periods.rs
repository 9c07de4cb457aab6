//! The `periods` table: instants and durations, shared by all filings of a company, unique by
//! (company, kind, start, end).

use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection, PgExecutor};

/// SQL for a period's canonical id (`3M-2003-06-30`, `I-2003-06-30`) from a row aliased `p`:
/// the same id the parser gives.
pub const PERIOD_ID_SQL: &str = "(CASE WHEN p.kind = 'instant' THEN 'I-' \
     ELSE COALESCE(p.months, 0)::text || 'M-' END || to_char(p.end_date, 'YYYY-MM-DD'))";

/// A period to store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NewPeriod {
    /// `instant` or `duration`.
    pub kind: &'static str,
    /// First day of a duration.
    pub start: Option<NaiveDate>,
    /// Last day, or the instant.
    pub end: NaiveDate,
    /// Length of a duration in months.
    pub months: Option<i32>,
    /// A fiscal label the document gives.
    pub fiscal_label: Option<String>,
}

/// A stored period.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PeriodRow {
    /// Primary key.
    pub id: i64,
    /// Canonical id, e.g. `3M-2003-06-30`.
    pub period: String,
    /// `instant` or `duration`.
    pub kind: String,
    /// First day of a duration.
    pub start_date: Option<NaiveDate>,
    /// Last day, or the instant.
    pub end_date: NaiveDate,
    /// Months of a duration.
    pub months: Option<i32>,
    /// Fiscal label.
    pub fiscal_label: Option<String>,
}

/// Stores the periods company `company_id` does not have yet and returns the id of each of
/// `periods`, in order. Existing periods are not locked (concurrent ingests of one company share
/// them freely); an existing period without a fiscal label takes the one given here.
pub async fn upsert_periods(
    conn: &mut PgConnection,
    company_id: i64,
    periods: &[NewPeriod],
) -> sqlx::Result<Vec<i64>> {
    if periods.is_empty() {
        return Ok(Vec::new());
    }
    // Inserted in one order everywhere, so that two ingests waiting on each other's new
    // periods cannot deadlock.
    let mut sorted: Vec<&NewPeriod> = periods.iter().collect();
    sorted.sort();
    sorted.dedup_by(|a, b| (a.kind, a.start, a.end) == (b.kind, b.start, b.end));
    let kinds: Vec<&str> = sorted.iter().map(|p| p.kind).collect();
    let starts: Vec<Option<NaiveDate>> = sorted.iter().map(|p| p.start).collect();
    let ends: Vec<NaiveDate> = sorted.iter().map(|p| p.end).collect();
    let months: Vec<Option<i32>> = sorted.iter().map(|p| p.months).collect();
    let labels: Vec<Option<&str>> = sorted.iter().map(|p| p.fiscal_label.as_deref()).collect();
    sqlx::query(
        "INSERT INTO periods (company_id, kind, start_date, end_date, months, fiscal_label) \
         SELECT $1, t.kind, t.start_date, t.end_date, t.months, t.fiscal_label \
         FROM unnest($2::text[], $3::date[], $4::date[], $5::int[], $6::text[]) \
              WITH ORDINALITY AS t(kind, start_date, end_date, months, fiscal_label, n) \
         ORDER BY t.n \
         ON CONFLICT ON CONSTRAINT periods_company_kind_start_end_key DO NOTHING",
    )
    .bind(company_id)
    .bind(&kinds)
    .bind(&starts)
    .bind(&ends)
    .bind(&months)
    .bind(&labels)
    .execute(&mut *conn)
    .await?;
    if labels.iter().any(Option::is_some) {
        sqlx::query(
            "UPDATE periods p SET fiscal_label = t.fiscal_label \
             FROM unnest($2::text[], $3::date[], $4::date[], $5::text[]) \
                  AS t(kind, start_date, end_date, fiscal_label) \
             WHERE p.company_id = $1 AND p.kind = t.kind \
               AND p.start_date IS NOT DISTINCT FROM t.start_date AND p.end_date = t.end_date \
               AND p.fiscal_label IS NULL AND t.fiscal_label IS NOT NULL",
        )
        .bind(company_id)
        .bind(&kinds)
        .bind(&starts)
        .bind(&ends)
        .bind(&labels)
        .execute(&mut *conn)
        .await?;
    }
    let found: Vec<(i64, String, Option<NaiveDate>, NaiveDate)> = sqlx::query_as(
        "SELECT p.id, p.kind, p.start_date, p.end_date FROM periods p \
         JOIN unnest($2::text[], $3::date[], $4::date[]) AS t(kind, start_date, end_date) \
           ON p.kind = t.kind AND p.start_date IS NOT DISTINCT FROM t.start_date \
          AND p.end_date = t.end_date \
         WHERE p.company_id = $1",
    )
    .bind(company_id)
    .bind(&kinds)
    .bind(&starts)
    .bind(&ends)
    .fetch_all(&mut *conn)
    .await?;
    periods
        .iter()
        .map(|p| {
            found
                .iter()
                .find(|(_, kind, start, end)| kind == p.kind && *start == p.start && *end == p.end)
                .map(|(id, ..)| *id)
                .ok_or_else(|| {
                    sqlx::Error::Protocol(format!(
                        "period {} {:?}..{} of company {company_id} was neither stored nor found",
                        p.kind, p.start, p.end
                    ))
                })
        })
        .collect()
}

/// Deletes the periods of company `company_id` that no fact and no check refers to.
pub async fn delete_unused_periods(conn: &mut PgConnection, company_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "DELETE FROM periods p WHERE p.company_id = $1 \
           AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.period_id = p.id) \
           AND NOT EXISTS (SELECT 1 FROM checks k WHERE k.period_id = p.id)",
    )
    .bind(company_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The periods filing `filing_id`'s facts and checks refer to, earliest end first.
///
/// Facts are reached from the filing's line items through the facts' unique index (`OFFSET 0`
/// keeps the lookup per line item instead of a join over all facts).
pub async fn filing_periods(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
) -> sqlx::Result<Vec<PeriodRow>> {
    let sql = format!(
        "SELECT p.id, {PERIOD_ID_SQL} AS period, p.kind, p.start_date, p.end_date, p.months, \
                p.fiscal_label \
         FROM periods p WHERE p.id IN ( \
             SELECT x.period_id FROM statements s \
             JOIN line_items li ON li.statement_id = s.id \
             CROSS JOIN LATERAL ( \
                 SELECT f.period_id FROM facts f WHERE f.line_item_id = li.id OFFSET 0) x \
             WHERE s.filing_id = $1 \
             UNION SELECT k.period_id FROM checks k WHERE k.filing_id = $1) \
         ORDER BY p.end_date, p.kind DESC, p.months, p.start_date"
    );
    sqlx::query_as::<_, PeriodRow>(sqlx::AssertSqlSafe(sql))
        .bind(filing_id)
        .fetch_all(executor)
        .await
}
