//! Reconciliations printed row by row: "GAAP net loss" (or "Net income - as reported"), the
//! add-backs, "Non-GAAP net loss" (or "Net income excluding ..."), with periods across the
//! columns. There the basis belongs to the row.

use rust_decimal::Decimal;

use super::Item;
use crate::parse::lexicon;
use crate::parse::model::{Basis, Unit};

/// Give rows their basis when the table reads as a row-by-row reconciliation: a row named as
/// a GAAP measure, later a row named as a non-GAAP measure, the rows between them adjustments.
/// In a table titled as a reconciliation the GAAP measure need not say so: its first row of
/// figures is where the reconciliation starts ("Net income", then the add-backs, then
/// "Adjusted EBITDA"). A row between that adds up the rows above it ("EBITDA") is a non-GAAP
/// subtotal the next adjustments start from. Returns whether it did.
pub fn assign(items: &mut [Item], titled: bool) -> bool {
    let valued = |it: &Item| !it.dropped && !it.is_header && it.values.iter().any(Option::is_some);
    let named: Vec<(usize, Option<Basis>)> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| valued(it))
        .map(|(i, it)| (i, lexicon::basis_named(&lexicon::normalize(&it.label))))
        .collect();
    let mut assigned = false;
    let mut k = 0;
    while k < named.len() {
        let (g, basis) = named[k];
        // a run starts at a row named GAAP, or in a titled reconciliation at its first row
        let starts = basis == Some(Basis::Gaap) || (titled && !assigned && basis.is_none());
        if !starts {
            k += 1;
            continue;
        }
        // it ends at a row named non-GAAP; in a titled reconciliation that names none ("... to
        // free cash flow"), at its last row of figures unless that is a total of a breakdown
        let end = named[k + 1..].iter().find(|(_, b)| *b == Some(Basis::NonGaap));
        let names_none = named[k..].iter().all(|(_, b)| *b != Some(Basis::NonGaap));
        let last = named.last().filter(|&&(i, _)| {
            titled && !assigned && names_none && named.len() - k >= 3 && !items[i].is_total
        });
        let Some(&(n, _)) = end.or(last) else {
            break;
        };
        mark_run(items, g, n, &valued);
        assigned = true;
        k = named.iter().position(|(i, _)| *i == n).map_or(named.len(), |p| p + 1);
    }
    assigned
}

/// Rows `g` (GAAP) to `n` (non-GAAP): bases, subtotals, and the unit of per-share or percent
/// runs.
fn mark_run(items: &mut [Item], g: usize, n: usize, valued: &dyn Fn(&Item) -> bool) {
    items[g].basis = Some(Basis::Gaap);
    items[n].basis = Some(Basis::NonGaap);
    // the adjustments of an amount per share (or of a percentage) are per share too
    let unit = items[g].unit;
    let measured = unit != Unit::Usd && items[n].unit == unit;
    let mut running: Vec<Option<Decimal>> = printed(&items[g]);
    for item in items.iter_mut().take(n).skip(g + 1) {
        if !valued(item) {
            continue;
        }
        let values = printed(item);
        if adds_up_to(&running, &values) {
            item.basis = Some(Basis::NonGaap);
            running = values;
            continue;
        }
        let sign = coefficient(item);
        for (sum, v) in running.iter_mut().zip(&values) {
            *sum = match (*sum, v) {
                (Some(s), Some(v)) => Some(s + sign * v),
                (s, None) => s,
                (None, Some(_)) => None,
            };
        }
        item.basis = Some(Basis::Adjustment);
        if measured {
            item.unit = unit;
        }
    }
}

fn printed(item: &Item) -> Vec<Option<Decimal>> {
    item.values.iter().map(|v| v.as_ref().map(|v| v.printed)).collect()
}

/// A row equal to the running sum in every column where both print a figure (two at least,
/// unless the table has one column): a subtotal, not one more adjustment.
fn adds_up_to(running: &[Option<Decimal>], values: &[Option<Decimal>]) -> bool {
    let both: Vec<(Decimal, Decimal)> =
        running.iter().zip(values).filter_map(|(s, v)| Some(((*s)?, (*v)?))).collect();
    let enough = both.len() >= 2 || (running.len() == 1 && both.len() == 1);
    enough && both.iter().all(|(s, v)| s == v)
}

/// How an adjustment row counts in its bridge: taken away when it says so ("Less: capital
/// expenditures") and prints its figures as positive amounts, else as printed.
pub fn coefficient(item: &Item) -> Decimal {
    let positive = item.values.iter().flatten().all(|v| v.printed >= Decimal::ZERO);
    if positive && lexicon::subtracts(&item.label, item.section.as_deref()) {
        -Decimal::ONE
    } else {
        Decimal::ONE
    }
}
