//! Statements' line items with their facts for some periods: the one query behind statements,
//! comparisons and non-GAAP reconciliations.
//!
//! Shape: find the statements that hold a fact of the wanted bases in the wanted periods (an
//! index-only scan of `facts_period_basis_line_item_idx`), keep those of the company, the kinds
//! and the pinned filing, then return every line item of them (headers too, so sections survive)
//! with its facts in those periods (the facts' unique index on line item, period, basis).

use sqlx::PgExecutor;

use super::LineFact;

/// What to read.
#[derive(Debug, Clone)]
pub struct LineQuery<'a> {
    /// The company.
    pub company_id: i64,
    /// Statement kinds to read.
    pub kinds: &'a [&'a str],
    /// Periods whose facts to return.
    pub period_ids: &'a [i64],
    /// Bases whose facts to return.
    pub bases: &'a [&'a str],
    /// A statement is read when it has a fact of one of these bases in one of the periods.
    pub selecting_bases: &'a [&'a str],
    /// Only this filing, when pinned.
    pub filing_id: Option<i64>,
}

/// Line items and facts per [`LineQuery`], in no particular order.
pub async fn line_facts(
    executor: impl PgExecutor<'_>,
    query: &LineQuery<'_>,
) -> sqlx::Result<Vec<LineFact>> {
    sqlx::query_as(
        "WITH hit AS ( \
             SELECT DISTINCT li.statement_id \
             FROM facts f JOIN line_items li ON li.id = f.line_item_id \
             WHERE f.period_id = ANY($2) AND f.basis = ANY($5) \
         ) \
         SELECT fi.id AS filing_id, fi.report_date, fi.filing_date, fi.form_type, \
                s.id AS statement_id, s.kind AS statement_kind, \
                s.position AS statement_position, s.title AS statement_title, \
                li.id AS line_item_id, li.position AS line_position, li.label, li.concept, \
                li.section, li.is_total, li.is_header, \
                f.id AS fact_id, f.period_id, f.basis, f.value, f.unit, f.status, f.formula \
         FROM hit \
         JOIN statements s ON s.id = hit.statement_id AND s.kind = ANY($3) \
         JOIN filings fi ON fi.id = s.filing_id AND fi.company_id = $1 \
                        AND ($6::bigint IS NULL OR fi.id = $6) \
         JOIN line_items li ON li.statement_id = s.id \
         LEFT JOIN facts f ON f.line_item_id = li.id AND f.period_id = ANY($2) \
                          AND f.basis = ANY($4)",
    )
    .bind(query.company_id)
    .bind(query.period_ids)
    .bind(query.kinds)
    .bind(query.bases)
    .bind(query.selecting_bases)
    .bind(query.filing_id)
    .fetch_all(executor)
    .await
}
