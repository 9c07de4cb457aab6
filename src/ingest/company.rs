//! Who filed: the company fields a parse gives, name normalization, and matching them to a
//! stored company (by CIK, else commission file number, else normalized name) without ever
//! overwriting what is stored: a disagreement becomes a diagnostic.

use sqlx::PgConnection;

use crate::db::companies::{self, CompanyFields, CompanyRow};
use crate::db::locks;
use crate::parse::{CompanyInfo, Diagnostic};

use super::clean;

/// Words that say what legal form a company has, not which company it is.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "plc",
    "lp",
    "llp",
    "sa",
    "nv",
    "ag",
    "the",
];

/// A company name as matching compares it: lower case, `&` as `and`, punctuation dropped, legal
/// suffixes ("Inc.", "Corporation", ...) and a leading "The" removed. "Acme Corp." and
/// "ACME CORPORATION" both give `acme`.
pub fn normalize_name(name: &str) -> String {
    let lowered = name.to_lowercase().replace('&', " and ");
    // Apostrophes join ("McDonald's" is one word); other punctuation separates.
    let spaced: String = lowered
        .chars()
        .filter(|c| !matches!(c, '\'' | '’'))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
        words.pop();
    }
    if words.len() > 1 && words.first() == Some(&"the") {
        words.remove(0);
    }
    let normalized = words.join(" ");
    if normalized.is_empty() { lowered.trim().to_owned() } else { normalized }
}

/// The fields to store from a parse's company, cleaned to what the schema accepts; `None`
/// without a name. Values the schema would refuse are dropped with a note.
pub fn company_fields(info: &CompanyInfo, notes: &mut Vec<Diagnostic>) -> Option<CompanyFields> {
    let name = info.name.as_deref().map(clean).filter(|n| !n.trim().is_empty())?;
    let name = name.trim().to_owned();
    let text = |v: &Option<String>| v.as_deref().map(clean).map(|s| s.trim().to_owned());
    let text = |v: &Option<String>| text(v).filter(|s| !s.is_empty());
    let cik = text(&info.cik).and_then(|cik| {
        let digits = cik.len() <= 10 && cik.bytes().all(|b| b.is_ascii_digit());
        if digits {
            Some(format!("{cik:0>10}"))
        } else {
            notes.push(Diagnostic::warning(
                "company_field_dropped",
                format!("the CIK `{cik}` is not a number of at most ten digits; not stored"),
                None,
            ));
            None
        }
    });
    let fiscal_year_end = text(&info.fiscal_year_end).and_then(|fye| {
        let valid = fye.len() == 4
            && fye.bytes().all(|b| b.is_ascii_digit())
            && matches!(fye.get(..2).and_then(|m| m.parse::<u32>().ok()), Some(1..=12))
            && matches!(fye.get(2..).and_then(|d| d.parse::<u32>().ok()), Some(1..=31));
        if !valid {
            notes.push(Diagnostic::warning(
                "company_field_dropped",
                format!("the fiscal year end `{fye}` is not a MMDD date; not stored"),
                None,
            ));
        }
        valid.then_some(fye)
    });
    Some(CompanyFields {
        normalized_name: normalize_name(&name),
        name,
        cik,
        ticker: text(&info.ticker).map(|t| t.to_uppercase()),
        exchange: text(&info.exchange),
        state_of_incorporation: text(&info.state_of_incorporation),
        commission_file_number: text(&info.commission_file_number),
        irs_employer_id: text(&info.irs_employer_id),
        address: text(&info.address),
        phone: text(&info.phone),
        fiscal_year_end,
    })
}

/// Field name, stored value and the document's value, for each field both have.
fn field_pairs<'a>(
    stored: &'a CompanyRow,
    fields: &'a CompanyFields,
) -> [(&'static str, Option<&'a str>, Option<&'a str>); 10] {
    [
        ("CIK", stored.cik.as_deref(), fields.cik.as_deref()),
        ("ticker", stored.ticker.as_deref(), fields.ticker.as_deref()),
        ("exchange", stored.exchange.as_deref(), fields.exchange.as_deref()),
        (
            "state of incorporation",
            stored.state_of_incorporation.as_deref(),
            fields.state_of_incorporation.as_deref(),
        ),
        (
            "commission file number",
            stored.commission_file_number.as_deref(),
            fields.commission_file_number.as_deref(),
        ),
        ("IRS employer id", stored.irs_employer_id.as_deref(), fields.irs_employer_id.as_deref()),
        ("address", stored.address.as_deref(), fields.address.as_deref()),
        ("phone", stored.phone.as_deref(), fields.phone.as_deref()),
        ("fiscal year end", stored.fiscal_year_end.as_deref(), fields.fiscal_year_end.as_deref()),
        ("name", Some(stored.normalized_name.as_str()), Some(fields.normalized_name.as_str())),
    ]
}

/// Letters and digits only, lower case: "(978) 692-8999" and "978.692.8999" agree.
fn comparable(value: &str) -> String {
    value.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whether the document gives a field the stored company lacks.
fn fills_something(stored: &CompanyRow, fields: &CompanyFields) -> bool {
    field_pairs(stored, fields).iter().any(|(_, s, f)| s.is_none() && f.is_some())
}

/// A note for every field where the stored company and the document disagree (the stored value
/// is kept).
pub fn conflicts(stored: &CompanyRow, fields: &CompanyFields) -> Vec<Diagnostic> {
    field_pairs(stored, fields)
        .iter()
        .filter_map(|(field, stored_value, document_value)| {
            let (Some(s), Some(d)) = (stored_value, document_value) else { return None };
            (comparable(s) != comparable(d)).then(|| {
                let (s, d) = if *field == "name" {
                    (stored.name.as_str(), fields.name.as_str())
                } else {
                    (*s, *d)
                };
                Diagnostic::warning(
                    "company_field_conflict",
                    format!(
                        "the document gives the company's {field} as `{d}`, but company {} has \
                         `{s}`; the stored value is kept",
                        stored.id
                    ),
                    None,
                )
            })
        })
        .collect()
}

/// The stored company for `fields`, matched or created, locked against deletion until the
/// transaction ends; empty fields are filled and disagreements returned as notes.
pub async fn resolve_company(
    conn: &mut PgConnection,
    fields: &CompanyFields,
) -> sqlx::Result<(CompanyRow, Vec<Diagnostic>)> {
    // A company found unlocked may be deleted before it is locked: then look again (a delete
    // that wins leaves no company, and the next round creates one).
    for _ in 0..3 {
        let found = match companies::find_matching_company(conn, fields).await? {
            Some(found) => found,
            None => {
                // Creating: serialize with others creating the same company (same CIK, file
                // number or name), then look again under the lock.
                locks::lock_keys(conn, &identity_keys(fields)).await?;
                match companies::find_matching_company(conn, fields).await? {
                    Some(found) => found,
                    None => {
                        return Ok((companies::insert_company(conn, fields).await?, Vec::new()));
                    }
                }
            }
        };
        // Take exactly one row lock: a fill (rare) locks the row by updating it; otherwise a
        // key-share lock, which concurrent ingests of the same company share.
        let locked = if fills_something(&found, fields) {
            companies::fill_company(conn, found.id, fields).await?
        } else {
            companies::share_company(conn, found.id).await?
        };
        if let Some(company) = locked {
            let notes = conflicts(&company, fields);
            return Ok((company, notes));
        }
    }
    Err(sqlx::Error::Protocol("the matching company kept being deleted while ingesting".into()))
}

fn identity_keys(fields: &CompanyFields) -> Vec<String> {
    let mut keys = vec![format!("company:name:{}", fields.normalized_name)];
    if let Some(cik) = &fields.cik {
        keys.push(format!("company:cik:{cik}"));
    }
    if let Some(number) = &fields.commission_file_number {
        keys.push(format!("company:file-number:{number}"));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalize_without_legal_form_case_or_punctuation() {
        assert_eq!(normalize_name("Acme Corp."), "acme");
        assert_eq!(normalize_name("ACME CORPORATION"), "acme");
        assert_eq!(normalize_name("Sonus Networks, Inc."), "sonus networks");
        assert_eq!(normalize_name("The Procter & Gamble Company"), "procter and gamble");
        assert_eq!(normalize_name("McDonald's Corp"), "mcdonalds");
        // A name that is only a legal word keeps it.
        assert_eq!(normalize_name("Company"), "company");
    }

    #[test]
    fn company_fields_need_a_name_and_pad_the_cik() {
        let mut notes = Vec::new();
        assert!(company_fields(&CompanyInfo::default(), &mut notes).is_none());
        let info = CompanyInfo {
            name: Some(" Acme Corp ".into()),
            cik: Some("12345".into()),
            ticker: Some("acme".into()),
            fiscal_year_end: Some("1399".into()),
            ..CompanyInfo::default()
        };
        let fields = company_fields(&info, &mut notes).unwrap();
        assert_eq!(fields.name, "Acme Corp");
        assert_eq!(fields.cik.as_deref(), Some("0000012345"));
        assert_eq!(fields.ticker.as_deref(), Some("ACME"));
        assert_eq!(fields.fiscal_year_end, None);
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn only_real_disagreements_are_conflicts() {
        let stored = CompanyRow {
            id: 7,
            name: "Acme Corp.".into(),
            normalized_name: "acme".into(),
            cik: None,
            ticker: Some("ACME".into()),
            exchange: None,
            state_of_incorporation: Some("DE".into()),
            commission_file_number: None,
            irs_employer_id: None,
            address: None,
            phone: Some("(978) 692-8999".into()),
            fiscal_year_end: None,
        };
        let fields = CompanyFields {
            name: "ACME CORPORATION".into(),
            normalized_name: "acme".into(),
            phone: Some("978.692.8999".into()),
            state_of_incorporation: Some("NV".into()),
            cik: Some("0000000001".into()),
            ..CompanyFields::default()
        };
        let notes = conflicts(&stored, &fields);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("state of incorporation"), "{:?}", notes[0]);
        assert!(fills_something(&stored, &fields));
    }
}
