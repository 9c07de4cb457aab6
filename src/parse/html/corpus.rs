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
    let entries = json
        .get("entries")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
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
        let Ok(bytes) = std::fs::read(dir.join(&file)) else {
            panic!("cannot read {file}")
        };
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
        let skipped = diagnostics
            .iter()
            .filter(|d| d.code == "part_skipped")
            .count();
        println!(
            "{file}: {format:?}, {} parts ({html_parts} html, {skipped} skipped), {tables} tables",
            submission.parts.len()
        );
        if has_statements && html_parts > 0 {
            assert!(
                tables > 0,
                "{file}: the manifest lists statements but no table was read"
            );
        }
    }
    if html_seconds > 0.0 {
        println!(
            "html::read: {:.1} MB/s ({html_bytes} bytes)",
            html_bytes as f64 / 1e6 / html_seconds
        );
    }
}

#[test]
#[ignore]
fn dump_tables_scratch() {
    let file = std::env::var("DUMP_FILE").unwrap_or_default();
    let needle = std::env::var("DUMP_NEEDLE").unwrap_or_default();
    let bytes = std::fs::read(corpus_dir().join(&file)).unwrap_or_default();
    let decoded = decode(&bytes);
    let text = decoded.text.as_str();
    let (submission, _) = split(text, detect_format(text));
    for part in &submission.parts {
        if part.format != InputFormat::Html || part.skipped.is_some() {
            continue;
        }
        let body = text.get(part.span[0]..part.span[1]).unwrap_or("");
        let layout = read(body, part.span[0]);
        let mut last_lines: Vec<String> = Vec::new();
        for block in &layout.blocks {
            match block {
                Block::Text(line) => {
                    last_lines.push(format!(
                        "TEXT {:?} @{:?} => {:?}",
                        line.text,
                        line.span,
                        text.get(line.span[0]..line.span[1])
                            .map(|s| s.chars().take(60).collect::<String>())
                    ));
                }
                Block::Table(table) => {
                    let hit = table
                        .rows
                        .iter()
                        .flat_map(|r| &r.cells)
                        .any(|c| c.text.contains(&needle));
                    if hit {
                        for l in last_lines.iter().rev().take(4).rev() {
                            println!("{l}");
                        }
                        println!("TABLE span {:?}", table.span);
                        for row in &table.rows {
                            let cells: Vec<String> = row
                                .cells
                                .iter()
                                .filter(|c| !c.text.is_empty())
                                .map(|c| {
                                    format!(
                                        "[{}+{}]{:?}{}",
                                        c.col,
                                        c.colspan,
                                        c.text,
                                        if c.span == table.span {
                                            "*"
                                        } else if text
                                            .get(c.span[0]..c.span[1])
                                            .is_some_and(|s| s == c.text)
                                        {
                                            ""
                                        } else {
                                            "~"
                                        }
                                    )
                                })
                                .collect();
                            println!("  {}", cells.join(" "));
                        }
                    }
                    last_lines.clear();
                }
            }
        }
        if needle.is_empty() {
            for l in last_lines.iter().take(40) {
                println!("{l}");
            }
        }
    }
}

#[test]
#[ignore]
fn dump_lines_scratch() {
    let file = std::env::var("DUMP_FILE").unwrap_or_default();
    let max: usize = std::env::var("DUMP_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(80);
    let bytes = std::fs::read(corpus_dir().join(&file)).unwrap_or_default();
    let decoded = decode(&bytes);
    let text = decoded.text.as_str();
    let (submission, _) = split(text, detect_format(text));
    for part in submission.parts.iter().take(1) {
        if part.format != InputFormat::Html {
            continue;
        }
        let body = text.get(part.span[0]..part.span[1]).unwrap_or("");
        let layout = read(body, part.span[0]);
        for block in layout.blocks.iter().take(max) {
            match block {
                Block::Text(line) => println!("T| {}", line.text),
                Block::Table(table) => {
                    for row in &table.rows {
                        let cells: Vec<String> = row
                            .cells
                            .iter()
                            .filter(|c| !c.text.is_empty())
                            .map(|c| format!("[{}]{}", c.col, c.text))
                            .collect();
                        println!("R| {}", cells.join(" | "));
                    }
                }
            }
        }
    }
}
