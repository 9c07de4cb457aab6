//! Query and path parameters the reads share, read strictly: what is not understood is a 422
//! (or a 404 for a path segment) that says what is accepted.

use serde::Serialize;
use utoipa::ToSchema;

use crate::api::problem::ApiError;

/// The statement kinds, as the contract lists them (the handlers read [`STATEMENT_KINDS`]).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementKindParam {
    /// The balance sheet.
    BalanceSheet,
    /// The income statement (statement of operations).
    IncomeStatement,
    /// The cash-flow statement.
    CashFlow,
}

/// `basis=` of statements and series, as the contract lists it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BasisParam {
    /// GAAP values (the default).
    Gaap,
    /// Non-GAAP values.
    NonGaap,
    /// GAAP, adjustment and non-GAAP values.
    All,
}

/// `basis=` of comparisons, as the contract lists it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonBasisParam {
    /// GAAP values (the default).
    Gaap,
    /// Non-GAAP values.
    NonGaap,
}

/// `compare=` of comparisons, as the contract lists it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompareParam {
    /// The quarter (or balance-sheet date) before.
    Qoq,
    /// The same period a year before.
    Yoy,
}

/// Statement kinds a statement or comparison can be read for.
pub const STATEMENT_KINDS: [&str; 3] = ["balance_sheet", "income_statement", "cash_flow"];

/// Every basis, in display order.
pub const ALL_BASES: [&str; 3] = ["gaap", "adjustment", "non_gaap"];

/// The statement kind in a path, or a 404 that lists the kinds.
pub fn statement_kind(kind: &str) -> Result<&'static str, ApiError> {
    STATEMENT_KINDS.iter().copied().find(|k| *k == kind).ok_or_else(|| {
        ApiError::NotFound(format!(
            "There is no statement kind `{}`: use one of {}.",
            clip(kind),
            STATEMENT_KINDS.join(", ")
        ))
    })
}

/// The statement kind of a query parameter, or a 422 that lists the kinds.
pub fn statement_kind_param(kind: Option<&str>) -> Result<&'static str, ApiError> {
    match kind {
        None => Err(ApiError::Unprocessable(format!(
            "statement= is required: one of {}.",
            STATEMENT_KINDS.join(", ")
        ))),
        Some(kind) => STATEMENT_KINDS.iter().copied().find(|k| *k == kind).ok_or_else(|| {
            ApiError::Unprocessable(format!(
                "statement={} is not a statement kind: use one of {}.",
                clip(kind),
                STATEMENT_KINDS.join(", ")
            ))
        }),
    }
}

/// The bases `basis=` selects: `gaap` (the default), `non_gaap`, or `all` (GAAP, adjustments
/// and non-GAAP) where `allow_all`.
pub fn bases(basis: Option<&str>, allow_all: bool) -> Result<&'static [&'static str], ApiError> {
    match basis.unwrap_or("gaap") {
        "gaap" => Ok(&["gaap"]),
        "non_gaap" => Ok(&["non_gaap"]),
        "all" if allow_all => Ok(&ALL_BASES),
        other => Err(ApiError::Unprocessable(format!(
            "basis={} is not a basis: use gaap (the default), non_gaap{}.",
            clip(other),
            if allow_all { " or all (GAAP, adjustments and non-GAAP)" } else { "" }
        ))),
    }
}

/// The most periods one read takes.
pub const MAX_PERIODS: usize = 24;

/// A comma-separated list of period references (empty items are dropped); more than
/// [`MAX_PERIODS`] is a 422.
pub fn period_list(text: &str) -> Result<Vec<&str>, ApiError> {
    let list: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if list.len() > MAX_PERIODS {
        return Err(ApiError::Unprocessable(format!(
            "{} periods asked for; one read takes at most {MAX_PERIODS}.",
            list.len()
        )));
    }
    Ok(list)
}

/// At most 64 characters of client text, for messages.
pub fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(64).filter(|c| !c.is_control()).collect();
    if text.chars().count() > 64 {
        clipped.push('…');
    }
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<T: Serialize>(values: &[T]) -> Vec<String> {
        values
            .iter()
            .map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn the_contract_lists_exactly_what_the_handlers_accept() {
        use StatementKindParam as K;
        assert_eq!(names(&[K::BalanceSheet, K::IncomeStatement, K::CashFlow]), STATEMENT_KINDS);
        for basis in names(&[BasisParam::Gaap, BasisParam::NonGaap, BasisParam::All]) {
            assert!(bases(Some(&basis), true).is_ok(), "{basis}");
        }
        for basis in names(&[ComparisonBasisParam::Gaap, ComparisonBasisParam::NonGaap]) {
            assert!(bases(Some(&basis), false).is_ok(), "{basis}");
        }
        assert_eq!(names(&[CompareParam::Qoq, CompareParam::Yoy]), ["qoq", "yoy"]);
    }

    #[test]
    fn unknown_kinds_and_bases_say_what_exists() {
        let ApiError::NotFound(detail) = statement_kind("equity").unwrap_err() else {
            panic!("not a 404")
        };
        assert!(detail.contains("balance_sheet, income_statement, cash_flow"), "{detail}");
        let ApiError::Unprocessable(detail) = bases(Some("ifrs"), true).unwrap_err() else {
            panic!("not a 422")
        };
        assert!(detail.contains("non_gaap") && detail.contains("all"), "{detail}");
        assert!(bases(Some("all"), false).is_err());
        assert_eq!(bases(None, false).unwrap(), &["gaap"]);
    }

    #[test]
    fn period_lists_split_on_commas() {
        assert_eq!(
            period_list("FY2003-Q2, 3M-2003-03-31,,").unwrap(),
            ["FY2003-Q2", "3M-2003-03-31"]
        );
        assert!(period_list(&"FY2003,".repeat(MAX_PERIODS + 1)).is_err());
    }
}
