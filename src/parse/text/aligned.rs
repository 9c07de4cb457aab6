//! Aligned text to table grids: value columns from where the values sit, cells by column.
//!
//! Values one space apart in one column stay one cell (PDF text merges several rows' numbers
//! that way); rows whose cells overflowed fixed-width cells are read by the push (`fixed`);
//! cells that do not line up at all are read in order.

use super::columns::{self, Columns, EDGE_SLACK, Extent};
use super::fixed::{self, Piece};
use super::headers::{positional_row, underline};
use super::lines::Line;
use super::regions::{Region, ZONE_SLACK, value_zone};
use super::table::{table, trimmed_span, words_cell};
use super::words::{Gap, Word, chunks, split_glued, unescaped, value_split, words};
use crate::parse::grid::{Cell, Row, Table};

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
    /// Values one space after the label, not aligned with the columns.
    tight: bool,
    /// Two cells printed with no space between (see [`split_glued`]): something overflowed
    /// its cell and pushed what follows out of line.
    glued: bool,
}

/// An aligned region's tables: one per group of lines that a column-header line after rows of
/// values starts.
pub(super) fn tables(lines: &[Line<'_>], region: &Region, base: usize) -> Vec<Table> {
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
    split_glued(text, &mut ws);
    let split = value_split(text, &ws);
    let years_only = split.is_some_and(|s| s.years_only);
    let first_value = split.filter(|s| !s.years_only && !top_header).map(|s| s.first_value);
    let tokens = first_value.map(|f| value_tokens(text, &ws, f)).unwrap_or_default();
    let over_values = chunks(&ws).iter().any(|&(a, b)| {
        ws.get(a).is_some_and(|w| w.col + ZONE_SLACK >= zone)
            && ws
                .get(a..=b)
                .is_some_and(|c| c.iter().any(|w| w.text(text).chars().any(char::is_alphabetic)))
    });
    let header = top_header || years_only || (first_value.is_none() && over_values);
    let tight = split.is_some_and(|s| s.tight);
    let glued = ws.windows(2).any(|pair| matches!(pair, [a, b] if a.end_col == b.col));
    Shape { line, words: ws, first_value, tokens, header, tight, glued }
}

/// Group value words into tokens: a lone `$` or `(` joins the number after it, a lone `)` or
/// `%` the one before, and `(805,` joins `459)`.
fn value_tokens(text: &str, ws: &[Word], first_value: usize) -> Vec<(usize, usize)> {
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut prefix: Option<usize> = None;
    for (i, w) in ws.iter().enumerate().skip(first_value) {
        let t = unescaped(w.text(text));
        // A lone `$` printed where a column has no value (`$      $12,480`) is a token of its
        // own: the number after it already carries its sign.
        if t.starts_with('$')
            && !matches!(t, "$" | "$(")
            && let Some(p) = prefix.take()
        {
            tokens.push((p, i.saturating_sub(1).max(p)));
        }
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
    // Rows where something overflowed its cell are out of line: a few of them place no
    // columns (glued cells at first; also labels that run into the first column's cell once
    // the columns are known), and such rows are read by the push.
    let is_row = |s: &Shape| s.first_value.is_some() && !s.header && !s.tight;
    let rows = group.iter().filter(|s| is_row(s)).count();
    let few = |skip: &[bool]| {
        let n = skip.iter().filter(|&&s| s).count();
        n > 0 && n * 2 < rows
    };
    let glued: Vec<bool> = group.iter().map(|s| is_row(s) && s.glued).collect();
    let mut columns = find_columns(lines, group, marks, if few(&glued) { &glued } else { &[] });
    let out_of_line: Vec<bool> = group
        .iter()
        .zip(&glued)
        .map(|(s, &g)| g || (is_row(s) && label_overflow(s, &columns).is_some()))
        .collect();
    if few(&out_of_line) && out_of_line != glued {
        columns = find_columns(lines, group, marks, &out_of_line);
    }
    // Cells parted by runs of spaces but not aligned are read in order, as tabbed cells are.
    let in_order = marks.is_empty() && !cells_line_up(group);
    let pushed: Vec<Option<Vec<usize>>> = group
        .iter()
        .map(|s| match (is_row(s), in_order) {
            (false, _) => None,
            (true, true) => Some(token_chunks(s)),
            (true, false) => pushed_row(s, &columns),
        })
        .collect();
    let zone = columns.zone_start().unwrap_or(zone);
    let rows = group
        .iter()
        .zip(&pushed)
        .filter_map(|(s, pushed)| {
            let line = lines.get(s.line)?;
            let offset = base + line.start;
            let cells = if s.first_value.is_some() && !s.header {
                value_row(line.text, s, &columns, pushed.as_deref(), offset)
            } else if in_order {
                chunk_row(line.text, &s.words, offset)
            } else {
                let underline = lines.get(s.line + 1).map(underline).unwrap_or_default();
                positional_row(line.text, &s.words, &columns, zone, &underline, offset)
            };
            Some(Row { span: trimmed_span(line.text, offset), cells })
        })
        .collect();
    table(rows)
}

/// Fewest cells of values a group needs for telling whether they line up.
const MIN_CELLS_TO_ALIGN: usize = 6;

/// Whether a group's cells of values line up: half of them or more end on as many places
/// (within a column) as a row has cells. Text whose cells are only parted by runs of spaces
/// does not.
fn cells_line_up(group: &[Shape]) -> bool {
    let mut ends: Vec<usize> = Vec::new();
    let mut most = 0;
    for s in group {
        if s.first_value.is_none() || s.header || s.tight {
            continue;
        }
        let chunks = token_chunks(s);
        most = most.max(chunks.last().map_or(0, |&c| c + 1));
        for (i, &(_, b)) in s.tokens.iter().enumerate() {
            let last_of_chunk = chunks.get(i + 1).is_none_or(|next| Some(next) != chunks.get(i));
            if let (true, Some(w)) = (last_of_chunk, s.words.get(b)) {
                ends.push(w.end_col);
            }
        }
    }
    if ends.len() < MIN_CELLS_TO_ALIGN {
        return true;
    }
    // Ends per place; then the busiest windows of three columns, as many as a row has cells,
    // each taking the ends in it.
    ends.sort_unstable();
    let mut places: Vec<(usize, usize)> = Vec::new();
    for &e in &ends {
        match places.last_mut() {
            Some(place) if place.0 == e => place.1 += 1,
            _ => places.push((e, 1)),
        }
    }
    let places = &places;
    // A window of three columns starting at place `i`: the places it holds.
    let around = |i: usize| {
        let start = places.get(i).map_or(0, |p| p.0);
        (i..i + 3).take_while(move |&j| places.get(j).is_some_and(|p| p.0 <= start + 2))
    };
    let mut busiest: Vec<(usize, usize)> = (0..places.len())
        .map(|i| (around(i).filter_map(|j| places.get(j)).map(|p| p.1).sum(), i))
        .collect();
    busiest.sort_unstable_by(|a, b| b.cmp(a));
    let mut taken_places = vec![false; places.len()];
    let (mut taken, mut picked) = (0, 0);
    for (_, i) in busiest {
        if picked >= most {
            break;
        }
        let mut gained = 0;
        for j in around(i) {
            if let (Some(t), Some(p)) = (taken_places.get_mut(j), places.get(j))
                && !*t
            {
                *t = true;
                gained += p.1;
            }
        }
        if gained > 0 {
            taken += gained;
            picked += 1;
        }
    }
    taken * 2 >= ends.len()
}

/// The chunk (cell printed between runs of two or more spaces) of each of a row's tokens,
/// counted from 0.
fn token_chunks(s: &Shape) -> Vec<usize> {
    let mut chunk = 0;
    let mut out = Vec::with_capacity(s.tokens.len());
    for (i, &(a, _)) in s.tokens.iter().enumerate() {
        if i > 0 && s.words.get(a).is_some_and(|w| w.gap == Gap::Wide) {
            chunk += 1;
        }
        out.push(chunk);
    }
    out
}

/// A line of cells read in order: a first chunk at the line's start is the label, the others
/// head the value columns one by one.
fn chunk_row(text: &str, ws: &[Word], offset: usize) -> Vec<Cell> {
    let labelled = ws.first().is_some_and(|w| w.col == 0);
    let first_col = if labelled { 0 } else { 1 };
    chunks(ws)
        .into_iter()
        .enumerate()
        .map(|(i, (a, b))| words_cell(text, ws, a, b, offset, first_col + i, 1))
        .collect()
}

/// The value columns of a group of lines, from its rows of values (but those in `skip`).
fn find_columns(lines: &[Line<'_>], group: &[Shape], marks: &[usize], skip: &[bool]) -> Columns {
    let mut tokens = Vec::new();
    let mut runs = Vec::new();
    // Unaligned rows place no columns, unless no row is aligned.
    let all_tight = group.iter().filter(|s| !s.header && !s.tokens.is_empty()).all(|s| s.tight);
    for (n, s) in group.iter().enumerate() {
        if s.header || (s.tight && !all_tight) || skip.get(n).copied().unwrap_or(false) {
            continue;
        }
        let text = lines.get(s.line).map_or("", |l| l.text);
        // Tokens one space apart make one run: PDF text merges several rows' numbers into one
        // column that way (`185,156 7,271`). Runs place the columns; a run that another line
        // shows to cross two columns is split between them (see `columns::cluster`).
        let mut run: Option<Extent> = None;
        for &(a, b) in &s.tokens {
            let (Some(first), Some(last)) = (s.words.get(a), s.words.get(b)) else {
                continue;
            };
            let printed = text.get(first.start..last.end).unwrap_or("");
            // A lone `$` or parenthesis says nothing about where a column is.
            if printed.chars().all(|c| matches!(c, '$' | '\\' | '(' | ')' | '%' | '*' | ' ')) {
                runs.extend(run.take());
                continue;
            }
            let token = Extent { line: n, start: first.col, end: last.end_col };
            tokens.push(token);
            match &mut run {
                Some(r) if first.gap == Gap::Space => r.end = token.end,
                _ => runs.extend(run.replace(token)),
            }
        }
        runs.extend(run);
    }
    if tokens.is_empty() {
        // A table of words: every chunk after a line's first stands in a column.
        for (n, s) in group.iter().enumerate() {
            for &(a, b) in chunks(&s.words).iter().skip(1) {
                if let (Some(first), Some(last)) = (s.words.get(a), s.words.get(b)) {
                    tokens.push(Extent { line: n, start: first.col, end: last.end_col });
                }
            }
        }
        runs.clone_from(&tokens);
    }
    columns::from_marks(marks, &tokens).unwrap_or_else(|| columns::cluster(&runs, &tokens))
}

/// A row of values: the label in column 0, each value token in its column; tokens that share
/// a column share a cell.
fn value_row(
    text: &str,
    s: &Shape,
    columns: &Columns,
    pushed: Option<&[usize]>,
    offset: usize,
) -> Vec<Cell> {
    let mut cells = Vec::new();
    let first_value = s.first_value.unwrap_or(0);
    if first_value > 0 {
        cells.push(words_cell(text, &s.words, 0, first_value - 1, offset, 0, 1));
    }
    // Unaligned values fill the last columns in order (a row printed without its first
    // columns is rarer than one whose values all follow its label).
    let fill_from =
        (s.tight && s.tokens.len() <= columns.len()).then(|| columns.len() - s.tokens.len() + 1);
    for (i, &(a, b)) in s.tokens.iter().enumerate() {
        let (Some(first), Some(last)) = (s.words.get(a), s.words.get(b)) else {
            continue;
        };
        let col = match (fill_from, pushed) {
            (Some(from), _) => from + i,
            (None, Some(cols)) => cols.get(i).map_or(1, |k| k + 1),
            (None, None) => columns.assign(first.col, last.end_col).map_or(1, |k| k + 1),
        };
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

/// The column of each of a row's tokens read as fixed-width cells (see [`fixed`]), for a row
/// where something overflowed its cell: its label ran past the start of the first column's
/// cell, or two of its cells are glued. `None` for a row printed in line.
fn pushed_row(s: &Shape, columns: &Columns) -> Option<Vec<usize>> {
    let shift = label_overflow(s, columns);
    if shift.is_none() && !s.glued {
        return None;
    }
    let mut pieces = Vec::with_capacity(s.tokens.len());
    for (i, &(a, b)) in s.tokens.iter().enumerate() {
        let (first, last) = (s.words.get(a)?, s.words.get(b)?);
        let spaced = i > 0 && first.gap != Gap::Wide;
        pieces.push(Piece { start: first.col, end: last.end_col, spaced });
    }
    let read = fixed::pushed_columns(columns, &pieces, shift.unwrap_or(0))?;
    // A row whose values all end on the columns' edges as printed, as closely as pushed, is in
    // line (its first cells blank), whatever its label.
    let misfit_in_line: Option<usize> = pieces
        .iter()
        .map(|p| {
            columns.edge_at(p.end).and_then(|k| columns.edges.get(k)).map(|e| e.abs_diff(p.end))
        })
        .sum();
    if shift.is_some() && misfit_in_line.is_some_and(|m| m <= read.misfit) {
        return None;
    }
    Some(read.cols)
}

/// How far a row's label runs past the start of the first column's fixed-width cell, when
/// that is more than the slack of reading where values end.
fn label_overflow(s: &Shape, columns: &Columns) -> Option<usize> {
    let label_end = s.words.get(s.first_value?.checked_sub(1)?)?.end_col;
    label_end.checked_sub(fixed::slot_start(columns, 0)?).filter(|&d| d > EDGE_SLACK)
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
        assert_eq!(tokens("Net loss   $ (396,213      $ (3"), ["$ (396,213", "$ (3"]);
        assert_eq!(
            tokens("Accumulated deficit    (805, 459)    (797,868)"),
            ["(805, 459)", "(797,868)"]
        );
        assert_eq!(tokens("Change   ( 5 )   12 %"), ["( 5 )", "12 %"]);
        assert_eq!(tokens("Revenues     $12,480     $      $12,480"), ["$12,480", "$", "$12,480"]);
    }
}
