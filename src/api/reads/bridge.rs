//! Non-GAAP reconciliations read off a statement's own rows, for one period.
//!
//! Two layouts are read:
//! - **columns** (GAAP | Adjustments | Non-GAAP): each row carries its own adjustment. A
//!   component row's adjustment excludes that row itself; a total's is made of the adjustments
//!   of the rows of its section; a result (gross profit, operating result, pre-tax and net
//!   result) is made of every component row above it, each with the sign it has on the result
//!   (an expense excluded is added back).
//! - **rows** (GAAP measure, then one row per adjustment, then the non-GAAP measure): the
//!   adjustments are the rows in between, as printed.
//!
//! Each reconciled line says whether GAAP plus its adjustments equals the non-GAAP value; the
//! bridges restate the headline measures (operating result, net result, per share) as GAAP,
//! add-backs with their signs, and non-GAAP.

use rust_decimal::Decimal;

/// Concepts that are results of the statement's arithmetic, not components of it.
pub const RESULT_CONCEPTS: [&str; 4] =
    ["gross_profit", "operating_income", "income_before_taxes", "net_income"];

/// Concepts that add to the results (their adjustments keep their sign).
const INCOME_CONCEPTS: [&str; 3] = ["revenue", "interest_income", "other_income"];

/// Words in a label that name something earned.
const INCOME_WORDS: [&str; 5] = ["revenue", "revenues", "sales", "income", "gain"];

/// Words in a label that name something spent.
const EXPENSE_WORDS: [&str; 8] =
    ["expense", "expenses", "cost", "costs", "tax", "taxes", "provision", "loss"];

/// Headline measures and the name their bridge goes by.
const HEADLINES: [(&str, &str); 5] = [
    ("operating_income", "operating_result"),
    ("net_income", "net_result"),
    ("eps_basic_diluted", "per_share"),
    ("eps_diluted", "per_share_diluted"),
    ("eps_basic", "per_share_basic"),
];

/// A stored value of one basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value.
    pub value: Decimal,
    /// Its unit.
    pub unit: String,
    /// The fact.
    pub fact_id: i64,
    /// `reported`, `derived` or `corrected`.
    pub status: String,
}

/// One row of a statement, with its values for the period.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// The line item.
    pub line_item_id: i64,
    /// Label as printed.
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Section header above it.
    pub section: Option<String>,
    /// Total or subtotal.
    pub is_total: bool,
    /// Section header.
    pub is_header: bool,
    /// GAAP value.
    pub gaap: Option<Value>,
    /// Adjustment printed on the row.
    pub adjustment: Option<Value>,
    /// Non-GAAP value.
    pub non_gaap: Option<Value>,
}

/// One adjustment of a reconciled line, named by what it excludes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    /// What it excludes: the excluded row's label, cleaned of `Add:`/`Less:`.
    pub name: String,
    /// The excluded row's concept key.
    pub concept: Option<String>,
    /// Its effect on this line (an expense excluded from a result is positive).
    pub amount: Decimal,
    /// The fact it comes from.
    pub fact_id: i64,
    /// The row it comes from.
    pub line_item_id: i64,
}

/// A line item with its reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// The row of the GAAP value (columns layout: the row itself).
    pub line_item_id: i64,
    /// Label as printed.
    pub label: String,
    /// Concept key.
    pub concept: Option<String>,
    /// Unit.
    pub unit: String,
    /// GAAP value.
    pub gaap: Option<Value>,
    /// The adjustment printed on the row itself (columns layout).
    pub printed_adjustment: Option<Value>,
    /// The adjustments, each named.
    pub adjustments: Vec<Adjustment>,
    /// Non-GAAP value.
    pub non_gaap: Option<Value>,
    /// GAAP plus the adjustments (plus the printed adjustment when none is itemised).
    pub computed: Option<Decimal>,
    /// Whether `computed` equals the non-GAAP value; `None` without both.
    pub adds_up: Option<bool>,
    /// The printed adjustment less the itemised ones, when they differ.
    pub unexplained: Option<Decimal>,
}

/// A headline measure's bridge from GAAP to non-GAAP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bridge {
    /// `operating_result`, `net_result`, `per_share`, ...
    pub measure: &'static str,
    /// The reconciled line it restates.
    pub line: Reconciled,
}

/// Reads the reconciled lines of one statement's rows (in printed order).
pub fn reconcile(lines: &[Line]) -> Vec<Reconciled> {
    let mut out = Vec::new();
    let mut open: Option<Reconciled> = None;
    let operating_row = lines.iter().position(|l| l.concept.as_deref() == Some("operating_income"));
    for (index, line) in lines.iter().enumerate() {
        if line.is_header || !reconcilable_unit(line) {
            continue;
        }
        let bases = [&line.gaap, &line.adjustment, &line.non_gaap];
        let carried = bases.iter().filter(|b| b.is_some()).count();
        if carried >= 2 {
            if let Some(reconciled) = reconcile_columns(lines, index, operating_row) {
                out.push(reconciled);
            }
            continue;
        }
        // Rows layout: one basis per row.
        match (&line.gaap, &line.adjustment, &line.non_gaap) {
            (Some(gaap), None, None) => {
                out.extend(open.take().map(finish));
                open = Some(Reconciled {
                    line_item_id: line.line_item_id,
                    label: line.label.clone(),
                    concept: line.concept.clone(),
                    unit: gaap.unit.clone(),
                    gaap: Some(gaap.clone()),
                    printed_adjustment: None,
                    adjustments: Vec::new(),
                    non_gaap: None,
                    computed: None,
                    adds_up: None,
                    unexplained: None,
                });
            }
            (None, Some(adjustment), None) => {
                if let Some(open) = open.as_mut() {
                    open.adjustments.push(Adjustment {
                        name: adjustment_name(&line.label),
                        concept: line.concept.clone(),
                        amount: adjustment.value,
                        fact_id: adjustment.fact_id,
                        line_item_id: line.line_item_id,
                    });
                }
            }
            (None, None, Some(non_gaap)) => {
                if let Some(mut closed) = open.take() {
                    closed.non_gaap = Some(non_gaap.clone());
                    out.push(finish(closed));
                }
            }
            _ => {}
        }
    }
    out.extend(open.take().map(finish));
    out
}

/// The headline bridges among `lines`: one per measure, preferring one that adds up.
pub fn bridges(lines: &[Reconciled], all_lines: &[Line]) -> Vec<Bridge> {
    let mut out: Vec<Bridge> = Vec::new();
    for (concept, measure) in HEADLINES {
        let candidates = lines.iter().filter(|l| l.concept.as_deref() == Some(concept));
        let best = candidates
            .filter(|l| l.gaap.is_some() && l.non_gaap.is_some())
            .max_by_key(|l| (l.adds_up == Some(true), std::cmp::Reverse(l.line_item_id)));
        if let Some(line) = best {
            out.push(Bridge { measure, line: line.clone() });
            continue;
        }
        // A headline printed on both bases with nothing to reconcile: GAAP equals non-GAAP.
        let unchanged = all_lines.iter().find(|l| {
            l.concept.as_deref() == Some(concept) && l.gaap.is_some() && l.non_gaap.is_some()
        });
        if let Some(line) = unchanged {
            out.push(Bridge { measure, line: finish(plain(line)) });
        }
    }
    out
}

/// Money and per-share rows are reconciled; ratios and counts are not.
fn reconcilable_unit(line: &Line) -> bool {
    [&line.gaap, &line.adjustment, &line.non_gaap]
        .into_iter()
        .flatten()
        .all(|v| v.unit == "USD" || v.unit == "USD/share")
}

/// A row carrying several bases as a reconciled line without itemised adjustments.
fn plain(line: &Line) -> Reconciled {
    Reconciled {
        line_item_id: line.line_item_id,
        label: line.label.clone(),
        concept: line.concept.clone(),
        unit: [&line.gaap, &line.adjustment, &line.non_gaap]
            .into_iter()
            .flatten()
            .map(|v| v.unit.clone())
            .next()
            .unwrap_or_default(),
        gaap: line.gaap.clone(),
        printed_adjustment: line.adjustment.clone(),
        adjustments: Vec::new(),
        non_gaap: line.non_gaap.clone(),
        computed: None,
        adds_up: None,
        unexplained: None,
    }
}

/// Columns layout: the row at `index`, its adjustment named by the rows it excludes.
fn reconcile_columns(
    lines: &[Line],
    index: usize,
    operating_row: Option<usize>,
) -> Option<Reconciled> {
    let line = &lines[index];
    let changed = match (&line.gaap, &line.non_gaap) {
        (Some(g), Some(n)) => g.value != n.value,
        _ => true,
    };
    if line.adjustment.is_none() && !changed {
        return None;
    }
    let mut reconciled = plain(line);
    let per_share = reconciled.unit == "USD/share";
    let is_result = line.concept.as_deref().is_some_and(|c| RESULT_CONCEPTS.contains(&c));
    if per_share {
        // Per-share adjustments are never itemised by dividing money by shares.
    } else if is_result {
        for (above_index, above) in lines.iter().enumerate().take(index) {
            if let Some(adjustment) = component_adjustment(above) {
                let sign = effect_sign(above, above_index, operating_row);
                reconciled.adjustments.push(named(above, adjustment, sign));
            }
        }
    } else if line.is_total {
        for above in lines.iter().take(index) {
            if above.section == line.section
                && let Some(adjustment) = component_adjustment(above)
            {
                reconciled.adjustments.push(named(above, adjustment, Decimal::ONE));
            }
        }
    } else if let Some(adjustment) = &line.adjustment {
        reconciled.adjustments.push(named(line, adjustment, Decimal::ONE));
    }
    Some(finish(reconciled))
}

/// A component row's own adjustment (not a total, result, header, ratio or count).
fn component_adjustment(line: &Line) -> Option<&Value> {
    let is_result = line.concept.as_deref().is_some_and(|c| RESULT_CONCEPTS.contains(&c));
    if line.is_total || line.is_header || is_result {
        return None;
    }
    line.adjustment.as_ref().filter(|a| a.unit == "USD")
}

fn named(line: &Line, adjustment: &Value, sign: Decimal) -> Adjustment {
    Adjustment {
        name: adjustment_name(&line.label),
        concept: line.concept.clone(),
        amount: adjustment.value * sign,
        fact_id: adjustment.fact_id,
        line_item_id: line.line_item_id,
    }
}

/// The sign a component's adjustment has on the results below it: earnings keep it, expenses
/// and costs flip it (excluding an expense adds it back). Below the operating result, rows are
/// often printed as signed contributions (`Interest expense (148)`): a negative value there is
/// already a contribution and keeps its sign.
fn effect_sign(line: &Line, index: usize, operating_row: Option<usize>) -> Decimal {
    let concept = line.concept.as_deref().unwrap_or("");
    if INCOME_CONCEPTS.contains(&concept) {
        return Decimal::ONE;
    }
    let words = crate::api::reads::select::normalize_label(&line.label);
    let has = |list: &[&str]| words.split(' ').any(|w| list.contains(&w));
    let below_operating = operating_row.is_some_and(|row| index > row);
    if below_operating && line.gaap.as_ref().is_some_and(|g| g.value.is_sign_negative()) {
        return Decimal::ONE;
    }
    if has(&EXPENSE_WORDS) || concept.ends_with("expense") || concept == "income_tax" {
        return Decimal::NEGATIVE_ONE;
    }
    if has(&INCOME_WORDS) || (below_operating && !concept.is_empty() && concept.contains("income"))
    {
        return Decimal::ONE;
    }
    Decimal::NEGATIVE_ONE
}

/// A label as the name of what an adjustment excludes: without `Add:`, `Less:`, `Plus:` or a
/// trailing colon.
pub fn adjustment_name(label: &str) -> String {
    let mut name = label.trim();
    for prefix in ["add:", "less:", "plus:", "add back:", "adjustments for:", "excluding"] {
        if name.len() >= prefix.len()
            && name.is_char_boundary(prefix.len())
            && name[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            name = name[prefix.len()..].trim_start();
        }
    }
    name.trim_end_matches(':').trim().to_owned()
}

/// Fills in the sums and the check.
fn finish(mut line: Reconciled) -> Reconciled {
    let itemised: Decimal = line.adjustments.iter().map(|a| a.amount).sum();
    let applied = if line.adjustments.is_empty() {
        line.printed_adjustment.as_ref().map_or(Decimal::ZERO, |a| a.value)
    } else {
        itemised
    };
    // A per-share line with no printed adjustment has nothing to check against: its money
    // adjustments are never divided by a share count here.
    let unverifiable = line.unit == "USD/share" && applied.is_zero() && line.adjustments.is_empty();
    line.computed = if unverifiable { None } else { line.gaap.as_ref().map(|g| g.value + applied) };
    line.adds_up = match (&line.computed, &line.non_gaap) {
        (Some(computed), Some(non_gaap)) => Some(*computed == non_gaap.value),
        _ => None,
    };
    line.unexplained = match &line.printed_adjustment {
        Some(printed) if !line.adjustments.is_empty() && printed.value != itemised => {
            Some(printed.value - itemised)
        }
        _ => None,
    };
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(value: i64, fact_id: i64) -> Option<Value> {
        Some(Value {
            value: Decimal::from(value),
            unit: "USD".to_owned(),
            fact_id,
            status: "reported".to_owned(),
        })
    }

    fn line(
        id: i64,
        label: &str,
        concept: &str,
        section: &str,
        [gaap, adjustment, non_gaap]: [Option<i64>; 3],
    ) -> Line {
        Line {
            line_item_id: id,
            label: label.to_owned(),
            concept: (!concept.is_empty()).then(|| concept.to_owned()),
            section: (!section.is_empty()).then(|| section.to_owned()),
            is_total: label.starts_with("Total"),
            is_header: false,
            gaap: gaap.and_then(|v| usd(v, id * 10)),
            adjustment: adjustment.and_then(|v| usd(v, id * 10 + 1)),
            non_gaap: non_gaap.and_then(|v| usd(v, id * 10 + 2)),
        }
    }

    /// A quarter in the three-column layout: two excluded expenses.
    fn columns() -> Vec<Line> {
        vec![
            line(1, "Revenues", "revenue", "", [Some(21_356), None, Some(21_356)]),
            line(
                2,
                "Research and development",
                "research_and_development",
                "Operating expenses",
                [Some(8_245), None, Some(8_245)],
            ),
            line(
                3,
                "Stock-based compensation",
                "stock_based_compensation",
                "Operating expenses",
                [Some(739), Some(-739), None],
            ),
            line(
                4,
                "Amortization of intangibles",
                "amortization_of_intangibles",
                "Operating expenses",
                [Some(271), Some(-271), None],
            ),
            line(
                5,
                "Total operating expenses",
                "operating_expenses",
                "Operating expenses",
                [Some(16_086), Some(-1_010), Some(15_076)],
            ),
            line(
                6,
                "Loss from operations",
                "operating_income",
                "Operating expenses",
                [Some(-3_523), Some(1_010), Some(-2_513)],
            ),
            line(7, "Interest expense", "interest_expense", "", [Some(-148), None, Some(-148)]),
            line(8, "Net loss", "net_income", "", [Some(-3_210), Some(1_010), Some(-2_200)]),
        ]
    }

    #[test]
    fn a_net_loss_bridge_adds_back_the_excluded_expenses() {
        let lines = columns();
        let reconciled = reconcile(&lines);
        let bridges = bridges(&reconciled, &lines);
        let net = &bridges.iter().find(|b| b.measure == "net_result").unwrap().line;
        let items: Vec<(&str, Decimal)> =
            net.adjustments.iter().map(|a| (a.name.as_str(), a.amount)).collect();
        assert_eq!(
            items,
            [
                ("Stock-based compensation", Decimal::from(739)),
                ("Amortization of intangibles", Decimal::from(271))
            ]
        );
        assert_eq!(net.computed, Some(Decimal::from(-2_200)));
        assert_eq!(net.adds_up, Some(true));
        assert_eq!(net.unexplained, None);
    }

    #[test]
    fn a_total_is_made_of_its_section_and_a_component_of_itself() {
        let reconciled = reconcile(&columns());
        let total = reconciled.iter().find(|r| r.line_item_id == 5).unwrap();
        assert_eq!(total.adjustments.len(), 2);
        assert_eq!(total.adds_up, Some(true));
        let own = reconciled.iter().find(|r| r.line_item_id == 3).unwrap();
        assert_eq!(own.adjustments[0].amount, Decimal::from(-739));
        assert_eq!(own.computed, Some(Decimal::ZERO));
        assert_eq!(own.adds_up, None, "the non-GAAP cell is blank, not zero");
        assert!(reconciled.iter().all(|r| r.line_item_id != 1 && r.line_item_id != 2));
    }

    #[test]
    fn a_reconciliation_printed_row_by_row_takes_the_rows_between() {
        let lines = vec![
            line(1, "GAAP net loss", "net_income", "", [Some(-1_250), None, None]),
            line(
                2,
                "Stock-based compensation",
                "stock_based_compensation",
                "",
                [None, Some(880), None],
            ),
            line(3, "Add: Amortization of acquired intangibles", "", "", [None, Some(415), None]),
            line(4, "Non-GAAP net income", "net_income", "", [None, None, Some(45)]),
        ];
        let reconciled = reconcile(&lines);
        assert_eq!(reconciled.len(), 1);
        let names: Vec<&str> = reconciled[0].adjustments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Stock-based compensation", "Amortization of acquired intangibles"]);
        assert_eq!(reconciled[0].adds_up, Some(true));
        let bridges = bridges(&reconciled, &lines);
        assert_eq!(bridges.len(), 1);
        assert_eq!(bridges[0].measure, "net_result");
    }

    #[test]
    fn a_gap_between_the_printed_and_itemised_adjustments_is_reported() {
        let mut lines = columns();
        lines[7].adjustment = usd(1_315, 81);
        lines[7].non_gaap = usd(-1_895, 82);
        let reconciled = reconcile(&lines);
        let net = reconciled.iter().find(|r| r.line_item_id == 8).unwrap();
        assert_eq!(net.unexplained, Some(Decimal::from(305)));
        assert_eq!(net.adds_up, Some(false));
    }

    #[test]
    fn a_benefit_excluded_from_cost_of_revenue_lowers_the_result() {
        let lines = vec![
            line(1, "Revenues", "revenue", "", [Some(16_019), None, Some(16_019)]),
            line(
                2,
                "Write-off (benefit) of inventory",
                "inventory_writeoff",
                "Cost of revenues",
                [Some(-735), Some(735), None],
            ),
            line(
                3,
                "Stock-based compensation",
                "stock_based_compensation",
                "Operating expenses",
                [Some(894), Some(-894), None],
            ),
            line(4, "Net loss", "net_income", "", [Some(-4_381), Some(159), Some(-4_222)]),
        ];
        let reconciled = reconcile(&lines);
        let net = reconciled.iter().find(|r| r.line_item_id == 4).unwrap();
        let amounts: Vec<Decimal> = net.adjustments.iter().map(|a| a.amount).collect();
        assert_eq!(amounts, [Decimal::from(-735), Decimal::from(894)]);
        assert_eq!(net.adds_up, Some(true));
    }

    #[test]
    fn a_per_share_bridge_without_a_printed_adjustment_is_not_judged() {
        let per_share = |v: &str, id| {
            Some(Value {
                value: v.parse().unwrap(),
                unit: "USD/share".to_owned(),
                fact_id: id,
                status: "reported".to_owned(),
            })
        };
        let lines = vec![Line {
            line_item_id: 9,
            label: "Net loss per share".to_owned(),
            concept: Some("eps_basic_diluted".to_owned()),
            gaap: per_share("-0.09", 1),
            non_gaap: per_share("-0.06", 2),
            ..Line::default()
        }];
        let bridges = bridges(&reconcile(&lines), &lines);
        assert_eq!(bridges[0].measure, "per_share");
        assert_eq!(bridges[0].line.adds_up, None);
        assert!(bridges[0].line.adjustments.is_empty());
    }

    #[test]
    fn adjustment_names_drop_add_and_less() {
        assert_eq!(adjustment_name("Less: Restructuring charges:"), "Restructuring charges");
        assert_eq!(adjustment_name("Addition"), "Addition");
        assert_eq!(adjustment_name("Ädd: x"), "Ädd: x");
    }
}
