//! Table grids to statement drafts: header rows to columns (period facts and basis), data
//! rows to line items with their printed values. Merged PDF rows are split back here; where
//! the split leaves a choice (which label a number belongs to), the choice is recorded as an
//! [`Ambiguity`] for `reconcile` to settle with accounting identities.

mod adjustment_columns;
mod caption;
mod columns;
mod row_basis;
mod rows;
pub mod segment;
mod transposed;

pub use adjustment_columns::adjustments_down;
pub use row_basis::coefficient as bridge_coefficient;
pub use transposed::untranspose;

use rust_decimal::Decimal;

use super::grid::{Row, Table, TextLine};
use super::lexicon;
use super::model::{Basis, Diagnostic, FactStatus, Period, Span, StatementKind, Unit};
use super::numbers::{self, CellScan};
use super::periods::{self, HeaderFacts};

pub use caption::{ScaleInfo, kind_of_title, scale_of};
pub use columns::ValueColumns;

/// A statement being built: columns, items and printed values, before reconciliation.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: StatementKind,
    pub title: String,
    pub scale: ScaleInfo,
    pub columns: Vec<DraftColumn>,
    pub items: Vec<Item>,
    pub ambiguities: Vec<Ambiguity>,
    pub span: Span,
    /// Header text that applies to every column (caption lines, spanning headers).
    pub shared_header: String,
}

/// One value column.
#[derive(Debug, Clone)]
pub struct DraftColumn {
    /// Grid column of the values.
    pub grid_col: usize,
    /// Header text over this column only.
    pub header: String,
    /// What the headers (own and shared) say about the period.
    pub facts: HeaderFacts,
    pub basis: Option<Basis>,
    /// Resolved period, once known.
    pub period: Option<Period>,
    /// How the period was found (for diagnostics).
    pub period_source: String,
}

/// One line item.
#[derive(Debug, Clone)]
pub struct Item {
    pub label: String,
    pub span: Span,
    pub concept: Option<String>,
    pub unit: Unit,
    pub section: Option<String>,
    pub is_total: bool,
    /// Not printed as a total, but its first word ("Net ...") may close the rows above it: a
    /// subtotal when a run of them adds up to it.
    pub may_close: bool,
    pub is_header: bool,
    /// One slot per column.
    pub values: Vec<Option<Value>>,
    /// The item was judged noise (a garbled or duplicated line) and yields no facts.
    pub dropped: bool,
    /// In a reconciliation printed row by row ("GAAP net loss", add-backs, "Non-GAAP net
    /// loss"), the basis comes from the row, not the column.
    pub basis: Option<Basis>,
}

/// A value in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// As printed, sign applied, no scale.
    pub printed: Decimal,
    pub as_printed: String,
    pub span: Span,
    pub percent: bool,
    pub status: FactStatus,
    pub formula: Option<String>,
}

/// Numbers in one cell of a merged row that could belong to several items.
#[derive(Debug, Clone)]
pub struct Ambiguity {
    pub column: usize,
    /// Candidate items, top to bottom.
    pub items: Vec<usize>,
    pub tokens: Vec<Value>,
    /// Each candidate gives, per item, the index of its token (or none). The first is the
    /// default reading.
    pub candidates: Vec<Vec<Option<usize>>>,
    /// Index of the candidate in force.
    pub chosen: usize,
}

impl Ambiguity {
    /// Put a candidate's values into the items.
    pub fn apply(&self, items: &mut [Item], candidate: usize) {
        let Some(mapping) = self.candidates.get(candidate) else {
            return;
        };
        for (slot, item_index) in mapping.iter().zip(&self.items) {
            if let Some(item) = items.get_mut(*item_index)
                && let Some(cell) = item.values.get_mut(self.column)
            {
                *cell = slot.and_then(|t| self.tokens.get(t).cloned());
            }
        }
    }
}

/// Text blocks seen before a table, nearest last.
pub struct TableContext<'a> {
    pub lines: &'a [&'a TextLine],
    /// The last scale caption printed above, in the same document part ("the nearest text
    /// above"), for tables whose own caption names none.
    pub fallback_scale: Option<&'a ScaleInfo>,
}

/// What a table inherits from the statement printed just before it (a continuation table
/// under the same title).
#[derive(Debug, Clone)]
pub struct Inherited {
    pub kind: StatementKind,
    pub title: String,
    pub scale: ScaleInfo,
    pub bases: Vec<Option<Basis>>,
}

/// Read one table into drafts (a grid that repeats its header rows holds several tables).
pub fn read_table(
    table: &Table,
    context: &TableContext<'_>,
    inherited: Option<&Inherited>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Draft> {
    let closed;
    let table = if has_split_figures(table) {
        closed = rejoin_split_figures(table);
        &closed
    } else {
        table
    };
    let scans: Vec<Vec<CellScan>> = table
        .rows
        .iter()
        .map(|row| row.cells.iter().map(|c| numbers::scan(&c.text)).collect())
        .collect();
    let Some(value_cols) = value_columns(table, &scans) else {
        return Vec::new();
    };
    if std::env::var_os("FILINGS_DEBUG").is_some() {
        eprintln!("VALUE COLS {value_cols:?}");
    }
    // each row's label normalized once: every data row is compared with the first
    let labels: Vec<String> = table.rows.iter().map(label_key).collect();
    let mut drafts = Vec::new();
    let mut header_rows: Vec<usize> = Vec::new();
    let mut data_rows: Vec<usize> = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let kind = rows::classify(row, &scans[r], &value_cols, data_rows.is_empty());
        match kind {
            rows::RowKind::Header if !data_rows.is_empty() => {
                drafts.extend(build(
                    table,
                    context,
                    &value_cols,
                    &header_rows,
                    &data_rows,
                    &scans,
                    drafts.last().map(inherit).as_ref().or(inherited),
                    diagnostics,
                ));
                header_rows = vec![r];
                data_rows.clear();
            }
            rows::RowKind::Header => header_rows.push(r),
            // the table's first line printed again after several lines: a second table whose
            // header was lost
            rows::RowKind::Data if restarts(table, &labels, &data_rows, r) => {
                drafts.extend(build(
                    table,
                    context,
                    &value_cols,
                    &header_rows,
                    &data_rows,
                    &scans,
                    drafts.last().map(inherit).as_ref().or(inherited),
                    diagnostics,
                ));
                header_rows.clear();
                data_rows = vec![r];
            }
            rows::RowKind::Data => data_rows.push(r),
            rows::RowKind::Empty => {}
        }
    }
    if !data_rows.is_empty() {
        let inherit_from = drafts.last().map(inherit);
        drafts.extend(build(
            table,
            context,
            &value_cols,
            &header_rows,
            &data_rows,
            &scans,
            inherit_from.as_ref().or(inherited),
            diagnostics,
        ));
    }
    drafts
}

/// A row's label (its cell in column 0), normalized.
fn label_key(row: &Row) -> String {
    row.cells
        .iter()
        .find(|c| c.col == 0)
        .map(|c| super::lexicon::normalize(&c.text))
        .unwrap_or_default()
}

/// Whether row `r` repeats the label of the first data row after at least three others
/// (`labels`: every row's [`label_key`]).
fn restarts(table: &Table, labels: &[String], data_rows: &[usize], r: usize) -> bool {
    let label = |i: usize| labels.get(i).map_or("", String::as_str);
    let Some(&first) = data_rows.first() else { return false };
    let first_label = label(first);
    let this = label(r);
    if data_rows.len() < 3 || this.len() < 4 {
        return false;
    }
    let printed = table
        .rows
        .get(r)
        .and_then(|row| row.cells.iter().find(|c| c.col == 0))
        .map(|c| c.text.trim_start())
        .unwrap_or_default();
    if segment::starts_as_continuation(printed) {
        return false;
    }
    // the first line may have been merged with the next ("Revenues Cost of revenues:")
    first_label == this || first_label.strip_prefix(this).is_some_and(|rest| rest.starts_with(' '))
}

/// A cell that only closes the figure before it: `)`, `%)`, `%`.
fn closes_a_figure(text: &str) -> bool {
    matches!(text.trim(), ")" | "%)" | "%")
}

fn has_split_figures(table: &Table) -> bool {
    table.rows.iter().any(|r| r.cells.iter().any(|c| closes_a_figure(&c.text)))
}

/// HTML tables often print a negative as `(239` in one cell and `)` in the next, and a
/// percentage as `61.2` and `%`: put the closing sign back with its number (a `%` left apart
/// read the percentage as an amount, scaled by the caption).
fn rejoin_split_figures(table: &Table) -> Table {
    let mut out = table.clone();
    for row in &mut out.rows {
        for i in 1..row.cells.len() {
            let closing = row.cells[i].text.trim();
            if !closes_a_figure(closing) {
                continue;
            }
            let prev = row.cells[i - 1].text.trim_end();
            let ends_in_figure =
                prev.chars().last().is_some_and(|c| c.is_ascii_digit() || c == '%');
            let open = prev.contains('(') && !prev.contains(')');
            let fits = if closing == "%" { !prev.contains('%') } else { open };
            if fits && ends_in_figure {
                let joined = format!("{prev}{closing}");
                row.cells[i - 1].text = joined;
                row.cells[i].text.clear();
            }
        }
    }
    out
}

/// What a following table takes over from this one.
pub fn inherit(draft: &Draft) -> Inherited {
    Inherited {
        kind: draft.kind,
        title: draft.title.clone(),
        scale: draft.scale.clone(),
        bases: draft.columns.iter().map(|c| c.basis).collect(),
    }
}

/// Grid columns that hold numbers in some row (the label column excluded).
fn value_columns(table: &Table, scans: &[Vec<CellScan>]) -> Option<ValueColumns> {
    let occupancy: Vec<Vec<usize>> = table
        .rows
        .iter()
        .zip(scans)
        .map(|(row, row_scans)| {
            row.cells
                .iter()
                .zip(row_scans)
                .filter(|(cell, scan)| {
                    cell.col != 0 && !scan.numbers.is_empty() && !scan.is_textual()
                })
                .filter(|(_, scan)| {
                    let all_years = scan.numbers.iter().all(|n| {
                        n.value.is_integer()
                            && !n.text.contains(',')
                            && !n.currency
                            && (1900..=2100).contains(&n.value.trunc().mantissa())
                    });
                    !all_years || rows::has_amount_elsewhere(row, row_scans)
                })
                .map(|(cell, _)| cell.col)
                .collect()
        })
        .collect();
    let headers: Vec<(usize, usize)> = table
        .rows
        .iter()
        .zip(scans)
        .zip(&occupancy)
        .filter(|(_, occupied)| occupied.is_empty())
        .flat_map(|((row, row_scans), _)| {
            row.cells
                .iter()
                .zip(row_scans)
                .filter(|(c, s)| c.col != 0 && !c.text.trim().is_empty() && !s.is_blank())
                .map(|(c, _)| (c.col, c.colspan))
        })
        .collect();
    ValueColumns::from_occupancy(&occupancy, &headers)
}

#[allow(clippy::too_many_arguments)]
fn build(
    table: &Table,
    context: &TableContext<'_>,
    value_cols: &ValueColumns,
    header_rows: &[usize],
    data_rows: &[usize],
    scans: &[Vec<CellScan>],
    inherited: Option<&Inherited>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Draft> {
    let rows: Vec<&Row> = data_rows.iter().filter_map(|&r| table.rows.get(r)).collect();
    let row_scans: Vec<&Vec<CellScan>> = data_rows.iter().filter_map(|&r| scans.get(r)).collect();
    // caption and title: context lines (only for the first draft of a table), then header text
    let first_draft =
        header_rows.first().is_none_or(|&h| data_rows.first().is_some_and(|&d| h < d))
            && inherited.is_none_or(|_| header_rows.first().copied().unwrap_or(0) == 0);
    let context_lines: Vec<&str> = if first_draft {
        context.lines.iter().map(|l| l.text.as_str()).collect()
    } else {
        Vec::new()
    };
    let (shared_header, col_headers, section) = rows::headers(table, header_rows, value_cols);
    if std::env::var_os("FILINGS_DEBUG").is_some() {
        eprintln!("HEADERS rows {header_rows:?} shared {shared_header:?} cols {col_headers:?}");
    }
    let title_at = context_lines.iter().rposition(|l| l.len() < 150 && kind_of_title(l).is_some());
    let title = title_at.map(|at| context_lines[at].to_owned());
    let mut kind = title.as_deref().and_then(kind_of_title);
    // the caption may also be printed inside the grid, above the first row of figures
    let grid_caption: Vec<&str> = table
        .rows
        .iter()
        .take_while(|r| {
            data_rows
                .first()
                .is_none_or(|&d| r.span[0] <= table.rows.get(d).map_or(0, |x| x.span[0]))
        })
        .flat_map(|r| r.cells.iter().map(|c| c.text.as_str()))
        .collect();
    let mut scale = context_lines
        .iter()
        .rev()
        .copied()
        .chain(std::iter::once(shared_header.as_str()))
        .chain(grid_caption)
        .find_map(scale_of);
    // a title printed as the grid's first row
    let title = title.or_else(|| {
        header_rows
            .iter()
            .filter_map(|&r| table.rows.get(r))
            .flat_map(|r| r.cells.iter())
            .map(|c| c.text.trim())
            .find(|t| t.len() < 150 && kind_of_title(t).is_some())
            .map(str::to_owned)
    });
    if kind.is_none() {
        kind = title.as_deref().and_then(kind_of_title);
    }
    let mut title = title.unwrap_or_default();
    // titled as a reconciliation by its own title, not one inherited from the table above
    let titled = kind == Some(StatementKind::NonGaapReconciliation);
    if let Some(inh) = inherited
        && kind.is_none()
    {
        kind = Some(inh.kind);
        title.clone_from(&inh.title);
        scale = scale.or(Some(inh.scale.clone()));
    }
    let scale = scale.or_else(|| context.fallback_scale.cloned()).unwrap_or(ScaleInfo {
        scale: Decimal::ONE,
        source: "default (no scale caption)".to_owned(),
        shares_scale: Decimal::ONE,
    });
    // header facts apply to columns: shared text from the context lines that name periods,
    // from the title down (a date above the title, such as the signature date of the auditor's
    // report on the page before, heads no column of this table)
    let period_context: Vec<&str> = context_lines[title_at.unwrap_or(0)..]
        .iter()
        .rev()
        .take(6)
        .copied()
        // headings, not sentences of the narrative
        .filter(|l| l.len() < 120 && !l.contains(". ") && !periods::read_header(l).is_empty())
        .collect();
    let mut shared = String::new();
    for line in period_context.iter().rev() {
        shared.push_str(line);
        shared.push(' ');
    }
    shared.push_str(&shared_header);
    let mut shared_facts = periods::read_header(&shared);
    // a title naming both bases ("Reconciliation of GAAP net income to non-GAAP net income")
    // says what the table reconciles, not the basis of each column: bases come from the rest
    if period_context
        .iter()
        .chain(std::iter::once(&shared_header.as_str()))
        .any(|l| kind_of_title(l).is_some() && !periods::read_bases(&l.to_lowercase()).is_empty())
    {
        let mut untitled = String::new();
        for line in period_context.iter().rev().chain(std::iter::once(&shared_header.as_str())) {
            if kind_of_title(line).is_none() {
                untitled.push_str(line);
                untitled.push(' ');
            }
        }
        shared_facts.bases = periods::read_bases(&untitled.to_lowercase());
    }
    let mut columns: Vec<DraftColumn> = (0..value_cols.len())
        .zip(col_headers)
        .map(|(grid_col, header)| {
            let own = periods::read_header(&header);
            DraftColumn {
                grid_col,
                facts: merge_facts(&own, &shared_facts, value_cols.len()),
                header,
                basis: None,
                period: None,
                period_source: String::new(),
            }
        })
        .collect();
    distribute_years(&mut columns, &shared_facts);
    let (mut items, ambiguities) =
        rows::items(&rows, &row_scans, value_cols, section, &scale, diagnostics);
    drop_ratio_columns(&mut columns, &mut items, diagnostics);
    if items.iter().all(|i| i.values.iter().all(Option::is_none)) {
        return None;
    }
    assign_bases(&mut columns, &shared_facts, &items, inherited);
    // columns of one basis holding GAAP, add-back and non-GAAP rows: the rows carry the basis
    let mut by_rows = false;
    if columns.iter().all(|c| c.basis == Some(Basis::Gaap)) && row_basis::assign(&mut items, titled)
    {
        by_rows = true;
        diagnostics.push(Diagnostic::info(
            "row_bases",
            "reconciliation printed row by row: GAAP row, adjustments, non-GAAP row",
            Some(table.span),
        ));
    }
    // a table untitled by kind whose rows go from GAAP to non-GAAP is a reconciliation
    let kind = kind.unwrap_or_else(|| {
        if by_rows { StatementKind::NonGaapReconciliation } else { kind_from_items(&items) }
    });
    // a table of no known kind is a financial table only if its rows read as financial lines:
    // lines that name a concept, or that break one down under a heading naming it
    // ("Operating income (loss):" over one line per segment)
    if kind == StatementKind::Other
        && items
            .iter()
            .filter(|i| {
                i.concept.is_some()
                    || (!i.is_header
                        && i.section.as_deref().is_some_and(|s| lexicon::lookup(s).is_some()))
            })
            .count()
            < 3
    {
        return None;
    }
    let span = [
        rows.first().map_or(table.span[0], |r| r.span[0]),
        rows.last().map_or(table.span[1], |r| r.span[1]),
    ];
    Some(Draft { kind, title, scale, columns, items, ambiguities, span, shared_header: shared })
}

/// Columns of percentages beside amounts ("% of revenues", "% change") and columns headed as
/// a change compare or divide other columns; they are not facts of a period.
fn drop_ratio_columns(
    columns: &mut Vec<DraftColumn>,
    items: &mut [Item],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut c = 0;
    while c < columns.len() {
        let values: Vec<&Value> = items
            .iter()
            .filter(|i| i.unit != Unit::Percent)
            .filter_map(|i| i.values.get(c).and_then(Option::as_ref))
            .collect();
        let percent = values.iter().filter(|v| v.percent).count();
        if names_a_comparison(&columns[c].header)
            || (!values.is_empty() && percent * 5 >= values.len() * 3)
        {
            diagnostics.push(Diagnostic::info(
                "ratio_column_skipped",
                format!(
                    "column headed `{}` holds percentages of other columns; not read as facts",
                    columns[c].header
                ),
                None,
            ));
            columns.remove(c);
            for item in items.iter_mut() {
                if c < item.values.len() {
                    item.values.remove(c);
                }
            }
        } else {
            c += 1;
        }
    }
}

/// Words of a column that compares others ("Change", "Increase (Decrease)", "Variance").
const COMPARISON_WORDS: [&str; 6] =
    ["change", "changes", "increase", "decrease", "variance", "difference"];

/// Whether a column's own header (after the last `||`: text taken from its left neighbour)
/// names a comparison of other columns rather than a period: a comparison word and no year
/// (a year with it is a period column whose header ran into its neighbour's, `March 29, 1996
/// Change` where a column of `NM` was merged into the 1996 one).
pub(super) fn names_a_comparison(header: &str) -> bool {
    let own = header.rsplit("||").next().unwrap_or_default();
    own.split(|c: char| !c.is_alphabetic())
        .any(|w| COMPARISON_WORDS.iter().any(|k| w.eq_ignore_ascii_case(k)))
        && {
            let facts = periods::read_header(own);
            facts.years.is_empty() && facts.dates.iter().all(|d| d.year.is_none())
        }
}

fn merge_facts(own: &HeaderFacts, shared: &HeaderFacts, ncols: usize) -> HeaderFacts {
    let mut facts = own.clone();
    facts.months = own.months.or(shared.months);
    facts.weeks = own.weeks.or(shared.weeks);
    if facts.dates.is_empty() {
        facts.dates.clone_from(&shared.dates);
        // "ended July 3, 2004 and June 28, 2003" over columns headed by year: each column
        // takes the date of its own year
        if let Some(&own_year) = own.years.first()
            && let Some(date) = shared.dates.iter().find(|d| d.year == Some(own_year))
        {
            facts.dates = vec![*date];
        }
        // a column's own year that contradicts the shared date leaves its day unknown: the
        // period is inferred or left unread, never made up
        if let Some(&own_year) = own.years.first()
            && facts.dates.first().is_some_and(|d| d.year.is_some_and(|y| y != own_year))
        {
            facts.dates.clear();
        }
    } else if let (Some(d), Some(s)) = (facts.dates.first_mut(), shared.dates.first())
        && d.year.is_none()
    {
        d.year = s.year;
    }
    // the same over one column's own lines ("13 Weeks Ended July 3, 2004 and June 28, 2003"
    // above "2004"): the date of the column's year
    if facts.dates.len() >= 2
        && let [own_year] = own.years[..]
        && let Some(date) = facts.dates.iter().find(|d| d.year == Some(own_year)).copied()
    {
        facts.dates = vec![date];
        facts.years.clear();
    }
    if facts.years.is_empty()
        && facts.dates.iter().all(|d| d.year.is_none())
        && shared.years.len() == 1
        // one year over several columns would give them all one period
        && (ncols == 1 || !shared.dates.is_empty())
    {
        facts.years.clone_from(&shared.years);
    }
    facts
}

/// "2004 2003" printed once over two columns: one year each, left to right.
fn distribute_years(columns: &mut [DraftColumn], shared: &HeaderFacts) {
    let without_year: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.facts.years.is_empty() && c.facts.dates.iter().all(|d| d.year.is_none()))
        .map(|(i, _)| i)
        .collect();
    if shared.years.len() >= 2 && shared.years.len() == without_year.len() {
        for (i, year) in without_year.into_iter().zip(&shared.years) {
            if let Some(c) = columns.get_mut(i) {
                c.facts.years = vec![*year];
            }
        }
    }
}

/// Bases from the headers; where they are garbled, from arithmetic between columns.
fn assign_bases(
    columns: &mut [DraftColumn],
    shared: &HeaderFacts,
    items: &[Item],
    inherited: Option<&Inherited>,
) {
    for c in columns.iter_mut() {
        // the column's own words: after the last `||` (text taken from its left neighbour)
        let header = c.header.to_lowercase();
        let own = periods::read_bases(header.rsplit("||").next().unwrap_or_default());
        if own.len() == 1 {
            c.basis = own.first().copied();
        }
    }
    if columns.iter().all(|c| c.basis.is_some()) {
        return;
    }
    // one header naming as many bases as there are columns names them left to right
    let listed = if shared.bases.len() == columns.len() {
        Some(shared.bases.clone())
    } else {
        columns
            .iter()
            .map(|c| periods::read_bases(&c.header.to_lowercase()))
            .find(|b| b.len() == columns.len())
    };
    if let Some(listed) = listed.filter(|_| columns.len() > 1) {
        for (c, b) in columns.iter_mut().zip(&listed) {
            c.basis = Some(*b);
        }
        return;
    }
    let named_any = !shared.bases.is_empty() || columns.iter().any(|c| c.basis.is_some());
    // with basis words somewhere, most lines adding up is enough; with none, nearly all must
    let (pass, total) = bridge_columns_add_up(items, columns.len());
    let adds_up = if named_any { pass * 2 > total } else { total >= 5 && pass * 5 >= total * 4 };
    if columns.len().is_multiple_of(3) && total > 0 && adds_up {
        for (i, c) in columns.iter_mut().enumerate() {
            c.basis = Some([Basis::Gaap, Basis::Adjustment, Basis::NonGaap][i % 3]);
        }
        return;
    }
    // a continuation table (no title of its own) repeats the bases of the one above
    if let Some(inh) = inherited
        && inh.bases.len() == columns.len()
    {
        for (c, b) in columns.iter_mut().zip(&inh.bases) {
            c.basis = c.basis.or(*b);
        }
    }
    for c in columns.iter_mut() {
        c.basis = c.basis.or(Some(Basis::Gaap));
    }
}

/// In groups of three columns: on how many lines the first plus the second gives the third,
/// out of how many lines that could show it.
fn bridge_columns_add_up(items: &[Item], ncols: usize) -> (usize, usize) {
    let (mut pass, mut total) = (0, 0);
    for item in items.iter().filter(|i| i.unit == Unit::Usd) {
        for g in (0..ncols).step_by(3) {
            let get = |k: usize| item.values.get(g + k).and_then(|v| v.as_ref()).map(|v| v.printed);
            match (get(0), get(1), get(2)) {
                (Some(a), Some(b), c) => {
                    total += 1;
                    if a + b == c.unwrap_or_default() {
                        pass += 1;
                    }
                }
                // a line with nothing to adjust carries its GAAP figure across
                (Some(a), None, Some(c)) => {
                    total += 1;
                    if a == c {
                        pass += 1;
                    }
                }
                _ => {}
            }
        }
    }
    (pass, total)
}

fn kind_from_items(items: &[Item]) -> StatementKind {
    let has = |key: &str| items.iter().any(|i| i.concept.as_deref() == Some(key));
    if has("total_assets") || has("total_liabilities_and_equity") || has("total_current_assets") {
        StatementKind::BalanceSheet
    } else if has("net_cash_from_operating_activities") || has("net_cash_from_investing_activities")
    {
        StatementKind::CashFlow
    } else if has("revenue") || has("net_income") || has("operating_income") || has("gross_profit")
    {
        StatementKind::IncomeStatement
    } else {
        StatementKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::grid::Cell;

    /// A row of cells given as (column, colspan, text); the reading of transposed grids
    /// builds its tables with it too.
    /// A grid of `rows`, spans aside.
    pub(super) fn grid(rows: Vec<Row>) -> Table {
        Table { rows, span: [0, 0] }
    }

    /// A grid's cells as (column, text), row by row.
    pub(super) fn texts(table: &Table) -> Vec<Vec<(usize, String)>> {
        table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.col, c.text.clone())).collect())
            .collect()
    }

    pub(super) fn row(cells: &[(usize, usize, &str)]) -> Row {
        Row {
            cells: cells
                .iter()
                .map(|&(col, colspan, text)| Cell {
                    text: text.to_owned(),
                    span: [0, 0],
                    col,
                    colspan,
                })
                .collect(),
            span: [0, 0],
        }
    }

    #[test]
    fn spanning_year_headers_and_ratio_columns_in_html_grids() {
        let table = Table {
            rows: vec![
                row(&[
                    (0, 1, ""),
                    (1, 9, "Three Months Ended May 31,"),
                    (10, 1, ""),
                    (11, 1, "% Increase"),
                ]),
                row(&[
                    (0, 1, ""),
                    (1, 2, "2014"),
                    (3, 1, ""),
                    (4, 1, "% of Revenues"),
                    (5, 1, ""),
                    (6, 2, "2013"),
                    (8, 1, ""),
                    (9, 1, "% of Revenues"),
                    (11, 1, "(Decrease) in US $"),
                ]),
                row(&[
                    (0, 1, "Revenues"),
                    (1, 1, "$"),
                    (2, 1, "3,769"),
                    (4, 1, "33%"),
                    (6, 1, "$"),
                    (7, 1, "3,769"),
                    (9, 1, "35%"),
                    (11, 1, "0%"),
                ]),
                row(&[
                    (0, 1, "Net income"),
                    (2, 1, "100"),
                    (4, 1, "3%"),
                    (7, 1, "90"),
                    (9, 1, "2%"),
                    (11, 1, "11%"),
                ]),
            ],
            span: [0, 0],
        };
        let mut diagnostics = Vec::new();
        let drafts = read_table(
            &table,
            &TableContext { lines: &[], fallback_scale: None },
            None,
            &mut diagnostics,
        );
        assert_eq!(drafts.len(), 1);
        let draft = &drafts[0];
        let headers: Vec<(&str, Vec<i32>)> =
            draft.columns.iter().map(|c| (c.header.as_str(), c.facts.years.clone())).collect();
        assert_eq!(draft.columns.len(), 2, "{headers:?}");
        let year = |c: &DraftColumn| {
            c.facts.dates.first().and_then(|d| d.year).or(c.facts.years.first().copied())
        };
        assert_eq!(year(&draft.columns[0]), Some(2014));
        assert_eq!(year(&draft.columns[1]), Some(2013));
        let net = draft.items.iter().find(|i| i.label == "Net income").unwrap();
        let values: Vec<String> = net
            .values
            .iter()
            .map(|v| v.as_ref().map(|v| v.as_printed.clone()).unwrap_or_default())
            .collect();
        assert_eq!(values, ["100", "90"]);
    }
}
