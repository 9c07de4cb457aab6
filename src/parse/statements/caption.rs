//! What a table's caption and title say: statement kind, scale, currency.

use rust_decimal::Decimal;

use crate::parse::model::StatementKind;

/// Scale read from caption text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleInfo {
    pub scale: Decimal,
    /// The caption text the scale came from.
    pub source: String,
    /// Share counts follow the scale unless the caption excepts them.
    pub shares_scaled: bool,
}

/// Read "(In thousands, except per share data)", "(Dollars in millions)", "in 000s".
pub fn scale_of(text: &str) -> Option<ScaleInfo> {
    let lower = text.to_lowercase();
    let scale = if lower.contains("in thousands")
        || lower.contains("thousands of")
        || lower.contains("in 000")
        || lower.contains("$000")
        || lower.contains("(000")
    {
        Decimal::from(1_000)
    } else if lower.contains("in millions")
        || lower.contains("millions of")
        || lower.contains("$ millions")
    {
        Decimal::from(1_000_000)
    } else if lower.contains("in billions") || lower.contains("billions of") {
        Decimal::from(1_000_000_000)
    } else {
        return None;
    };
    let shares_excepted = lower.contains("except share")
        || lower.contains("except for share")
        || lower.contains("except number of shares")
        || lower.contains("shares in")
        || lower.contains("except shares");
    Some(ScaleInfo {
        scale,
        source: text.trim().to_owned(),
        shares_scaled: !shares_excepted,
    })
}

/// Statement kind named by a title line.
pub fn kind_of_title(text: &str) -> Option<StatementKind> {
    let lower = text.to_lowercase();
    if lower.contains("reconciliation") && (lower.contains("gaap") || lower.contains("adjusted")) {
        Some(StatementKind::NonGaapReconciliation)
    } else if lower.contains("balance sheet")
        || lower.contains("financial position")
        || lower.contains("financial condition")
    {
        Some(StatementKind::BalanceSheet)
    } else if lower.contains("cash flow") {
        Some(StatementKind::CashFlow)
    } else if lower.contains("statements of operations")
        || lower.contains("statement of operations")
        || lower.contains("income statement")
        || lower.contains("statements of income")
        || lower.contains("statement of income")
        || lower.contains("statements of earnings")
        || lower.contains("statement of earnings")
        || lower.contains("results of operations")
        || lower.contains("statements of loss")
        || lower.contains("statements of comprehensive")
    {
        Some(StatementKind::IncomeStatement)
    } else {
        None
    }
}
