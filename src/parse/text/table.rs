//! A region's lines to table grids: cells by tab (PDF text) or by column position (aligned).
//!
//! A region may hold several tables printed one under the other: a column-header line after
//! rows of values starts a new table.

use super::columns::{self, Columns, Extent};
use super::lines::{
    Gap, Kind, Line, Word, is_number_word, is_rule_word, is_year, value_split, words,
};
use super::regions::{Mode, Region, ZONE_SLACK, is_value_row, value_zone};
use super::vocabulary;
use crate::parse::grid::{Block, Cell, Row, Table, TextLine};

/// Read a region into one or more tables, in order. Label-only lines that end a table printed
/// right above the next one are that next table's title: they come out as text between them.
pub(super) fn build(lines: &[Line<'_>], region: &Region, base: usize) -> Vec<Block> {
    let tables = match region.mode {
        Mode::Tabbed => tabbed(lines, region, base),
        Mode::Aligned => aligned(lines, region, base),
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
            titles.push(TextLine {
                text: only.text.clone(),
                span: only.span,
            });
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
    tables
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
    Row {
        span: trimmed_span(line.text, offset),
        cells,
    }
}

/// A cell from a piece of a line at byte `offset`: text trimmed and whitespace collapsed.
fn cell(piece: &str, offset: usize, col: usize, colspan: usize) -> Cell {
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    let start = offset + lead;
    Cell {
        text: collapse(trimmed),
        span: [start, start + trimmed.len()],
        col,
        colspan,
    }
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
    // Prose is mostly single-spaced ASCII already: then it is copied whole.
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

fn trimmed_span(text: &str, offset: usize) -> [usize; 2] {
    let lead = text.len() - text.trim_start().len();
    let start = offset + lead;
    [start, start + text.trim().len()]
}

fn table(rows: Vec<Row>) -> Table {
    let span = match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => [first.span[0], last.span[1]],
        _ => [0, 0],
    };
    Table { rows, span }
}

/// One line of an aligned table, tokenized.
struct Shape {
    line: usize,
    words: Vec<Word>,
    /// Index of the first value word, for a row of values.
    first_value: Option<usize>,
    /// Value tokens as word ranges `[first, last]`.
    tokens: Vec<(usize, usize)>,
    /// A column-header line: text over the value columns, or years only.
    header: bool,
}

fn aligned(lines: &[Line<'_>], region: &Region, base: usize) -> Vec<Table> {
    let zone = value_zone(lines, &region.rows).unwrap_or(0);
    let mut shapes = Vec::with_capacity(region.rows.len());
    for (n, &r) in region.rows.iter().enumerate() {
        let Some(line) = lines.get(r) else { continue };
        shapes.push(shape(line.text, r, n < region.header_rows, zone));
    }
    // Split where a header follows values.
    let mut groups: Vec<Vec<Shape>> = vec![Vec::new()];
    let mut seen_values = false;
    for (n, s) in shapes.into_iter().enumerate() {
        if s.header && seen_values && n >= region.header_rows {
            groups.push(Vec::new());
            seen_values = false;
        }
        seen_values |= s.first_value.is_some() && !s.header;
        if let Some(g) = groups.last_mut() {
            g.push(s);
        }
    }
    let marks = &region.marks;
    groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| aligned_table(lines, g, marks, base, zone))
        .collect()
}

fn shape(text: &str, line: usize, top_header: bool, zone: usize) -> Shape {
    let mut ws = Vec::new();
    words(text, &mut ws);
    let split = value_split(text, &ws);
    let years_only = split.is_some_and(|s| s.years_only);
    let first_value = split
        .filter(|s| !s.years_only && !top_header)
        .map(|s| s.first_value);
    let tokens = first_value
        .map(|f| value_tokens(text, &ws, f))
        .unwrap_or_default();
    let over_values = chunks(&ws).iter().any(|&(a, b)| {
        ws.get(a).is_some_and(|w| w.col + ZONE_SLACK >= zone)
            && ws.get(a..=b).is_some_and(|c| {
                c.iter()
                    .any(|w| w.text(text).chars().any(char::is_alphabetic))
            })
    });
    let header = top_header || years_only || (first_value.is_none() && over_values);
    Shape {
        line,
        words: ws,
        first_value,
        tokens,
        header,
    }
}

/// Word index ranges `[first, last]` of the chunks (runs of words without a wide gap).
fn chunks(ws: &[Word]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        match out.last_mut() {
            Some((_, last)) if w.gap != Gap::Wide => *last = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// Group value words into tokens: a lone `$` or `(` joins the number after it, a lone `)` or
/// `%` the one before, and `(805,` joins `459)`.
fn value_tokens(text: &str, ws: &[Word], first_value: usize) -> Vec<(usize, usize)> {
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut prefix: Option<usize> = None;
    for (i, w) in ws.iter().enumerate().skip(first_value) {
        let t = w.text(text);
        if matches!(t, "$" | "(" | "$(" | "($") {
            prefix.get_or_insert(i);
            continue;
        }
        if prefix.is_none()
            && let Some(last) = tokens.last_mut()
        {
            let previous = ws.get(last.1).map_or("", |p| p.text(text));
            let suffix = matches!(t, ")" | "%" | ")%");
            let broken = w.gap == Gap::Space && previous.ends_with(',') && is_group_tail(t);
            if suffix || broken {
                last.1 = i;
                continue;
            }
        }
        tokens.push((prefix.take().unwrap_or(i), i));
    }
    if let Some(p) = prefix {
        tokens.push((p, ws.len().saturating_sub(1).max(p)));
    }
    tokens
}

/// The three digits that end a number broken after its comma: `459` or `459)`.
fn is_group_tail(word: &str) -> bool {
    let digits = word.trim_end_matches([')', '%']);
    digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn aligned_table(
    lines: &[Line<'_>],
    group: &[Shape],
    marks: &[usize],
    base: usize,
    zone: usize,
) -> Table {
    let columns = find_columns(lines, group, marks);
    let zone = columns.zone_start().unwrap_or(zone);
    let rows = group
        .iter()
        .filter_map(|s| {
            let line = lines.get(s.line)?;
            let offset = base + line.start;
            let cells = if s.first_value.is_some() && !s.header {
                value_row(line.text, s, &columns, offset)
            } else {
                let underline = lines.get(s.line + 1).map(underline).unwrap_or_default();
                positional_row(line.text, &s.words, &columns, zone, &underline, offset)
            };
            Some(Row {
                span: trimmed_span(line.text, offset),
                cells,
            })
        })
        .collect();
    table(rows)
}

fn find_columns(lines: &[Line<'_>], group: &[Shape], marks: &[usize]) -> Columns {
    let mut extents = Vec::new();
    for (n, s) in group.iter().enumerate() {
        if s.header {
            continue;
        }
        let text = lines.get(s.line).map_or("", |l| l.text);
        for &(a, b) in &s.tokens {
            let (Some(first), Some(last)) = (s.words.get(a), s.words.get(b)) else {
                continue;
            };
            let printed = text.get(first.start..last.end).unwrap_or("");
            // A lone `$` or parenthesis says nothing about where a column is.
            if printed
                .chars()
                .all(|c| matches!(c, '$' | '(' | ')' | '%' | '*' | ' '))
            {
                continue;
            }
            extents.push(Extent {
                line: n,
                start: first.col,
                end: last.end_col,
            });
        }
    }
    if extents.is_empty() {
        // A table of words: every chunk after a line's first stands in a column.
        for (n, s) in group.iter().enumerate() {
            for &(a, b) in chunks(&s.words).iter().skip(1) {
                if let (Some(first), Some(last)) = (s.words.get(a), s.words.get(b)) {
                    extents.push(Extent {
                        line: n,
                        start: first.col,
                        end: last.end_col,
                    });
                }
            }
        }
    }
    columns::from_marks(marks, &extents).unwrap_or_else(|| columns::cluster(&extents))
}

/// A row of values: the label in column 0, each value token in its column; tokens that share
/// a column share a cell.
fn value_row(text: &str, s: &Shape, columns: &Columns, offset: usize) -> Vec<Cell> {
    let mut cells = Vec::new();
    let first_value = s.first_value.unwrap_or(0);
    if first_value > 0 {
        cells.push(words_cell(text, &s.words, 0, first_value - 1, offset, 0, 1));
    }
    for &(a, b) in &s.tokens {
        let (Some(first), Some(last)) = (s.words.get(a), s.words.get(b)) else {
            continue;
        };
        let col = columns.assign(first.col, last.end_col).map_or(1, |k| k + 1);
        match cells.last_mut() {
            Some(previous) if previous.col == col && col > 0 => {
                let joined = words_cell(text, &s.words, a, b, offset, col, 1);
                previous.text.push(' ');
                previous.text.push_str(&joined.text);
                previous.span[1] = joined.span[1];
            }
            _ => cells.push(words_cell(text, &s.words, a, b, offset, col, 1)),
        }
    }
    cells
}

/// A line placed chunk by chunk: chunks left of the values form the label, the others go over
/// the columns they sit on (spanning several when they cover them).
fn positional_row(
    text: &str,
    ws: &[Word],
    columns: &Columns,
    zone: usize,
    underline: &[(usize, usize)],
    offset: usize,
) -> Vec<Cell> {
    let mut label: Option<(usize, usize)> = None;
    let mut placed: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (a, b) in chunks(ws) {
        let (Some(first), Some(last)) = (ws.get(a), ws.get(b)) else {
            continue;
        };
        if ws
            .get(a..=b)
            .is_some_and(|c| c.iter().all(|w| is_rule_word(w.text(text))))
        {
            continue;
        }
        // Labels start left of the values; text that starts in their right half and reaches
        // into the values (`(IN THOUSANDS)` under a column) is a header.
        let reaches_values = last.end_col + ZONE_SLACK > zone && first.col * 2 >= zone;
        let in_label_zone =
            (first.col + ZONE_SLACK < zone && !reaches_values) || columns.len() == 0;
        if in_label_zone && placed.is_empty() {
            label = Some((label.map_or(a, |l| l.0), b));
            continue;
        }
        // A rule printed under a header shows how far the header reaches (a border that
        // starts under the labels shows nothing).
        let (mut start, mut end) = (first.col, last.end_col);
        for &(s, e) in underline {
            if s < last.end_col && first.col < e && s + ZONE_SLACK >= zone {
                start = start.min(s);
                end = end.max(e);
            }
        }
        let (k, span) = columns::place_header(columns, start, end).unwrap_or((0, 1));
        placed.push((a, b, k, span));
    }
    // On a line of one-column headers (`July 3,   June 28, January 3,`) a chunk that seems to
    // span is two headers printed one space apart.
    let per_column = placed.iter().any(|p| p.3 == 1);
    let mut cells: Vec<Cell> = Vec::new();
    let mut next_free = 1;
    for (a, b, k, span) in placed {
        let pieces = if span > 1 {
            split_over_columns(text, ws, (a, b), columns, per_column)
        } else {
            None
        };
        for (a, b, k, span) in pieces.unwrap_or_else(|| vec![(a, b, k, span)]) {
            let mut col = k + 1;
            let mut colspan = span;
            // Two chunks of one line never share a column: move a later one right.
            if col < next_free {
                let end = col + colspan;
                col = next_free;
                colspan = end.saturating_sub(col).max(1);
            }
            next_free = col + colspan;
            cells.push(words_cell(text, ws, a, b, offset, col, colspan));
        }
    }
    if let Some((a, b)) = label {
        cells.insert(0, words_cell(text, ws, a, b, offset, 0, 1));
    }
    cells
}

/// The display extents of the rules printed on a line (`------   ------`, also beside text).
fn underline(line: &Line<'_>) -> Vec<(usize, usize)> {
    if !matches!(line.kind, Kind::Rule | Kind::Text) {
        return Vec::new();
    }
    let mut ws = Vec::new();
    words(line.text, &mut ws);
    chunks(&ws)
        .into_iter()
        .filter(|&(a, b)| {
            ws.get(a..=b)
                .is_some_and(|c| c.iter().all(|w| is_rule_word(w.text(line.text))))
        })
        .filter_map(|(a, b)| Some((ws.get(a)?.col, ws.get(b)?.end_col)))
        .collect()
}

/// Split a chunk that seemed to span into pieces that each sit over one column; `None` when it
/// cannot be. On a line of one-column headers any single-spaced pieces may split
/// (`June 28, January 3,`); elsewhere only where a new date starts (`March 28, March 29,`,
/// `2004 2003`), so that `Three Months Ended` keeps its span.
fn split_over_columns(
    text: &str,
    ws: &[Word],
    (a, b): (usize, usize),
    columns: &Columns,
    per_column: bool,
) -> Option<Vec<(usize, usize, usize, usize)>> {
    let mut pieces: Vec<(usize, usize, usize, usize)> = Vec::new();
    if per_column {
        let mut start = a;
        while start <= b {
            let first = ws.get(start)?;
            let col = columns::fits_one(columns, first.col, first.end_col)?;
            let mut end = start;
            while end < b {
                let next = ws.get(end + 1)?;
                match columns::fits_one(columns, first.col, next.end_col) {
                    Some(k) if k == col => end += 1,
                    _ => break,
                }
            }
            pieces.push((start, end, col, 1));
            start = end + 1;
        }
    } else {
        let mut starts = vec![a];
        for i in a + 1..=b {
            let here = ws.get(i).map_or("", |w| w.text(text));
            let before = ws.get(i - 1).map_or("", |w| w.text(text));
            if vocabulary::is_month(here) || is_year(before.trim_end_matches(',')) {
                starts.push(i);
            }
        }
        starts.push(b + 1);
        for pair in starts.windows(2) {
            let (start, end) = (pair[0], pair[1] - 1);
            let (first, last) = (ws.get(start)?, ws.get(end)?);
            // Each piece is a date of its own: it starts with a month, or is a year.
            let dated = vocabulary::is_month(first.text(text))
                || (start == end && is_year(first.text(text)));
            if !dated {
                return None;
            }
            pieces.push((
                start,
                end,
                columns::fits_one(columns, first.col, last.end_col)?,
                1,
            ));
        }
    }
    let increasing = pieces.windows(2).all(|p| p[0].2 < p[1].2);
    (pieces.len() >= 2 && increasing).then_some(pieces)
}

/// A cell of the words `[a, b]`: their texts joined by single spaces (dot leaders dropped).
fn words_cell(
    text: &str,
    ws: &[Word],
    a: usize,
    b: usize,
    offset: usize,
    col: usize,
    colspan: usize,
) -> Cell {
    let mut out = String::new();
    for w in ws.get(a..=b).unwrap_or(&[]) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w.text(text));
    }
    let start = ws.get(a).map_or(0, |w| w.start);
    let end = ws.get(b).map_or(start, |w| w.end);
    Cell {
        text: out,
        span: [offset + start, offset + end],
        col,
        colspan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(line: &str) -> Vec<String> {
        let mut ws = Vec::new();
        words(line, &mut ws);
        let split = value_split(line, &ws).unwrap();
        value_tokens(line, &ws, split.first_value)
            .iter()
            .map(|&(a, b)| line.get(ws[a].start..ws[b].end).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn dollar_signs_and_parentheses_join_their_numbers() {
        assert_eq!(
            tokens("Net income     $  53   $  (806)  $ 501"),
            ["$  53", "$  (806)", "$ 501"]
        );
        assert_eq!(
            tokens("Net loss   $ (396,213      $ (3"),
            ["$ (396,213", "$ (3"]
        );
        assert_eq!(
            tokens("Accumulated deficit    (805, 459)    (797,868)"),
            ["(805, 459)", "(797,868)"]
        );
        assert_eq!(tokens("Change   ( 5 )   12 %"), ["( 5 )", "12 %"]);
    }
}
