//! The EDGAR submission header: `KEY: value` lines (or `<KEY>value` tags) grouped in blocks.
//!
//! Submission-wide keys (accession number, form type, dates) come first; then one block per
//! entity (`FILER:`, `SUBJECT COMPANY:`, ...), each with `COMPANY DATA:`, `FILING VALUES:` and
//! address sections. Company fields come from the first filer (co-registrants follow it).

use chrono::NaiveDate;

/// Header fields of an EDGAR submission, as printed (dates parsed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecHeader {
    /// `COMPANY CONFORMED NAME` of the first filer.
    pub company_name: Option<String>,
    /// `CENTRAL INDEX KEY`, as printed (ten digits).
    pub cik: Option<String>,
    /// `CONFORMED SUBMISSION TYPE` (or the filer's `FORM TYPE`).
    pub form_type: Option<String>,
    /// `CONFORMED PERIOD OF REPORT`.
    pub period_of_report: Option<NaiveDate>,
    /// `FILED AS OF DATE`.
    pub filed_as_of: Option<NaiveDate>,
    /// `ACCESSION NUMBER`.
    pub accession_number: Option<String>,
    /// `SEC FILE NUMBER` of the first filer.
    pub sec_file_number: Option<String>,
    /// `IRS NUMBER`, as printed (digits only).
    pub irs_number: Option<String>,
    /// `STATE OF INCORPORATION` (two-letter code).
    pub state_of_incorporation: Option<String>,
    /// `FISCAL YEAR END` as `MMDD`.
    pub fiscal_year_end: Option<String>,
    /// Business address: streets, city, state and zip joined (`STREET, CITY, ST ZIP`).
    pub business_address: Option<String>,
    /// `BUSINESS PHONE`, as printed.
    pub business_phone: Option<String>,
}

/// Blocks that describe one entity of the submission, best first for company fields.
const ENTITY_BLOCKS: &[&str] =
    &["FILER", "SUBJECT COMPANY", "FILED BY", "REPORTING OWNER", "ISSUER"];
/// Sections inside an entity block.
const SECTIONS: &[&str] = &[
    "COMPANY DATA",
    "OWNER DATA",
    "FILING VALUES",
    "BUSINESS ADDRESS",
    "MAIL ADDRESS",
    "FORMER COMPANY",
    "FORMER NAME",
];
/// Tagged-header keys (`<CONFORMED-NAME>`) and their names in the text form.
const KEY_ALIASES: &[(&str, &str)] = &[
    ("CONFORMED NAME", "COMPANY CONFORMED NAME"),
    ("CIK", "CENTRAL INDEX KEY"),
    ("FILE NUMBER", "SEC FILE NUMBER"),
    ("STREET1", "STREET 1"),
    ("STREET2", "STREET 2"),
    ("PHONE", "BUSINESS PHONE"),
    ("PERIOD", "CONFORMED PERIOD OF REPORT"),
    ("FILING DATE", "FILED AS OF DATE"),
    ("TYPE", "CONFORMED SUBMISSION TYPE"),
];

/// Fields of one entity block.
#[derive(Debug, Default)]
struct Entity {
    /// Index into [`ENTITY_BLOCKS`]; `ENTITY_BLOCKS.len()` for company keys outside any block.
    rank: usize,
    name: Option<String>,
    cik: Option<String>,
    irs_number: Option<String>,
    state_of_incorporation: Option<String>,
    fiscal_year_end: Option<String>,
    form_type: Option<String>,
    sec_file_number: Option<String>,
    streets: Vec<String>,
    city: Option<String>,
    state: Option<String>,
    zip: Option<String>,
    phone: Option<String>,
}

/// Parse the header region's lines.
pub(super) fn parse(region: &str) -> SecHeader {
    let mut header = SecHeader::default();
    let mut entities: Vec<Entity> = Vec::new();
    let mut section = "";
    for line in region.lines() {
        let Some((key, value)) = key_value(line) else {
            continue;
        };
        if value.is_empty() {
            if let Some(rank) = ENTITY_BLOCKS.iter().position(|b| *b == key) {
                entities.push(Entity { rank, ..Entity::default() });
                section = "";
            } else if let Some(name) = SECTIONS.iter().find(|s| **s == key) {
                section = name;
            }
            continue;
        }
        let value = value.to_owned();
        match key.as_str() {
            "ACCESSION NUMBER" => set_once(&mut header.accession_number, value),
            "CONFORMED SUBMISSION TYPE" if entities.is_empty() => {
                set_once(&mut header.form_type, value)
            }
            "CONFORMED PERIOD OF REPORT" => set_once_date(&mut header.period_of_report, &value),
            "FILED AS OF DATE" => set_once_date(&mut header.filed_as_of, &value),
            _ => {
                if entities.is_empty() && is_entity_key(&key) {
                    entities.push(Entity { rank: ENTITY_BLOCKS.len(), ..Entity::default() });
                }
                if let Some(entity) = entities.last_mut() {
                    entity_field(entity, section, &key, value);
                }
            }
        }
    }

    let best =
        entities.iter().enumerate().min_by_key(|(index, e)| (e.rank, *index)).map(|(_, e)| e);
    if let Some(entity) = best {
        header.company_name = entity.name.clone();
        header.cik = entity.cik.clone();
        header.irs_number = entity.irs_number.clone();
        header.state_of_incorporation = entity.state_of_incorporation.clone();
        header.fiscal_year_end = entity.fiscal_year_end.clone();
        header.sec_file_number = entity.sec_file_number.clone();
        header.business_address = address(entity);
        header.business_phone = entity.phone.clone();
        if header.form_type.is_none() {
            header.form_type = entity.form_type.clone();
        }
    }
    header
}

/// Split a header line into a normalised key and its value: `KEY:\tvalue` or `<KEY>value`.
fn key_value(line: &str) -> Option<(String, &str)> {
    let line = line.trim();
    let (key, value) = if let Some(tagged) = line.strip_prefix('<') {
        if tagged.starts_with('/') {
            return None;
        }
        tagged.split_once('>')?
    } else {
        line.split_once(':')?
    };
    let mut key = key.trim().to_ascii_uppercase().replace('-', " ");
    if let Some((_, canonical)) = KEY_ALIASES.iter().find(|(alias, _)| *alias == key) {
        key = (*canonical).to_owned();
    }
    if key.is_empty() || key.len() > 64 {
        return None;
    }
    Some((key, value.trim()))
}

/// Keys that belong to a company, even when they appear outside an entity block.
fn is_entity_key(key: &str) -> bool {
    matches!(
        key,
        "COMPANY CONFORMED NAME"
            | "CENTRAL INDEX KEY"
            | "IRS NUMBER"
            | "STATE OF INCORPORATION"
            | "FISCAL YEAR END"
            | "SEC FILE NUMBER"
    )
}

/// Store one key of an entity block (address keys only from the business address section).
fn entity_field(entity: &mut Entity, section: &str, key: &str, value: String) {
    let in_business_address = section == "BUSINESS ADDRESS";
    match key {
        "COMPANY CONFORMED NAME" if section != "FORMER COMPANY" => {
            set_once(&mut entity.name, value)
        }
        "CENTRAL INDEX KEY" => set_once(&mut entity.cik, value),
        "IRS NUMBER" => set_once(&mut entity.irs_number, value),
        "STATE OF INCORPORATION" => set_once(&mut entity.state_of_incorporation, value),
        "FISCAL YEAR END" => set_once(&mut entity.fiscal_year_end, value),
        "FORM TYPE" => set_once(&mut entity.form_type, value),
        "SEC FILE NUMBER" => set_once(&mut entity.sec_file_number, value),
        "STREET 1" | "STREET 2" | "STREET 3" if in_business_address => entity.streets.push(value),
        "CITY" if in_business_address => set_once(&mut entity.city, value),
        "STATE" if in_business_address => set_once(&mut entity.state, value),
        "ZIP" if in_business_address => set_once(&mut entity.zip, value),
        "BUSINESS PHONE" => set_once(&mut entity.phone, value),
        _ => {}
    }
}

/// `STREET 1, STREET 2, CITY, STATE ZIP`, from whichever parts are present.
fn address(entity: &Entity) -> Option<String> {
    let mut parts: Vec<String> = entity.streets.clone();
    parts.extend(entity.city.clone());
    let state_zip: Vec<&str> =
        [entity.state.as_deref(), entity.zip.as_deref()].into_iter().flatten().collect();
    if !state_zip.is_empty() {
        parts.push(state_zip.join(" "));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

fn set_once_date(slot: &mut Option<NaiveDate>, value: &str) {
    if slot.is_none() {
        *slot = parse_header_date(value);
    }
}

/// `20070125` (EDGAR's form) or `2007-01-25`.
pub(crate) fn parse_header_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let digits = value.get(..8).unwrap_or(value);
    NaiveDate::parse_from_str(digits, "%Y%m%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%Y-%m-%d"))
        .ok()
}
