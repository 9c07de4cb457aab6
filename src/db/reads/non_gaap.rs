//! What non-GAAP reads need beyond the shared line query: which periods have a reconciliation.

use sqlx::PgExecutor;

/// Ids of the company's periods that have an adjustment or non-GAAP fact, by end date.
pub async fn periods_with_non_gaap(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT p.id FROM periods p \
         WHERE p.company_id = $1 AND EXISTS ( \
             SELECT 1 FROM facts f \
             WHERE f.period_id = p.id AND f.basis IN ('adjustment', 'non_gaap')) \
         ORDER BY p.end_date, p.months NULLS FIRST, p.id",
    )
    .bind(company_id)
    .fetch_all(executor)
    .await
}
