//! The `facts` table: one exact value per line item, period and basis, with its provenance.

use rust_decimal::Decimal;
use sqlx::types::Json;
use sqlx::{FromRow, PgConnection, PgExecutor};

use super::periods::PERIOD_ID_SQL;

/// A fact to store.
#[derive(Debug, Clone)]
pub struct NewFact {
    /// Its line item's id.
    pub line_item_id: i64,
    /// Its period's id.
    pub period_id: i64,
    /// `gaap`, `adjustment` or `non_gaap`.
    pub basis: String,
    /// Exact value in full units.
    pub value: Decimal,
    /// `USD`, `USD/share`, `shares`, `percent` or `pure`.
    pub unit: String,
    /// `reported`, `derived` or `corrected`.
    pub status: String,
    /// Text as printed.
    pub as_printed: String,
    /// Byte range in the document.
    pub span: (i64, i64),
    /// How a derived or corrected value was computed.
    pub formula: Option<String>,
}

/// A stored fact, in the shape `filings parse` prints, with its id.
#[derive(Debug, Clone, FromRow)]
pub struct FactRow {
    /// Primary key.
    pub id: i64,
    /// The filing.
    pub filing_id: i64,
    /// Statement kind.
    pub statement: String,
    /// Statement position in the filing.
    pub statement_index: i32,
    /// Line item position in the statement.
    pub line_item: i32,
    /// Line item label.
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Canonical period id.
    pub period: String,
    /// Basis.
    pub basis: String,
    /// Exact value.
    pub value: Decimal,
    /// Unit.
    pub unit: String,
    /// Status.
    pub status: String,
    /// As printed.
    pub as_printed: String,
    /// Span start.
    pub span_start: i64,
    /// Span end.
    pub span_end: i64,
    /// Formula of a derived or corrected value.
    pub formula: Option<String>,
}

/// A fact with the statement decisions behind it.
#[derive(Debug, Clone, FromRow)]
pub struct FactDetailRow {
    /// The fact.
    #[sqlx(flatten)]
    pub fact: FactRow,
    /// The statement's title.
    pub statement_title: String,
    /// The statement's scale.
    pub scale: Decimal,
    /// Where the scale came from.
    pub scale_source: String,
    /// The statement's value columns (JSON array of {period, basis, header, period_source}).
    pub columns: Json<serde_json::Value>,
}

const FACT_COLUMNS: &str = "f.id, s.filing_id, s.kind AS statement, s.position AS statement_index, \
    li.position AS line_item, li.label, li.concept, {period} AS period, f.basis, f.value, f.unit, \
    f.status, f.as_printed, f.span_start, f.span_end, f.formula";

const FACT_FROM: &str = "FROM facts f JOIN line_items li ON li.id = f.line_item_id \
    JOIN statements s ON s.id = li.statement_id JOIN periods p ON p.id = f.period_id";

fn fact_columns() -> String {
    FACT_COLUMNS.replace("{period}", PERIOD_ID_SQL)
}

/// Stores facts in one statement.
pub async fn insert_facts(conn: &mut PgConnection, facts: &[NewFact]) -> sqlx::Result<()> {
    if facts.is_empty() {
        return Ok(());
    }
    // WITH ORDINALITY and no sort: ids follow the parser's order, which reads rely on.
    sqlx::query(
        "INSERT INTO facts (line_item_id, period_id, basis, value, unit, status, as_printed, \
            span_start, span_end, formula) \
         SELECT t.line_item_id, t.period_id, t.basis, t.value, t.unit, t.status, t.as_printed, \
                t.span_start, t.span_end, t.formula \
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::numeric[], $5::text[], \
                     $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[]) \
              AS t(line_item_id, period_id, basis, value, unit, status, as_printed, span_start, \
                   span_end, formula)",
    )
    .bind(facts.iter().map(|f| f.line_item_id).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.period_id).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.basis.as_str()).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.value).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.unit.as_str()).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.status.as_str()).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.as_printed.as_str()).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.span.0).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.span.1).collect::<Vec<_>>())
    .bind(facts.iter().map(|f| f.formula.as_deref()).collect::<Vec<_>>())
    .execute(conn)
    .await?;
    Ok(())
}

/// A filing's facts in the parser's order (by id), after fact `after`, at most `limit`. The
/// filing's facts are found from its line items first (the facts' unique index), so that
/// `ORDER BY id LIMIT` cannot become a walk of every fact in id order.
pub async fn list_filing_facts(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
    after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<FactRow>> {
    let sql = format!(
        "WITH own AS MATERIALIZED ( \
             SELECT x.* FROM statements s JOIN line_items li ON li.statement_id = s.id \
             CROSS JOIN LATERAL ( \
                 SELECT f.* FROM facts f WHERE f.line_item_id = li.id \
                   AND ($2::bigint IS NULL OR f.id > $2) OFFSET 0) x \
             WHERE s.filing_id = $1) \
         SELECT {} {} ORDER BY f.id LIMIT $3",
        fact_columns(),
        FACT_FROM.replacen("FROM facts f", "FROM own f", 1)
    );
    sqlx::query_as::<_, FactRow>(sqlx::AssertSqlSafe(sql))
        .bind(filing_id)
        .bind(after)
        .bind(limit)
        .fetch_all(executor)
        .await
}

/// One fact with its statement's decisions.
pub async fn get_fact(
    executor: impl PgExecutor<'_>,
    id: i64,
) -> sqlx::Result<Option<FactDetailRow>> {
    let sql = format!(
        "SELECT {}, s.title AS statement_title, s.scale, s.scale_source, s.columns \
         {FACT_FROM} WHERE f.id = $1",
        fact_columns()
    );
    sqlx::query_as::<_, FactDetailRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(executor)
        .await
}
