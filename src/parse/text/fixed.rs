//! Fixed-width cells: reading back a line whose cells a too-wide cell pushed out of place.
//!
//! Text writers that pad every cell to one width print a label left-aligned in its cell and each
//! value right-aligned in the next ones, one after another. A cell wider than its width is
//! printed whole and pushes everything after it right by its excess: a long label moves the
//! whole row, a long header the headers after it. Such a line is read by replaying the push:
//! each piece of text ends at its column's right edge once moved back by the push so far, or is
//! itself too wide, starting where its cell starts and ending past the edge.

use super::columns::{Columns, EDGE_SLACK};

/// A piece of a line's text over the value columns: display columns `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub start: usize,
    pub end: usize,
    /// One space parts it from the piece before: the two may be one cell (several rows'
    /// numbers merged) or two cells, the first of which filled its width.
    pub spaced: bool,
}

/// Most pieces a line may have to be read as pushed cells.
const MAX_PIECES: usize = 64;
/// Most cells looked at while reading one line (a cell boundary can be read two ways).
const MAX_TRIES: usize = 512;
/// Most value columns a table may have for its lines to be read as fixed-width cells.
const MAX_COLUMNS: usize = 32;

/// A line's pieces read as fixed-width cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PushedReading {
    /// The value column of each piece.
    pub cols: Vec<usize>,
    /// A push is what puts some piece in its place (without one, the line is as well read by
    /// where its pieces sit).
    pub pushed: bool,
    /// How far, in all, the cells that fit their column end from its edge.
    pub misfit: usize,
}

/// The pieces read as fixed-width cells pushed right by `shift` to begin with. `None` when
/// they cannot be read that way: each cell ends on its column's edge or starts where its cell
/// starts, columns left to right.
pub(super) fn pushed_columns(
    columns: &Columns,
    pieces: &[Piece],
    shift: usize,
) -> Option<PushedReading> {
    if pieces.len() > MAX_PIECES || columns.edges.len() > MAX_COLUMNS {
        return None;
    }
    let mut cols = Vec::with_capacity(pieces.len());
    let mut tries = MAX_TRIES;
    let start = Reading { first: 0, shift, last_col: None, pushed: false, misfit: 0 };
    let end = read_cells(columns, pieces, start, &mut cols, &mut tries)?;
    Some(PushedReading { cols, pushed: end.pushed, misfit: end.misfit })
}

/// Where a reading of a line's pieces stands.
#[derive(Clone, Copy)]
struct Reading {
    /// First piece not yet in a cell.
    first: usize,
    shift: usize,
    last_col: Option<usize>,
    pushed: bool,
    misfit: usize,
}

/// Read the pieces from `at.first` on into cells, pushing each cell's column once per piece
/// onto `out`. A run of single-spaced pieces is one cell (merged numbers) unless some of them
/// make a whole cell and the next starts right where that cell's column ends (a cell that
/// filled or overflowed its width, then the next one); both readings of such a place are
/// tried, the split first.
fn read_cells(
    columns: &Columns,
    pieces: &[Piece],
    at: Reading,
    out: &mut Vec<usize>,
    tries: &mut usize,
) -> Option<Reading> {
    if at.first >= pieces.len() {
        return Some(at);
    }
    let start = pieces.get(at.first)?.start;
    let mut last = at.first;
    loop {
        // Every cell looked at counts, so that a line costs a bounded amount of work.
        *tries = tries.checked_sub(1)?;
        let next = pieces.get(last + 1).filter(|p| p.spaced);
        let end = pieces.get(last)?.end;
        let read = cell(columns, start, end, at.shift);
        // The next piece starts where this cell's column ends (once pushed): a new cell.
        let boundary = next.is_some_and(|next| {
            read.is_some_and(|(col, shift, _, _)| {
                let edge = columns.edges.get(col);
                next.start.checked_sub(shift).zip(edge).is_some_and(|(s, &e)| s.abs_diff(e) <= 1)
            })
        });
        if next.is_none() || boundary {
            if let Some((col, shift, pushed, misfit)) = read
                && at.last_col.is_none_or(|c| c < col)
            {
                let mark = out.len();
                out.extend(std::iter::repeat_n(col, last + 1 - at.first));
                // A cell too wide for its column, with more after it, is a push too.
                let overflowed = shift != at.shift && last + 1 < pieces.len();
                let rest = Reading {
                    first: last + 1,
                    shift,
                    last_col: Some(col),
                    pushed: at.pushed || pushed || overflowed,
                    misfit: at.misfit + misfit,
                };
                if let Some(end) = read_cells(columns, pieces, rest, out, tries) {
                    return Some(end);
                }
                out.truncate(mark);
            }
            next?;
        }
        last += 1;
    }
}

/// The column of a cell printed over `[raw_start, raw_end)` after a push of `shift`, the push
/// after it, whether the push is what puts it there, and how far it ends from the edge.
fn cell(
    columns: &Columns,
    raw_start: usize,
    raw_end: usize,
    shift: usize,
) -> Option<(usize, usize, bool, usize)> {
    let (start, end) = (raw_start.checked_sub(shift)?, raw_end.checked_sub(shift)?);
    // Right-aligned in its cell: it ends on the column's edge and starts inside the cell.
    if let Some(col) = columns.edge_at(end)
        && slot_start(columns, col).is_none_or(|s| start + EDGE_SLACK >= s)
    {
        let pushed = shift > EDGE_SLACK && columns.edge_at(raw_end).is_none();
        let misfit = columns.edges.get(col).map_or(0, |e| e.abs_diff(end));
        return Some((col, shift, pushed, misfit));
    }
    // Too wide: it starts right where its cell starts (no padding is left) and ends past the
    // column's edge (maybe past the next ones too), pushing what follows by the excess.
    let col = (0..columns.edges.len()).find(|&k| slot_start(columns, k) == Some(start))?;
    let edge = *columns.edges.get(col)?;
    let excess = end.checked_sub(edge).filter(|&e| e > 0)?;
    Some((col, shift + excess, shift > EDGE_SLACK, 0))
}

/// Where column `k`'s cell starts: one cell width (the distance to the nearer neighbouring
/// edge) left of its right edge.
pub(super) fn slot_start(columns: &Columns, k: usize) -> Option<usize> {
    let edges = &columns.edges;
    let edge = *edges.get(k)?;
    let next = edges.get(k + 1).map(|e| e.abs_diff(edge));
    let previous = k.checked_sub(1).and_then(|p| edges.get(p)).map(|e| e.abs_diff(edge));
    let width = match (previous, next) {
        (Some(p), Some(n)) => p.min(n),
        (p, n) => p.or(n)?,
    };
    edge.checked_sub(width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::text::columns::{Extent, cluster};

    /// Value columns with the given right edges, each value six columns wide.
    fn columns_ending_at(edges: &[usize]) -> Columns {
        let tokens: Vec<Extent> =
            edges.iter().map(|&e| Extent { line: 0, start: e - 6, end: e }).collect();
        cluster(&tokens, &tokens)
    }

    fn chunk(start: usize, end: usize) -> Piece {
        Piece { start, end, spaced: false }
    }

    #[test]
    fn a_header_too_wide_for_its_cell_pushes_the_next_one_right() {
        // 17-wide cells ending at 79, 96 and 113: `Three months US GAAP Ad Results` fills
        // 62..93 and pushes `justments` (its cell 79..96) to 101..110.
        let columns = columns_ending_at(&[79, 96, 113]);
        let pieces = [chunk(62, 93), chunk(101, 110)];
        let read = pushed_columns(&columns, &pieces, 0).unwrap();
        assert_eq!((read.cols, read.pushed), (vec![0, 1], true));
        let in_place = [chunk(62, 80), chunk(80, 97)];
        let read = pushed_columns(&columns, &in_place, 0).unwrap();
        assert_eq!((read.cols, read.pushed, read.misfit), (vec![0, 1], false, 2));
    }

    #[test]
    fn centred_headers_over_two_columns_are_not_pushed_cells() {
        // `THREE MONTHS ENDED` centred over the columns ending at 39 and 51.
        let columns = columns_ending_at(&[39, 51, 66, 78]);
        assert_eq!(pushed_columns(&columns, &[chunk(31, 49), chunk(60, 76)], 0), None);
    }

    #[test]
    fn a_header_wider_than_its_cell_is_not_read_as_the_next_column() {
        // 14-wide cells ending at 64, 78 and 92: a header filling 50..79 ends near column 1's
        // edge, but it starts in column 0's cell, so it overflowed it.
        let columns = columns_ending_at(&[64, 78, 92]);
        let pieces = [chunk(50, 79), chunk(82, 93)];
        let read = pushed_columns(&columns, &pieces, 0).unwrap();
        assert_eq!((read.cols, read.pushed), (vec![0, 1], true));
    }

    #[test]
    fn after_a_cell_too_wide_for_its_column_one_space_may_start_the_next() {
        // The label ends at 146 instead of 50: cell 0 holds five merged numbers (32 wide,
        // overflowing), cell 1 three (13 wide, one space of padding), cell 2 four glued to it.
        let columns = columns_ending_at(&[64, 78, 92]);
        let spaced = |start, end| Piece { start, end, spaced: true };
        let pieces = [
            chunk(146, 151),
            spaced(152, 158),
            spaced(159, 165),
            spaced(166, 172),
            spaced(173, 178),
            spaced(179, 182),
            spaced(183, 186),
            spaced(187, 192),
            chunk(192, 198),
            spaced(199, 205),
            spaced(206, 212),
            spaced(213, 218),
        ];
        let read = pushed_columns(&columns, &pieces, 96).unwrap();
        assert_eq!(read.cols, [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    }

    #[test]
    fn a_long_label_pushes_the_whole_row() {
        // 14-wide cells ending at 64, 78 and 92; the label ends at 53 instead of 50. Cell 1
        // `(4,632) (130) 381` is too wide; cell 2 `430 ` ends on its edge with a space, so
        // cell 3 starts one space after it.
        let columns = columns_ending_at(&[64, 78, 92]);
        let pieces = [
            chunk(53, 60),
            Piece { start: 61, end: 66, spaced: true },
            Piece { start: 67, end: 70, spaced: true },
            Piece { start: 80, end: 83, spaced: false },
            Piece { start: 84, end: 91, spaced: true },
            Piece { start: 92, end: 97, spaced: true },
            Piece { start: 98, end: 101, spaced: true },
        ];
        let read = pushed_columns(&columns, &pieces, 3).unwrap();
        assert_eq!(read.cols, [0, 0, 0, 1, 2, 2, 2]);
        assert!(read.pushed);
    }
}
