//! Stages 1-3 over the shared corpus of real filings (read in place, never copied): no panic,
//! spans inside the input, tables found where the manifest lists statements.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::parse::decode::decode;
use crate::parse::envelope::{detect_format, split};
use crate::parse::grid::Block;
use crate::parse::html::read;
use crate::parse::model::InputFormat;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// `(file, statements_present is non-empty)` for every manifest entry.
fn manifest(dir: &Path) -> Vec<(String, bool)> {
    let Ok(text) = std::fs::read_to_string(dir.join("MANIFEST.json")) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let entries = json.get("entries").and_then(|e| e.as_array()).cloned().unwrap_or_default();
    entries
        .iter()
        .filter_map(|entry| {
            let file = entry.get("file")?.as_str()?.to_owned();
            let has_statements = entry
                .get("statements_present")
                .and_then(|s| s.as_array())
                .is_some_and(|s| !s.is_empty());
            Some((file, has_statements))
        })
        .collect()
}

#[test]
fn every_corpus_file_splits_and_its_html_parts_read_into_sane_layouts() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        println!("skipped: ../shared/corpus not found");
        return;
    }
    let entries = manifest(&dir);
    assert!(!entries.is_empty(), "MANIFEST.json lists no entries");
    let (mut html_bytes, mut html_seconds) = (0usize, 0f64);
    for (file, has_statements) in entries {
        let Ok(bytes) = std::fs::read(dir.join(&file)) else { panic!("cannot read {file}") };
        let decoded = decode(&bytes);
        let text = decoded.text.as_str();
        let format = detect_format(text);
        let (submission, diagnostics) = split(text, format);
        assert!(!submission.parts.is_empty(), "{file}: no parts");
        let mut tables = 0;
        let mut html_parts = 0;
        for part in &submission.parts {
            assert!(
                part.span[0] <= part.span[1] && part.span[1] <= text.len(),
                "{file}: part span"
            );
            if part.skipped.is_some() || part.format != InputFormat::Html {
                continue;
            }
            html_parts += 1;
            let body = text.get(part.span[0]..part.span[1]).unwrap_or("");
            let started = Instant::now();
            let layout = read(body, part.span[0]);
            html_seconds += started.elapsed().as_secs_f64();
            html_bytes += body.len();
            for block in &layout.blocks {
                let span = match block {
                    Block::Text(line) => line.span,
                    Block::Table(table) => {
                        tables += 1;
                        for cell in table.rows.iter().flat_map(|row| &row.cells) {
                            assert!(
                                cell.span[0] <= cell.span[1] && cell.span[1] <= part.span[1],
                                "{file}: cell span"
                            );
                            assert!(cell.span[0] >= part.span[0], "{file}: cell before its part");
                        }
                        table.span
                    }
                };
                assert!(
                    span[0] >= part.span[0] && span[0] <= span[1] && span[1] <= part.span[1],
                    "{file}: span"
                );
            }
        }
        let skipped = diagnostics.iter().filter(|d| d.code == "part_skipped").count();
        println!(
            "{file}: {format:?}, {} parts ({html_parts} html, {skipped} skipped), {tables} tables",
            submission.parts.len()
        );
        if has_statements && html_parts > 0 {
            assert!(tables > 0, "{file}: the manifest lists statements but no table was read");
        }
    }
    if html_seconds > 0.0 {
        println!(
            "html::read: {:.1} MB/s ({html_bytes} bytes)",
            html_bytes as f64 / 1e6 / html_seconds
        );
    }
}

/// A statement-like HTML filing of about `target` bytes: legacy uppercase tables with spacer
/// and `$` cells, colspan headers, unclosed cells, and paragraphs between the tables.
fn synthetic_filing(target: usize) -> String {
    let mut html = String::from("<HTML><BODY>\n");
    let mut table = 0;
    while html.len() < target {
        table += 1;
        html.push_str(&format!("<P ALIGN=CENTER><B>STATEMENT {table}</B><BR>(In thousands)</P>\n"));
        html.push_str("<TABLE WIDTH=\"100%\" CELLPADDING=0>\n<TR><TD>&nbsp;<TD COLSPAN=3 ALIGN=CENTER><B>Three Months Ended</B><TD COLSPAN=3 ALIGN=CENTER><B>Nine Months Ended</B>\n");
        for row in 0..40 {
            html.push_str(&format!(
                "<TR VALIGN=BOTTOM><TD><FONT SIZE=2>Line item number {row} of statement {table}</FONT><TD><FONT SIZE=2>$</FONT><TD ALIGN=RIGHT><FONT SIZE=2>{},{:03}</FONT><TD>&nbsp;<TD><FONT SIZE=2>$</FONT><TD ALIGN=RIGHT><FONT SIZE=2>({},{:03}</FONT><TD><FONT SIZE=2>)</FONT>\n",
                row + table, row * 7 % 1000, row + 2 * table, row * 13 % 1000
            ));
        }
        html.push_str("</TABLE>\n<P>Some narrative text about the results of the quarter, with&nbsp;entities &amp; words.</P>\n");
    }
    html.push_str("</BODY></HTML>\n");
    html
}

/// Throughput of `html::read` (run once in release: `cargo test --release --lib --
/// parse::html::corpus::html_read_throughput --ignored --nocapture`).
#[test]
#[ignore]
fn html_read_throughput() {
    let measure = |name: &str, html: &str| {
        let rounds = 5;
        let parse_only = Instant::now();
        for _ in 0..rounds {
            let document = scraper::Html::parse_document(html);
            assert!(document.tree.root().has_children());
        }
        let parse_seconds = parse_only.elapsed().as_secs_f64() / f64::from(rounds);
        let started = Instant::now();
        let mut blocks = 0;
        for _ in 0..rounds {
            blocks = read(html, 0).blocks.len();
        }
        let seconds = started.elapsed().as_secs_f64() / f64::from(rounds);
        let megabytes = html.len() as f64 / 1e6;
        println!(
            "{name}: {:.2} MB, {blocks} blocks, read {:.1} MB/s (html5ever alone {:.1} MB/s)",
            megabytes,
            megabytes / seconds,
            megabytes / parse_seconds
        );
        (html.len(), seconds)
    };
    let (mut bytes, mut seconds) =
        measure("synthetic 1 MB legacy filing", &synthetic_filing(1 << 20));
    let dir = corpus_dir();
    for (file, _) in manifest(&dir) {
        if !file.ends_with(".htm") {
            continue;
        }
        let Ok(raw) = std::fs::read(dir.join(&file)) else {
            continue;
        };
        let decoded = decode(&raw);
        let (b, s) = measure(&file, &decoded.text);
        bytes += b;
        seconds += s;
    }
    println!("overall: {:.1} MB/s", bytes as f64 / 1e6 / seconds);
}
