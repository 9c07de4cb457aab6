//! One concept's facts over time for a company: the query behind series.
//!
//! Shape: the company's filings (`filings_company_report_date_idx`), their statements, the line
//! items of the concept, and every fact on them.

use sqlx::PgExecutor;

use super::LineFact;

/// Every fact of `concept` in the company's filings, in the given bases, in no particular order.
pub async fn concept_facts(
    executor: impl PgExecutor<'_>,
    company_id: i64,
    concept: &str,
    bases: &[&str],
) -> sqlx::Result<Vec<LineFact>> {
    sqlx::query_as(
        "SELECT fi.id AS filing_id, fi.report_date, fi.filing_date, fi.form_type, \
                s.id AS statement_id, s.kind AS statement_kind, \
                s.position AS statement_position, s.title AS statement_title, \
                li.id AS line_item_id, li.position AS line_position, li.label, li.concept, \
                li.section, li.is_total, li.is_header, \
                f.id AS fact_id, f.period_id, f.basis, f.value, f.unit, f.status, f.formula \
         FROM filings fi \
         JOIN statements s ON s.filing_id = fi.id \
         JOIN line_items li ON li.statement_id = s.id AND li.concept = $2 \
         JOIN facts f ON f.line_item_id = li.id AND f.basis = ANY($3) \
         WHERE fi.company_id = $1",
    )
    .bind(company_id)
    .bind(concept)
    .bind(bases)
    .fetch_all(executor)
    .await
}

/// The concept keys that occur in the company's statements, sorted.
pub async fn company_concepts(
    executor: impl PgExecutor<'_>,
    company_id: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT li.concept \
         FROM filings fi \
         JOIN statements s ON s.filing_id = fi.id \
         JOIN line_items li ON li.statement_id = s.id \
         WHERE fi.company_id = $1 AND li.concept IS NOT NULL \
         ORDER BY 1",
    )
    .bind(company_id)
    .fetch_all(executor)
    .await
}
