//! Stage 3 for plain-text parts: lines to a [`Layout`] of narrative text and table grids.
//!
//! Three layouts are read, all in one linear pass over the lines:
//! - **PDF-extracted text** with a tab between columns: one printed line is one row, cells are
//!   split at tabs (`col` = tab index, cell 0 the label), empty cells between tabs are kept, and a
//!   cell keeps several numbers or labels as printed (the statement stage splits merged rows).
//!   The same text with spaces instead of tabs reads into the same rows (blank cells absent):
//!   numbers one space apart in one column stay one cell; cells a too-long label or value pushed
//!   out of line (fixed-width output) or glued to the one before are read back to their columns;
//!   cells that do not line up at all are read in order.
//! - **Old EDGAR text**: `<TABLE>` blocks (`<CAPTION>`, `<S>`/`<C>` column tags, `<PAGE>`,
//!   `<FN>` footnotes) and untagged space-aligned tables; dot leaders, a `$` set apart from its
//!   number, labels wrapped onto the line that carries the values.
//! - **Converted text** (HTML-to-text): wide space padding, `$` and `)` as separate tokens.
//!
//! Conventions the statement stage can rely on:
//! - Blocks are in document order. A table region's column-header lines (periods, bases, years
//!   printed above the values) are rows of its table; title lines above them and captions (a
//!   whole line in parentheses, or one stating the scale such as `(In thousands, except per
//!   share data)`) are [`Block::Text`] lines right before the table. A caption printed between
//!   header lines is lifted out the same way; a caption fragment sharing a line with values
//!   stays in that row's label cell.
//! - Aligned columns: `col` 0 is the label; value columns are numbered 1.. left to right, found
//!   from the `<C>` tags when present, else from where the values sit (values one space apart
//!   count as one, unless other lines show them in two columns). Header chunks are placed by
//!   position, with `colspan` over every column whose values they cover; a header beside its
//!   label (`Assets      June 30, 2003   December 31, 2002`) is a row of the table.
//! - Only tabbed rows keep empty cells; aligned rows have cells only where text is printed.
//! - Rules (`----`, `====`) and layout tags are dropped; `<FN>` footnotes follow the table as
//!   text. One region printing several tables one under the other (a header line after rows of
//!   values) is read as several tables.
//! - Running text is one [`Block::Text`] per paragraph: hard-wrapped prose lines are joined,
//!   columnar lines (three or more spaces or a tab between words) and captions stay lines.
//! - Cell and line texts are trimmed with whitespace collapsed; spans are byte offsets into the
//!   input (`base` + offset in the part) covering the printed text.

mod aligned;
mod columns;
mod fixed;
mod headers;
mod lines;
mod regions;
mod table;
mod vocabulary;
mod words;

use std::fmt::Write as _;

use super::grid::{Block, Layout, TextLine};
use lines::{Kind, Line};

/// A prose line at least this wide was filled to the wrap width: the next line continues it.
const WRAPPED_WIDTH: usize = 55;

/// Read a plain-text part into text lines and table grids, in document order.
///
/// `base` is the part's byte offset in the whole input; every span is shifted by it.
pub fn read(text: &str, base: usize) -> Layout {
    let mut all = lines::split_lines(text);
    lines::classify(&mut all);
    let regions = regions::find(&all);
    let mut blocks = Vec::new();
    let mut next = 0;
    for region in &regions {
        running_text(&all, next, region.lines.start, base, &mut blocks);
        for &l in &region.lifted {
            running_text(&all, l, l + 1, base, &mut blocks);
        }
        blocks.extend(table::build(&all, region, base));
        for &l in &region.footnotes {
            running_text(&all, l, l + 1, base, &mut blocks);
        }
        next = region.lines.end;
    }
    running_text(&all, next, all.len(), base, &mut blocks);
    Layout { blocks }
}

/// Lines `[from, to)` as paragraphs of running text.
fn running_text(all: &[Line<'_>], from: usize, to: usize, base: usize, blocks: &mut Vec<Block>) {
    let mut paragraph: Option<(TextLine, &Line<'_>)> = None;
    for line in all.get(from..to).unwrap_or(&[]) {
        let prose = matches!(line.kind, Kind::Text | Kind::Row);
        if !prose {
            if let Some((p, _)) = paragraph.take() {
                blocks.push(Block::Text(p));
            }
            continue;
        }
        let offset = base + line.start;
        let lead = line.text.len() - line.text.trim_start().len();
        let trimmed = line.text.trim();
        let span = [offset + lead, offset + lead + trimmed.len()];
        match &mut paragraph {
            Some((p, previous)) if continues(previous, line) => {
                table::collapse_into(&mut p.text, trimmed);
                p.span[1] = span[1];
                *previous = line;
            }
            _ => {
                if let Some((p, _)) = paragraph.take() {
                    blocks.push(Block::Text(p));
                }
                paragraph = Some((TextLine { text: table::collapse(trimmed), span }, line));
            }
        }
    }
    if let Some((p, _)) = paragraph {
        blocks.push(Block::Text(p));
    }
}

/// Whether `line` continues the prose paragraph ending with `previous`.
fn continues(previous: &Line<'_>, line: &Line<'_>) -> bool {
    let (p, l) = (&previous.facts, &line.facts);
    previous.kind == Kind::Text
        && line.kind == Kind::Text
        && p.width >= WRAPPED_WIDTH
        && !p.inner_gap
        && !l.inner_gap
        && !starts_item(line.text.trim_start())
        && !opens_caption(previous)
        && !opens_caption(line)
}

/// A caption line that starts with a parenthesis (the only kind long enough to look wrapped).
fn opens_caption(line: &Line<'_>) -> bool {
    line.text.trim_start().starts_with('(') && line.caption()
}

/// A line that opens a list item or a note: `- `, `* `, `(1)`, `(a)`.
fn starts_item(text: &str) -> bool {
    let mut chars = text.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('-' | '*' | '\u{2022}'), Some(' '), _) => true,
        (Some('('), Some(c), Some(')')) => c.is_alphanumeric(),
        _ => false,
    }
}

/// A readable dump of a layout for tests and debugging: `text: ...` lines, and each table as
/// `table:` followed by its rows as `col:text | col:text` (`col-last:text` when a cell spans).
pub fn dump(layout: &Layout) -> String {
    let mut out = String::new();
    for block in &layout.blocks {
        match block {
            Block::Text(line) => {
                let _ = writeln!(out, "text: {}", line.text);
            }
            Block::Table(table) => {
                out.push_str("table:\n");
                for row in &table.rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| {
                            if c.colspan > 1 {
                                format!("{}-{}:{}", c.col, c.col + c.colspan - 1, c.text)
                            } else {
                                format!("{}:{}", c.col, c.text)
                            }
                        })
                        .collect();
                    let _ = writeln!(out, "  {}", cells.join(" | "));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
