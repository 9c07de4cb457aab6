//! Latest filing wins: merges the line items of several statements (several filings, several
//! tables of one kind) into one ordered list, and picks one fact per line item, period and basis.
//!
//! Line items are matched across statements by concept key, else by label (normalized), so a
//! later release's "Revenues" meets an earlier one's "Net revenues" when both map to `revenue`.
//! Statements are ranked newest filing first (report date, else filing date, then ingest
//! order), then primary statements before reconciliations, then printed order; the first
//! ranked fact for a line item, period and basis wins. The order of line items is the top
//! ranked statement's, with rows only older statements have merged in after their predecessor.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::db::reads::LineFact;

/// One line of the merged statement.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable key within the response: the concept, else the normalized label with `_` for
    /// spaces (with `#2`, `#3` for repeats within one statement).
    pub key: String,
    /// Label, from the top ranked statement that has the line.
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Section header above it.
    pub section: Option<String>,
    /// Whether it is a total or subtotal.
    pub is_total: bool,
    /// Whether it only heads a section.
    pub is_header: bool,
    /// The statements it occurs in.
    pub statements: BTreeSet<i64>,
}

/// The merged lines and the winning facts.
#[derive(Debug, Default)]
pub struct Selection {
    /// Lines in display order.
    pub entries: Vec<Entry>,
    /// Statements in rank order (best first).
    pub ranked_statements: Vec<i64>,
    /// The rows, best ranked first.
    rows: Vec<LineFact>,
    /// Winning row per (entry index, period id, basis).
    cells: HashMap<(usize, i64, u8), usize>,
}

impl Selection {
    /// The winning fact of `entry` for `period` and `basis`.
    pub fn cell(&self, entry: usize, period: i64, basis: &str) -> Option<&LineFact> {
        let index = self.cells.get(&(entry, period, basis_code(basis)))?;
        self.rows.get(*index)
    }
}

/// A basis as a small code (cheap map keys).
fn basis_code(basis: &str) -> u8 {
    match basis {
        "gaap" => 0,
        "adjustment" => 1,
        "non_gaap" => 2,
        _ => 3,
    }
}

/// The rank of a filing: newer first.
fn recency(row: &LineFact) -> (Option<NaiveDate>, i64) {
    (row.report_date.or(row.filing_date), row.filing_id)
}

/// Primary statements come before reconciliations and other tables of the same filing.
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "balance_sheet" | "income_statement" | "cash_flow" => 0,
        "non_gaap_reconciliation" => 1,
        _ => 2,
    }
}

/// Lower case letters and digits, single spaces: how labels are compared.
pub fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Orders rows best first: newest filing, primary statements first, printed order.
pub fn rank_rows(rows: &mut [LineFact]) {
    rows.sort_by(|a, b| {
        recency(b)
            .cmp(&recency(a))
            .then(kind_rank(&a.statement_kind).cmp(&kind_rank(&b.statement_kind)))
            .then(a.statement_position.cmp(&b.statement_position))
            .then(a.statement_id.cmp(&b.statement_id))
            .then(a.line_position.cmp(&b.line_position))
            .then(a.line_item_id.cmp(&b.line_item_id))
    });
}

/// Merges `rows` (line items with their facts, from any number of statements).
pub fn select(mut rows: Vec<LineFact>) -> Selection {
    rank_rows(&mut rows);
    let mut selection = Selection::default();
    let mut by_concept: HashMap<String, usize> = HashMap::new();
    let mut by_label: HashMap<String, usize> = HashMap::new();
    // Per statement: its lines' entries, repeats of a key, and where its next new line goes
    // (after the last line of this statement placed so far).
    let mut statement_id = None;
    let mut entry_of_line: HashMap<i64, usize> = HashMap::new();
    let mut seen_here: HashMap<String, usize> = HashMap::new();
    let mut insert_at = 0;
    for (index, row) in rows.iter().enumerate() {
        if statement_id != Some(row.statement_id) {
            statement_id = Some(row.statement_id);
            selection.ranked_statements.push(row.statement_id);
            entry_of_line.clear();
            seen_here.clear();
            insert_at = 0;
        }
        if let Some(&entry) = entry_of_line.get(&row.line_item_id) {
            record_cell(&mut selection.cells, entry, row, index);
            continue;
        }
        let label_key = normalize_label(&row.label);
        let base_key = row.concept.clone().unwrap_or_else(|| label_key.replace(' ', "_"));
        let occurrence = seen_here.entry(base_key.clone()).or_default();
        *occurrence += 1;
        let key = if *occurrence == 1 { base_key } else { format!("{base_key}#{occurrence}") };
        let label_lookup = if *occurrence == 1 { label_key } else { key.clone() };
        // By concept; else by label, unless the labels match but the concepts differ.
        let existing = row.concept.as_ref().and(by_concept.get(&key)).copied().or_else(|| {
            by_label.get(&label_lookup).copied().filter(|&entry| {
                let found = &selection.entries[entry].concept;
                found.is_none() || row.concept.is_none() || *found == row.concept
            })
        });
        let entry = match existing {
            Some(entry) => {
                let found = &mut selection.entries[entry];
                // A header met again as a valued line of the same label takes its concept.
                if found.concept.is_none() && row.concept.is_some() && !row.is_header {
                    found.concept.clone_from(&row.concept);
                    found.is_header = false;
                    found.key.clone_from(&key);
                    by_concept.insert(key.clone(), entry);
                }
                found.statements.insert(row.statement_id);
                insert_at = entry + 1;
                entry
            }
            None => {
                let entry = insert_at.min(selection.entries.len());
                if entry < selection.entries.len() {
                    let shift = |i: &mut usize| {
                        if *i >= entry {
                            *i += 1;
                        }
                    };
                    by_concept.values_mut().for_each(shift);
                    by_label.values_mut().for_each(shift);
                    entry_of_line.values_mut().for_each(shift);
                    selection.cells = std::mem::take(&mut selection.cells)
                        .into_iter()
                        .map(|((e, period, basis), row)| {
                            ((if e >= entry { e + 1 } else { e }, period, basis), row)
                        })
                        .collect();
                }
                selection.entries.insert(
                    entry,
                    Entry {
                        key: key.clone(),
                        label: row.label.clone(),
                        concept: row.concept.clone(),
                        section: row.section.clone(),
                        is_total: row.is_total,
                        is_header: row.is_header,
                        statements: BTreeSet::from([row.statement_id]),
                    },
                );
                if row.concept.is_some() {
                    by_concept.insert(key, entry);
                }
                by_label.entry(label_lookup).or_insert(entry);
                insert_at = entry + 1;
                entry
            }
        };
        entry_of_line.insert(row.line_item_id, entry);
        record_cell(&mut selection.cells, entry, row, index);
    }
    selection.rows = rows;
    selection
}

/// Keeps `row`'s fact for its entry unless a better ranked statement gave one already.
fn record_cell(
    cells: &mut HashMap<(usize, i64, u8), usize>,
    entry: usize,
    row: &LineFact,
    index: usize,
) {
    let (Some(period), Some(basis), Some(_)) = (row.period_id, row.basis.as_deref(), row.fact_id)
    else {
        return;
    };
    cells.entry((entry, period, basis_code(basis))).or_insert(index);
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    struct Row<'a> {
        filing: i64,
        report: (i32, u32, u32),
        statement: i64,
        line: i32,
        label: &'a str,
        concept: Option<&'a str>,
        value: Option<i64>,
    }

    fn fact(row: Row<'_>) -> LineFact {
        LineFact {
            filing_id: row.filing,
            report_date: NaiveDate::from_ymd_opt(row.report.0, row.report.1, row.report.2),
            filing_date: None,
            form_type: None,
            statement_id: row.statement,
            statement_kind: "income_statement".to_owned(),
            statement_position: 0,
            statement_title: String::new(),
            line_item_id: row.statement * 100 + i64::from(row.line),
            line_position: row.line,
            label: row.label.to_owned(),
            concept: row.concept.map(str::to_owned),
            section: None,
            is_total: false,
            is_header: row.value.is_none(),
            fact_id: row.value.map(|v| v * 10),
            period_id: row.value.map(|_| 1),
            basis: row.value.map(|_| "gaap".to_owned()),
            value: row.value.map(Decimal::from),
            unit: row.value.map(|_| "USD".to_owned()),
            status: row.value.map(|_| "reported".to_owned()),
            formula: None,
        }
    }

    #[test]
    fn the_latest_filing_wins_and_lines_keep_the_printed_order() {
        let old = |line, label, concept, value| Row {
            filing: 1,
            report: (2003, 7, 10),
            statement: 1,
            line,
            label,
            concept,
            value,
        };
        let new = |line, label, concept, value| Row {
            filing: 2,
            report: (2003, 10, 9),
            statement: 2,
            line,
            label,
            concept,
            value,
        };
        let selection = select(vec![
            fact(old(0, "Revenues", Some("revenue"), Some(100))),
            fact(old(1, "Royalties", None, Some(5))),
            fact(old(2, "Net loss", Some("net_income"), Some(-7))),
            fact(new(0, "Net revenues", Some("revenue"), Some(110))),
            fact(new(1, "Net loss", Some("net_income"), Some(-3))),
        ]);
        let keys: Vec<&str> = selection.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["revenue", "royalties", "net_income"]);
        assert_eq!(selection.entries[0].label, "Net revenues");
        let value = |entry| selection.cell(entry, 1, "gaap").and_then(|f| f.value);
        assert_eq!(value(0), Some(Decimal::from(110)));
        assert_eq!(value(1), Some(Decimal::from(5)));
        assert_eq!(value(2), Some(Decimal::from(-3)));
        assert_eq!(selection.ranked_statements, [2, 1]);
    }

    #[test]
    fn a_header_meets_the_valued_line_of_the_same_label() {
        let row = |statement, line, label, concept, value| Row {
            filing: statement,
            report: (2003, 7, 10),
            statement,
            line,
            label,
            concept,
            value,
        };
        let selection = select(vec![
            fact(row(2, 0, "Write-off of inventory", None, None)),
            fact(row(1, 0, "Write-off of inventory", Some("inventory_writeoff"), Some(9))),
        ]);
        assert_eq!(selection.entries.len(), 1);
        assert_eq!(selection.entries[0].key, "inventory_writeoff");
        assert!(!selection.entries[0].is_header);
    }

    #[test]
    fn labels_compare_without_case_or_punctuation() {
        assert_eq!(normalize_label("Amort. of  goodwill,\nnet"), "amort of goodwill net");
    }
}
