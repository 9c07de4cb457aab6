//! Reconciliations printed row by row: "GAAP net loss" (or "Net income - as reported"), the
//! add-backs, "Non-GAAP net loss" (or "Net income excluding ..."), with periods across the
//! columns. There the basis belongs to the row.

use super::Item;
use crate::parse::lexicon;
use crate::parse::model::{Basis, Unit};

/// Give rows their basis when the table reads as a row-by-row reconciliation: a row named as
/// a GAAP measure, later a row named as a non-GAAP measure, the rows between them adjustments.
/// Returns whether it did.
pub fn assign(items: &mut [Item]) -> bool {
    let named: Vec<(usize, Basis)> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| !it.dropped && !it.is_header && it.values.iter().any(Option::is_some))
        .filter_map(|(i, it)| lexicon::basis_named(&lexicon::normalize(&it.label)).map(|b| (i, b)))
        .collect();
    let mut assigned = false;
    let mut k = 0;
    while k < named.len() {
        let (g, basis) = named[k];
        if basis != Basis::Gaap {
            k += 1;
            continue;
        }
        let Some(&(n, _)) = named[k + 1..].iter().find(|(_, b)| *b == Basis::NonGaap) else {
            break;
        };
        items[g].basis = Some(Basis::Gaap);
        items[n].basis = Some(Basis::NonGaap);
        // the adjustments of an amount per share (or of a percentage) are per share too
        let unit = items[g].unit;
        let measured = unit != Unit::Usd && items[n].unit == unit;
        for item in items.iter_mut().take(n).skip(g + 1) {
            if !item.dropped && !item.is_header && item.values.iter().any(Option::is_some) {
                item.basis = Some(Basis::Adjustment);
                if measured {
                    item.unit = unit;
                }
            }
        }
        assigned = true;
        k = named.iter().position(|(i, _)| *i == n).map_or(named.len(), |p| p + 1);
    }
    assigned
}
