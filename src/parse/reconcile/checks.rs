//! Accounting identities over one statement draft: which hold, which fail, and what value
//! each failing identity would need in each cell it touches.

use rust_decimal::Decimal;

use crate::parse::model::{Basis, CheckKind, Unit};
use crate::parse::statements::{Draft, Item};

/// A cell: (item index, column index).
pub type CellRef = (usize, usize);

/// One identity tested on one column (or across the columns of one period).
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: CheckKind,
    pub description: String,
    /// Column whose period the check is about.
    pub column: usize,
    pub target: CellRef,
    /// Terms summed (with their signs) to give `expected`; empty for ratios.
    pub terms: Vec<(CellRef, Decimal)>,
    pub expected: Decimal,
    pub actual: Decimal,
    pub passed: bool,
}

impl Found {
    /// Value each participating cell would need for this identity to hold.
    pub fn implied(&self, draft: &Draft) -> Vec<(CellRef, Decimal)> {
        if self.passed || self.terms.is_empty() {
            return Vec::new();
        }
        let mut out = vec![(self.target, self.expected)];
        let gap = self.actual - self.expected;
        for (cell, coef) in &self.terms {
            if coef.is_zero() {
                continue;
            }
            if let Some(v) = value(draft, *cell) {
                out.push((*cell, v + gap / *coef));
            }
        }
        out
    }
}

/// The printed (or derived) value of a cell.
pub fn value(draft: &Draft, (item, col): CellRef) -> Option<Decimal> {
    draft
        .items
        .get(item)
        .filter(|i| !i.dropped)
        .and_then(|i| i.values.get(col))
        .and_then(|v| v.as_ref())
        .map(|v| v.printed)
}

fn live(item: &Item) -> bool {
    !item.dropped && !item.is_header
}

fn first_with(draft: &Draft, concept: &str) -> Option<usize> {
    draft.items.iter().position(|i| live(i) && i.concept.as_deref() == Some(concept))
}

fn tolerance(terms: usize) -> Decimal {
    // printed figures are rounded: a sum of many rounded figures may be one unit off
    if terms >= 3 { Decimal::ONE } else { Decimal::ZERO }
}

/// Every identity that can be tested on the draft.
pub fn run(draft: &Draft) -> Vec<Found> {
    let mut out = Vec::new();
    totals(draft, &mut out);
    let ncols = draft.columns.len();
    for col in 0..ncols {
        chain(draft, col, &mut out);
        balance(draft, col, &mut out);
        margin(draft, col, &mut out);
    }
    bridges(draft, &mut out);
    row_bridges(draft, &mut out);
    out
}

/// A reconciliation printed row by row: the GAAP row plus the adjustment rows below it give
/// the non-GAAP row, in every column.
fn row_bridges(draft: &Draft, out: &mut Vec<Found>) {
    let rows: Vec<(usize, Basis)> = draft
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| live(it))
        .filter_map(|(i, it)| it.basis.map(|b| (i, b)))
        .collect();
    for (k, &(g, basis)) in rows.iter().enumerate() {
        if basis != Basis::Gaap {
            continue;
        }
        let Some(&(n, _)) = rows[k + 1..].iter().find(|(_, b)| *b == Basis::NonGaap) else {
            continue;
        };
        let adjustments: Vec<usize> = rows
            .iter()
            .filter(|(i, b)| *i > g && *i < n && *b == Basis::Adjustment)
            .map(|(i, _)| *i)
            .collect();
        for col in 0..draft.columns.len() {
            let terms = std::iter::once(g)
                .chain(adjustments.iter().copied())
                .map(|i| ((i, col), Decimal::ONE))
                .collect();
            let description =
                format!("{} + adjustments = {}", draft.items[g].label, draft.items[n].label);
            linear(draft, CheckKind::NonGaapBridge, description, col, (n, col), terms, out);
        }
    }
}

fn linear(
    draft: &Draft,
    kind: CheckKind,
    description: String,
    column: usize,
    target: CellRef,
    terms: Vec<(CellRef, Decimal)>,
    out: &mut Vec<Found>,
) {
    let Some(actual) = value(draft, target) else {
        return;
    };
    if terms.iter().all(|(c, _)| value(draft, *c).is_none()) {
        return;
    }
    let expected: Decimal =
        terms.iter().map(|(c, k)| value(draft, *c).unwrap_or_default() * *k).sum();
    let passed = (expected - actual).abs() <= tolerance(terms.len());
    out.push(Found { kind, description, column, target, terms, expected, actual, passed });
}

/// Totals: each total row equals the unconsumed rows above it (the shortest run that adds
/// up); when none adds up, the rows of its section are reported as the failing components.
fn totals(draft: &Draft, out: &mut Vec<Found>) {
    let items = &draft.items;
    let ncols = draft.columns.len();
    let mut consumed = vec![false; items.len()];
    let mut frames: Vec<Vec<usize>> = vec![Vec::new()];
    for t in 0..items.len() {
        let item = &items[t];
        if item.dropped {
            continue;
        }
        if item.is_header {
            frames.push(Vec::new());
            continue;
        }
        if item.unit != Unit::Usd && item.unit != Unit::Shares {
            continue;
        }
        let has_value = item.values.iter().any(Option::is_some);
        if !(item.is_total && has_value) {
            if let Some(f) = frames.last_mut() {
                f.push(t);
            }
            continue;
        }
        let frame = if frames.len() > 1 {
            frames.pop().unwrap_or_default()
        } else {
            std::mem::take(&mut frames[0])
        };
        let run = matching_run(draft, t, &consumed);
        let components = run.clone().unwrap_or_else(|| frame.clone());
        // a total whose own rows are not printed (only other totals precede it) states nothing
        if components.is_empty() || (run.is_none() && components.iter().all(|&c| items[c].is_total))
        {
            if let Some(f) = frames.last_mut() {
                f.push(t);
            }
            continue;
        }
        if run.is_some() {
            for &c in &components {
                consumed[c] = true;
            }
        }
        let name =
            if item.label.is_empty() { "unlabeled total".to_owned() } else { item.label.clone() };
        for col in 0..ncols {
            let terms = components.iter().map(|&c| ((c, col), Decimal::ONE)).collect();
            linear(
                draft,
                crate::parse::model::CheckKind::Total,
                format!("{name} = sum of the {} rows above it", components.len()),
                col,
                (t, col),
                terms,
                out,
            );
        }
        if let Some(f) = frames.last_mut() {
            f.push(t);
        }
    }
}

/// The shortest run of unconsumed rows directly above `t` that adds up to it in every
/// column where it is printed.
fn matching_run(draft: &Draft, t: usize, consumed: &[bool]) -> Option<Vec<usize>> {
    let items = &draft.items;
    let target = &items[t];
    let cols: Vec<usize> = (0..draft.columns.len())
        .filter(|&c| target.values.get(c).is_some_and(Option::is_some))
        .collect();
    let mut sums = vec![Decimal::ZERO; draft.columns.len()];
    let mut run = Vec::new();
    for s in (0..t).rev() {
        let item = &items[s];
        if consumed[s] || !live(item) || item.unit != target.unit {
            continue;
        }
        if item.values.iter().all(Option::is_none) {
            continue;
        }
        run.push(s);
        for &c in &cols {
            sums[c] += value(draft, (s, c)).unwrap_or_default();
        }
        let tol = tolerance(run.len());
        if run.len() >= 2
            && cols
                .iter()
                .all(|&c| (sums[c] - value(draft, (t, c)).unwrap_or_default()).abs() <= tol)
        {
            run.reverse();
            return Some(run);
        }
    }
    None
}

/// Gross profit, operating result and net result from the rows that lead to them.
fn chain(draft: &Draft, col: usize, out: &mut Vec<Found>) {
    let one = Decimal::ONE;
    let revenue = first_with(draft, "revenue");
    let cost = first_with(draft, "cost_of_revenue");
    let gross = first_with(draft, "gross_profit");
    let opex = first_with(draft, "operating_expenses");
    let operating = first_with(draft, "operating_income");
    if let (Some(r), Some(c), Some(g)) = (revenue, cost, gross) {
        linear(
            draft,
            CheckKind::GrossProfit,
            "gross profit = revenue - cost of revenue".into(),
            col,
            (g, col),
            vec![((r, col), one), ((c, col), -one)],
            out,
        );
    }
    if let (Some(g), Some(x), Some(o)) = (gross, opex, operating)
        && g < x
        && x < o
    {
        linear(
            draft,
            CheckKind::OperatingResult,
            "operating result = gross profit - operating expenses".into(),
            col,
            (o, col),
            vec![((g, col), one), ((x, col), -one)],
            out,
        );
    }
    let net = first_with(draft, "net_income");
    if let (Some(o), Some(n)) = (operating, net)
        && o < n
    {
        let pretax = first_with(draft, "income_before_taxes").filter(|&p| p > o && p < n);
        let steps: Vec<(usize, usize)> = match pretax {
            Some(p) => vec![(o, p), (p, n)],
            None => vec![(o, n)],
        };
        for (from, to) in steps {
            let between: Vec<usize> = (from + 1..to)
                .filter(|&i| {
                    live(&draft.items[i])
                        && draft.items[i].unit == Unit::Usd
                        && !draft.items[i].is_total
                })
                .collect();
            // a reconciliation that skips from one measure to the next states no identity
            if between.is_empty() {
                continue;
            }
            let plain: Vec<(CellRef, Decimal)> = std::iter::once(((from, col), one))
                .chain(between.iter().map(|&i| ((i, col), one)))
                .collect();
            // expenses printed without a sign are subtracted
            let signed: Vec<(CellRef, Decimal)> = std::iter::once(((from, col), one))
                .chain(between.iter().map(|&i| {
                    let expense = matches!(
                        draft.items[i].concept.as_deref(),
                        Some("income_tax" | "interest_expense")
                    );
                    let positive = value(draft, (i, col)).is_some_and(|v| v > Decimal::ZERO);
                    ((i, col), if expense && positive { -one } else { one })
                }))
                .collect();
            let description = format!(
                "{} = {} and the rows between them",
                draft.items[to].label, draft.items[from].label
            );
            let mut trial = Vec::new();
            linear(
                draft,
                CheckKind::NetResult,
                description.clone(),
                col,
                (to, col),
                plain,
                &mut trial,
            );
            if trial.first().is_some_and(|f| !f.passed) {
                let mut second = Vec::new();
                linear(
                    draft,
                    CheckKind::NetResult,
                    description,
                    col,
                    (to, col),
                    signed,
                    &mut second,
                );
                if second.first().is_some_and(|f| f.passed) {
                    trial = second;
                }
            }
            out.extend(trial);
        }
    }
}

/// Assets = liabilities + equity.
fn balance(draft: &Draft, col: usize, out: &mut Vec<Found>) {
    let one = Decimal::ONE;
    let assets = first_with(draft, "total_assets");
    if let (Some(a), Some(le)) = (assets, first_with(draft, "total_liabilities_and_equity")) {
        linear(
            draft,
            CheckKind::BalanceSheet,
            "total assets = total liabilities and equity".into(),
            col,
            (le, col),
            vec![((a, col), one)],
            out,
        );
    }
    if let (Some(a), Some(l), Some(e)) = (
        assets,
        first_with(draft, "total_liabilities"),
        first_with(draft, "total_stockholders_equity"),
    ) {
        linear(
            draft,
            CheckKind::BalanceSheet,
            "total assets = total liabilities + equity".into(),
            col,
            (a, col),
            vec![((l, col), one), ((e, col), one)],
            out,
        );
    }
}

/// Gross margin % = gross profit / revenue, to the printed precision.
fn margin(draft: &Draft, col: usize, out: &mut Vec<Found>) {
    let (Some(m), Some(g), Some(r)) = (
        first_with(draft, "gross_margin"),
        first_with(draft, "gross_profit"),
        first_with(draft, "revenue"),
    ) else {
        return;
    };
    let (Some(pct), Some(gp), Some(rev)) =
        (value(draft, (m, col)), value(draft, (g, col)), value(draft, (r, col)))
    else {
        return;
    };
    if rev.is_zero() {
        return;
    }
    let computed = gp * Decimal::from(100) / rev;
    let scale = pct.scale();
    let rounded = computed.round_dp(scale);
    let passed = (rounded - pct).abs() <= Decimal::new(1, scale) / Decimal::TWO || rounded == pct;
    out.push(Found {
        kind: CheckKind::GrossMargin,
        description: "gross margin % = gross profit / revenue".into(),
        column: col,
        target: (m, col),
        terms: Vec::new(),
        expected: rounded,
        actual: pct,
        passed,
    });
}

/// GAAP + adjustment = non-GAAP on each line, for each GAAP / adjustment / non-GAAP group of
/// columns.
fn bridges(draft: &Draft, out: &mut Vec<Found>) {
    for (gaap, adj, non) in bridge_groups(draft) {
        for (i, item) in draft.items.iter().enumerate() {
            if !live(item) || item.unit != Unit::Usd {
                continue;
            }
            let g = value(draft, (i, gaap));
            let a = adj.and_then(|a| value(draft, (i, a)));
            let n = value(draft, (i, non));
            if g.is_none() || (a.is_none() && n.is_none()) {
                continue;
            }
            let mut terms = vec![((i, gaap), Decimal::ONE)];
            if let Some(a) = adj {
                terms.push(((i, a), Decimal::ONE));
            }
            let expected: Decimal = g.unwrap_or_default() + a.unwrap_or_default();
            let actual = n.unwrap_or_default();
            out.push(Found {
                kind: CheckKind::NonGaapBridge,
                description: format!("{}: GAAP + adjustment = non-GAAP", item.label),
                column: gaap,
                target: (i, non),
                terms,
                expected,
                actual,
                passed: expected == actual,
            });
        }
    }
}

/// Column groups (GAAP, adjustment, non-GAAP) that belong together, left to right.
pub fn bridge_groups(draft: &Draft) -> Vec<(usize, Option<usize>, usize)> {
    let bases: Vec<Option<Basis>> = draft.columns.iter().map(|c| c.basis).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bases.len() {
        if bases[i] == Some(Basis::Gaap) {
            if bases.get(i + 1) == Some(&Some(Basis::Adjustment))
                && bases.get(i + 2) == Some(&Some(Basis::NonGaap))
            {
                out.push((i, Some(i + 1), i + 2));
                i += 3;
                continue;
            }
            if bases.get(i + 1) == Some(&Some(Basis::NonGaap)) {
                out.push((i, None, i + 1));
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Score of a draft's current reading: identities that hold minus those that fail.
pub fn score(found: &[Found]) -> i64 {
    found.iter().map(|f| if f.passed { 1 } else { -1 }).sum()
}
