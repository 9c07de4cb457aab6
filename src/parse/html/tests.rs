//! Tests of the HTML reader on synthetic legacy, inline-XBRL and cp1252 documents.

use super::*;
use crate::parse::decode::decode;
use crate::parse::grid::{Cell, Table};

const LEGACY: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html/legacy_statement.htm"));
const INLINE_XBRL: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html/inline_xbrl.htm"));
const CP1252: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html/cp1252_release.htm"));

fn lines(layout: &Layout) -> Vec<&str> {
    layout
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Text(line) => Some(line.text.as_str()),
            Block::Table(_) => None,
        })
        .collect()
}

fn tables(layout: &Layout) -> Vec<&Table> {
    layout
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(table),
            Block::Text(_) => None,
        })
        .collect()
}

/// Each row as `(text, col, colspan)` of its non-empty cells.
fn grid(table: &Table) -> Vec<Vec<(&str, usize, usize)>> {
    table
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .filter(|c| !c.text.is_empty())
                .map(|c| (c.text.as_str(), c.col, c.colspan))
                .collect()
        })
        .collect()
}

fn cell<'a>(table: &'a Table, text: &str) -> Option<&'a Cell> {
    table.rows.iter().flat_map(|row| &row.cells).find(|cell| cell.text == text)
}

fn printed(source: &str, span: Span) -> &str {
    source.get(span[0]..span[1]).unwrap_or("<bad span>")
}

#[test]
fn legacy_markup_reads_into_lines_and_a_grid_on_common_columns() {
    let layout = read(LEGACY, 0);
    let text = lines(&layout);
    assert_eq!(
        text[..4],
        [
            "BRIGHTWATER MILLS, INC.",
            "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS",
            "(In thousands, except per share data)",
            "(Unaudited)"
        ]
    );
    assert!(!text.iter().any(|line| line.contains("EX-99.1") || line.contains("margin")));
    let statement = tables(&layout)[0];
    assert_eq!(
        grid(statement),
        vec![
            vec![("Three Months Ended March 31,", 1, 4)],
            vec![("2004", 1, 2), ("2003", 3, 2)],
            vec![("Net sales", 0, 1), ("$", 1, 1), ("48,213", 2, 1), ("$", 3, 1), ("41,977", 4, 1)],
            vec![
                ("Cost of goods sold, including freight and warehousing", 0, 1),
                ("31,540", 2, 1),
                ("28,006", 4, 1)
            ],
            vec![("Restructuring charge", 0, 1), ("\u{2014}", 2, 1), ("1,150", 4, 1)],
            vec![
                ("Net income (loss)", 0, 1),
                ("$", 1, 1),
                ("2,811", 2, 1),
                ("$", 3, 1),
                ("(1,204", 4, 1),
                (")", 5, 1)
            ],
        ]
    );
}

#[test]
fn cell_spans_point_at_the_printed_text() {
    let base = 1_000;
    let layout = read(LEGACY, base);
    let statement = tables(&layout)[0];
    let shifted = |span: Span| [span[0] - base, span[1] - base];
    for (text, expected) in [
        ("48,213", "48,213"),
        ("(1,204", "(1,204"),
        (")", ")"),
        (
            "Cost of goods sold, including freight and warehousing",
            "Cost of goods sold, including<BR>freight and warehousing",
        ),
    ] {
        let found = cell(statement, text).map(|c| printed(LEGACY, shifted(c.span)));
        assert_eq!(found, Some(expected), "span of {text}");
    }
    // A dash written as an entity cannot be found literally: it falls back to the table's span.
    let dash = cell(statement, "\u{2014}").map(|c| c.span);
    assert_eq!(dash, Some(statement.span));
    assert!(printed(LEGACY, shifted(statement.span)).starts_with("<TABLE WIDTH"));
    assert!(printed(LEGACY, shifted(statement.span)).ends_with("</TABLE>"));
    let row = &statement.rows[2];
    assert_eq!(printed(LEGACY, shifted(row.span)).split('<').next(), Some("Net sales"));
}

#[test]
fn layout_tables_are_read_as_text_around_their_inner_data_table() {
    let layout = read(LEGACY, 0);
    let text = lines(&layout);
    assert!(text.contains(&"See accompanying notes & discussion."));
    assert!(text.contains(&"Contacts: Investor Relations"));
    let all = tables(&layout);
    assert_eq!(all.len(), 2);
    assert_eq!(
        grid(all[1]),
        vec![
            vec![("Segment", 0, 1), ("Units", 1, 1)],
            vec![("Paper", 0, 1), ("1,020", 1, 1)],
            vec![("Board", 0, 1), ("877", 1, 1)]
        ]
    );
    let span = cell(all[1], "877").map(|c| printed(LEGACY, c.span));
    assert_eq!(span, Some("877"));
}

#[test]
fn preformatted_lines_keep_their_column_spacing() {
    let layout = read(LEGACY, 0);
    let text = lines(&layout);
    assert!(text.contains(&"Backlog                      2004        2003"), "{text:?}");
    assert!(text.contains(&"  Domestic                  4,112       3,905"));
}

#[test]
fn inline_xbrl_reads_as_plain_cells_and_its_hidden_header_is_not_text() {
    let layout = read(INLINE_XBRL, 0);
    let text = lines(&layout);
    assert_eq!(text.first(), Some(&"CEDAR RIDGE INSTRUMENTS CORP"));
    assert!(
        !text.iter().any(|line| line.contains("Cedar Ridge Instruments Corp") || *line == "Q2")
    );
    assert!(!text.iter().any(|line| line.contains("0001777001")));
    let statement = tables(&layout)[0];
    assert_eq!(
        grid(statement),
        vec![
            vec![("Three Months Ended", 1, 5)],
            vec![("March 30, 2024", 1, 3), ("April 1, 2023", 4, 2)],
            vec![("Net sales", 0, 1), ("$", 1, 1), ("1,905", 2, 1), ("$", 4, 1), ("1,744", 5, 1)],
            vec![
                ("Other income/(expense), net", 0, 1),
                ("(12", 2, 1),
                (")", 3, 1),
                ("\u{2014}", 5, 1)
            ],
        ]
    );
    let value = cell(statement, "1,744").map(|c| printed(INLINE_XBRL, c.span));
    assert_eq!(value, Some("1,744"));
    assert_eq!(
        text.last(),
        Some(&"The accompanying notes are an integral part of these statements.")
    );
}

#[test]
fn cp1252_documents_decode_and_cell_spans_map_back_to_input_bytes() {
    let decoded = decode(CP1252);
    let layout = read(&decoded.text, 0);
    assert_eq!(
        lines(&layout),
        ["Lakeshore Foods\u{2019} first quarter \u{2014} record sales of \u{20ac} 4.1 million"]
    );
    let table = tables(&layout)[0];
    assert_eq!(
        grid(table),
        vec![
            vec![("Net sales", 0, 1), ("$ 4,100", 1, 1)],
            vec![("Operating loss", 0, 1), ("(\u{2014})", 1, 1)]
        ]
    );
    let span = cell(table, "$ 4,100").map(|c| decoded.original_span(c.span));
    assert_eq!(span.and_then(|[s, e]| CP1252.get(s..e)), Some(&b"$\xa04,100"[..]));
}

#[test]
fn rowspan_reserves_columns_in_the_rows_below() {
    let html = "<table><tr><td rowspan=2>Segment<td>Q1<td>Q2<tr><td>10<td>20<tr><td>Total<td>30<td>40</table>";
    let layout = read(html, 0);
    assert_eq!(
        grid(tables(&layout)[0]),
        vec![
            vec![("Segment", 0, 1), ("Q1", 1, 1), ("Q2", 2, 1)],
            vec![("10", 1, 1), ("20", 2, 1)],
            vec![("Total", 0, 1), ("30", 1, 1), ("40", 2, 1)],
        ]
    );
}

#[test]
fn hostile_spans_and_empty_input_do_not_break_the_reader() {
    assert!(read("", 0).blocks.is_empty());
    let html = "<table><tr><td colspan=999999999>x<td colspan=-3 rowspan=0>y</table>";
    let layout = read(html, 0);
    assert_eq!(grid(tables(&layout)[0]), vec![vec![("x", 0, 1), ("y", 1, 1)]]);
    let deep = "<table><tr><td>".repeat(300) + "deep" + &"</td></tr></table>".repeat(300);
    let layout = read(&deep, 0);
    assert_eq!(tables(&layout).len(), 1);
    assert_eq!(grid(tables(&layout)[0]), vec![vec![("deep", 0, 1)]]);
}

#[test]
fn text_lines_break_at_blocks_and_br_with_spans_on_their_words() {
    let html = "<body><div>Item 2.02&nbsp;&nbsp;Results of<br>Operations</div><p>Second <b>line</b></p></body>";
    let layout = read(html, 10);
    let found: Vec<(&str, &str)> = layout
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(line) => {
                Some((line.text.as_str(), printed(html, [line.span[0] - 10, line.span[1] - 10])))
            }
            Block::Table(_) => None,
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Item 2.02 Results of", "Item 2.02&nbsp;&nbsp;Results of"),
            ("Operations", "Operations"),
            ("Second line", "Second <b>line")
        ]
    );
}
