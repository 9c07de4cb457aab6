//! Storage: the connection pool, migrations, readiness, the embedded default cluster, and one
//! module per aggregate (companies, filings, documents, periods, statements, facts, checks).
//!
//! SQL lives only under `db/`. Queries are runtime-checked (`sqlx::query`), so building needs
//! no database.

pub mod checks;
pub mod companies;
pub mod documents;
pub mod embedded;
pub mod facts;
pub mod filings;
pub mod locks;
pub mod nodelay;
pub mod periods;
pub mod reads;
pub mod statements;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::config::{Config, redact_url};
use embedded::{EmbeddedOptions, EmbeddedPostgres};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// How long a request waits for a pooled connection before the database counts as down (503).
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long the readiness probe may take in all.
pub const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// The database in use: a pool, and the embedded cluster when we run one.
#[derive(Debug)]
pub struct Database {
    /// Connections for the whole process.
    pub pool: PgPool,
    embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Connects to `DATABASE_URL`, or starts the embedded cluster when it is unset.
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        let (options, embedded) = match &config.database_url {
            Some(url) => {
                let options = PgConnectOptions::from_str(url)
                    .context("DATABASE_URL is not a valid PostgreSQL URL")?;
                tracing::info!(database = %redact_url(url), "using the PostgreSQL server DATABASE_URL names");
                (options, None)
            }
            None => {
                let data_dir = config.data_dir.clone();
                let cluster = tokio::task::spawn_blocking(move || {
                    EmbeddedPostgres::start(&data_dir, &EmbeddedOptions::default())
                })
                .await
                .context("the embedded PostgreSQL start-up task failed")?
                .context("starting the embedded PostgreSQL cluster (DATABASE_URL is unset)")?;
                (cluster.connect_options(), Some(cluster))
            }
        };
        let pool = pool_options(config.db_pool_size)
            .connect_with(options)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(Self { pool, embedded })
    }

    /// The embedded cluster, when this process runs one.
    pub fn embedded(&self) -> Option<&EmbeddedPostgres> {
        self.embedded.as_ref()
    }

    /// Closes the pool, then stops the embedded cluster if there is one.
    pub async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        if let Some(cluster) = self.embedded {
            tokio::task::spawn_blocking(move || cluster.stop())
                .await
                .context("the embedded PostgreSQL stop task failed")?
                .context("stopping the embedded PostgreSQL cluster")?;
        }
        Ok(())
    }
}

/// Pool settings: at most `size` connections, and a short acquire timeout so that a database
/// that is down gives a quick 503 instead of a hanging request. Each new connection gets
/// TCP_NODELAY (see [`nodelay`]).
pub fn pool_options(size: u32) -> PgPoolOptions {
    PgPoolOptions::new().max_connections(size).acquire_timeout(ACQUIRE_TIMEOUT).after_connect(
        |_connection, _metadata| {
            Box::pin(async {
                nodelay::set_nodelay_on_tcp_sockets();
                Ok(())
            })
        },
    )
}

/// Applies pending migrations.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("applying database migrations")?;
    Ok(())
}

/// Refreshes the planner's statistics of the tables ingest writes. Worth running after a bulk
/// load: until autovacuum first analyzes a new database (about a minute in), the planner has no
/// statistics and reads of a filing can scan whole tables.
pub async fn analyze_ingest_tables(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::query(
        "ANALYZE companies, filings, documents, periods, statements, line_items, facts, checks",
    )
    .execute(pool)
    .await
    .context("analyzing the ingest tables")?;
    Ok(())
}

/// The newest migration this binary knows.
pub fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Why the service is not ready.
#[derive(Debug, thiserror::Error)]
pub enum NotReady {
    /// The database did not answer in time.
    #[error("the database did not answer within {0:?}")]
    TimedOut(Duration),
    /// The database refused or failed the probe.
    #[error("the database is unreachable: {0}")]
    Unreachable(#[from] sqlx::Error),
    /// Migrations this binary needs have not been applied.
    #[error("{missing} of {expected} migrations are not applied; run `filings migrate`")]
    MigrationsPending {
        /// How many are missing.
        missing: usize,
        /// How many the binary has.
        expected: usize,
    },
}

/// Checks that the database answers and every migration of this binary is applied; returns
/// the latest migration version.
pub async fn check_readiness(pool: &PgPool) -> Result<i64, NotReady> {
    tokio::time::timeout(READINESS_TIMEOUT, probe(pool))
        .await
        .unwrap_or(Err(NotReady::TimedOut(READINESS_TIMEOUT)))
}

async fn probe(pool: &PgPool) -> Result<i64, NotReady> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT 1").execute(&mut *conn).await?;
    let expected: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    let applied: i64 = match sqlx::query_scalar(
        "SELECT count(*) FROM _sqlx_migrations WHERE success AND version = ANY($1)",
    )
    .bind(&expected)
    .fetch_one(&mut *conn)
    .await
    {
        Ok(count) => count,
        // 42P01 undefined_table: no migration ever ran here.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => 0,
        Err(e) => return Err(e.into()),
    };
    let missing = expected.len().saturating_sub(usize::try_from(applied).unwrap_or(0));
    if missing > 0 {
        return Err(NotReady::MigrationsPending { missing, expected: expected.len() });
    }
    Ok(latest_migration())
}
