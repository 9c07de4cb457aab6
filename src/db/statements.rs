//! The `statements` and `line_items` tables: a filing's financial tables and their rows.

use rust_decimal::Decimal;
use sqlx::{FromRow, PgConnection, PgExecutor};

/// A statement to store.
#[derive(Debug, Clone)]
pub struct NewStatement {
    /// Order among the filing's statements.
    pub position: i32,
    /// `balance_sheet`, `income_statement`, ...
    pub kind: String,
    /// Title as printed.
    pub title: String,
    /// Multiplier from the caption.
    pub scale: Decimal,
    /// Where the scale came from.
    pub scale_source: String,
    /// ISO currency.
    pub currency: String,
    /// The value columns, as a JSON array.
    pub columns: serde_json::Value,
    /// Byte range of the table in the document.
    pub span: (i64, i64),
}

/// A line item to store.
#[derive(Debug, Clone)]
pub struct NewLineItem {
    /// Its statement's id.
    pub statement_id: i64,
    /// Order within the statement.
    pub position: i32,
    /// Label as printed.
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Section header above it.
    pub section: Option<String>,
    /// A total row.
    pub is_total: bool,
    /// A section header row.
    pub is_header: bool,
}

/// Stores a filing's statements; their ids, in the order given.
pub async fn insert_statements(
    conn: &mut PgConnection,
    filing_id: i64,
    statements: &[NewStatement],
) -> sqlx::Result<Vec<i64>> {
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    let positions: Vec<i32> = statements.iter().map(|s| s.position).collect();
    let rows: Vec<(i64, i32)> = sqlx::query_as(
        "INSERT INTO statements (filing_id, position, kind, title, scale, scale_source, currency, \
            columns, span_start, span_end) \
         SELECT $1, t.position, t.kind, t.title, t.scale, t.scale_source, t.currency, \
                t.columns::jsonb, t.span_start, t.span_end \
         FROM unnest($2::int[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[], \
                     $8::text[], $9::bigint[], $10::bigint[]) \
              AS t(position, kind, title, scale, scale_source, currency, columns, span_start, \
                   span_end) \
         RETURNING id, position",
    )
    .bind(filing_id)
    .bind(&positions)
    .bind(statements.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.title.as_str()).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.scale).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.scale_source.as_str()).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.currency.as_str()).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.columns.to_string()).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.span.0).collect::<Vec<_>>())
    .bind(statements.iter().map(|s| s.span.1).collect::<Vec<_>>())
    .fetch_all(conn)
    .await?;
    Ok(positions
        .iter()
        .map(|p| rows.iter().find(|(_, position)| position == p).map_or(0, |(id, _)| *id))
        .collect())
}

/// Stores line items; their ids, in the order given.
pub async fn insert_line_items(
    conn: &mut PgConnection,
    items: &[NewLineItem],
) -> sqlx::Result<Vec<i64>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, i32)> = sqlx::query_as(
        "INSERT INTO line_items (statement_id, position, label, concept, section, is_total, \
            is_header) \
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], \
            $6::bool[], $7::bool[]) \
         RETURNING id, statement_id, position",
    )
    .bind(items.iter().map(|i| i.statement_id).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.position).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.concept.as_deref()).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.section.as_deref()).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.is_total).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.is_header).collect::<Vec<_>>())
    .fetch_all(conn)
    .await?;
    let by_key: std::collections::HashMap<(i64, i32), i64> =
        rows.into_iter().map(|(id, statement, position)| ((statement, position), id)).collect();
    Ok(items
        .iter()
        .map(|i| by_key.get(&(i.statement_id, i.position)).copied().unwrap_or(0))
        .collect())
}

/// Deletes a filing's statements and, by cascade, their line items, facts and checks.
pub async fn delete_filing_statements(conn: &mut PgConnection, filing_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM statements WHERE filing_id = $1")
        .bind(filing_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A statement with its counts, for a filing summary.
#[derive(Debug, Clone, FromRow)]
pub struct StatementSummaryRow {
    /// Order among the filing's statements.
    pub position: i32,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Multiplier.
    pub scale: Decimal,
    /// Where the scale came from.
    pub scale_source: String,
    /// Currency.
    pub currency: String,
    /// Line items.
    pub line_items: i64,
    /// Facts.
    pub facts: i64,
    /// Facts derived from identities.
    pub derived: i64,
    /// Facts corrected.
    pub corrected: i64,
}

/// A filing's statements with their line-item and fact counts, in order.
pub async fn statement_summaries(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
) -> sqlx::Result<Vec<StatementSummaryRow>> {
    // Facts are counted per line item through the facts' unique index (the LATERAL keeps the
    // lookup per line item): a join the planner may turn into a scan of all facts, which it
    // does on tables not yet analyzed.
    sqlx::query_as::<_, StatementSummaryRow>(
        "SELECT s.position, s.kind, s.title, s.scale, s.scale_source, s.currency, \
                count(li.id) AS line_items, COALESCE(sum(fa.n), 0)::bigint AS facts, \
                COALESCE(sum(fa.derived), 0)::bigint AS derived, \
                COALESCE(sum(fa.corrected), 0)::bigint AS corrected \
         FROM statements s \
         LEFT JOIN line_items li ON li.statement_id = s.id \
         LEFT JOIN LATERAL ( \
             SELECT count(*) AS n, count(*) FILTER (WHERE f.status = 'derived') AS derived, \
                    count(*) FILTER (WHERE f.status = 'corrected') AS corrected \
             FROM facts f WHERE f.line_item_id = li.id \
         ) fa ON true \
         WHERE s.filing_id = $1 \
         GROUP BY s.id ORDER BY s.position",
    )
    .bind(filing_id)
    .fetch_all(executor)
    .await
}
