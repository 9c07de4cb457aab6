//! The `documents` table: each filing's original bytes, content type and SHA-256 (unique: the
//! key that makes ingest idempotent).

use sqlx::{FromRow, PgConnection, PgExecutor};

/// A stored document.
#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    /// The filing it belongs to.
    pub filing_id: i64,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
    /// The media type it was uploaded with.
    pub content_type: String,
    /// The original bytes.
    pub bytes: Vec<u8>,
}

/// The filing whose document has this SHA-256, if any.
pub async fn find_filing_by_sha256(
    executor: impl PgExecutor<'_>,
    sha256: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT filing_id FROM documents WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(executor)
        .await
}

/// Stores a filing's document. `false` (and nothing stored) when a document with the same
/// SHA-256 exists already: the caller lost a race and should use that filing instead.
pub async fn insert_document(
    conn: &mut PgConnection,
    filing_id: i64,
    sha256: &str,
    content_type: &str,
    bytes: &[u8],
) -> sqlx::Result<bool> {
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let inserted = sqlx::query(
        "INSERT INTO documents (filing_id, sha256, content_type, size, bytes) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(filing_id)
    .bind(sha256)
    .bind(content_type)
    .bind(size)
    .bind(bytes)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The document of filing `filing_id`.
pub async fn get_document(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as::<_, DocumentRow>(
        "SELECT filing_id, sha256, content_type, bytes FROM documents WHERE filing_id = $1",
    )
    .bind(filing_id)
    .fetch_optional(executor)
    .await
}

/// The bytes `[start, end)` of filing `filing_id`'s document, widened by `margin` bytes on each
/// side (clipped to the document), with the offset the slice starts at.
pub async fn document_window(
    executor: impl PgExecutor<'_>,
    filing_id: i64,
    start: i64,
    end: i64,
    margin: i64,
) -> sqlx::Result<Option<(i64, Vec<u8>)>> {
    // substring() is 1-based; reading a window keeps large documents out of memory.
    sqlx::query_as::<_, (i64, Vec<u8>)>(
        "SELECT greatest($2 - $4, 0) AS offset, \
                substring(bytes FROM greatest($2 - $4, 0)::int + 1 \
                          FOR greatest(least($3 + $4, size) - greatest($2 - $4, 0), 0)::int) \
         FROM documents WHERE filing_id = $1",
    )
    .bind(filing_id)
    .bind(start)
    .bind(end)
    .bind(margin)
    .fetch_optional(executor)
    .await
}
