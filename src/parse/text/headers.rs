//! Column-header lines of aligned tables: each printed chunk placed over the value columns.
//!
//! A chunk goes over the columns it sits on, spanning several when it covers them or when a rule
//! printed under it reaches them; a chunk that only looked spanning (two dates one space apart)
//! is split back into one header per column.

use super::columns::{self, Columns};
use super::fixed::{self, Piece};
use super::lines::{Kind, Line};
use super::regions::ZONE_SLACK;
use super::table::words_cell;
use super::vocabulary;
use super::words::{Word, chunks, is_rule_word, is_year, words};
use crate::parse::grid::Cell;

/// Most chunks a header line is placed chunk by chunk.
const MAX_CHUNKS: usize = 64;

/// A line placed chunk by chunk: chunks left of the values form the label, the others go over
/// the columns they sit on (spanning several when they cover them).
pub(super) fn positional_row(
    text: &str,
    ws: &[Word],
    columns: &Columns,
    zone: usize,
    underline: &[(usize, usize)],
    offset: usize,
) -> Vec<Cell> {
    let mut label: Option<(usize, usize)> = None;
    let chunks = chunks(ws);
    // A line of more pieces than a table has columns is read as one label.
    if chunks.len() > MAX_CHUNKS {
        return vec![words_cell(text, ws, 0, ws.len().saturating_sub(1), offset, 0, 1)];
    }
    // Chunks over the values: word range and display extent.
    let mut headers: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (a, b) in chunks {
        let (Some(first), Some(last)) = (ws.get(a), ws.get(b)) else {
            continue;
        };
        if ws.get(a..=b).is_some_and(|c| c.iter().all(|w| is_rule_word(w.text(text)))) {
            continue;
        }
        // Labels start left of the values; text that starts in their right half and reaches
        // into the values (`(IN THOUSANDS)` under a column) is a header.
        let reaches_values = last.end_col + ZONE_SLACK > zone && first.col * 2 >= zone;
        let in_label_zone =
            (first.col + ZONE_SLACK < zone && !reaches_values) || columns.len() == 0;
        if in_label_zone && headers.is_empty() {
            label = Some((label.map_or(a, |l| l.0), b));
            continue;
        }
        headers.push((a, b, first.col, last.end_col));
    }
    let placed: Vec<(usize, usize, usize, usize)> =
        match pushed_headers(text, ws, &headers, columns) {
            Some(cells) => cells,
            None => headers
                .iter()
                .map(|&(a, b, first_col, end_col)| {
                    // A rule printed under a header shows how far the header reaches (a border
                    // that starts under the labels shows nothing).
                    let (mut start, mut end) = (first_col, end_col);
                    for &(s, e) in underline {
                        if s < end_col && first_col < e && s + ZONE_SLACK >= zone {
                            start = start.min(s);
                            end = end.max(e);
                        }
                    }
                    let (k, span) = columns::place_header(columns, start, end).unwrap_or((0, 1));
                    (a, b, k, span)
                })
                .collect(),
        };
    // On a line of one-column headers (`July 3,   June 28, January 3,`) a chunk that seems to
    // span is two headers printed one space apart.
    let per_column = placed.iter().any(|p| p.3 == 1);
    let mut cells: Vec<Cell> = Vec::new();
    let mut next_free = 1;
    for (a, b, k, span) in placed {
        let pieces =
            if span > 1 { split_over_columns(text, ws, (a, b), columns, per_column) } else { None };
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

/// Header cells too wide for their column push the next ones right (fixed-width text, see
/// [`fixed`]), maybe to one space after them: the header chunks' words regrouped into one
/// cell per column, as `(first word, last word, column, 1)`. Read that way only when the push
/// is what puts a later header over its column.
fn pushed_headers(
    text: &str,
    ws: &[Word],
    headers: &[(usize, usize, usize, usize)],
    columns: &Columns,
) -> Option<Vec<(usize, usize, usize, usize)>> {
    // Pieces: the chunks, split where a date starts one space after the header before it
    // (`(Unaudited) December 31, 2002`), as word ranges.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut pieces = Vec::new();
    for &(a, b, _, _) in headers {
        for i in a..=b {
            let w = ws.get(i)?;
            let date_starts = i > a && vocabulary::is_month(w.text(text));
            match (ranges.last_mut(), pieces.last_mut()) {
                (Some(range), Some(piece)) if i > a && !date_starts => {
                    range.1 = i;
                    *piece = Piece { end: w.end_col, ..*piece };
                }
                _ => {
                    ranges.push((i, i));
                    pieces.push(Piece { start: w.col, end: w.end_col, spaced: i > a });
                }
            }
        }
    }
    let read = fixed::pushed_columns(columns, &pieces, 0).filter(|r| r.pushed)?;
    let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (&(a, b), k) in ranges.iter().zip(read.cols) {
        match cells.last_mut() {
            Some(cell) if cell.2 == k => cell.1 = b,
            _ => cells.push((a, b, k, 1)),
        }
    }
    Some(cells)
}

/// The display extents of the rules printed on a line (`------   ------`, also beside text).
pub(super) fn underline(line: &Line<'_>) -> Vec<(usize, usize)> {
    if !matches!(line.kind, Kind::Rule | Kind::Text) {
        return Vec::new();
    }
    let mut ws = Vec::new();
    words(line.text, &mut ws);
    chunks(&ws)
        .into_iter()
        .filter(|&(a, b)| {
            ws.get(a..=b).is_some_and(|c| c.iter().all(|w| is_rule_word(w.text(line.text))))
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
            pieces.push((start, end, columns::fits_one(columns, first.col, last.end_col)?, 1));
        }
    }
    let increasing = pieces.windows(2).all(|p| p[0].2 < p[1].2);
    (pieces.len() >= 2 && increasing).then_some(pieces)
}
