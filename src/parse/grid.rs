//! The intermediate form every layout reader produces: text blocks and table grids with spans.
//!
//! `html` and `text` turn a document part into a [`Layout`]; `statements` reads statements
//! from it without knowing where the grid came from.

use super::model::Span;

/// A document part read into narrative text and tables, in document order.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub blocks: Vec<Block>,
}

/// Narrative text or a table.
#[derive(Debug, Clone)]
pub enum Block {
    /// One line or paragraph of running text (headings and captions included), whitespace
    /// collapsed, entities decoded.
    Text(TextLine),
    /// A table grid.
    Table(Table),
}

/// A line of text with where it sits in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub text: String,
    pub span: Span,
}

/// A table as rows of cells. Cells are in left-to-right order; `col` places them on a common
/// grid so that values line up with headers across rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    pub span: Span,
}

/// One printed row.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub span: Span,
}

/// One cell: its text (whitespace collapsed, entities decoded, `<br>` as a space) and its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// Bytes of the cell's text in the input (best effort for HTML: the printed text found
    /// inside the cell's markup).
    pub span: Span,
    /// First grid column the cell covers.
    pub col: usize,
    /// Number of grid columns it covers (HTML `colspan`; 1 for text).
    pub colspan: usize,
}
