//! What a table's caption and title say: statement kind, scale, currency.

use rust_decimal::Decimal;

use crate::parse::html::scan::{
    contains_any_ignore_case, find_any_ignore_case, starts_with_ignore_case,
};
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

/// The words every scale word is built around, and how far into a scale word its core starts
/// at most (`in thousands`, `$ millions`, `(000`).
const SCALE_CORES: &[&str] = &["thousand", "million", "billion", "000"];
const MAX_CORE_OFFSET: usize = 3;

/// The multiplier named first in `text`, with where it was found (of words starting at one
/// place, the first listed). Letters are compared ignoring ASCII case, which on lower-cased
/// text is plain equality.
///
/// Asked of nearly every short line and label. A scale word holds a core within
/// [`MAX_CORE_OFFSET`] bytes of its start, so only the places just before each core are tried,
/// in order: the first that starts a scale word is the first in the text.
fn first_scale(text: &str) -> Option<(usize, Decimal)> {
    let bytes = text.as_bytes();
    let mut tried = 0;
    while let Some(core) = find_any_ignore_case(text, tried, SCALE_CORES) {
        for at in core.saturating_sub(MAX_CORE_OFFSET).max(tried)..=core {
            let word =
                SCALE_WORDS.iter().find(|(w, _)| starts_with_ignore_case(bytes, at, w.as_bytes()));
            if let Some((_, m)) = word {
                return Some((at, Decimal::from(*m)));
            }
        }
        tried = core + 1;
    }
    None
}

/// Read "(In thousands, except per share data)", "(Dollars in millions)", "in 000s".
pub fn scale_of(text: &str) -> Option<ScaleInfo> {
    // asked of nearly every line and label: ASCII text (lower-cased byte for byte, so at the
    // same offsets) that names no scale is told so without lower-casing it
    if text.is_ascii() && first_scale(text).is_none() {
        return None;
    }
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

/// Words one of which every title of a known kind holds (see [`kind_of_title`]).
const TITLE_WORDS: &[&str] =
    &["statement", "reconciliation", "balance sheet", "financial", "cash flow", "results of"];

/// Statement kind named by a title line.
pub fn kind_of_title(text: &str) -> Option<StatementKind> {
    // asked of every header cell and context line: ASCII text without a title word is told
    // so in one pass, without lower-casing it
    if text.is_ascii() && !contains_any_ignore_case(text, TITLE_WORDS) {
        return None;
    }
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
    fn every_title_holds_a_title_word() {
        let titles = [
            "Reconciliation of GAAP to non-GAAP",
            "reconciliation of adjusted EBITDA",
            "Consolidated Balance Sheets",
            "Statements of Financial Position",
            "Statement of financial condition",
            "Statements of Cash Flows",
            "CONSOLIDATED STATEMENTS OF OPERATIONS",
            "Income Statement",
            "Results of Operations",
            "Statements of Comprehensive Income",
        ];
        for title in titles {
            assert!(kind_of_title(title).is_some(), "{title}");
        }
        // each phrase kind_of_title looks for holds one of the words
        for phrase in [
            "reconciliation",
            "balance sheet",
            "financial position",
            "financial condition",
            "cash flow",
            "statements of operations",
            "statement of operations",
            "income statement",
            "statements of income",
            "statement of income",
            "statements of earnings",
            "statement of earnings",
            "results of operations",
            "statements of loss",
            "statements of comprehensive",
        ] {
            assert!(TITLE_WORDS.iter().any(|w| phrase.contains(w)), "{phrase}");
        }
        assert_eq!(kind_of_title("Net revenues"), None);
    }

    #[test]
    fn every_scale_word_holds_a_core_near_its_start() {
        for (word, _) in SCALE_WORDS {
            let core = SCALE_CORES.iter().filter_map(|c| word.find(c)).min();
            assert!(core.is_some_and(|at| at <= MAX_CORE_OFFSET), "{word}");
        }
        assert_eq!(first_scale("x (000s) in millions").map(|(at, _)| at), Some(2));
        assert_eq!(first_scale("dollars in millions"), Some((8, Decimal::from(1_000_000))));
        assert_eq!(first_scale("none"), None);
        assert_eq!(first_scale("(In Thousands)").map(|(at, _)| at), Some(1));
        assert_eq!(first_scale("x in 000s, in millions").map(|(at, _)| at), Some(2));
        assert_eq!(first_scale("1,000 units (000"), Some((12, Decimal::from(1_000))));
        assert_eq!(first_scale("$ millions of"), Some((0, Decimal::from(1_000_000))));
    }

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
