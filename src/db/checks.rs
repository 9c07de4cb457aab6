//! The `checks` table: every accounting identity tested on a filing, with its outcome.

use rust_decimal::Decimal;
use sqlx::{FromRow, PgConnection, PgExecutor};

use super::periods::PERIOD_ID_SQL;

/// A check to store.
#[derive(Debug, Clone)]
pub struct NewCheck {
    /// The statement it was tested on, if one.
    pub statement_id: Option<i64>,
    /// Identity kind, e.g. `total`.
    pub kind: String,
    /// The identity in words.
    pub description: String,
    /// Its period's id.
    pub period_id: i64,
    /// Basis.
    pub basis: String,
    /// Computed from the components.
    pub expected: Decimal,
    /// Printed or derived for the total.
    pub actual: Decimal,
    /// Whether they agree.
    pub passed: bool,
}

/// A stored check.
#[derive(Debug, Clone, FromRow)]
pub struct CheckRow {
    /// Primary key.
    pub id: i64,
    /// Identity kind.
    pub kind: String,
    /// Position of the statement it was tested on.
    pub statement_index: Option<i32>,
    /// The identity in words.
    pub description: String,
    /// Canonical period id.
    pub period: String,
    /// Basis.
    pub basis: String,
    /// Computed from the components.
    pub expected: Decimal,
    /// Printed or derived for the total.
    pub actual: Decimal,
    /// Whether they agree.
    pub passed: bool,
}

/// Stores checks.
pub async fn insert_checks(
    conn: &mut PgConnection,
    filing_id: i64,
    checks: &[NewCheck],
) -> sqlx::Result<()> {
    if checks.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO checks (filing_id, statement_id, kind, description, period_id, basis, \
            expected, actual, passed) \
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], \
            $6::text[], $7::numeric[], $8::numeric[], $9::bool[])",
    )
    .bind(filing_id)
    .bind(checks.iter().map(|c| c.statement_id).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.description.as_str()).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.period_id).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.basis.as_str()).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.expected).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.actual).collect::<Vec<_>>())
    .bind(checks.iter().map(|c| c.passed).collect::<Vec<_>>())
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a filing's checks (those across statements too).
pub async fn delete_filing_checks(conn: &mut PgConnection, filing_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM checks WHERE filing_id = $1").bind(filing_id).execute(conn).await?;
    Ok(())
}

/// A filing's checks by id, after `after`, at most `limit`; only failed ones when
/// `failed_only`. The filing's checks are selected first (its index), so that `ORDER BY id
/// LIMIT` cannot become a walk of every check in id order.
pub async fn list_filing_checks(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
    failed_only: bool,
    after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<CheckRow>> {
    let sql = format!(
        "WITH own AS MATERIALIZED ( \
             SELECT * FROM checks k WHERE k.filing_id = $1 AND (NOT $2 OR NOT k.passed) \
               AND ($3::bigint IS NULL OR k.id > $3)) \
         SELECT k.id, k.kind, s.position AS statement_index, k.description, \
                {PERIOD_ID_SQL} AS period, k.basis, k.expected, k.actual, k.passed \
         FROM own k JOIN periods p ON p.id = k.period_id \
         LEFT JOIN statements s ON s.id = k.statement_id \
         ORDER BY k.id LIMIT $4"
    );
    sqlx::query_as::<_, CheckRow>(sqlx::AssertSqlSafe(sql))
        .bind(filing_id)
        .bind(failed_only)
        .bind(after)
        .bind(limit)
        .fetch_all(executor)
        .await
}

/// How many checks a filing has, and how many failed.
pub async fn count_filing_checks(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE NOT passed) FROM checks WHERE filing_id = $1",
    )
    .bind(filing_id)
    .fetch_one(executor)
    .await
}
