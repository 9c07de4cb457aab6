//! The schema the migrations build: the data model's tables, its constraints, and the cascade
//! from filings down.

use rust_decimal::Decimal;
use sqlx::PgPool;

use crate::helpers::spawn_app;

/// Inserts a company, a filing with its document, a period, a statement, a line item, a fact
/// and a check; returns (company, filing, period) ids.
async fn insert_filing(pool: &PgPool, sha256: &str, value: Decimal) -> (i64, i64, i64) {
    let company: i64 = sqlx::query_scalar(
        "INSERT INTO companies (name, normalized_name, cik, ticker) VALUES ('Example Corp.', 'example', '0000012345', 'EXMP') \
         ON CONFLICT (cik) DO UPDATE SET name = excluded.name RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let filing: i64 = sqlx::query_scalar(
        "INSERT INTO filings (company_id, form_type, report_date, items, format, parser_version) \
         VALUES ($1, '8-K', '2003-07-24', '{12}', 'edgar', 'test') RETURNING id",
    )
    .bind(company)
    .fetch_one(pool)
    .await
    .unwrap();
    let bytes = b"<SEC-DOCUMENT>synthetic</SEC-DOCUMENT>".to_vec();
    sqlx::query("INSERT INTO documents (filing_id, sha256, content_type, size, bytes) VALUES ($1, $2, 'text/plain', $3, $4)")
        .bind(filing)
        .bind(sha256)
        .bind(bytes.len() as i64)
        .bind(bytes)
        .execute(pool)
        .await
        .unwrap();
    let period: i64 = sqlx::query_scalar(
        "INSERT INTO periods (company_id, kind, start_date, end_date, months) VALUES ($1, 'duration', '2003-04-01', '2003-06-30', 3) \
         ON CONFLICT ON CONSTRAINT periods_company_kind_start_end_key DO UPDATE SET months = excluded.months RETURNING id",
    )
    .bind(company)
    .fetch_one(pool)
    .await
    .unwrap();
    let statement: i64 = sqlx::query_scalar(
        "INSERT INTO statements (filing_id, position, kind, title, scale, scale_source, currency, span_start, span_end) \
         VALUES ($1, 0, 'income_statement', 'Statements of Operations', 1000, 'caption', 'USD', 0, 10) RETURNING id",
    )
    .bind(filing)
    .fetch_one(pool)
    .await
    .unwrap();
    let line_item: i64 = sqlx::query_scalar(
        "INSERT INTO line_items (statement_id, position, label, concept) VALUES ($1, 0, 'Net revenue', 'revenue') RETURNING id",
    )
    .bind(statement)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO facts (line_item_id, period_id, basis, value, unit, status, as_printed, span_start, span_end) \
         VALUES ($1, $2, 'gaap', $3, 'USD', 'reported', '8,793', 3, 8)",
    )
    .bind(line_item)
    .bind(period)
    .bind(value)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO checks (filing_id, statement_id, kind, description, period_id, basis, expected, actual, passed) \
         VALUES ($1, $2, 'total', 'Net revenue = sum of segments', $3, 'gaap', $4, $4, true)",
    )
    .bind(filing)
    .bind(statement)
    .bind(period)
    .bind(value)
    .execute(pool)
    .await
    .unwrap();
    (company, filing, period)
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    let sql = format!("SELECT count(*) FROM {table}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap()
}

fn constraint_violated(error: sqlx::Error) -> (String, String) {
    let sqlx::Error::Database(e) = error else { panic!("not a database error: {error}") };
    (e.code().unwrap_or_default().into_owned(), e.constraint().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn migrations_create_every_table_of_the_data_model() {
    let app = spawn_app().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for table in [
        "checks",
        "companies",
        "documents",
        "facts",
        "filings",
        "line_items",
        "periods",
        "statements",
    ] {
        assert!(tables.iter().any(|t| t == table), "no {table} in {tables:?}");
    }
}

#[tokio::test]
async fn values_round_trip_exactly_as_decimals() {
    let app = spawn_app().await;
    let value: Decimal = "-8793000.125".parse().unwrap();
    insert_filing(&app.pool, &"a".repeat(64), value).await;
    let stored: Decimal =
        sqlx::query_scalar("SELECT value FROM facts").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, value);
    assert_eq!(stored.to_string(), "-8793000.125");
}

#[tokio::test]
async fn a_period_is_unique_per_company_kind_start_and_end_even_for_instants() {
    let app = spawn_app().await;
    let (company, _, _) = insert_filing(&app.pool, &"b".repeat(64), Decimal::ONE).await;
    let insert_instant = || {
        sqlx::query(
            "INSERT INTO periods (company_id, kind, end_date) VALUES ($1, 'instant', '2003-06-30')",
        )
        .bind(company)
        .execute(&app.pool)
    };
    insert_instant().await.unwrap();
    let (code, constraint) = constraint_violated(insert_instant().await.unwrap_err());
    assert_eq!(code, "23505");
    assert_eq!(constraint, "periods_company_kind_start_end_key");
}

#[tokio::test]
async fn a_document_is_stored_once_per_sha256() {
    let app = spawn_app().await;
    insert_filing(&app.pool, &"c".repeat(64), Decimal::ONE).await;
    let (company, _, _) = insert_filing(&app.pool, &"d".repeat(64), Decimal::ONE).await;
    let filing: i64 = sqlx::query_scalar(
        "INSERT INTO filings (company_id, format, parser_version) VALUES ($1, 'text', 'test') RETURNING id",
    )
    .bind(company)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let duplicate = sqlx::query(
        "INSERT INTO documents (filing_id, sha256, content_type, size, bytes) VALUES ($1, $2, 'text/plain', 1, 'x')",
    )
    .bind(filing)
    .bind("c".repeat(64))
    .execute(&app.pool)
    .await
    .unwrap_err();
    assert_eq!(
        constraint_violated(duplicate),
        ("23505".to_owned(), "documents_sha256_key".to_owned())
    );
}

#[tokio::test]
async fn enumerated_columns_refuse_values_outside_their_set() {
    let app = spawn_app().await;
    insert_filing(&app.pool, &"e".repeat(64), Decimal::ONE).await;
    for (column, value) in [("basis", "ifrs"), ("unit", "EUR"), ("status", "guessed")] {
        let sql = format!("UPDATE facts SET {column} = $1");
        let error =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).execute(&app.pool).await.unwrap_err();
        assert_eq!(constraint_violated(error).0, "23514", "{column} = {value} was accepted");
    }
    let error = sqlx::query("UPDATE statements SET kind = 'footnote'")
        .execute(&app.pool)
        .await
        .unwrap_err();
    assert_eq!(constraint_violated(error).0, "23514");
}

#[tokio::test]
async fn deleting_a_filing_removes_everything_parsed_from_it_but_keeps_shared_periods() {
    let app = spawn_app().await;
    let (_, filing, period) = insert_filing(&app.pool, &"f".repeat(64), Decimal::TEN).await;
    sqlx::query("DELETE FROM filings WHERE id = $1").bind(filing).execute(&app.pool).await.unwrap();
    for table in ["filings", "documents", "statements", "line_items", "facts", "checks"] {
        assert_eq!(count(&app.pool, table).await, 0, "{table} kept rows");
    }
    let periods: i64 = sqlx::query_scalar("SELECT count(*) FROM periods WHERE id = $1")
        .bind(period)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(periods, 1);
}
