//! Identities at work: settle ambiguous cells, drop noise lines, correct printed values two
//! identities agree are wrong, derive values the document leaves out.
//!
//! Every step keeps a reading only when the identities of the statement say it is better;
//! anything else stays as printed and shows up as a failed check.

pub mod checks;

use rust_decimal::Decimal;
use std::collections::HashMap;

use super::lexicon;
use super::model::{Basis, CheckKind, Diagnostic, FactStatus, StatementKind, Unit};
use super::periods::within_edits;
use super::statements::{Draft, Item, Value};
use checks::{CellRef, score};

/// Run every step on one draft.
pub fn reconcile(draft: &mut Draft, diagnostics: &mut Vec<Diagnostic>) {
    settle_ambiguities(draft);
    // neither of the next two changes a label
    let labels = Labels::of(draft);
    merge_duplicates(draft, &labels, diagnostics);
    drop_noise(draft, &labels, diagnostics);
    settle_ambiguities(draft);
    name_unlabeled_totals(draft, diagnostics);
    relabel_balance_total(draft, diagnostics);
    correct(draft, diagnostics);
    derive(draft, diagnostics);
    for a in &draft.ambiguities {
        if a.chosen != 0 {
            diagnostics.push(Diagnostic::info(
                "merged_row_assigned",
                format!("numbers of a merged row assigned by the statement's identities (reading {} of {})", a.chosen + 1, a.candidates.len()),
                a.tokens.first().map(|t| t.span),
            ));
        }
    }
}

fn current_score(draft: &Draft) -> i64 {
    checks::score_of(draft)
}

/// For each ambiguous cell, keep the reading under which most identities hold.
fn settle_ambiguities(draft: &mut Draft) {
    // the identities read items and columns only: the ambiguities are set aside meanwhile
    // rather than copied for every cell weighed
    let mut ambiguities = std::mem::take(&mut draft.ambiguities);
    for _round in 0..4 {
        let mut changed = false;
        for ambiguity in &mut ambiguities {
            let mut best = (i64::MIN, ambiguity.chosen);
            for c in 0..ambiguity.candidates.len() {
                ambiguity.apply(&mut draft.items, c);
                let s = current_score(draft);
                // ties keep the earlier (default) reading
                if s > best.0 || (s == best.0 && c == ambiguity.chosen && best.1 > c) {
                    best = (s, c);
                }
            }
            ambiguity.apply(&mut draft.items, best.1);
            if best.1 != ambiguity.chosen {
                changed = true;
            }
            ambiguity.chosen = best.1;
        }
        if !changed {
            break;
        }
    }
    draft.ambiguities = ambiguities;
}

fn norm(label: &str) -> String {
    lexicon::normalize(label)
}

/// The same label printed twice in a row with no conflicting values: one line item.
fn merge_duplicates(draft: &mut Draft, labels: &Labels, diagnostics: &mut Vec<Diagnostic>) {
    let n = draft.items.len();
    let keys = &labels.keys;
    for j in 0..n {
        for i in 0..j {
            let (a, b) = (&draft.items[i], &draft.items[j]);
            if a.dropped
                || b.dropped
                || a.is_header
                || b.is_header
                || a.label.is_empty()
                || keys[i] != keys[j]
            {
                continue;
            }
            let conflict = a
                .values
                .iter()
                .zip(&b.values)
                .any(|(x, y)| matches!((x, y), (Some(x), Some(y)) if x.printed != y.printed));
            if conflict {
                continue;
            }
            let extra: Vec<(usize, Value)> = b
                .values
                .iter()
                .enumerate()
                .filter_map(|(c, v)| v.clone().map(|v| (c, v)))
                .collect();
            for (c, v) in extra {
                if draft.items[i].values[c].is_none() {
                    draft.items[i].values[c] = Some(v);
                }
            }
            draft.items[j].dropped = true;
            diagnostics.push(Diagnostic::info(
                "duplicate_line",
                format!("`{}` printed twice; read as one line item", draft.items[j].label),
                Some(draft.items[j].span),
            ));
        }
    }
}

/// Each item's normalized label and its key within its section, worked out once for a pass
/// that compares items with each other (no label changes meanwhile).
struct Labels {
    norms: Vec<String>,
    /// A line's label within its section: "Basic" under earnings per share is not "Basic"
    /// under shares outstanding.
    keys: Vec<String>,
}

impl Labels {
    fn of(draft: &Draft) -> Self {
        let norms: Vec<String> = draft.items.iter().map(|i| norm(&i.label)).collect();
        let mut keys = Vec::with_capacity(norms.len());
        // items of one section follow each other: its name is normalized once for them
        let mut section: Option<(&str, String)> = None;
        for (item, n) in draft.items.iter().zip(&norms) {
            let name = item.section.as_deref().unwrap_or_default();
            if section.as_ref().is_none_or(|(s, _)| *s != name) {
                section = Some((name, norm(name)));
            }
            let normalized = section.as_ref().map_or("", |(_, k)| k.as_str());
            keys.push(format!("{normalized}|{n}"));
        }
        Self { norms, keys }
    }
}

/// Lines that garble or repeat a neighbour and fit no identity are not line items.
fn drop_noise(draft: &mut Draft, labels: &Labels, diagnostics: &mut Vec<Diagnostic>) {
    // whether neighbours `p` and `p + 1` have close labels, once asked
    let mut close = vec![None; draft.items.len()];
    for i in 0..draft.items.len() {
        let item = &draft.items[i];
        if item.dropped || item.is_header || item.values.iter().all(Option::is_none) {
            continue;
        }
        let suspicious = item.label.is_empty()
            || repeats_a_neighbour(draft, labels, i)
            || garbles_a_neighbour(draft, labels, &mut close, i);
        if !suspicious {
            continue;
        }
        let before = checks::run(draft);
        let participates = before
            .iter()
            .any(|f| f.passed && (f.target.0 == i || f.terms.iter().any(|(c, _)| c.0 == i)));
        let kept = current_score(draft);
        draft.items[i].dropped = true;
        let without = current_score(draft);
        if without > kept || (without == kept && !participates) {
            diagnostics.push(Diagnostic::warning(
                "noise_line",
                format!(
                    "line `{}` repeats or garbles another line and fits no identity; not read",
                    draft.items[i].label
                ),
                Some(draft.items[i].span),
            ));
        } else {
            draft.items[i].dropped = false;
        }
    }
}

/// Same label (ignoring case) as another line of the statement.
/// Same label as the line next to it, with values that are copies or one-digit misreadings
/// of its values (an OCR line read twice).
fn repeats_a_neighbour(draft: &Draft, labels: &Labels, i: usize) -> bool {
    let item = &draft.items[i];
    let label = &labels.keys[i];
    let neighbours = [i.checked_sub(1), Some(i + 1)].into_iter().flatten();
    neighbours.filter_map(|j| draft.items.get(j).map(|o| (j, o))).any(|(j, other)| {
        !other.dropped
            && !other.is_header
            && labels.keys[j] == *label
            && item.values.iter().zip(&other.values).all(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => {
                    x.printed == y.printed || one_digit_apart(&x.as_printed, &y.as_printed)
                }
                _ => true,
            })
    })
}

/// An unknown label close to a neighbour's, or values one digit away from a neighbour's.
fn garbles_a_neighbour(
    draft: &Draft,
    labels: &Labels,
    close: &mut [Option<bool>],
    i: usize,
) -> bool {
    let item = &draft.items[i];
    // a known line (also one known by its heading: "Basic" under earnings per share) is no
    // garbled copy
    if item.concept.is_some() || lexicon::lookup_normalized(&labels.norms[i]).is_some() {
        return false;
    }
    let neighbours = [i.checked_sub(1), Some(i + 1)];
    neighbours.into_iter().flatten().filter_map(|j| draft.items.get(j).map(|o| (j, o))).any(
        |(j, other)| {
            if other.dropped || other.is_header {
                return false;
            }
            let (a, b) = (&labels.norms[i], &labels.norms[j]);
            // at most a third of the longer label's bytes in edits; each pair of neighbours is
            // compared once (the test is symmetric), though both may ask
            let pair = i.min(j);
            let within =
                *close[pair].get_or_insert_with(|| within_edits(a, b, a.len().max(b.len()) / 3));
            let close_label = !a.is_empty() && within;
            let near_values =
                item.values.iter().zip(&other.values).filter(|(x, _)| x.is_some()).all(|(x, y)| {
                    match (x, y) {
                        (Some(x), Some(y)) => one_digit_apart(&x.as_printed, &y.as_printed),
                        _ => false,
                    }
                });
            close_label || near_values
        },
    )
}

/// Printed alike but for one character, in figures long enough for that to tell a misreading
/// (`0.5` and `0.6` are two small figures, not one figure read twice).
fn one_digit_apart(a: &str, b: &str) -> bool {
    const MIN_DIGITS: usize = 3;
    a.chars().filter(char::is_ascii_digit).count() >= MIN_DIGITS
        && a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
}

/// An unlabeled row that adds up as the total of its section takes that section's name.
fn name_unlabeled_totals(draft: &mut Draft, diagnostics: &mut Vec<Diagnostic>) {
    let found = checks::run(draft);
    for i in 0..draft.items.len() {
        let item = &draft.items[i];
        if item.dropped || !item.label.is_empty() || item.values.iter().all(Option::is_none) {
            continue;
        }
        let total = found
            .iter()
            .find(|f| f.passed && f.target.0 == i && f.kind == super::model::CheckKind::Total);
        let Some(total) = total else {
            draft.items[i].dropped = true;
            diagnostics.push(Diagnostic::warning(
                "noise_line",
                "unlabeled line that is no total of the lines above it; not read",
                Some(draft.items[i].span),
            ));
            continue;
        };
        // the first of the rows it adds up
        let first = total.terms.iter().map(|((row, _), _)| *row).min().unwrap_or(i);
        // in a balance sheet, a second grand total equal to total assets closes liabilities
        // and equity
        let assets = draft.items[..i]
            .iter()
            .find(|it| !it.dropped && it.concept.as_deref() == Some("total_assets"));
        if draft.kind == StatementKind::BalanceSheet
            && assets.is_some_and(|a| {
                a.values
                    .iter()
                    .zip(&draft.items[i].values)
                    .all(|(x, y)| x.as_ref().map(|v| v.printed) == y.as_ref().map(|v| v.printed))
            })
        {
            let label = "Total liabilities and equity".to_owned();
            diagnostics.push(Diagnostic::info(
                "label_inferred",
                format!("unlabeled row equal to total assets read as `{label}`"),
                Some(draft.items[i].span),
            ));
            let it = &mut draft.items[i];
            it.concept = Some("total_liabilities_and_equity".to_owned());
            it.label = label;
            continue;
        }
        // the innermost section that holds every row it adds up: the last heading above them
        // that no total ("Total current assets" after "Current assets") has closed before
        let name = draft.items[..first.min(i)]
            .iter()
            .enumerate()
            .filter(|(_, it)| it.is_header && !it.dropped)
            .rfind(|&(h, it)| !closed_before(draft, h, i, &it.label))
            .map(|(_, it)| it.label.clone());
        let label = match name {
            Some(name) => Some(format!("Total {}", name.to_lowercase())),
            // every section closed: in a balance sheet, the grand total of its side
            None if draft.kind == StatementKind::BalanceSheet => {
                balance_sheet_side_total(&draft.items[..i])
            }
            None => None,
        };
        // a total printed further down under that name ("Total assets" closing the section
        // whose first rows this one adds up) makes this one a subtotal without a name
        let info = label.as_deref().and_then(lexicon::lookup);
        let printed_below = info.is_some_and(|c| {
            draft.items[i + 1..]
                .iter()
                .any(|it| !it.dropped && it.concept.as_deref() == Some(c.key.as_str()))
        });
        if let Some(label) = label.filter(|_| !printed_below) {
            diagnostics.push(Diagnostic::info(
                "label_inferred",
                format!("unlabeled total row read as `{label}`"),
                Some(draft.items[i].span),
            ));
            let it = &mut draft.items[i];
            it.concept = info.map(|c| c.key.clone());
            it.label = label;
        }
    }
}

/// Whether a total between heading `h` and row `i` closes the heading: its label is "Total"
/// and the heading's words.
fn closed_before(draft: &Draft, h: usize, i: usize, heading: &str) -> bool {
    let heading = norm(heading.trim_end_matches(':'));
    draft.items[h + 1..i]
        .iter()
        .filter(|it| !it.dropped && !it.is_header)
        .any(|it| norm(&it.label).strip_prefix("total ").is_some_and(|rest| rest.trim() == heading))
}

/// The grand total a balance sheet's side closes with, from the totals above it: liabilities
/// and equity once equity or liabilities were totalled, else assets once assets were.
fn balance_sheet_side_total(above: &[Item]) -> Option<String> {
    let has = |concepts: &[&str]| {
        above
            .iter()
            .any(|it| !it.dropped && it.concept.as_deref().is_some_and(|c| concepts.contains(&c)))
    };
    if has(&["total_stockholders_equity", "total_liabilities", "total_current_liabilities"]) {
        Some("Total liabilities and equity".to_owned())
    } else if has(&["total_current_assets"]) {
        Some("Total assets".to_owned())
    } else {
        None
    }
}

/// In a balance sheet, the closing row that repeats total assets is total liabilities and
/// equity, whatever its printed label says.
fn relabel_balance_total(draft: &mut Draft, diagnostics: &mut Vec<Diagnostic>) {
    if draft.kind != StatementKind::BalanceSheet {
        return;
    }
    let Some(assets) =
        draft.items.iter().position(|i| !i.dropped && i.concept.as_deref() == Some("total_assets"))
    else {
        return;
    };
    if draft
        .items
        .iter()
        .any(|i| !i.dropped && i.concept.as_deref() == Some("total_liabilities_and_equity"))
    {
        return;
    }
    let last = draft
        .items
        .iter()
        .rposition(|i| !i.dropped && !i.is_header && i.values.iter().any(Option::is_some));
    let Some(last) = last.filter(|&l| l > assets) else {
        return;
    };
    let same =
        draft.items[last].values.iter().zip(&draft.items[assets].values).all(|(a, b)| {
            match (a, b) {
                (Some(a), Some(b)) => a.printed == b.printed,
                (None, None) => true,
                _ => false,
            }
        });
    if same {
        diagnostics.push(Diagnostic::warning(
            "label_contradicts_values",
            format!(
                "`{}` equals total assets in every column: read as total liabilities and equity",
                draft.items[last].label
            ),
            Some(draft.items[last].span),
        ));
        draft.items[last].concept = Some("total_liabilities_and_equity".to_owned());
        draft.items[last].is_total = true;
    }
}

/// Replace a printed value only when two or more failing identities agree on one value and
/// the replacement breaks no identity that held.
fn correct(draft: &mut Draft, diagnostics: &mut Vec<Diagnostic>) {
    for _round in 0..3 {
        let found = checks::run(draft);
        let mut votes: HashMap<(CellRef, Decimal), usize> = HashMap::new();
        for f in found.iter().filter(|f| !f.passed) {
            for (cell, v) in f.implied(draft) {
                *votes.entry((cell, v)).or_default() += 1;
            }
        }
        let mut proposals: Vec<((CellRef, Decimal), usize)> =
            votes.into_iter().filter(|(_, n)| *n >= 2).collect();
        proposals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.0.cmp(&b.0.0)));
        let mut changed = false;
        for ((cell, v), n) in proposals {
            let Some(old) =
                draft.items.get(cell.0).and_then(|i| i.values.get(cell.1)).cloned().flatten()
            else {
                continue;
            };
            if old.status != FactStatus::Reported || old.percent {
                continue;
            }
            let before = checks::run(draft);
            let held: Vec<(CheckKind, CellRef, usize)> =
                before.iter().filter(|f| f.passed).map(|f| (f.kind, f.target, f.column)).collect();
            // identities that want nothing in the cell say the printed number is spurious
            let replacement = (!v.is_zero()).then(|| Value {
                printed: v,
                status: FactStatus::Corrected,
                formula: Some(format!("{n} identities agree on {v}; printed `{}`", old.as_printed)),
                ..old.clone()
            });
            clear_or_set(draft, cell, replacement);
            let after = checks::run(draft);
            let still_held = held
                .iter()
                .all(|h| after.iter().any(|f| f.passed && (f.kind, f.target, f.column) == *h));
            if still_held && score(&after) > score(&before) {
                let what = if v.is_zero() {
                    "is spurious; left blank".to_owned()
                } else {
                    format!("is read as {v}")
                };
                diagnostics.push(Diagnostic::warning(
                    "value_corrected",
                    format!(
                        "`{}` printed `{}` {what}: {n} identities agree",
                        draft.items[cell.0].label, old.as_printed
                    ),
                    Some(old.span),
                ));
                changed = true;
            } else {
                set(draft, cell, old);
            }
        }
        if !changed {
            break;
        }
    }
}

fn clear_or_set(draft: &mut Draft, (item, col): CellRef, value: Option<Value>) {
    if let Some(slot) = draft.items.get_mut(item).and_then(|i| i.values.get_mut(col)) {
        *slot = value;
    }
}

fn set(draft: &mut Draft, (item, col): CellRef, value: Value) {
    if let Some(slot) = draft.items.get_mut(item).and_then(|i| i.values.get_mut(col)) {
        *slot = Some(value);
    }
}

/// A line of a GAAP / adjustment / non-GAAP table missing one of its three values, where
/// the other two are printed, gets the missing one from GAAP + adjustment = non-GAAP (a zero
/// result is what the blank means, and stays blank).
fn derive(draft: &mut Draft, diagnostics: &mut Vec<Diagnostic>) {
    for (g, a, n) in checks::bridge_groups(draft) {
        let Some(a) = a else { continue };
        for i in 0..draft.items.len() {
            let item = &draft.items[i];
            if item.dropped || item.is_header || item.unit != Unit::Usd {
                continue;
            }
            let get = |c: usize| {
                item.values
                    .get(c)
                    .and_then(|v| v.as_ref())
                    .filter(|v| v.status != FactStatus::Derived)
                    .map(|v| v.printed)
            };
            let (gv, av, nv) = (get(g), get(a), get(n));
            let (col, value, formula) = match (gv, av, nv) {
                (None, Some(av), Some(nv)) => {
                    (g, nv - av, format!("non-GAAP {nv} - adjustment {av}"))
                }
                (Some(gv), Some(av), None) => (n, gv + av, format!("GAAP {gv} + adjustment {av}")),
                _ => continue,
            };
            if value.is_zero() {
                continue;
            }
            let span = item.span;
            let label = item.label.clone();
            set(
                draft,
                (i, col),
                Value {
                    printed: value,
                    as_printed: String::new(),
                    span,
                    percent: false,
                    status: FactStatus::Derived,
                    formula: Some(formula.clone()),
                },
            );
            let basis = if col == g { Basis::Gaap } else { Basis::NonGaap };
            diagnostics.push(Diagnostic::info(
                "value_derived",
                format!("`{label}` ({basis:?}) not printed; derived as {formula}"),
                Some(span),
            ));
        }
    }
}
