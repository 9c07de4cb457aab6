//! Transaction-scoped advisory locks: how concurrent ingests agree on who stores a document or
//! creates a company, without locking tables.

use sqlx::PgConnection;

/// Takes a transaction-scoped advisory lock on each key, in sorted order (so that two
/// transactions asking for overlapping keys cannot deadlock). The locks are released when the
/// transaction ends.
///
/// Keys are free text, namespaced by the caller (e.g. `document:<sha256>`); Postgres hashes each
/// to a 64-bit lock id. Two keys that hash alike merely share a lock.
pub async fn lock_keys(conn: &mut PgConnection, keys: &[String]) -> sqlx::Result<()> {
    let mut sorted: Vec<&str> = keys.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) \
         FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n) ORDER BY n",
    )
    .bind(&sorted)
    .execute(conn)
    .await?;
    Ok(())
}
