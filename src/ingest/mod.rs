//! Ingest: a document's bytes in, a stored filing out. Parses (off the async runtime, bounded
//! by the request timeout), refuses documents with no recognisable filing or financial
//! content, then stores company, filing, document, periods, statements, line items, facts and
//! checks in one transaction. Identical bytes are stored once, however many uploads race.
//!
//! No HTTP here: failures are [`IngestError`]s, which the API maps to problems.

pub mod company;
pub mod content;
pub mod snippet;
pub mod store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tokio::sync::Semaphore;

use crate::db::{checks, companies, documents, filings, locks, periods, statements};
use crate::metrics::Metrics;
use crate::parse::{self, Diagnostic, ParseOptions, ParsedFiling};
use content::Unrecognised;

/// The parser that produced stored rows, recorded on each filing.
pub const PARSER_VERSION: &str = concat!("filings-", env!("CARGO_PKG_VERSION"));

/// Why an ingest, reparse or delete failed.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The document has no recognisable filing or financial content.
    #[error("no recognisable filing or financial content: {0}")]
    Unrecognised(Unrecognised),
    /// Parsing took longer than allowed.
    #[error("parsing did not finish within {0:?}")]
    ParseTimedOut(Duration),
    /// The parser failed (a bug: it must not panic).
    #[error("the parser failed: {0}")]
    ParserFailed(String),
    /// The bytes are not text (a PDF, an archive, other binary data): the parser reads none.
    #[error("not a text document: {0}")]
    NotText(String),
    /// The task storing the result failed (a bug: it panicked).
    #[error("the write task failed: {0}")]
    WriteFailed(String),
    /// No filing has this id.
    #[error("no filing has id {0}")]
    FilingNotFound(i64),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// One uploaded document.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The bytes, exactly as uploaded.
    pub bytes: bytes::Bytes,
    /// The media type it was sent with, e.g. `text/html; charset=windows-1252`.
    pub content_type: String,
}

impl Upload {
    /// Lower-case hex SHA-256 of the bytes: the document's identity.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }
}

/// Whether an ingest stored a new filing or found the same bytes stored before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now.
    Created,
    /// The identical document was stored before (possibly by a concurrent upload).
    AlreadyPresent,
}

/// The filing an ingest ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    /// The filing's id.
    pub filing_id: i64,
    /// New or already there.
    pub outcome: Outcome,
}

/// What a reparse did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reparsed {
    /// Whether the rows were replaced (`false`: the parser gives the same result as stored, and
    /// nothing was touched).
    pub changed: bool,
}

/// Runs ingests against one database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Ingestor {
    pool: PgPool,
    parse_slots: Arc<Semaphore>,
    parse_timeout: Duration,
    metrics: Option<Arc<Metrics>>,
}

impl Ingestor {
    /// An ingestor on `pool` whose parses (waiting included) may take at most `parse_timeout`;
    /// at most one parse per CPU runs at a time, so parsing cannot starve the rest.
    pub fn new(pool: PgPool, parse_timeout: Duration) -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Self { pool, parse_slots: Arc::new(Semaphore::new(cpus)), parse_timeout, metrics: None }
    }

    /// The same ingestor, recording each parse's duration in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The pool it writes to.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Parses and stores `upload`, or finds the filing its bytes were stored as before.
    pub async fn ingest(&self, upload: Upload) -> Result<Ingested, IngestError> {
        let sha256 = upload.sha256();
        if let Some(filing_id) = documents::find_filing_by_sha256(&self.pool, &sha256).await? {
            return Ok(Ingested { filing_id, outcome: Outcome::AlreadyPresent });
        }
        if let Some(why) = content::not_text(&upload.bytes) {
            return Err(IngestError::NotText(why));
        }
        let parsed = self.parse(upload.bytes.clone()).await?;
        content::recognise(&parsed).map_err(IngestError::Unrecognised)?;
        let this = self.clone();
        to_completion(async move { this.store(&upload, &parsed).await }).await
    }

    /// Parses `bytes` on the blocking pool, within the parse timeout.
    pub async fn parse(&self, bytes: bytes::Bytes) -> Result<ParsedFiling, IngestError> {
        let work = async {
            let _slot = self.parse_slots.acquire().await.map_err(|e| {
                IngestError::ParserFailed(format!("the parse slots are closed: {e}"))
            })?;
            let metrics = self.metrics.clone();
            tokio::task::spawn_blocking(move || {
                let started = Instant::now();
                let parsed = parse::parse(&bytes, &ParseOptions::default());
                if let Some(metrics) = metrics {
                    metrics.observe_parse(started.elapsed());
                }
                parsed
            })
            .await
            .map_err(|e| IngestError::ParserFailed(e.to_string()))
        };
        tokio::time::timeout(self.parse_timeout, work)
            .await
            .map_err(|_| IngestError::ParseTimedOut(self.parse_timeout))?
    }

    /// Stores a parsed upload in one transaction (nothing is left behind by a failure), unless
    /// its bytes are stored already. `parsed` must be the parse of `upload.bytes`.
    pub async fn store(
        &self,
        upload: &Upload,
        parsed: &ParsedFiling,
    ) -> Result<Ingested, IngestError> {
        let sha256 = upload.sha256();
        let mut notes = Vec::new();
        let Some(fields) = company::company_fields(&parsed.company, &mut notes) else {
            return Err(IngestError::Unrecognised(content::recognise(parsed).err().unwrap_or(
                Unrecognised { found: Vec::new(), missing: vec!["the filer's name".to_owned()] },
            )));
        };
        let mut tx = self.pool.begin().await?;
        // Identical uploads queue here; the first stores, the others find its filing.
        locks::lock_keys(&mut tx, &[format!("document:{sha256}")]).await?;
        if let Some(filing_id) = documents::find_filing_by_sha256(&mut *tx, &sha256).await? {
            tx.rollback().await?;
            return Ok(Ingested { filing_id, outcome: Outcome::AlreadyPresent });
        }
        let (company, conflicts) = company::resolve_company(&mut tx, &fields).await?;
        notes.extend(conflicts);
        let filing_fields = filing_fields(company.id, parsed, &notes)?;
        let filing_id = filings::insert_filing(&mut tx, &filing_fields).await?;
        if !documents::insert_document(
            &mut tx,
            filing_id,
            &sha256,
            &upload.content_type,
            &upload.bytes,
        )
        .await?
        {
            // Stored by a writer that does not take the lock; theirs stands.
            tx.rollback().await?;
            let filing_id = documents::find_filing_by_sha256(&self.pool, &sha256)
                .await?
                .ok_or_else(|| sqlx::Error::RowNotFound)?;
            return Ok(Ingested { filing_id, outcome: Outcome::AlreadyPresent });
        }
        let stored_notes = store::store_contents(&mut tx, filing_id, company.id, parsed).await?;
        if !stored_notes.is_empty() {
            notes.extend(stored_notes);
            let fields = filing_fields_with(filing_fields, parsed, &notes)?;
            filings::update_filing(&mut tx, filing_id, &fields).await?;
        }
        tx.commit().await?;
        Ok(Ingested { filing_id, outcome: Outcome::Created })
    }

    /// Re-runs the parser on filing `filing_id`'s stored bytes and, if the result differs from
    /// the one its rows came from, replaces its statements, facts and checks (and the filing's
    /// parsed fields) in one transaction. Its company stays; periods no longer used go.
    pub async fn reparse(&self, filing_id: i64) -> Result<Reparsed, IngestError> {
        let this = self.clone();
        to_completion(async move { this.reparse_now(filing_id).await }).await
    }

    async fn reparse_now(&self, filing_id: i64) -> Result<Reparsed, IngestError> {
        let document = documents::get_document(&self.pool, filing_id)
            .await?
            .ok_or(IngestError::FilingNotFound(filing_id))?;
        let parsed = self.parse(bytes::Bytes::from(document.bytes)).await?;
        let mut tx = self.pool.begin().await?;
        let filing = filings::lock_filing(&mut tx, filing_id)
            .await?
            .ok_or(IngestError::FilingNotFound(filing_id))?;
        if filing.result_sha256.as_deref() == Some(result_sha256(&parsed).as_str()) {
            tx.rollback().await?;
            return Ok(Reparsed { changed: false });
        }
        // Removing periods below must not race an ingest of the same company.
        companies::lock_company(&mut tx, filing.company_id).await?;
        let mut notes = Vec::new();
        if let Some(fields) = company::company_fields(&parsed.company, &mut notes)
            && let Some(stored) = companies::get_company(&mut *tx, filing.company_id).await?
        {
            notes.extend(company::conflicts(&stored, &fields));
        }
        checks::delete_filing_checks(&mut tx, filing_id).await?;
        statements::delete_filing_statements(&mut tx, filing_id).await?;
        notes.extend(store::store_contents(&mut tx, filing_id, filing.company_id, &parsed).await?);
        filings::update_filing(
            &mut tx,
            filing_id,
            &filing_fields(filing.company_id, &parsed, &notes)?,
        )
        .await?;
        periods::delete_unused_periods(&mut tx, filing.company_id).await?;
        tx.commit().await?;
        Ok(Reparsed { changed: true })
    }

    /// Deletes filing `filing_id` with its document, statements, facts and checks, then the
    /// periods and the company that nothing else refers to; `false` when there is no such filing.
    pub async fn delete(&self, filing_id: i64) -> Result<bool, IngestError> {
        let this = self.clone();
        to_completion(async move { this.delete_now(filing_id).await }).await
    }

    async fn delete_now(&self, filing_id: i64) -> Result<bool, IngestError> {
        let mut tx = self.pool.begin().await?;
        let Some(filing) = filings::lock_filing(&mut tx, filing_id).await? else {
            return Ok(false);
        };
        companies::lock_company(&mut tx, filing.company_id).await?;
        filings::delete_filing(&mut tx, filing_id).await?;
        periods::delete_unused_periods(&mut tx, filing.company_id).await?;
        companies::delete_company_if_unused(&mut tx, filing.company_id).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Runs a write to its end on a task of its own, so that a request given up half-way (the client
/// hung up, the request timed out) cannot stop it between two statements of its transaction:
/// it commits or rolls back whole. A write cut off while its `BEGIN` is in flight would
/// otherwise leave that transaction open on a pooled connection (sqlx 0.9.0 only rolls back
/// transactions whose `BEGIN` it saw answered), for the next user of the connection to inherit.
async fn to_completion<T: Send + 'static>(
    write: impl Future<Output = Result<T, IngestError>> + Send + 'static,
) -> Result<T, IngestError> {
    tokio::spawn(write).await.map_err(|e| IngestError::WriteFailed(e.to_string()))?
}

/// The filing row's fields for a parse, with the parser's diagnostics followed by `notes`.
fn filing_fields(
    company_id: i64,
    parsed: &ParsedFiling,
    notes: &[Diagnostic],
) -> Result<filings::FilingFields, IngestError> {
    let info = &parsed.filing;
    let text = |v: &Option<String>| v.as_deref().map(clean).filter(|s| !s.trim().is_empty());
    let base = filings::FilingFields {
        company_id,
        form_type: text(&info.form_type),
        report_date: info.report_date,
        filing_date: info.filing_date,
        accession_number: text(&info.accession_number),
        items: info.items.iter().map(|s| clean(s)).collect(),
        exhibits: info.exhibits.iter().map(|s| clean(s)).collect(),
        signed_by: text(&info.signed_by),
        format: name_of(&parsed.format),
        parser_version: PARSER_VERSION.to_owned(),
        diagnostics: serde_json::Value::Null,
        result_sha256: result_sha256(parsed),
    };
    filing_fields_with(base, parsed, notes)
}

fn filing_fields_with(
    mut fields: filings::FilingFields,
    parsed: &ParsedFiling,
    notes: &[Diagnostic],
) -> Result<filings::FilingFields, IngestError> {
    let all: Vec<&Diagnostic> = parsed.diagnostics.iter().chain(notes).collect();
    let json = serde_json::to_value(&all)
        .map_err(|e| IngestError::ParserFailed(format!("diagnostics do not serialize: {e}")))?;
    fields.diagnostics = store::strip_nul(&json);
    Ok(fields)
}

/// SHA-256 of the parse result, as JSON: equal results give equal hashes.
pub fn result_sha256(parsed: &ParsedFiling) -> String {
    let json = serde_json::to_vec(parsed).unwrap_or_default();
    hex::encode(Sha256::digest(&json))
}

/// Text as PostgreSQL stores it: without NUL characters.
pub fn clean(text: &str) -> String {
    if text.contains('\0') { text.replace('\0', "") } else { text.to_owned() }
}

/// The name a parser enum serializes to (`income_statement`, `USD/share`, ...).
pub fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}
