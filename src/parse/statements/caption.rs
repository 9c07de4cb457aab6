//! What a table's caption and title say: statement kind, scale, currency.

use rust_decimal::Decimal;

use crate::parse::model::StatementKind;

/// Scale read from caption text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleInfo {
    pub scale: Decimal,
    /// The caption text the scale came from.
    pub source: String,
    /// Multiplier for share counts: the scale, unless the caption excepts shares or gives
    /// them their own ("share amounts which are reflected in thousands").
    pub shares_scale: Decimal,
}

/// Scale words and their multipliers, as captions print them.
const SCALE_WORDS: &[(&str, i64)] = &[
    ("in thousands", 1_000),
    ("(thousands", 1_000),
    ("(millions", 1_000_000),
    ("(billions", 1_000_000_000),
    ("thousands of", 1_000),
    ("in 000", 1_000),
    ("$000", 1_000),
    ("(000", 1_000),
    ("in millions", 1_000_000),
    ("millions of", 1_000_000),
    ("$ millions", 1_000_000),
    ("in billions", 1_000_000_000),
    ("billions of", 1_000_000_000),
];

/// The multiplier named first in `text`, with where it was found.
fn first_scale(text: &str) -> Option<(usize, Decimal)> {
    SCALE_WORDS
        .iter()
        .filter_map(|(word, m)| text.find(word).map(|at| (at, Decimal::from(*m))))
        .min_by_key(|(at, _)| *at)
}

/// Read "(In thousands, except per share data)", "(Dollars in millions)", "in 000s".
pub fn scale_of(text: &str) -> Option<ScaleInfo> {
    let lower = text.to_lowercase();
    let (at, scale) = first_scale(&lower)?;
    let rest = &lower[at..];
    let shares_scale = match rest.find("share").map(|s| &rest[s..]) {
        // "except share amounts which are reflected in thousands", "shares in millions"
        Some(tail)
            if tail.starts_with("share")
                && !tail.starts_with("share data")
                && first_scale(tail).is_some_and(|(p, _)| p < 60) =>
        {
            first_scale(tail).map_or(scale, |(_, m)| m)
        }
        _ if rest.contains("except share")
            || rest.contains("except for share")
            || rest.contains("except number of shares")
            || rest.contains("except shares") =>
        {
            Decimal::ONE
        }
        _ => scale,
    };
    Some(ScaleInfo { scale, source: text.trim().to_owned(), shares_scale })
}

/// Statement kind named by a title line.
pub fn kind_of_title(text: &str) -> Option<StatementKind> {
    let lower = text.to_lowercase();
    if lower.contains("reconciliation") && (lower.contains("gaap") || lower.contains("adjusted")) {
        Some(StatementKind::NonGaapReconciliation)
    } else if (lower.contains("balance sheet")
        && !lower.contains("off-balance")
        && !lower.contains("off balance"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_scale_named_wins_and_shares_may_have_their_own() {
        let s = scale_of("(In millions, except share amounts which are reflected in thousands and per share amounts)").unwrap();
        assert_eq!((s.scale, s.shares_scale), (Decimal::from(1_000_000), Decimal::from(1_000)));
        let s = scale_of("(In thousands, except per share data)").unwrap();
        assert_eq!((s.scale, s.shares_scale), (Decimal::from(1_000), Decimal::from(1_000)));
        let s = scale_of("(in thousands, except share and per share data)").unwrap();
        assert_eq!(s.shares_scale, Decimal::ONE);
        assert!(scale_of("Three months ended").is_none());
    }
}
