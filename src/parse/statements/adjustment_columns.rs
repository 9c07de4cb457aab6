//! Reconciliations with one column per adjustment: `GAAP | Stock-based compensation |
//! Amortization of intangibles | Restructuring | Non-GAAP`, a measure per row.
//!
//! A fact holds one value per line item, period and basis, and such a grid has several
//! adjustments of one line in one period. So it is turned into the row-by-row form before it
//! is read: each measure becomes a section holding its GAAP row, one row per adjustment (named
//! by its column's header) and its non-GAAP row, with one value column per period. The
//! row-by-row reading then assigns the bases and bridges the rows as it does for any other
//! reconciliation. Cells keep their text and spans.

use crate::parse::grid::{Cell, Row, Table};
use crate::parse::model::Basis;
use crate::parse::periods;

use super::names_a_comparison;
use super::transposed::{
    ColumnName, basis_label, column_names, label, label_span, same, value_cell,
};

/// Columns headed by one header cell of the last header line.
struct Group {
    header: String,
    cols: std::ops::Range<usize>,
    kind: GroupKind,
    /// The header names no basis: an adjustment named by what it excludes.
    names_item: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    Gaap,
    /// Names an adjustment (no basis or the adjustment basis, no period).
    Adjustment,
    NonGaap,
}

/// One period's run of groups: GAAP, its adjustments, non-GAAP.
struct Block<'g> {
    gaap: &'g Group,
    adjustments: Vec<&'g Group>,
    non_gaap: &'g Group,
    /// The header over the whole run (its period), if a line above prints one.
    period: Option<&'g Cell>,
}

/// The grid turned into row-by-row sections, when `table` has a GAAP column, one or more
/// columns named by adjustments (at least one naming no basis) and a non-GAAP column.
pub fn adjustments_down(table: &Table) -> Option<Table> {
    let first = table.rows.iter().position(has_figures)?;
    let (head, body) = table.rows.split_at(first);
    let groups = groups(head)?;
    let blocks = blocks(&groups, head)?;
    let mut header_cells: Vec<Cell> = head
        .iter()
        .filter_map(|r| r.cells.iter().find(|c| c.col == 0 && !c.text.trim().is_empty()))
        .take(1)
        .cloned()
        .collect();
    for (k, block) in blocks.iter().enumerate() {
        if let Some(p) = block.period {
            header_cells.push(Cell { text: p.text.clone(), span: p.span, col: k + 1, colspan: 1 });
        }
    }
    let head_span = [head[0].span[0], head[head.len() - 1].span[1]];
    let mut rows = vec![Row { cells: header_cells, span: head_span }];
    for row in body {
        let measure = label(row);
        if measure.is_empty() {
            continue;
        }
        let measure_span = label_span(row);
        rows.push(Row {
            cells: vec![Cell { text: measure.to_owned(), span: measure_span, col: 0, colspan: 1 }],
            span: measure_span,
        });
        let first_block = &blocks[0];
        let mut lines: Vec<(String, Vec<(usize, &Group)>)> = Vec::new();
        lines.push((basis_label(&first_block.gaap.header, measure), Vec::new()));
        for (k, block) in blocks.iter().enumerate() {
            lines[0].1.push((k, block.gaap));
        }
        // adjustments by their headers, in the order the first period prints them
        for (k, block) in blocks.iter().enumerate() {
            for adj in &block.adjustments {
                match lines.iter_mut().skip(1).find(|(t, _)| same(t, &adj.header)) {
                    Some(line) => line.1.push((k, adj)),
                    None => lines.push((adj.header.clone(), vec![(k, adj)])),
                }
            }
        }
        lines.push((basis_label(&first_block.non_gaap.header, measure), Vec::new()));
        let last = lines.len() - 1;
        for (k, block) in blocks.iter().enumerate() {
            lines[last].1.push((k, block.non_gaap));
        }
        // each line's value in each period it is printed for: grid column = block + 1
        for (text, groups) in lines {
            let mut cells = vec![Cell { text, span: measure_span, col: 0, colspan: 1 }];
            for (k, group) in groups {
                if let Some(cell) = value_cell(row, &group.cols, k + 1) {
                    cells.push(cell);
                }
            }
            if cells.len() > 1 {
                rows.push(Row { cells, span: row.span });
            }
        }
    }
    Some(Table { rows, span: table.span })
}

/// A row printing figures after a label: where the header lines end.
fn has_figures(row: &Row) -> bool {
    !label(row).is_empty()
        && row.cells.iter().any(|c| c.col > 0 && c.text.chars().any(|ch| ch.is_ascii_digit()))
}

/// The groups of the last header line, each named from the header lines down (see
/// [`column_names`]) and classified; `None` unless every name is a basis or an adjustment's.
fn groups(head: &[Row]) -> Option<Vec<Group>> {
    let mut out = Vec::new();
    for ColumnName { name: header, cols, .. } in column_names(head)? {
        let facts = periods::read_header(&header);
        if facts.months.is_some() || !facts.dates.is_empty() || !facts.years.is_empty() {
            return None;
        }
        let kind = match facts.bases.as_slice() {
            [Basis::Gaap] => GroupKind::Gaap,
            [Basis::NonGaap] => GroupKind::NonGaap,
            [] | [Basis::Adjustment] => GroupKind::Adjustment,
            _ => return None,
        };
        // a column comparing or dividing others ("% of revenue", "Change") is no adjustment
        if kind == GroupKind::Adjustment && (header.contains('%') || names_a_comparison(&header)) {
            return None;
        }
        let names_item = facts.bases.is_empty();
        out.push(Group { header, cols, kind, names_item });
    }
    Some(out)
}

/// The groups as runs of GAAP, adjustments, non-GAAP, covering every group; at least one
/// adjustment of each run names no basis (a lone "Adjustments" column is the usual
/// three-column layout, read as it is).
fn blocks<'g>(groups: &'g [Group], head: &'g [Row]) -> Option<Vec<Block<'g>>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < groups.len() {
        let gaap = groups.get(at).filter(|g| g.kind == GroupKind::Gaap)?;
        let end = at + 1 + groups[at + 1..].iter().position(|g| g.kind != GroupKind::Adjustment)?;
        let non_gaap = groups.get(end).filter(|g| g.kind == GroupKind::NonGaap)?;
        let adjustments: Vec<&Group> = groups[at + 1..end].iter().collect();
        if !adjustments.iter().any(|g| g.names_item) {
            return None;
        }
        let cols = gaap.cols.start..non_gaap.cols.end;
        let period = head[..head.len() - 1].iter().rev().find_map(|r| {
            r.cells.iter().find(|c| {
                c.col > 0
                    && !c.text.trim().is_empty()
                    && c.col <= cols.start
                    && c.col + c.colspan.max(1) >= cols.end
            })
        });
        out.push(Block { gaap, adjustments, non_gaap, period });
        at = end + 1;
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::statements::tests::{grid, row, texts};

    fn owned(v: &[(usize, &str)]) -> Vec<(usize, String)> {
        v.iter().map(|&(c, t)| (c, t.to_owned())).collect()
    }

    #[test]
    fn each_adjustment_column_becomes_a_row_of_its_measure() {
        let table = grid(vec![
            row(&[(2, 1, "Stock-based"), (3, 1, "Legal")]),
            row(&[
                (1, 1, "GAAP"),
                (2, 1, "compensation"),
                (3, 1, "settlement"),
                (4, 1, "Non-GAAP"),
            ]),
            row(&[
                (0, 1, "Operating income"),
                (1, 1, "100"),
                (2, 1, "7"),
                (3, 1, "3"),
                (4, 1, "110"),
            ]),
            row(&[(0, 1, "Net income"), (1, 1, "80"), (2, 1, "5"), (3, 1, "-"), (4, 1, "85")]),
        ]);
        let down = adjustments_down(&table).expect("a column per adjustment");
        assert_eq!(
            texts(&down),
            vec![
                owned(&[]),
                owned(&[(0, "Operating income")]),
                owned(&[(0, "GAAP Operating income"), (1, "100")]),
                owned(&[(0, "Stock-based compensation"), (1, "7")]),
                owned(&[(0, "Legal settlement"), (1, "3")]),
                owned(&[(0, "Non-GAAP Operating income"), (1, "110")]),
                owned(&[(0, "Net income")]),
                owned(&[(0, "GAAP Net income"), (1, "80")]),
                owned(&[(0, "Stock-based compensation"), (1, "5")]),
                owned(&[(0, "Legal settlement"), (1, "-")]),
                owned(&[(0, "Non-GAAP Net income"), (1, "85")]),
            ]
        );
    }

    #[test]
    fn other_layouts_stay_as_they_are() {
        // the usual three columns: one "Adjustments" column
        let three = grid(vec![
            row(&[(1, 1, "GAAP"), (2, 1, "Adjustments"), (3, 1, "Non-GAAP")]),
            row(&[(0, 1, "Net income"), (1, 1, "80"), (2, 1, "5"), (3, 1, "85")]),
        ]);
        assert!(adjustments_down(&three).is_none());
        // a percentage column between the bases
        let ratio = grid(vec![
            row(&[(1, 1, "GAAP"), (2, 1, "% of revenue"), (3, 1, "Non-GAAP")]),
            row(&[(0, 1, "Net income"), (1, 1, "80"), (2, 1, "8%"), (3, 1, "85")]),
        ]);
        assert!(adjustments_down(&ratio).is_none());
        // periods across
        let periods = grid(vec![
            row(&[(1, 1, "2024"), (2, 1, "2023")]),
            row(&[(0, 1, "Net income"), (1, 1, "80"), (2, 1, "70")]),
        ]);
        assert!(adjustments_down(&periods).is_none());
    }
}
