//! Rows of a grid: header or data, labels split back into line items, numbers to items.

use super::segment::{self, SegmentKind};
use super::{Ambiguity, Item, ScaleInfo, Value, ValueColumns};
use crate::parse::grid::{Row, Table};
use crate::parse::lexicon;
use crate::parse::model::{Diagnostic, FactStatus, Unit};
use crate::parse::numbers::CellScan;
use crate::parse::periods;

/// Most candidate readings kept for one ambiguous cell.
const MAX_CANDIDATES: usize = 256;

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Header,
    Data,
    Empty,
}

fn is_year_only(scan: &CellScan) -> bool {
    !scan.numbers.is_empty()
        && scan.numbers.iter().all(|n| {
            n.value.is_integer()
                && !n.text.contains(',')
                && !n.currency
                && !n.text.contains('(')
                && (1900..=2100).contains(&n.value.trunc().mantissa())
        })
}

/// A cell that names a date ("March 28,", "September 27 1996"): its day and year are no
/// amounts. Only cells with words are asked (amounts carry none), and the date must be read
/// with certainty, with nothing but its day and year for numbers.
fn names_a_date(text: &str, scan: &CellScan) -> bool {
    !scan.words.is_empty()
        && scan.numbers.len() <= 2
        && periods::read_header(text)
            .dates
            .iter()
            .any(|d| !d.fuzzy && d.month.is_some() && d.day.is_some())
}

/// Numbers of the cell that may be amounts: not header years, not words, not a date.
fn holds_amounts(cell: &crate::parse::grid::Cell, scan: &CellScan) -> bool {
    !scan.numbers.is_empty()
        && !is_year_only(scan)
        && !scan.is_textual()
        && !names_a_date(&cell.text, scan)
}

/// Whether a row has amounts (numbers that are not header years) outside its label.
pub fn has_amount_elsewhere(row: &Row, scans: &[CellScan]) -> bool {
    row.cells.iter().zip(scans).any(|(cell, scan)| cell.col != 0 && holds_amounts(cell, scan))
}

/// A cell entirely left of the first value column belongs to the label.
fn in_label_column(cell: &crate::parse::grid::Cell, first_value: usize) -> bool {
    cell.col + cell.colspan.max(1) <= first_value
}

/// Classify a row. `above_figures`: no data row of the table has been read yet; there, words
/// over the value columns (`For the 13`, `Weeks Ended`) head them even when they name no
/// period by themselves, since the header's meaning comes from its lines read together.
pub fn classify(
    row: &Row,
    scans: &[CellScan],
    value_cols: &ValueColumns,
    above_figures: bool,
) -> RowKind {
    if row.cells.iter().all(|c| c.text.trim().is_empty()) {
        return RowKind::Empty;
    }
    let first_value = value_cols.first_col();
    let amounts = row
        .cells
        .iter()
        .zip(scans)
        .any(|(cell, scan)| cell.col >= first_value && holds_amounts(cell, scan));
    if amounts {
        return RowKind::Data;
    }
    let label_facts = row
        .cells
        .iter()
        .filter(|c| in_label_column(c, first_value))
        .map(|c| periods::read_header(&c.text))
        .fold(periods::HeaderFacts::default(), |mut acc, f| {
            acc.months = acc.months.or(f.months);
            acc.bases.extend(f.bases);
            acc
        });
    let other_facts =
        row.cells.iter().zip(scans).filter(|(c, _)| !in_label_column(c, first_value)).any(
            |(c, scan)| {
                !periods::read_header(&c.text).is_empty()
                    || (above_figures
                        && scan.words.iter().any(|w| w.chars().any(char::is_alphabetic)))
            },
        );
    // a label ending in a colon heads a section, whatever words it uses; a label names
    // columns only with period words or a list of bases ("GAAP Adjustments Non-GAAP")
    let heading = row
        .cells
        .iter()
        .filter(|c| in_label_column(c, first_value))
        .any(|c| c.text.trim_end().ends_with(':'));
    if other_facts || (!heading && (label_facts.months.is_some() || label_facts.bases.len() >= 2)) {
        RowKind::Header
    } else {
        RowKind::Data
    }
}

/// Header text per value column, text shared by all columns, and a section name printed in
/// the label column of a header row ("Assets").
pub fn headers(
    table: &Table,
    header_rows: &[usize],
    value_cols: &ValueColumns,
) -> (String, Vec<String>, Option<String>) {
    let first_value = value_cols.first_col();
    let mut shared = String::new();
    let mut per_col = vec![String::new(); value_cols.len()];
    let mut section = None;
    for row in header_rows.iter().filter_map(|&r| table.rows.get(r)) {
        let non_empty: Vec<_> = row
            .cells
            .iter()
            .filter(|c| !c.text.trim().is_empty() && super::kind_of_title(&c.text).is_none())
            .collect();
        // one duration heading alone in its row ("Three months ended December 31,") heads
        // every column, wherever the text happened to place it
        let lone_duration = non_empty.iter().filter(|c| !in_label_column(c, first_value)).count()
            == 1
            && non_empty.iter().any(|c| {
                !in_label_column(c, first_value) && periods::read_header(&c.text).months.is_some()
            });
        for cell in &non_empty {
            let text = cell.text.trim();
            if lone_duration && !in_label_column(cell, first_value) {
                push_text(&mut shared, text);
                continue;
            }
            if in_label_column(cell, first_value) {
                if non_empty.len() == 1 || !periods::read_header(text).is_empty() {
                    push_text(&mut shared, text);
                } else if text.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                    section = Some(text.trim_end_matches(':').to_owned());
                }
                continue;
            }
            let covered = value_cols.covered(cell.col, cell.colspan);
            if covered.len() == value_cols.len() && value_cols.len() > 1 {
                push_text(&mut shared, text);
            } else if !covered.is_empty() {
                for i in covered {
                    push_text(&mut per_col[i], text);
                }
            } else {
                // text placed between value columns: give it to the nearest one
                if let Some(i) = value_cols.nearest(cell.col) {
                    push_text(&mut per_col[i], text);
                }
            }
        }
    }
    // a header over the first columns only (garbled spanning text), or a year printed over
    // one of a group of columns ("2013 GAAP | Adj. | Non-GAAP"): later columns without a
    // year take the period words of the column to their left
    for i in 1..per_col.len() {
        let own = periods::read_header(&per_col[i]);
        let has_year = !own.years.is_empty() || own.dates.iter().any(|d| d.year.is_some());
        let has_period = own.months.is_some() || !own.dates.is_empty();
        if has_year {
            continue;
        }
        let left = periods::read_header(&per_col[i - 1]);
        let left_year = !left.years.is_empty() || left.dates.iter().any(|d| d.year.is_some());
        if left_year || (!has_period && (left.months.is_some() || !left.dates.is_empty())) {
            per_col[i] = format!("{} || {}", per_col[i - 1], per_col[i]);
        }
    }
    (shared, per_col, section)
}

fn push_text(into: &mut String, text: &str) {
    if !into.is_empty() {
        into.push(' ');
    }
    into.push_str(text);
}

/// A data row read into label and values.
struct RowRead {
    label: String,
    label_span: [usize; 2],
    /// Tokens per value column.
    tokens: Vec<Vec<Value>>,
    has_values: bool,
}

fn read_row(
    row: &Row,
    scans: &[CellScan],
    value_cols: &ValueColumns,
    diagnostics: &mut Vec<Diagnostic>,
) -> RowRead {
    let first_value = value_cols.first_col();
    let mut label = String::new();
    let mut label_span = [row.span[0], row.span[0]];
    let mut tokens = vec![Vec::new(); value_cols.len()];
    for (cell, scan) in row.cells.iter().zip(scans) {
        if in_label_column(cell, first_value) {
            let text = strip_leaders(&cell.text);
            if !text.is_empty() {
                if label.is_empty() {
                    label_span = cell.span;
                } else {
                    label_span[1] = cell.span[1];
                }
                push_text(&mut label, &text);
            }
            continue;
        }
        let Some(i) = value_cols.index_of(cell.col, cell.colspan) else {
            continue;
        };
        if scan.is_textual() {
            continue;
        }
        for g in &scan.garbage {
            diagnostics.push(Diagnostic::warning(
                "unreadable_number",
                format!(
                    "ignored unreadable number `{g}` in row `{}`",
                    if label.is_empty() { cell.text.trim() } else { label.as_str() }
                ),
                Some(cell.span),
            ));
        }
        for n in &scan.numbers {
            let start = (cell.span[0] + n.range.0).min(cell.span[1]);
            let end = (cell.span[0] + n.range.1).min(cell.span[1]).max(start);
            tokens[i].push(Value {
                printed: n.value,
                as_printed: n.text.trim().to_owned(),
                span: [start, end],
                percent: n.percent,
                status: FactStatus::Reported,
                formula: None,
            });
        }
    }
    let has_values = tokens.iter().any(|t| !t.is_empty());
    RowRead { label, label_span, tokens, has_values }
}

/// Whether a label opens a parenthesis it does not close.
fn unclosed_parenthesis(label: &str) -> bool {
    let opened = label.chars().filter(|&c| c == '(').count();
    opened > label.chars().filter(|&c| c == ')').count()
}

/// Drop dot leaders ("Revenues ........") and stray `$` from a label.
fn strip_leaders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let trimmed = word.trim_end_matches('.');
        if word.len() >= 3 && trimmed.len() + 2 < word.len() {
            if !trimmed.is_empty() {
                push_text(&mut out, trimmed);
            }
            continue;
        }
        if word.chars().all(|c| c == '.' || c == '$' || c == '_') {
            continue;
        }
        push_text(&mut out, word);
    }
    out
}

/// Data rows to line items, splitting merged rows and joining wrapped labels.
pub fn items(
    rows: &[&Row],
    scans: &[&Vec<CellScan>],
    value_cols: &ValueColumns,
    top_section: Option<String>,
    scale: &ScaleInfo,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Item>, Vec<Ambiguity>) {
    let _ = scale;
    let reads: Vec<RowRead> = rows
        .iter()
        .zip(scans)
        .map(|(row, scan)| read_row(row, scan, value_cols, diagnostics))
        .collect();
    let ncols = value_cols.len();
    let mut items: Vec<Item> = Vec::new();
    let mut ambiguities = Vec::new();
    let mut section = top_section.clone();
    if let Some(name) = &top_section {
        items.push(header_item(name, [0, 0], ncols, None));
    }
    let mut open_item: Option<usize> = None; // item whose label continues on the next line
    // the open item's label was left inside a parenthesis
    let mut continues_parenthesis = false;
    for (r, read) in reads.iter().enumerate() {
        let next = reads.get(r + 1);
        // a label left inside an open parenthesis ("accounts of $96 ($91 at") goes on, whatever
        // the next line starts with ("September 27, 1996)")
        let open_paren = !read.has_values && unclosed_parenthesis(&read.label);
        let next_continues = next.is_some_and(|n| {
            segment::starts_as_continuation(&n.label) || (open_paren && !n.label.is_empty())
        }) && !(read.has_values && lexicon::is_known_exactly(&read.label))
            && !read.label.is_empty();
        let next_has_values = next.is_some_and(|n| n.has_values);
        let widest = read.tokens.iter().map(Vec::len).max().unwrap_or(0);
        let continues_previous = open_item.is_some()
            && (segment::starts_as_continuation(&read.label) || continues_parenthesis);
        let wanted = widest + usize::from(next_continues && next_has_values && widest > 0);
        let segments = segment::split(&read.label, wanted, continues_previous);
        let mut row_items: Vec<usize> = Vec::new();
        if segments.is_empty() && read.has_values {
            // an unlabeled row: a total printed without its label
            items.push(Item {
                label: String::new(),
                span: read.label_span,
                concept: None,
                unit: Unit::Usd,
                section: section.clone(),
                is_total: true,
                may_close: false,
                is_header: false,
                values: vec![None; ncols],
                dropped: false,
                basis: None,
            });
            row_items.push(items.len() - 1);
        }
        let nseg = segments.len();
        let mut last_item = None;
        for (s, seg) in segments.iter().enumerate() {
            let span = [read.label_span[0] + seg.range.0, read.label_span[0] + seg.range.1];
            let span = if span[1] <= read.label_span[1] { span } else { read.label_span };
            match seg.kind {
                SegmentKind::Continuation if open_item.is_some() => {
                    let Some(target) = open_item.and_then(|i| items.get_mut(i)) else {
                        continue;
                    };
                    push_text(&mut target.label, &seg.text);
                    target.span[1] = target.span[1].max(span[1]);
                    target.is_header = false;
                    if let Some(i) = open_item {
                        row_items.push(i);
                        last_item = Some(i);
                    }
                }
                SegmentKind::Section => {
                    let name = seg.text.trim_end_matches(':').trim().to_owned();
                    items.push(header_item(&name, span, ncols, section.clone()));
                    section = Some(name);
                    last_item = None;
                }
                _ => {
                    items.push(Item {
                        label: seg.text.clone(),
                        span,
                        concept: None,
                        unit: Unit::Usd,
                        section: section.clone(),
                        is_total: false,
                        may_close: false,
                        is_header: false,
                        values: vec![None; ncols],
                        dropped: false,
                        basis: None,
                    });
                    let index = items.len() - 1;
                    // the last piece of a wrapped label takes its values from the next line
                    let withheld = s + 1 == nseg && next_continues && next_has_values;
                    if !withheld {
                        row_items.push(index);
                    }
                    last_item = Some(index);
                }
            }
        }
        open_item = if next_continues { last_item } else { None };
        continues_parenthesis = open_item.is_some() && open_paren;
        if !read.has_values {
            if let (Some(i), false) = (last_item, next_continues)
                && segments.last().is_some_and(|s| s.kind != SegmentKind::Section)
                && let Some(item) = items.get_mut(i)
            {
                // a label with no values that does not wrap: a heading
                item.is_header = true;
                section = Some(item.label.trim_end_matches(':').to_owned());
            }
            continue;
        }
        distribute(
            &mut items,
            &mut ambiguities,
            &row_items,
            &read.tokens,
            &read.label,
            diagnostics,
        );
    }
    for item in &mut items {
        if item.is_header {
            continue;
        }
        // each label normalized once, for the lookup and the unit alike
        let key = lexicon::normalize(&item.label);
        let mut context_key: Option<String> = None;
        let alone = lexicon::lookup_normalized(&key);
        let mut info = alone;
        // a label that names nothing alone ("Basic", "Earnings per share") reads with its
        // heading ("Shares used in computing ...", "Diluted"): a generic one whenever the two
        // together name a concept, any other when they name one the heading alone does not
        // (else the label added nothing: "Property and equipment" over "Leasehold
        // improvements" names no property and equipment). An unlabeled total is no such
        // label: it is named from the identities later.
        if alone.is_none()
            && !key.is_empty()
            && let Some(section) = &item.section
        {
            let qualified = format!("{section}: {}", item.label);
            let qualified_key = lexicon::normalize(&qualified);
            let generic = lexicon::is_generic_normalized(&key);
            if let Some(concept) = lexicon::lookup_normalized(&qualified_key)
                && (generic
                    || lexicon::lookup_normalized(&lexicon::normalize(section))
                        .is_none_or(|h| h.key != concept.key))
            {
                // a generic label is shown with its heading ("Shares used in computing
                // earnings per share: Basic"), which it means nothing without; any other stays
                // as printed
                if generic {
                    item.label = qualified;
                }
                info = Some(concept);
                context_key = Some(qualified_key);
            }
        }
        item.concept = info.map(|c| c.key.clone());
        let has_percent = item.values.iter().flatten().next().is_some()
            && item.values.iter().flatten().all(|v| v.percent);
        item.unit = match info.map(|c| c.unit) {
            Some(unit) if unit != Unit::Usd => unit,
            _ => lexicon::unit_from_normalized(context_key.as_deref().unwrap_or(&key))
                .unwrap_or(if has_percent { Unit::Percent } else { Unit::Usd }),
        };
        item.is_total = item.is_total
            || info.is_some_and(|c| c.total)
            || key.split(' ').next() == Some("total")
            || key.rsplit(' ').next() == Some("total");
        // a row closes rows above it by its own first words, not its heading's
        item.may_close = !item.is_total && lexicon::may_be_subtotal_normalized(&key);
    }
    (items, ambiguities)
}

fn header_item(name: &str, span: [usize; 2], ncols: usize, section: Option<String>) -> Item {
    Item {
        label: name.to_owned(),
        span,
        concept: None,
        unit: Unit::Usd,
        section,
        is_total: false,
        may_close: false,
        is_header: true,
        values: vec![None; ncols],
        dropped: false,
        basis: None,
    }
}

/// Give a row's numbers to its items, column by column; record ambiguous cells.
fn distribute(
    items: &mut [Item],
    ambiguities: &mut Vec<Ambiguity>,
    row_items: &[usize],
    tokens: &[Vec<Value>],
    label: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (column, col_tokens) in tokens.iter().enumerate() {
        if col_tokens.is_empty() {
            continue;
        }
        if row_items.is_empty() {
            for t in col_tokens {
                diagnostics.push(Diagnostic::warning("value_without_label", format!("dropped `{}` printed on the first line of the wrapped label `{label}` (its values are on the last line)", t.as_printed), Some(t.span)));
            }
            continue;
        }
        let n = row_items.len();
        let m = col_tokens.len();
        let candidates = if m == n {
            vec![(0..n).map(Some).collect::<Vec<_>>()]
        } else if m < n {
            let percent_items: Vec<bool> = row_items
                .iter()
                .map(|&i| {
                    items.get(i).is_some_and(|it| {
                        lexicon::unit_from_label(&it.label) == Some(Unit::Percent)
                    })
                })
                .collect();
            let mut out = Vec::new();
            injections(m, n, &mut Vec::new(), 0, &mut |choice: &[usize]| {
                let fits = choice
                    .iter()
                    .enumerate()
                    .all(|(t, &slot)| col_tokens[t].percent == percent_items[slot]);
                if fits && out.len() < MAX_CANDIDATES {
                    let mut mapping = vec![None; n];
                    for (t, &slot) in choice.iter().enumerate() {
                        mapping[slot] = Some(t);
                    }
                    out.push(mapping);
                }
            });
            if out.is_empty() {
                out.push((0..n).map(|i| (i < m).then_some(i)).collect());
            }
            out
        } else {
            // more numbers than labels: some are repeats or noise; prefer dropping a number that
            // repeats the value printed just above in this column
            let above = row_items.first().and_then(|&first| {
                items[..first].iter().rev().find_map(|it| it.values.get(column).cloned().flatten())
            });
            let mut out = Vec::new();
            injections(n, m, &mut Vec::new(), 0, &mut |keep: &[usize]| {
                if out.len() < MAX_CANDIDATES {
                    out.push(keep.iter().map(|&t| Some(t)).collect::<Vec<_>>());
                }
            });
            let repeats = |mapping: &Vec<Option<usize>>| {
                let dropped: Vec<usize> = (0..m).filter(|t| !mapping.contains(&Some(*t))).collect();
                dropped
                    .iter()
                    .all(|&t| above.as_ref().is_some_and(|a| a.printed == col_tokens[t].printed))
            };
            out.sort_by_key(|mapping| !repeats(mapping));
            out
        };
        let ambiguity = Ambiguity {
            column,
            items: row_items.to_vec(),
            tokens: col_tokens.clone(),
            candidates,
            chosen: 0,
        };
        ambiguity.apply(items, 0);
        if ambiguity.candidates.len() > 1 || m > n {
            ambiguities.push(ambiguity);
        }
    }
}

/// Every order-preserving choice of `k` positions out of `n`.
fn injections(
    k: usize,
    n: usize,
    chosen: &mut Vec<usize>,
    from: usize,
    visit: &mut dyn FnMut(&[usize]),
) {
    if chosen.len() == k {
        visit(chosen);
        return;
    }
    if n > 24 {
        // too many to enumerate: the top-aligned reading only
        let first: Vec<usize> = (0..k.min(n)).collect();
        visit(&first);
        return;
    }
    for i in from..n {
        if n - i < k - chosen.len() {
            break;
        }
        chosen.push(i);
        injections(k, n, chosen, i + 1, visit);
        chosen.pop();
    }
}
