//! A region's lines to table grids: cells by tab (PDF text), or by column position (aligned,
//! see `aligned`).
//!
//! A region may hold several tables printed one under the other: a column-header line after
//! rows of values starts a new table.

use super::aligned;
use super::lines::Line;
use super::regions::{Mode, Region, is_value_row};
use super::words::{Word, is_number_word, is_year};
use crate::parse::grid::{Block, Cell, Row, Table, TextLine};

/// Read a region into one or more tables, in order. Label-only lines that end a table printed
/// right above the next one are that next table's title: they come out as text between them.
pub(super) fn build(lines: &[Line<'_>], region: &Region, base: usize) -> Vec<Block> {
    let tables = match region.mode {
        Mode::Tabbed => tabbed(lines, region, base),
        Mode::Aligned => aligned::tables(lines, region, base),
    };
    let count = tables.len();
    let mut blocks = Vec::with_capacity(count);
    for (n, mut t) in tables.into_iter().enumerate() {
        let mut titles = Vec::new();
        while n + 1 < count
            && let Some(row) = t.rows.last()
            && let [only] = row.cells.as_slice()
            && only.col == 0
            && !only.text.is_empty()
        {
            titles.push(TextLine { text: only.text.clone(), span: only.span });
            t.rows.pop();
        }
        if !t.rows.is_empty() {
            blocks.push(Block::Table(table(t.rows)));
        }
        blocks.extend(titles.into_iter().rev().map(Block::Text));
    }
    blocks
}

/// Rows split at tabs: cell `i` is the text between tab `i` and tab `i + 1`, trimmed.
fn tabbed(lines: &[Line<'_>], region: &Region, base: usize) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut rows = Vec::new();
    let mut seen_values = false;
    for (n, &r) in region.rows.iter().enumerate() {
        let Some(line) = lines.get(r) else { continue };
        let header = n < region.header_rows || is_tab_header(line);
        if header && seen_values {
            tables.push(table(std::mem::take(&mut rows)));
            seen_values = false;
        }
        seen_values |= !header && is_value_row(line);
        rows.push(tab_row(line, base));
    }
    tables.push(table(rows));
    tables.retain(|t| !t.rows.is_empty());
    for t in &mut tables {
        spread_group_headers(&mut t.rows);
    }
    tables
}

/// Header lines above the first row of figures that print fewer cells than the table has value
/// columns ("Three Months Ended <tab> Six Months Ended" over four columns of figures) head
/// groups of columns: when the cells divide the columns evenly, each spans its share, left to
/// right. A tab line gives no positions, so this is the only reading that keeps every group
/// over its figures; any other count is left as printed.
fn spread_group_headers(rows: &mut [Row]) {
    // figures other than years (a header line of years heads columns too)
    let figures = |row: &Row| {
        row.cells.iter().any(|c| {
            c.col > 0 && c.text.split_whitespace().any(|w| is_number_word(w) && !is_year(w))
        })
    };
    let Some(first) = rows.iter().position(figures) else {
        return;
    };
    let columns = rows[first..]
        .iter()
        .filter(|r| figures(r))
        .flat_map(|r| r.cells.iter().filter(|c| c.col > 0 && !c.text.is_empty()))
        .map(|c| c.col)
        .max()
        .unwrap_or(0);
    for row in &mut rows[..first] {
        // the cells after the label, without the empty ones a trailing tab leaves
        let printed = row.cells.iter().rposition(|c| c.col > 0 && !c.text.is_empty());
        let Some(last) = printed else {
            continue;
        };
        let groups = &mut row.cells[..=last];
        let count = groups.iter().filter(|c| c.col > 0).count();
        if count == 0
            || count >= columns
            || !columns.is_multiple_of(count)
            || groups.iter().any(|c| c.col > 0 && c.text.is_empty())
        {
            continue;
        }
        let width = columns / count;
        for cell in groups.iter_mut().filter(|c| c.col > 0) {
            cell.col = 1 + (cell.col - 1) * width;
            cell.colspan = width;
        }
    }
}

/// A tabbed line that heads columns: some cell after the label has words and none holds only
/// values (`h 21 2002` is a garbled header, `$(3,210)` a value); or an untabbed line with
/// column-header words.
fn is_tab_header(line: &Line<'_>) -> bool {
    let f = &line.facts;
    if line.text.contains('\t') {
        let mut texty = false;
        for cell in line.text.split('\t').skip(1) {
            if cell.chars().any(char::is_alphabetic) {
                texty = true;
            } else if cell.split_whitespace().any(is_number_word) {
                return false;
            }
        }
        texty
    } else {
        f.numbers == 0 && line.header_words() && !line.caption()
    }
}

fn tab_row(line: &Line<'_>, base: usize) -> Row {
    let offset = base + line.start;
    let mut cells = Vec::new();
    let text = line.text.trim_end_matches([' ', '\r', '\u{c}']);
    if text.contains('\t') {
        let mut at = 0;
        for (col, piece) in text.split('\t').enumerate() {
            cells.push(cell(piece, offset + at, col, 1));
            at += piece.len() + 1;
        }
    } else {
        cells.push(cell(text, offset, 0, 1));
    }
    Row { span: trimmed_span(line.text, offset), cells }
}

/// A cell from a piece of a line at byte `offset`: text trimmed and whitespace collapsed.
fn cell(piece: &str, offset: usize, col: usize, colspan: usize) -> Cell {
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    let start = offset + lead;
    Cell { text: collapse(trimmed), span: [start, start + trimmed.len()], col, colspan }
}

/// Whitespace runs to single spaces.
pub(super) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    collapse_into(&mut out, text);
    out
}

/// Append `text` with whitespace runs as single spaces, one space after what `out` holds.
pub(super) fn collapse_into(out: &mut String, text: &str) {
    let mut push = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    // Prose is mostly single-spaced ASCII already: then it is copied whole. Plain: no
    // whitespace at either end, none but single spaces between words (each test runs in
    // vector code: a reduction over the bytes without early exit).
    let ascii = text.is_ascii();
    let bytes = text.as_bytes();
    let plain = ascii
        && bytes.first().is_some_and(|&b| !b.is_ascii_whitespace())
        && bytes.last().is_some_and(|&b| !b.is_ascii_whitespace())
        && !bytes.iter().fold(false, |other, &b| other | (b != b' ' && b.is_ascii_whitespace()))
        && !bytes
            .iter()
            .zip(bytes.get(1..).unwrap_or_default())
            .fold(false, |double, (&a, &b)| double | (a == b' ' && b == b' '));
    if plain {
        push(text);
    } else if ascii {
        text.split_ascii_whitespace().for_each(&mut push);
    } else {
        text.split_whitespace().for_each(&mut push);
    }
}

pub(super) fn trimmed_span(text: &str, offset: usize) -> [usize; 2] {
    let lead = text.len() - text.trim_start().len();
    let start = offset + lead;
    [start, start + text.trim().len()]
}

pub(super) fn table(rows: Vec<Row>) -> Table {
    let span = match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => [first.span[0], last.span[1]],
        _ => [0, 0],
    };
    Table { rows, span }
}

/// A cell of the words `[a, b]`: their texts joined by single spaces (dot leaders dropped).
pub(super) fn words_cell(
    text: &str,
    ws: &[Word],
    a: usize,
    b: usize,
    offset: usize,
    col: usize,
    colspan: usize,
) -> Cell {
    // the words' span as printed bounds the text joined by single spaces
    let printed =
        ws.get(b).zip(ws.get(a)).map_or(0, |(last, first)| last.end.saturating_sub(first.start));
    let mut out = String::with_capacity(printed);
    for w in ws.get(a..=b).unwrap_or(&[]) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w.text(text));
    }
    let start = ws.get(a).map_or(0, |w| w.start);
    let end = ws.get(b).map_or(start, |w| w.end);
    Cell { text: out, span: [offset + start, offset + end], col, colspan }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte loop `collapse_into` replaced, to check it against.
    fn collapse_by_loop(out: &mut String, text: &str) {
        let mut push = |word: &str| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        };
        let (mut plain, mut ascii, mut previous_space) = (true, true, true);
        for &b in text.as_bytes() {
            ascii &= b.is_ascii();
            let space = b.is_ascii_whitespace();
            plain &= !(space && (b != b' ' || previous_space));
            previous_space = space;
        }
        if plain && ascii && !previous_space {
            push(text);
        } else if ascii {
            text.split_ascii_whitespace().for_each(&mut push);
        } else {
            text.split_whitespace().for_each(&mut push);
        }
    }

    #[test]
    fn collapsing_joins_words_with_single_spaces() {
        let texts = [
            "Net sales",
            " Net sales",
            "Net  sales ",
            "Net\tsales",
            "Net\u{a0}sales",
            "",
            "  ",
            "\u{2003}a\u{2003}",
            "a",
            "a\u{b}b",
            "a\u{c} b",
            "x .... y",
            "$ (1,234)",
        ];
        for start in ["", "x"] {
            for text in texts {
                let (mut got, mut want) = (start.to_owned(), start.to_owned());
                collapse_into(&mut got, text);
                collapse_by_loop(&mut want, text);
                assert_eq!(got, want, "{text:?}");
            }
        }
    }
}
