//! One HTML data table built into a grid: cells placed by `colspan`/`rowspan`, spans found in
//! the raw markup, empty rows and spacer columns dropped.

use super::buffer::TextBuffer;
use super::locate::Locator;
use crate::parse::grid::{Cell, Row, Table};
use crate::parse::model::Span;
use ego_tree::NodeId;

/// Widest grid kept (statements have a few dozen columns; this bounds hostile `colspan`s).
const MAX_COLUMNS: usize = 1024;
/// Largest `colspan`/`rowspan` honoured (the HTML standard's own limits are similar).
const MAX_SPAN: usize = 1000;
/// How far past the previous cell a cell's text is looked for in the raw markup.
const CELL_SEARCH_WINDOW: usize = 32 * 1024;

/// A cell whose content is still being read.
struct OpenCell {
    text: TextBuffer,
    colspan: usize,
    rowspan: usize,
}

/// A table being read, row by row.
pub(super) struct TableBuilder {
    /// The `<table>` element, to recognise its end.
    pub(super) node: NodeId,
    /// The table's bytes in the raw HTML (relative to the part).
    raw: Span,
    /// Where the next cell's text is looked for.
    cursor: usize,
    rows: Vec<Row>,
    row: Option<Vec<Cell>>,
    cell: Option<OpenCell>,
    /// `<caption>` text, read as a line above the table.
    pub(super) caption: TextBuffer,
    pub(super) in_caption: bool,
    /// Rows still covered by a `rowspan` from above, per grid column.
    covered: Vec<usize>,
    /// Next free grid column in the current row.
    next_col: usize,
}

impl TableBuilder {
    pub(super) fn new(node: NodeId, raw: Span) -> Self {
        Self {
            node,
            raw,
            cursor: raw[0],
            rows: Vec::new(),
            row: None,
            cell: None,
            caption: TextBuffer::default(),
            in_caption: false,
            covered: Vec::new(),
            next_col: 0,
        }
    }

    /// The table's bytes in the raw HTML (relative to the part).
    pub(super) fn raw_span(&self) -> Span {
        self.raw
    }

    /// Text inside the table: into the open cell or caption; stray text between cells is
    /// whitespace the parser kept and is dropped.
    pub(super) fn push_text(&mut self, text: &str) {
        if let Some(cell) = &mut self.cell {
            cell.text.push(text);
        } else if self.in_caption {
            self.caption.push(text);
        }
    }

    /// A `<br>` or block boundary inside a cell reads as a space.
    pub(super) fn separate(&mut self) {
        if let Some(cell) = &mut self.cell {
            cell.text.separate();
        }
    }

    pub(super) fn start_row(&mut self, locator: &mut Locator<'_>) {
        self.finish_row(locator);
        self.row = Some(Vec::new());
        self.next_col = 0;
    }

    pub(super) fn start_cell(
        &mut self,
        locator: &mut Locator<'_>,
        colspan: Option<&str>,
        rowspan: Option<&str>,
    ) {
        self.finish_cell(locator);
        if self.row.is_none() {
            self.start_row(locator);
        }
        self.cell = Some(OpenCell {
            text: TextBuffer::default(),
            colspan: span_attribute(colspan),
            rowspan: span_attribute(rowspan),
        });
    }

    pub(super) fn finish_cell(&mut self, locator: &mut Locator<'_>) {
        let Some(open) = self.cell.take() else { return };
        let text = open.text.into_string();
        let mut col = self.next_col;
        while self.covered.get(col).is_some_and(|&rows| rows > 0) {
            col += 1;
        }
        if col >= MAX_COLUMNS {
            return;
        }
        let colspan = open.colspan.min(MAX_COLUMNS - col);
        if self.covered.len() < col + colspan {
            self.covered.resize(col + colspan, 0);
        }
        for rows in self.covered.iter_mut().skip(col).take(colspan) {
            *rows = (*rows).max(open.rowspan);
        }
        self.next_col = col + colspan;

        let span = self.locate_cell(locator, &text);
        if let Some(row) = &mut self.row {
            row.push(Cell { text, span, col, colspan });
        }
    }

    /// Find a cell's printed text after the previous cell's, inside the table's markup.
    fn locate_cell(&mut self, locator: &mut Locator<'_>, text: &str) -> Span {
        if text.is_empty() {
            return self.raw;
        }
        let limit = self.raw[1].min(self.cursor.saturating_add(CELL_SEARCH_WINDOW));
        match locator.locate(text, self.cursor, limit) {
            Some(span) => {
                self.cursor = span[1];
                span
            }
            None => self.raw,
        }
    }

    pub(super) fn finish_row(&mut self, locator: &mut Locator<'_>) {
        self.finish_cell(locator);
        let Some(cells) = self.row.take() else { return };
        for rows in &mut self.covered {
            *rows = rows.saturating_sub(1);
        }
        if cells.iter().all(|cell| cell.text.is_empty()) {
            return;
        }
        let found: Vec<Span> = cells
            .iter()
            .filter(|cell| !cell.text.is_empty() && cell.span != self.raw)
            .map(|cell| cell.span)
            .collect();
        let span = match (found.first(), found.last()) {
            (Some(first), Some(last)) => [first[0], last[1]],
            _ => self.raw,
        };
        self.rows.push(Row { cells, span });
    }

    /// The finished grid, or `None` when no row holds any text.
    pub(super) fn finish(mut self, locator: &mut Locator<'_>, base: usize) -> Option<Table> {
        self.finish_row(locator);
        if self.rows.is_empty() {
            return None;
        }
        compact_columns(&mut self.rows);
        let shift = |span: Span| [span[0] + base, span[1] + base];
        for row in &mut self.rows {
            row.span = shift(row.span);
            for cell in &mut row.cells {
                cell.span = shift(cell.span);
            }
        }
        Some(Table { rows: self.rows, span: shift(self.raw) })
    }
}

/// `colspan`/`rowspan` value: digits only, 1 when absent, zero or unreadable, at most [`MAX_SPAN`].
fn span_attribute(value: Option<&str>) -> usize {
    let digits: String =
        value.unwrap_or("").trim().chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, MAX_SPAN)
}

/// Drop grid columns that hold no text of their own (spacers, and columns only covered by a
/// spanning header), renumbering `col`/`colspan`. Order and alignment of text cells are kept:
/// a value under a spanning header stays under it. Empty cells left with no column go.
fn compact_columns(rows: &mut [Row]) {
    let width = rows.iter().flat_map(|r| &r.cells).map(|c| c.col + c.colspan).max().unwrap_or(0);
    let mut keep = vec![false; width];
    for cell in rows.iter().flat_map(|r| &r.cells) {
        if !cell.text.is_empty()
            && cell.colspan == 1
            && let Some(slot) = keep.get_mut(cell.col)
        {
            *slot = true;
        }
    }
    for cell in rows.iter().flat_map(|r| &r.cells) {
        let range = cell.col..cell.col + cell.colspan;
        if !cell.text.is_empty()
            && !keep.get(range).is_some_and(|cols| cols.contains(&true))
            && let Some(slot) = keep.get_mut(cell.col)
        {
            *slot = true;
        }
    }
    // kept_before[c] = number of kept columns left of column c.
    let mut kept_before = Vec::with_capacity(width + 1);
    let mut count = 0;
    for &kept in &keep {
        kept_before.push(count);
        count += usize::from(kept);
    }
    kept_before.push(count);
    for row in rows.iter_mut() {
        row.cells.retain_mut(|cell| {
            let start = kept_before.get(cell.col).copied().unwrap_or(count);
            let end = kept_before.get(cell.col + cell.colspan).copied().unwrap_or(count);
            cell.col = start;
            cell.colspan = end - start;
            cell.colspan > 0
        });
    }
}
