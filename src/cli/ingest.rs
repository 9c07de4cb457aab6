//! `filings ingest PATH...`: many files, a few at a time, to a running server or straight into
//! the database, with a progress bar and a summary table; fails when any file was rejected.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::config::{Config, IngestArgs};
use crate::db::{self, Database};
use crate::ingest::{Ingestor, Outcome, Upload};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileOutcome {
    /// Stored as a new filing.
    New(i64),
    /// The same bytes were stored before.
    Present(i64),
    /// Not stored, and why.
    Rejected(String),
}

/// Where files go.
#[derive(Clone)]
enum Target {
    Server { client: reqwest::Client, url: String, api_key: Option<String> },
    Database { ingestor: Ingestor, max_bytes: usize },
}

/// Runs `filings ingest`.
pub async fn run(config: &Config, args: &IngestArgs) -> anyhow::Result<()> {
    let (files, mut missing) = collect_files(&args.paths);
    let mut database = None;
    let target = match &args.server {
        Some(server) => Target::Server {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(config.request_timeout_secs.saturating_add(30)))
                .build()
                .context("building the HTTP client")?,
            url: format!("{}/v1/filings", server.trim_end_matches('/')),
            api_key: args.api_key.clone(),
        },
        None => {
            let opened = Database::open(config).await?;
            db::migrate(&opened.pool).await?;
            let ingestor = Ingestor::new(opened.pool.clone(), config.request_timeout());
            database = Some(opened);
            Target::Database { ingestor, max_bytes: config.max_upload_bytes }
        }
    };

    let bar = progress_bar(files.len());
    let slots = Arc::new(Semaphore::new(usize::from(args.jobs)));
    let mut tasks = JoinSet::new();
    for (index, file) in files.iter().enumerate() {
        let (target, slots, file, bar) = (target.clone(), slots.clone(), file.clone(), bar.clone());
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await;
            bar.set_message(file.display().to_string());
            (index, ingest_one(&target, &file).await)
        });
    }
    let mut results: Vec<Option<FileOutcome>> = vec![None; files.len()];
    let mut tally = [0usize; 3];
    while let Some(joined) = tasks.join_next().await {
        let (index, result) = joined.context("an ingest task failed")?;
        tally[match result {
            FileOutcome::New(_) => 0,
            FileOutcome::Present(_) => 1,
            FileOutcome::Rejected(_) => 2,
        }] += 1;
        bar.set_prefix(format!("new {} · present {} · rejected {}", tally[0], tally[1], tally[2]));
        bar.inc(1);
        if let Some(slot) = results.get_mut(index) {
            *slot = Some(result);
        }
    }
    bar.finish_and_clear();
    if let Some(database) = database {
        // A bulk load into the database leaves it with fresh statistics.
        if tally[0] > 0
            && let Err(error) = db::analyze_ingest_tables(&database.pool).await
        {
            tracing::warn!(error = %error, "could not analyze the tables after the load");
        }
        database.close().await?;
    }

    let mut rows: Vec<(String, FileOutcome)> = files
        .iter()
        .zip(results)
        .map(|(file, result)| {
            (file.display().to_string(), result.unwrap_or(FileOutcome::Rejected("not run".into())))
        })
        .collect();
    rows.append(&mut missing);
    let table = summary_table(&rows, bar.elapsed());
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(table.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing to stdout")?;
    let rejected = rows.iter().filter(|(_, r)| matches!(r, FileOutcome::Rejected(_))).count();
    if rejected > 0 {
        anyhow::bail!("{rejected} of {} file(s) rejected", rows.len());
    }
    Ok(())
}

/// Every file under `paths`, each folder's in path order; paths that do not exist are rejected.
fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(String, FileOutcome)>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        if !path.is_dir() {
            missing
                .push((path.display().to_string(), FileOutcome::Rejected("no such file".into())));
            continue;
        }
        // Without recursion, so deep trees cannot overflow the stack; sorted afterwards.
        let first = files.len();
        let mut folders = vec![path.clone()];
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                let reason = "folder not readable".to_owned();
                missing.push((folder.display().to_string(), FileOutcome::Rejected(reason)));
                continue;
            };
            let mut entries: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort();
            let hidden = |p: &Path| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
            };
            for entry in entries.into_iter().rev().filter(|p| !hidden(p)) {
                if entry.is_dir() {
                    folders.push(entry);
                } else if entry.is_file() {
                    files.push(entry);
                }
            }
        }
        if let Some(found) = files.get_mut(first..) {
            found.sort();
        }
    }
    (files, missing)
}

/// The media type to send a file as, by its extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("htm" | "html") => "text/html",
        Some("xhtml" | "xht") => "application/xhtml+xml",
        Some("txt" | "text" | "nc") => "text/plain",
        _ => "application/octet-stream",
    }
}

async fn ingest_one(target: &Target, file: &Path) -> FileOutcome {
    let bytes = match tokio::fs::read(file).await {
        Ok(bytes) => bytes,
        Err(error) => return FileOutcome::Rejected(format!("cannot read: {error}")),
    };
    let content_type = content_type(file);
    match target {
        Target::Server { client, url, api_key } => {
            upload(client, url, api_key.as_deref(), bytes.into(), content_type).await
        }
        Target::Database { ingestor, max_bytes } => {
            if bytes.len() > *max_bytes {
                return FileOutcome::Rejected(format!(
                    "larger than FILINGS_MAX_UPLOAD_BYTES ({max_bytes} bytes)"
                ));
            }
            let upload = Upload { bytes: bytes.into(), content_type: content_type.to_owned() };
            match ingestor.ingest(upload).await {
                Ok(done) => match done.outcome {
                    Outcome::Created => FileOutcome::New(done.filing_id),
                    Outcome::AlreadyPresent => FileOutcome::Present(done.filing_id),
                },
                Err(error) => FileOutcome::Rejected(error.to_string()),
            }
        }
    }
}

/// Most times one file is sent to a server that answers 429 (rate limited) or 503.
const MAX_ATTEMPTS: u32 = 6;

/// Uploads one file to the server, waiting out 429s (as long as `Retry-After` says) and 503s
/// (1, 2, 4, ... seconds) before sending it again, up to [`MAX_ATTEMPTS`] times.
async fn upload(
    client: &reqwest::Client,
    url: &str,
    api_key: Option<&str>,
    bytes: bytes::Bytes,
    content_type: &str,
) -> FileOutcome {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut request = client.post(url).header("content-type", content_type).body(bytes.clone());
        if let Some(key) = api_key {
            request = request.bearer_auth(key);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return FileOutcome::Rejected(format!("request failed: {error}")),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let text = response.bytes().await.unwrap_or_default();
        let body: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
        match (status, body["id"].as_i64()) {
            (201, Some(id)) => return FileOutcome::New(id),
            (200, Some(id)) => return FileOutcome::Present(id),
            (429 | 503, _) if attempt < MAX_ATTEMPTS => {
                let backoff = 1u64 << (attempt - 1).min(5);
                let wait = if status == 429 { retry_after.unwrap_or(backoff) } else { backoff };
                tokio::time::sleep(Duration::from_secs(wait.clamp(1, 60))).await;
            }
            _ => return FileOutcome::Rejected(problem_text(status, &body)),
        }
    }
}

/// A problem body in one line: status and detail.
fn problem_text(status: u16, body: &serde_json::Value) -> String {
    match body["detail"].as_str() {
        Some(detail) => format!("{status}: {detail}"),
        None => format!("HTTP {status}"),
    }
}

fn progress_bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::new(u64::try_from(total).unwrap_or(u64::MAX));
    let style = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} {per_sec:.dim} {prefix} {wide_msg}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The table printed at the end: one row per file, then the totals.
fn summary_table(rows: &[(String, FileOutcome)], elapsed: Duration) -> String {
    let width = rows.iter().map(|(f, _)| f.chars().count()).max().unwrap_or(4).clamp(4, 70);
    let mut out = format!("{:<width$}  {:<15}  {:>7}  DETAIL\n", "FILE", "RESULT", "FILING");
    let mut tally = [0usize; 3];
    for (file, result) in rows {
        let (name, filing, detail, slot) = match result {
            FileOutcome::New(id) => ("new", id.to_string(), String::new(), 0),
            FileOutcome::Present(id) => ("already present", id.to_string(), String::new(), 1),
            FileOutcome::Rejected(why) => ("rejected", String::new(), why.replace('\n', " "), 2),
        };
        tally[slot] += 1;
        let _ = writeln!(out, "{file:<width$}  {name:<15}  {filing:>7}  {detail}");
    }
    let seconds = elapsed.as_secs_f64();
    let _ = writeln!(
        out,
        "{} file(s): {} new, {} already present, {} rejected ({seconds:.1} s)",
        rows.len(),
        tally[0],
        tally[1],
        tally[2],
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_sent_with_the_type_their_extension_says() {
        assert_eq!(content_type(Path::new("a/b.HTM")), "text/html");
        assert_eq!(content_type(Path::new("0001.txt")), "text/plain");
        assert_eq!(content_type(Path::new("x.xhtml")), "application/xhtml+xml");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }

    #[test]
    fn folders_are_walked_recursively_without_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/one.txt"), "1").unwrap();
        std::fs::write(dir.path().join("a/two.htm"), "2").unwrap();
        std::fs::write(dir.path().join(".hidden"), "3").unwrap();
        let (files, missing) = collect_files(&[dir.path().to_path_buf(), "/no/such/path".into()]);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a/b/one.txt", "a/two.htm"]);
        assert_eq!(missing.len(), 1);
    }

    #[test]
    fn the_summary_counts_each_outcome() {
        let rows = vec![
            ("a.txt".to_owned(), FileOutcome::New(1)),
            ("b.txt".to_owned(), FileOutcome::Present(1)),
            ("c.txt".to_owned(), FileOutcome::Rejected("422: nothing\nthere".into())),
        ];
        let table = summary_table(&rows, Duration::from_secs(2));
        assert!(table.contains("c.txt  rejected"), "{table}");
        assert!(table.contains("422: nothing there"), "{table}");
        assert!(
            table.ends_with("3 file(s): 1 new, 1 already present, 1 rejected (2.0 s)\n"),
            "{table}"
        );
    }
}
