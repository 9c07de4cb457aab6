//! Whether a parse found a filing worth storing: a named company, and a form type or financial
//! statements with values. Otherwise the upload is refused, saying what was found and missing.

use crate::parse::ParsedFiling;

/// Why a document was refused: what the parser found in it and what a filing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecognised {
    /// What was found, one phrase each (e.g. "company name `Acme Corp`").
    pub found: Vec<String>,
    /// What is missing, one phrase each.
    pub missing: Vec<String>,
}

impl std::fmt::Display for Unrecognised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let found =
            if self.found.is_empty() { "nothing".to_owned() } else { self.found.join(", ") };
        write!(f, "found {found}; missing {}", self.missing.join("; "))
    }
}

/// Accepts a parse that names the filer and has a form type or at least one fact.
pub fn recognise(parsed: &ParsedFiling) -> Result<(), Unrecognised> {
    let mut found = Vec::new();
    let company = parsed.company.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(name) = company {
        found.push(format!("company name `{name}`"));
    }
    if let Some(cik) = &parsed.company.cik {
        found.push(format!("CIK {cik}"));
    }
    let form = parsed.filing.form_type.as_deref().filter(|f| !f.trim().is_empty());
    if let Some(form) = form {
        found.push(format!("form type {form}"));
    }
    if let Some(date) = parsed.filing.report_date {
        found.push(format!("report date {date}"));
    }
    let tables = parsed.statements.len();
    if tables > 0 {
        found.push(format!("{tables} financial table(s)"));
    }
    if !parsed.facts.is_empty() {
        found.push(format!("{} value(s)", parsed.facts.len()));
    }
    let mut missing = Vec::new();
    if company.is_none() {
        missing.push(
            "the filer's name (no SEC header, cover page or heading names the company)".to_owned(),
        );
    }
    if form.is_none() && parsed.facts.is_empty() {
        missing.push(if tables > 0 {
            "a form type, or values in the financial tables".to_owned()
        } else {
            "a form type, or a financial table with values (income statement, balance sheet, \
             cash flow)"
                .to_owned()
        });
    }
    if missing.is_empty() { Ok(()) } else { Err(Unrecognised { found, missing }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse};

    #[test]
    fn prose_without_a_company_or_tables_is_refused_saying_what_is_missing() {
        let parsed = parse(b"Dear shareholders, it was a good year.\n", &ParseOptions::default());
        let refused = recognise(&parsed).unwrap_err();
        assert_eq!(refused.missing.len(), 2, "{refused}");
        assert!(refused.to_string().contains("filer's name"), "{refused}");
    }

    #[test]
    fn a_named_company_with_a_form_type_is_accepted() {
        let mut parsed = ParsedFiling::default();
        parsed.company.name = Some("Acme Corp".into());
        assert!(recognise(&parsed).is_err());
        parsed.filing.form_type = Some("8-K".into());
        assert_eq!(recognise(&parsed), Ok(()));
    }
}
