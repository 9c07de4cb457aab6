//! Reconciliations printed across: the measures head the columns ("Operating profit", "Profit
//! per share") and each row names a period and a basis ("Three months ended March 31, 2022 -
//! U.S. GAAP", "... - Adjusted") or is an adjustment between them ("Restructuring costs").
//!
//! Such a grid is turned the usual way round before it is read: periods across the columns,
//! one section per measure holding its GAAP row, the adjustments and its non-GAAP row, which
//! the row-by-row reconciliation reading then takes as it does any other. Cells keep their
//! text and spans, so every fact still points at its printed value.

use crate::parse::grid::{Cell, Row, Table};
use crate::parse::lexicon;
use crate::parse::model::{Basis, Span};
use crate::parse::periods::{self, HeaderFacts};

/// Where a row label's period words and basis words part ("..., 2022 - U.S. GAAP").
const SEPARATORS: [&str; 5] = [" - ", " \u{2013} ", " \u{2014} ", ": ", ", "];

/// A name heading one or more grid columns, joined from the header lines over them (a
/// measure here; an adjustment or a basis in `adjustment_columns`).
pub(super) struct ColumnName {
    pub name: String,
    pub cols: std::ops::Range<usize>,
    pub span: Span,
}

/// A measure heading one or more grid columns.
type Measure = ColumnName;

/// A row label read as a period and a basis.
struct PeriodRow<'a> {
    period: &'a str,
    basis_words: &'a str,
    basis: Basis,
}

/// The grid turned the usual way round, when `table` is a reconciliation printed across.
pub fn untranspose(table: &Table) -> Option<Table> {
    // the header lines: every row above the first that names a period and a basis
    let first = table.rows.iter().position(|r| period_row(label(r)).is_some())?;
    let (head, body) = table.rows.split_at(first);
    let measures = measures(head)?;
    let labels: Vec<&str> = body.iter().map(label).collect();
    let read: Vec<Option<PeriodRow<'_>>> = labels.iter().map(|l| period_row(l)).collect();
    let has = |b: Basis| read.iter().flatten().any(|p| p.basis == b);
    if !has(Basis::Gaap) || !has(Basis::NonGaap) || !body.iter().all(|r| !label(r).is_empty()) {
        return None;
    }
    // periods in the order their rows come, each named once and headed by its GAAP row's
    // label (period and basis words: the columns are GAAP, the rows name their own basis)
    let mut periods: Vec<(&str, &str, Span)> = Vec::new();
    for (row, p) in body.iter().zip(&read) {
        let Some(p) = p else { continue };
        match periods.iter_mut().find(|(text, _, _)| same(text, p.period)) {
            Some(known) if p.basis == Basis::Gaap && !same(known.0, known.1) => {}
            Some(known) if p.basis == Basis::Gaap => {
                (known.1, known.2) = (label(row), label_span(row));
            }
            Some(_) => {}
            None if p.basis == Basis::Gaap => periods.push((p.period, label(row), label_span(row))),
            None => periods.push((p.period, p.period, label_span(row))),
        }
    }
    // each row's period: its own, else (an adjustment) that of the GAAP row above it
    let mut current: Option<usize> = None;
    let mut row_period: Vec<Option<usize>> = Vec::new();
    for p in &read {
        if let Some(p) = p {
            current = periods.iter().position(|(text, _, _)| same(text, p.period));
        }
        row_period.push(current);
    }
    if row_period.iter().any(Option::is_none) {
        return None;
    }
    let header = Row {
        cells: caption(head)
            .into_iter()
            .chain(periods.iter().enumerate().map(|(k, (_, text, span))| Cell {
                text: (*text).to_owned(),
                span: *span,
                col: k + 1,
                colspan: 1,
            }))
            .collect(),
        span: [head[0].span[0], head[head.len() - 1].span[1]],
    };
    let mut rows = vec![header];
    for measure in &measures {
        rows.push(heading_row(measure));
        // one row per line of the reconciliation, in the order first printed: the GAAP row,
        // the adjustments by their labels, the non-GAAP row
        let mut lines: Vec<(String, Row)> = Vec::new();
        for (r, row) in body.iter().enumerate() {
            let text = match &read[r] {
                Some(p) => measure_label(&measure.name, p),
                None => labels[r].to_owned(),
            };
            let Some(cell) = value_cell(row, &measure.cols, row_period[r].map_or(1, |k| k + 1))
            else {
                continue;
            };
            let at = match lines.iter().position(|(t, _)| same(t, &text)) {
                Some(at) => at,
                None => {
                    let label_cell =
                        Cell { text: text.clone(), span: label_span(row), col: 0, colspan: 1 };
                    lines.push((text, Row { cells: vec![label_cell], span: row.span }));
                    lines.len() - 1
                }
            };
            let line = &mut lines[at].1;
            line.span = [line.span[0].min(row.span[0]), line.span[1].max(row.span[1])];
            line.cells.push(cell);
        }
        rows.extend(lines.into_iter().map(|(_, mut row)| {
            row.cells.sort_by_key(|c| c.col);
            row
        }));
    }
    Some(Table { rows, span: table.span })
}

/// The measures over the value columns: two or more, none naming a period or a basis.
fn measures(head: &[Row]) -> Option<Vec<Measure>> {
    let measures = column_names(head)?;
    let plain = measures.iter().all(|m| periods::read_header(&m.name).is_empty());
    (measures.len() >= 2 && plain).then_some(measures)
}

/// The names over the value columns: each header cell of the last line is one; a cell of a line
/// above over just one of them is part of its name ("Operating" over "Income", "Stock-based"
/// over "compensation"), one over several is no part of any.
pub(super) fn column_names(head: &[Row]) -> Option<Vec<ColumnName>> {
    let range = |c: &Cell| c.col..c.col + c.colspan.max(1);
    let overlaps =
        |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| a.start < b.end && b.start < a.end;
    let anchors = header_cells(head.last()?);
    let mut names: Vec<ColumnName> = anchors
        .iter()
        .map(|c| ColumnName { name: String::new(), cols: range(c), span: c.span })
        .collect();
    for row in head {
        for cell in header_cells(row) {
            let over: Vec<usize> =
                (0..names.len()).filter(|&m| overlaps(&names[m].cols, &range(cell))).collect();
            if let [m] = over.as_slice() {
                let named = &mut names[*m];
                if !named.name.is_empty() {
                    named.name.push(' ');
                }
                named.name.push_str(cell.text.trim());
                named.span = [named.span[0].min(cell.span[0]), named.span[1].max(cell.span[1])];
            }
        }
    }
    Some(names)
}

/// A header line's text over the value columns.
fn header_cells(row: &Row) -> Vec<&Cell> {
    row.cells.iter().filter(|c| c.col > 0 && !c.text.trim().is_empty()).collect()
}

/// The header lines' label column (a scale caption such as "(Dollars in millions)"), joined.
fn caption(head: &[Row]) -> Option<Cell> {
    let cells: Vec<&Cell> = head
        .iter()
        .filter_map(|r| r.cells.iter().find(|c| c.col == 0 && !c.text.trim().is_empty()))
        .collect();
    let (first, last) = (cells.first()?, cells.last()?);
    let text = cells.iter().map(|c| c.text.trim()).collect::<Vec<_>>().join(" ");
    Some(Cell { text, span: [first.span[0], last.span[1]], col: 0, colspan: 1 })
}

/// A label that names a whole period and one basis, with the words of each.
fn period_row(label: &str) -> Option<PeriodRow<'_>> {
    SEPARATORS.iter().find_map(|sep| {
        let (left, right) = label.rsplit_once(sep)?;
        let (period, basis_words) = if names_period(&periods::read_header(left)) {
            (left, right)
        } else {
            let (left, right) = label.split_once(sep)?;
            (right, left)
        };
        let period_facts = periods::read_header(period);
        let basis_facts = periods::read_header(basis_words);
        let basis = match basis_facts.bases.as_slice() {
            [b @ (Basis::Gaap | Basis::NonGaap)] => *b,
            _ => return None,
        };
        let only_basis = !names_period(&basis_facts) && basis_facts.years.is_empty();
        (names_period(&period_facts) && only_basis).then(|| PeriodRow {
            period: period.trim(),
            basis_words: basis_words.trim(),
            basis,
        })
    })
}

/// A duration with its year, or a dated day.
fn names_period(facts: &HeaderFacts) -> bool {
    let dated = facts.dates.iter().any(|d| d.year.is_some());
    dated || (facts.months.is_some() && !facts.years.is_empty())
}

/// The measure's own row: "Adjusted Operating profit" where the basis words read as a
/// qualifier in front, else "Operating profit - as reported".
fn measure_label(measure: &str, row: &PeriodRow<'_>) -> String {
    basis_label(row.basis_words, measure)
}

/// A measure named with its basis words: in front where they read as a qualifier ("GAAP
/// Operating income"), else after it ("Operating income - as reported").
pub(super) fn basis_label(words: &str, measure: &str) -> String {
    match lexicon::basis_qualifier(&lexicon::normalize(words)) {
        Some((_, "")) => format!("{words} {measure}"),
        _ => format!("{measure} - {words}"),
    }
}

/// A label-only row naming the measure, spanning where it is printed.
fn heading_row(measure: &Measure) -> Row {
    let span = measure.span;
    Row { cells: vec![Cell { text: measure.name.clone(), span, col: 0, colspan: 1 }], span }
}

/// The row's printed value in grid columns `cols` ("$", "1,855"; "13.7", "%") as one cell in
/// grid column `col`, if it prints one.
pub(super) fn value_cell(row: &Row, cols: &std::ops::Range<usize>, col: usize) -> Option<Cell> {
    let cells: Vec<&Cell> = row
        .cells
        .iter()
        .filter(|c| c.col > 0 && cols.contains(&c.col) && !c.text.trim().is_empty())
        .collect();
    let (first, last) = (cells.first()?, cells.last()?);
    // "13.7" and "%", "(12" and ")" read as one figure; "$" and "1,855" as printed apart
    let mut text = String::new();
    for c in &cells {
        let piece = c.text.trim();
        if !text.is_empty() && !matches!(piece, "%" | ")") {
            text.push(' ');
        }
        text.push_str(piece);
    }
    Some(Cell { text, span: [first.span[0], last.span[1]], col, colspan: 1 })
}

/// A row's label, without a currency sign that a long label pushed into it.
pub(super) fn label(row: &Row) -> &str {
    row.cells
        .iter()
        .find(|c| c.col == 0)
        .map_or("", |c| c.text.trim().trim_end_matches('$').trim_end())
}

pub(super) fn label_span(row: &Row) -> Span {
    row.cells.iter().find(|c| c.col == 0).map_or(row.span, |c| c.span)
}

/// Two labels or period texts printed alike, case and spacing aside.
pub(super) fn same(a: &str, b: &str) -> bool {
    lexicon::normalize(a) == lexicon::normalize(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::statements::tests::{grid, row, texts};

    #[test]
    fn measures_across_become_sections_with_periods_across() {
        let table = grid(vec![
            row(&[(0, 1, "(In millions)"), (1, 2, "Operating income"), (3, 2, "Net income")]),
            row(&[
                (0, 1, "Year ended June 30, 2021 - GAAP"),
                (1, 1, "$"),
                (2, 1, "500"),
                (4, 1, "300"),
            ]),
            row(&[(0, 1, "Severance"), (2, 1, "20"), (4, 1, "15")]),
            row(&[(0, 1, "Year ended June 30, 2021 - Adjusted"), (2, 1, "520"), (4, 1, "315")]),
            row(&[(0, 1, "Year ended June 30, 2020 - GAAP"), (2, 1, "450"), (4, 1, "280")]),
            row(&[(0, 1, "Severance"), (2, 1, "10"), (4, 1, "8")]),
            row(&[(0, 1, "Year ended June 30, 2020 - Adjusted"), (2, 1, "460"), (4, 1, "288")]),
        ]);
        let flipped = untranspose(&table).expect("a reconciliation printed across");
        let s = |v: &[(usize, &str)]| v.iter().map(|&(c, t)| (c, t.to_owned())).collect::<Vec<_>>();
        assert_eq!(
            texts(&flipped),
            vec![
                s(&[
                    (0, "(In millions)"),
                    (1, "Year ended June 30, 2021 - GAAP"),
                    (2, "Year ended June 30, 2020 - GAAP")
                ]),
                s(&[(0, "Operating income")]),
                s(&[(0, "GAAP Operating income"), (1, "$ 500"), (2, "450")]),
                s(&[(0, "Severance"), (1, "20"), (2, "10")]),
                s(&[(0, "Adjusted Operating income"), (1, "520"), (2, "460")]),
                s(&[(0, "Net income")]),
                s(&[(0, "GAAP Net income"), (1, "300"), (2, "280")]),
                s(&[(0, "Severance"), (1, "15"), (2, "8")]),
                s(&[(0, "Adjusted Net income"), (1, "315"), (2, "288")]),
            ]
        );
    }

    #[test]
    fn ordinary_tables_stay_as_they_are() {
        // periods head the columns: nothing to turn round
        let table = grid(vec![
            row(&[(1, 1, "Three months ended March 31, 2022"), (2, 1, "2021")]),
            row(&[(0, 1, "Net income - GAAP"), (1, 1, "10"), (2, 1, "9")]),
            row(&[(0, 1, "Net income - Adjusted"), (1, 1, "12"), (2, 1, "11")]),
        ]);
        assert!(untranspose(&table).is_none());
        // measures across but rows that name no period and basis
        let table = grid(vec![
            row(&[(1, 1, "Revenue"), (2, 1, "Operating income")]),
            row(&[(0, 1, "Americas"), (1, 1, "10"), (2, 1, "3")]),
            row(&[(0, 1, "Europe"), (1, 1, "8"), (2, 1, "2")]),
        ]);
        assert!(untranspose(&table).is_none());
    }
}
