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
    /// What the identity says, as the items it names; see [`Found::description`].
    pub what: Description,
    /// Column whose period the check is about.
    pub column: usize,
    pub target: CellRef,
    /// Terms summed (with their signs) to give `expected`; empty for ratios.
    pub terms: Vec<(CellRef, Decimal)>,
    pub expected: Decimal,
    pub actual: Decimal,
    pub passed: bool,
}

/// What an identity says. The identities are run many times over while readings are weighed
/// (only whether each holds matters there), so the text is written out only when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Description {
    /// Text that names no line.
    Fixed(&'static str),
    /// `<total> = sum of the <rows> rows above it`.
    Total { item: usize, rows: usize },
    /// `<to> = <from> and the rows between them`.
    NetResult { from: usize, to: usize },
    /// `<gaap> + adjustments = <non_gaap>`: a reconciliation printed row by row.
    RowBridge { gaap: usize, non_gaap: usize },
    /// `<item>: GAAP + adjustment = non-GAAP`.
    Bridge { item: usize },
}

impl Found {
    /// The identity in words, with the labels of the draft it was found on.
    pub fn description(&self, draft: &Draft) -> String {
        let label = |i: usize| draft.items.get(i).map_or("", |it| it.label.as_str());
        match self.what {
            Description::Fixed(text) => text.to_owned(),
            Description::Total { item, rows } => {
                let name = if label(item).is_empty() { "unlabeled total" } else { label(item) };
                format!("{name} = sum of the {rows} rows above it")
            }
            Description::NetResult { from, to } => {
                format!("{} = {} and the rows between them", label(to), label(from))
            }
            Description::RowBridge { gaap, non_gaap } => {
                format!("{} + adjustments = {}", label(gaap), label(non_gaap))
            }
            Description::Bridge { item } => {
                format!("{}: GAAP + adjustment = non-GAAP", label(item))
            }
        }
    }

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

/// The first live line of each concept the identities name. Found in one pass over the items
/// when the identities are run (they ask for a dozen concepts in every column, and are run for
/// every reading weighed).
#[derive(Debug, Default)]
struct Anchors {
    revenue: Option<usize>,
    cost_of_revenue: Option<usize>,
    gross_profit: Option<usize>,
    gross_margin: Option<usize>,
    operating_expenses: Option<usize>,
    operating_income: Option<usize>,
    income_before_taxes: Option<usize>,
    net_income: Option<usize>,
    total_assets: Option<usize>,
    total_liabilities: Option<usize>,
    total_stockholders_equity: Option<usize>,
    total_liabilities_and_equity: Option<usize>,
    net_change_in_cash: Option<usize>,
    cash_at_beginning: Option<usize>,
    /// The first cash row below the opening balance: the closing balance.
    cash_at_end: Option<usize>,
}

impl Anchors {
    fn of(draft: &Draft) -> Self {
        let mut a = Anchors::default();
        for (i, item) in draft.items.iter().enumerate().filter(|(_, item)| live(item)) {
            let slot = match item.concept.as_deref() {
                Some("revenue") => &mut a.revenue,
                Some("cost_of_revenue") => &mut a.cost_of_revenue,
                Some("gross_profit") => &mut a.gross_profit,
                Some("gross_margin") => &mut a.gross_margin,
                Some("operating_expenses") => &mut a.operating_expenses,
                Some("operating_income") => &mut a.operating_income,
                Some("income_before_taxes") => &mut a.income_before_taxes,
                Some("net_income") => &mut a.net_income,
                Some("total_assets") => &mut a.total_assets,
                Some("total_liabilities") => &mut a.total_liabilities,
                Some("total_stockholders_equity") => &mut a.total_stockholders_equity,
                Some("total_liabilities_and_equity") => &mut a.total_liabilities_and_equity,
                Some("net_change_in_cash") => &mut a.net_change_in_cash,
                Some("cash_at_beginning_of_period") => &mut a.cash_at_beginning,
                Some("cash_and_equivalents") if a.cash_at_beginning.is_some_and(|b| b < i) => {
                    &mut a.cash_at_end
                }
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        a
    }
}

fn tolerance(terms: usize) -> Decimal {
    // printed figures are rounded: a sum of many rounded figures may be one unit off
    if terms >= 3 { Decimal::ONE } else { Decimal::ZERO }
}

/// Every identity that can be tested on the draft.
pub fn run(draft: &Draft) -> Vec<Found> {
    let mut found = Vec::new();
    test_all(draft, &mut Out::All(&mut found));
    found
}

/// [`score`] of [`run`], without keeping the identities: asked once for every reading the
/// reconciliation weighs, where building each identity would cost more than testing it.
pub fn score_of(draft: &Draft) -> i64 {
    let mut score = 0;
    test_all(draft, &mut Out::Score(&mut score));
    score
}

fn test_all(draft: &Draft, out: &mut Out<'_>) {
    totals(draft, out);
    let ncols = draft.columns.len();
    let anchors = Anchors::of(draft);
    // rows that carry their basis (a reconciliation printed row by row) hold the GAAP and the
    // non-GAAP figure of a measure in one column, one measure after another: the identities
    // between measures hold within one basis, which such a column does not keep apart
    let by_rows = draft.items.iter().any(|it| it.basis.is_some());
    for col in (0..ncols).filter(|_| !by_rows) {
        chain(draft, &anchors, col, out);
        balance(draft, &anchors, col, out);
        cash_roll_forward(draft, &anchors, col, out);
        margin(draft, &anchors, col, out);
    }
    bridges(draft, out);
    row_bridges(draft, out);
}

/// Where tested identities go: kept whole, or only counted into the score.
enum Out<'a> {
    All(&'a mut Vec<Found>),
    Score(&'a mut i64),
}

/// One identity as tested, its terms borrowed until it is kept.
struct Tested<'t> {
    kind: CheckKind,
    what: Description,
    column: usize,
    target: CellRef,
    terms: &'t [(CellRef, Decimal)],
    outcome: Outcome,
}

/// What the draft's values say about one identity.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    expected: Decimal,
    actual: Decimal,
    passed: bool,
}

impl Out<'_> {
    fn push(&mut self, t: Tested<'_>) {
        match self {
            Out::All(found) => found.push(Found {
                kind: t.kind,
                what: t.what,
                column: t.column,
                target: t.target,
                terms: t.terms.to_vec(),
                expected: t.outcome.expected,
                actual: t.outcome.actual,
                passed: t.outcome.passed,
            }),
            Out::Score(score) => **score += if t.outcome.passed { 1 } else { -1 },
        }
    }
}

/// A reconciliation printed row by row: the GAAP row plus the adjustment rows below it give
/// the non-GAAP row, in every column; a non-GAAP subtotal ("EBITDA") plus the adjustments
/// below it gives the next non-GAAP row ("Adjusted EBITDA").
fn row_bridges(draft: &Draft, out: &mut Out<'_>) {
    let rows: Vec<(usize, Basis)> = draft
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| live(it))
        .filter_map(|(i, it)| it.basis.map(|b| (i, b)))
        .collect();
    for (k, &(g, basis)) in rows.iter().enumerate() {
        // a rate does not bridge by adding: the tax rate of an adjustment is no points added
        // to the GAAP rate, and margins are rounded apart
        if basis == Basis::Adjustment || draft.items[g].unit == Unit::Percent {
            continue;
        }
        let next = rows[k + 1..].iter().position(|(_, b)| *b != Basis::Adjustment);
        let Some(&(n, Basis::NonGaap)) = next.map(|p| &rows[k + 1 + p]) else {
            continue;
        };
        let adjustments: Vec<usize> = rows
            .iter()
            .filter(|(i, b)| *i > g && *i < n && *b == Basis::Adjustment)
            .map(|(i, _)| *i)
            .collect();
        // with no adjustment between them the two rows are two summary lines, the bridge
        // printed elsewhere or not at all ("GAAP diluted EPS" over "Non-GAAP diluted EPS" after
        // a reconciliation of net income); two non-GAAP rows in a row are two measures
        if adjustments.is_empty() {
            continue;
        }
        let mut terms = Vec::new();
        for col in 0..draft.columns.len() {
            terms.clear();
            terms.push(((g, col), Decimal::ONE));
            terms.extend(adjustments.iter().map(|&i| {
                ((i, col), crate::parse::statements::bridge_coefficient(&draft.items[i]))
            }));
            let description = Description::RowBridge { gaap: g, non_gaap: n };
            linear(draft, CheckKind::NonGaapBridge, description, col, (n, col), &terms, out);
        }
    }
}

/// Test `target` = the sum of `terms` (each cell times its coefficient), when the target and
/// some term are printed; for every identity but a total, the first term too (see
/// [`linear_outcome`]).
fn linear(
    draft: &Draft,
    kind: CheckKind,
    what: Description,
    column: usize,
    target: CellRef,
    terms: &[(CellRef, Decimal)],
    out: &mut Out<'_>,
) {
    if let Some(outcome) =
        linear_outcome(draft, target, terms, lead_required(draft, kind, column, out))
    {
        out.push(Tested { kind, what, column, target, terms, outcome });
    }
}

/// Whether an identity of `kind` in `column` is tested only with its lead term printed (see
/// [`linear_outcome`]).
///
/// Only for the identities reported: while readings of merged rows are weighed, a reading that
/// leaves a lead blank beside its printed result counts against itself (the identity fails as
/// if the blank were zero), which is what tells it from the reading that fills the lead.
fn lead_required(draft: &Draft, kind: CheckKind, column: usize, out: &Out<'_>) -> bool {
    let adjustments = draft.columns.get(column).is_some_and(|c| c.basis == Some(Basis::Adjustment));
    matches!(out, Out::All(_)) && kind != CheckKind::Total && !adjustments
}

/// A blank cell is absent, not zero. Among a total's components a blank row adds nothing, and
/// in an adjustments column a blank is no adjustment; but elsewhere the other identities start
/// from a lead term (revenue for gross profit, the GAAP figure for a bridge, the operating
/// result for the net result): with it blank (`lead_required`), the identity says nothing
/// about the column, and is not tested.
fn linear_outcome(
    draft: &Draft,
    target: CellRef,
    terms: &[(CellRef, Decimal)],
    lead_required: bool,
) -> Option<Outcome> {
    let actual = value(draft, target)?;
    if lead_required && terms.first().is_some_and(|(c, _)| value(draft, *c).is_none()) {
        return None;
    }
    // one pass: whether any term is printed, and the sum of the terms (as `Sum` adds them)
    let mut printed = false;
    let mut expected = Decimal::ZERO;
    for (c, k) in terms {
        let v = value(draft, *c);
        printed |= v.is_some();
        expected += v.unwrap_or_default() * *k;
    }
    let passed = (expected - actual).abs() <= tolerance(terms.len());
    printed.then_some(Outcome { expected, actual, passed })
}

/// Totals: each total row equals the unconsumed rows above it (the shortest run that adds
/// up); when none adds up, the rows of its section are reported as the failing components.
fn totals(draft: &Draft, out: &mut Out<'_>) {
    let items = &draft.items;
    let mut consumed = vec![false; items.len()];
    let mut frames: Vec<Vec<usize>> = vec![Vec::new()];
    let mut terms = Vec::new();
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
            // "Net property and equipment" under the gross amount and the depreciation: a
            // subtotal of the run above it that adds up, within its section, said only when
            // it holds (a "Net ..." row is often no sum at all)
            // the run must lie in the section's rows, so it is sought only from the first of
            // them (this is asked in every weighing of merged-row readings)
            let frame = frames.last().filter(|f| f.len() >= 2);
            if item.may_close
                && has_value
                && let Some(frame) = frame
                && let Some(run) = matching_run(draft, t, &consumed, frame[0])
                && run.iter().all(|r| frame.contains(r))
            {
                for &c in &run {
                    consumed[c] = true;
                }
                test_total(draft, t, &run, &mut terms, out);
            }
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
        let run = matching_run(draft, t, &consumed, 0);
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
        test_total(draft, t, &components, &mut terms, out);
        if let Some(f) = frames.last_mut() {
            f.push(t);
        }
    }
}

/// Test row `t` = the sum of `components`, in every column (`terms` is scratch space).
fn test_total(
    draft: &Draft,
    t: usize,
    components: &[usize],
    terms: &mut Vec<(CellRef, Decimal)>,
    out: &mut Out<'_>,
) {
    for col in 0..draft.columns.len() {
        terms.clear();
        terms.extend(components.iter().map(|&c| ((c, col), Decimal::ONE)));
        linear(
            draft,
            CheckKind::Total,
            Description::Total { item: t, rows: components.len() },
            col,
            (t, col),
            terms,
            out,
        );
    }
}

/// The shortest run of unconsumed rows directly above `t` that adds up to it in every
/// column where it is printed.
fn matching_run(draft: &Draft, t: usize, consumed: &[bool], from: usize) -> Option<Vec<usize>> {
    let items = &draft.items;
    let target = &items[t];
    let cols: Vec<usize> = (0..draft.columns.len())
        .filter(|&c| target.values.get(c).is_some_and(Option::is_some))
        .collect();
    let mut sums = vec![Decimal::ZERO; draft.columns.len()];
    let mut run = Vec::new();
    for s in (from..t).rev() {
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
fn chain(draft: &Draft, anchors: &Anchors, col: usize, out: &mut Out<'_>) {
    let one = Decimal::ONE;
    let revenue = anchors.revenue;
    let cost = anchors.cost_of_revenue;
    let gross = anchors.gross_profit;
    let opex = anchors.operating_expenses;
    let operating = anchors.operating_income;
    if let (Some(r), Some(c), Some(g)) = (revenue, cost, gross) {
        linear(
            draft,
            CheckKind::GrossProfit,
            Description::Fixed("gross profit = revenue - cost of revenue"),
            col,
            (g, col),
            &[((r, col), one), ((c, col), -one)],
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
            Description::Fixed("operating result = gross profit - operating expenses"),
            col,
            (o, col),
            &[((g, col), one), ((x, col), -one)],
            out,
        );
    }
    let net = anchors.net_income;
    let pretax = anchors.income_before_taxes;
    // from the operating result through the pre-tax result to the net result; a statement
    // printing no operating result still steps from the pre-tax result
    let steps: Vec<(usize, usize)> = match (operating, pretax, net) {
        (Some(o), Some(p), Some(n)) if o < p && p < n => vec![(o, p), (p, n)],
        (Some(o), _, Some(n)) if o < n => vec![(o, n)],
        (None, Some(p), Some(n)) if p < n => vec![(p, n)],
        _ => Vec::new(),
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
        let target = (to, col);
        let lead = lead_required(draft, CheckKind::NetResult, col, out);
        let Some(first) = linear_outcome(draft, target, &plain, lead) else {
            continue;
        };
        // the reading with expenses subtracted, when only it holds
        let (terms, outcome) = match linear_outcome(draft, target, &signed, lead) {
            Some(second) if !first.passed && second.passed => (&signed, second),
            _ => (&plain, first),
        };
        let what = Description::NetResult { from, to };
        out.push(Tested { kind: CheckKind::NetResult, what, column: col, target, terms, outcome });
    }
}

/// Assets = liabilities + equity.
fn balance(draft: &Draft, anchors: &Anchors, col: usize, out: &mut Out<'_>) {
    let one = Decimal::ONE;
    let assets = anchors.total_assets;
    if let (Some(a), Some(le)) = (assets, anchors.total_liabilities_and_equity) {
        linear(
            draft,
            CheckKind::BalanceSheet,
            Description::Fixed("total assets = total liabilities and equity"),
            col,
            (le, col),
            &[((a, col), one)],
            out,
        );
    }
    if let (Some(a), Some(l), Some(e)) =
        (assets, anchors.total_liabilities, anchors.total_stockholders_equity)
    {
        linear(
            draft,
            CheckKind::BalanceSheet,
            Description::Fixed("total assets = total liabilities + equity"),
            col,
            (a, col),
            &[((l, col), one), ((e, col), one)],
            out,
        );
    }
}

/// Cash at the end of the period = cash at its beginning + the net change in cash (and any
/// row printed between the change and the closing balance), in a cash flow statement that
/// prints all three.
fn cash_roll_forward(draft: &Draft, anchors: &Anchors, col: usize, out: &mut Out<'_>) {
    let (Some(change), Some(opening), Some(closing)) =
        (anchors.net_change_in_cash, anchors.cash_at_beginning, anchors.cash_at_end)
    else {
        return;
    };
    if change >= closing {
        return;
    }
    // rows printed between the change and the closing balance other than the opening one
    // ("Effect of exchange rate changes on cash") are part of the roll-forward too
    let mut terms = vec![((opening, col), Decimal::ONE), ((change, col), Decimal::ONE)];
    terms.extend(
        (change + 1..closing)
            .filter(|&i| i != opening && live(&draft.items[i]))
            .map(|i| ((i, col), Decimal::ONE)),
    );
    linear(
        draft,
        CheckKind::CashRollForward,
        Description::Fixed("cash at end of period = cash at beginning + net change in cash"),
        col,
        (closing, col),
        &terms,
        out,
    );
}

/// Gross margin % = gross profit / revenue, to the printed precision.
fn margin(draft: &Draft, anchors: &Anchors, col: usize, out: &mut Out<'_>) {
    let (Some(m), Some(g), Some(r)) = (anchors.gross_margin, anchors.gross_profit, anchors.revenue)
    else {
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
    out.push(Tested {
        kind: CheckKind::GrossMargin,
        what: Description::Fixed("gross margin % = gross profit / revenue"),
        column: col,
        target: (m, col),
        terms: &[],
        outcome: Outcome { expected: rounded, actual: pct, passed },
    });
}

/// GAAP + adjustment = non-GAAP on each line, for each GAAP / adjustment / non-GAAP group of
/// columns.
fn bridges(draft: &Draft, out: &mut Out<'_>) {
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
            let mut terms = [((i, gaap), Decimal::ONE); 2];
            let count = match adj {
                Some(a) => {
                    terms[1] = ((i, a), Decimal::ONE);
                    2
                }
                None => 1,
            };
            let expected: Decimal = g.unwrap_or_default() + a.unwrap_or_default();
            let actual = n.unwrap_or_default();
            out.push(Tested {
                kind: CheckKind::NonGaapBridge,
                what: Description::Bridge { item: i },
                column: gaap,
                target: (i, non),
                terms: &terms[..count],
                outcome: Outcome { expected, actual, passed: expected == actual },
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
