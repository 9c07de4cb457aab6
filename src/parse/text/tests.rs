//! Tests of the text reader: fixtures, the shared seed and corpus, and hostile input.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{dump, read};
use crate::parse::grid::{Block, Layout, Table};

fn tables(layout: &Layout) -> Vec<&Table> {
    layout
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Text(_) => None,
        })
        .collect()
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text")
}

#[test]
fn fixtures_read_into_their_expected_layouts() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures found");
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut failures = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let got = dump(&read(&text, 0));
        let expected_path = path.with_extension("layout");
        if update {
            std::fs::write(&expected_path, &got).expect("write layout");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            eprintln!("=== {} differs; got:\n{got}", path.display());
            failures.push(path.display().to_string());
        }
    }
    assert!(failures.is_empty(), "fixtures differ: {failures:?}");
}

/// The shared folder with the seed and corpus, when this checkout sits beside it.
fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    dir.is_dir().then(|| dir.to_path_buf())
}

/// The cells of a table's row whose label (cell 0) is `label`.
fn row_with_label<'a>(layout: &'a Layout, label: &str) -> Option<&'a crate::parse::grid::Row> {
    tables(layout)
        .into_iter()
        .flat_map(|t| &t.rows)
        .find(|r| r.cells.first().is_some_and(|c| c.text == label))
}

fn cell_text(row: &crate::parse::grid::Row, col: usize) -> Option<&str> {
    row.cells.iter().find(|c| c.col == col).map(|c| c.text.as_str())
}

#[test]
fn seed_tables_keep_values_in_their_tab_columns() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let path = shared.join("seed/002_a20aa652e07729f8.txt");
    let text = std::fs::read_to_string(&path).expect("seed text");
    let layout = read(&text, 0);
    let receivable = row_with_label(&layout, "Accounts receivable, net").expect("receivables row");
    assert_eq!(cell_text(receivable, 1), Some("6,076"));
    assert_eq!(cell_text(receivable, 2), Some("2,956"));
    // A merged row keeps both numbers in one cell, for the statement stage to split.
    let merged = row_with_label(&layout, "Total current assets Property and equipment, net")
        .expect("merged row");
    assert_eq!(cell_text(merged, 1), Some("185,156 7,271"));
    // A blank middle column stays an empty cell.
    let blank_middle = row_with_label(&layout, "Titter est Tittome").expect("garbled row");
    assert_eq!(cell_text(blank_middle, 2), Some(""));
    assert_eq!(cell_text(blank_middle, 3), Some("401"));
    // Five statements: the balance sheet, three quarter columns sets and two six-month sets.
    let tables = tables(&layout);
    assert_eq!(tables.len(), 6, "{}", dump(&layout));
    // Column headers printed above the first row belong to the table; captions do not.
    let operations = tables[1];
    let first_cells: Vec<&str> =
        operations.rows.iter().take(3).filter_map(|r| cell_text(r, 0)).collect();
    assert_eq!(
        first_cells,
        ["Three months ended June 30, 2003", "US GAAP Adjustments Non-GAAP", "Results Results (A)"]
    );
    let caption_before = layout
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Text(t) if t.text == "(In thousands, except per share data)"));
    assert!(caption_before, "caption kept as text");
    // The wrapped label after blank lines is still in the last table.
    let wrapped = row_with_label(&layout, "and purchase commitments").expect("wrapped label row");
    assert_eq!(cell_text(wrapped, 1), Some("9,434"));
    // Spans point at the printed text.
    let [start, end] = receivable.cells[1].span;
    assert_eq!(&text[start..end], "6,076");
}

/// Tab-separated text rewritten with spaces, the way PDF text also comes: each tabbed line's
/// label left-aligned in `label_width` characters, each cell after it right-aligned in
/// `cell_width` (a longer one printed whole, pushing the rest right).
fn aligned_by_spaces(text: &str, label_width: usize, cell_width: usize) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.split('\n') {
        let mut cells = line.split('\t');
        match (cells.next(), line.contains('\t')) {
            (Some(label), true) => {
                out.push_str(&format!("{label:<label_width$}"));
                for cell in cells {
                    out.push_str(&format!("{cell:>cell_width$}"));
                }
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Each table row holding a number: its label and its non-empty cells, in order.
fn value_rows(layout: &Layout) -> Vec<(String, Vec<(usize, String)>)> {
    tables(layout)
        .into_iter()
        .flat_map(|t| &t.rows)
        .filter(|r| {
            r.cells.iter().any(|c| c.col > 0 && c.text.chars().any(|ch| ch.is_ascii_digit()))
        })
        .map(|r| {
            let label =
                r.cells.iter().find(|c| c.col == 0).map_or(String::new(), |c| c.text.clone());
            let cells = r
                .cells
                .iter()
                .filter(|c| c.col > 0 && !c.text.is_empty())
                .map(|c| (c.col, c.text.clone()))
                .collect();
            (label, cells)
        })
        .collect()
}

#[test]
fn columns_aligned_by_spaces_read_into_the_same_rows_as_tabs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let tabbed = std::fs::read_to_string(dir.join("pdf-merged-rows.txt")).expect("tab fixture");
    let aligned =
        std::fs::read_to_string(dir.join("pdf-merged-rows-aligned.txt")).expect("aligned fixture");
    let want = value_rows(&read(&tabbed, 0));
    assert!(want.len() > 20);
    assert_eq!(value_rows(&read(&aligned, 0)), want);
    // Other widths: narrow cells overflow and push, wide ones leave room.
    for (label, cell) in [(45, 12), (50, 14), (70, 20), (80, 25)] {
        let text = aligned_by_spaces(&tabbed, label, cell);
        assert_eq!(value_rows(&read(&text, 0)), want, "label {label}, cells {cell}");
    }
    // Merged numbers one space apart stay one cell; blank cells are absent.
    let layout = read(&aligned, 0);
    let merged = row_with_label(&layout, "Sales and marketing General and administrative")
        .expect("merged row");
    assert_eq!(cell_text(merged, 1), Some("2,400 1,100"));
    assert_eq!(cell_text(merged, 2), Some("(100) (50)"));
    let blank = row_with_label(&layout, "Interest income, net").expect("row with a blank cell");
    assert_eq!(cell_text(blank, 2), None);
    assert_eq!(cell_text(blank, 3), Some("30"));
}

#[test]
fn seed_aligned_by_spaces_reads_into_the_same_rows_as_its_tabs() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let text =
        std::fs::read_to_string(shared.join("seed/002_a20aa652e07729f8.txt")).expect("seed text");
    let want = value_rows(&read(&text, 0));
    for (label, cell) in [(62, 17), (50, 14), (70, 20)] {
        let got = value_rows(&read(&aligned_by_spaces(&text, label, cell), 0));
        let same = want.iter().filter(|row| got.contains(row)).count();
        eprintln!("seed aligned {label}/{cell}: {same} of {} rows as tabbed", want.len());
        assert!(
            same * 100 >= want.len() * 95,
            "label {label}, cells {cell}: {same}/{}",
            want.len()
        );
    }
}

/// Plain-text parts of a file: the bodies between `<TEXT>` and `</TEXT>` that are not HTML, or
/// the whole file; with their byte offsets.
fn plain_parts(text: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("<TEXT>") {
        let start = from + open + "<TEXT>".len();
        let end = text[start..].find("</TEXT>").map_or(text.len(), |e| start + e);
        parts.push((start, &text[start..end]));
        from = end;
    }
    if parts.is_empty() {
        parts.push((0, text));
    }
    parts.retain(|(_, body)| {
        let head: String = body.chars().take(20_000).collect::<String>().to_ascii_lowercase();
        !(head.contains("<html") || head.contains("<body") || head.contains("<td"))
    });
    parts
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn corpus_text_tables_hold_the_manifest_key_figures() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("corpus/MANIFEST.json")).expect("manifest"),
    )
    .expect("manifest json");
    let entries = manifest["entries"].as_array().cloned().unwrap_or_default();
    let (mut found, mut labelled, mut total) = (0, 0, 0);
    for entry in entries {
        let file = entry["file"].as_str().unwrap_or_default();
        let has_statements = entry["statements_present"].as_array().is_some_and(|s| !s.is_empty());
        if !file.ends_with(".txt") || !has_statements {
            continue;
        }
        let bytes = std::fs::read(shared.join("corpus").join(file)).expect("corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let parts = plain_parts(&text);
        if parts.is_empty() {
            eprintln!("{file}: no plain-text parts (HTML only), not checked here");
            continue;
        }
        // (label, value cells) of every table row.
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        for (offset, body) in parts {
            let layout = read(body, offset);
            for table in tables(&layout) {
                for row in &table.rows {
                    let label = row
                        .cells
                        .iter()
                        .find(|c| c.col == 0)
                        .map_or(String::new(), |c| squeeze(&c.text));
                    let values =
                        row.cells.iter().filter(|c| c.col > 0).map(|c| squeeze(&c.text)).collect();
                    rows.push((label.to_lowercase(), values));
                }
            }
        }
        for figure in entry["key_figures"].as_array().cloned().unwrap_or_default() {
            let shown = squeeze(figure["value_as_shown"].as_str().unwrap_or_default());
            // The label as printed, without the manifest's own notes in parentheses at the end.
            let label = figure["label"].as_str().unwrap_or_default().to_lowercase();
            let printed =
                label.rsplit_once(" (").map_or(label.as_str(), |(head, _)| head).trim().to_owned();
            total += 1;
            let holds = |values: &Vec<String>| {
                values.iter().any(|c| *c == shown || c.split(' ').any(|w| w == shown))
            };
            let in_value_column = rows.iter().any(|(_, values)| holds(values));
            let on_its_row = rows.iter().any(|(l, values)| {
                holds(values)
                    && !l.is_empty()
                    && (l.contains(&printed) || printed.contains(l.as_str()))
            });
            found += usize::from(in_value_column);
            labelled += usize::from(on_its_row);
            if !in_value_column {
                eprintln!("{file}: `{label}` = `{shown}` not in any value cell");
            } else if !on_its_row {
                eprintln!("{file}: `{label}` = `{shown}` found, but not on a row labelled so");
            }
        }
    }
    eprintln!(
        "corpus key figures in value columns: {found}/{total}, on their labelled row: {labelled}/{total}"
    );
    assert!(total > 0);
    assert!(found * 10 >= total * 9, "only {found} of {total} key figures found");
    assert!(labelled * 4 >= total * 3, "only {labelled} of {total} key figures on their row");
}

/// Every span lies inside the input (shifted by `base`), on char boundaries.
fn spans_are_valid(text: &str, base: usize, layout: &Layout) -> bool {
    let ok = |[s, e]: [usize; 2]| {
        let (Some(s), Some(e)) = (s.checked_sub(base), e.checked_sub(base)) else {
            return false;
        };
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    layout.blocks.iter().all(|b| match b {
        Block::Text(t) => ok(t.span),
        Block::Table(t) => {
            ok(t.span) && t.rows.iter().all(|r| ok(r.span) && r.cells.iter().all(|c| ok(c.span)))
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let layout = read(&text, 0);
        prop_assert!(spans_are_valid(&text, 0, &layout));
    }

    #[test]
    fn table_like_text_never_panics(
        text in "(([ \\t]{0,12}(<TABLE>|</TABLE>|<S>|<C>|<PAGE>|<FN>|\\$|\\(|\\)|--|\\.\\.\\.|[0-9]{1,3}(,[0-9]{3})?|[A-Za-z]{1,8}|é|─)[ \\t]{0,3}){0,12}\\r?\\n){0,30}"
    ) {
        let layout = read(&text, 7);
        prop_assert!(spans_are_valid(&text, 7, &layout));
    }
}
