//! Reference data the cover reader matches against: US states, stock exchanges, words that end
//! a signer's name. Kept as tables so that knowledge changes without touching logic.

/// US states and the District of Columbia with their postal codes. Longer names that contain
/// a shorter one ("West Virginia", "Virginia") are matched longest first by [`us_state_code`].
pub(super) const US_STATES: &[(&str, &str)] = &[
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("District of Columbia", "DC"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
];

/// Printed labels of the registrant's name (lowercase, as all labels here).
pub(super) const NAME_LABELS: &[&str] =
    &["exact name of registrant", "exact name of the registrant", "exact name of issuer"];
/// Labels of the state of incorporation.
pub(super) const STATE_LABELS: &[&str] =
    &["state or other jurisdiction", "jurisdiction of incorporation", "state of incorporation"];
/// Labels of the commission file number.
pub(super) const FILE_NUMBER_LABELS: &[&str] = &["commission file", "file number"];
/// Labels of the IRS employer identification number.
pub(super) const IRS_LABELS: &[&str] = &[
    "employer identification",
    "i.r.s. employer",
    "i. r. s. employer",
    "irs employer",
    "employer id",
    "i.r.s. id",
    "irs id",
];
/// Labels of the principal executive offices' address.
pub(super) const ADDRESS_LABELS: &[&str] = &[
    "address of principal executive office",
    "of principal executive offices",
    "address of principal office",
];
/// Labels of the registrant's telephone number.
pub(super) const PHONE_LABELS: &[&str] = &["telephone number"];
/// "Date of Report" on current reports; the period a periodic report covers otherwise.
pub(super) const DATE_LABELS: &[&str] = &[
    "date of report",
    "for the fiscal year ended",
    "for the quarterly period ended",
    "for the period ended",
];
/// Label words that never belong to a value.
pub(super) const LABEL_WORDS: &[&str] = &[
    "exact name",
    "jurisdiction",
    "commission file",
    "employer identification",
    "address of principal",
    "telephone number",
    "date of report",
    "zip code",
    "former name",
    "incorporation or organization",
];

/// Ways exchanges are named in filings (lowercase, longest first) and the name reported.
pub(super) const EXCHANGES: &[(&str, &str)] = &[
    ("nyse american", "NYSE American"),
    ("nyse mkt", "NYSE MKT"),
    ("nyse arca", "NYSE Arca"),
    ("new york stock exchange", "NYSE"),
    ("nyse", "NYSE"),
    ("nasdaq", "Nasdaq"),
    ("american stock exchange", "AMEX"),
    ("amex", "AMEX"),
    ("otcbb", "OTC"),
    ("otc", "OTC"),
    ("cboe", "Cboe"),
];

/// Words that start a signer's title rather than continue the name.
pub(super) const TITLE_WORDS: &[&str] = &[
    "president",
    "vice",
    "chief",
    "officer",
    "executive",
    "senior",
    "secretary",
    "assistant",
    "treasurer",
    "controller",
    "comptroller",
    "director",
    "chairman",
    "chair",
    "general",
    "counsel",
    "manager",
    "principal",
    "partner",
    "title:",
    "name:",
    "its",
    "attorney-in-fact",
];

/// Last words of company names (lowercase, without the final period), used to spot a
/// registrant's name on a cover that does not label it.
pub(super) const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "plc",
    "llc",
    "l.l.c",
    "lp",
    "l.p",
    "n.v",
    "s.a",
    "ag",
    "trust",
    "fund",
    "bancorp",
    "holdings",
    "group",
];

/// Abbreviations kept in capitals when an all-capitals address is title-cased.
pub(super) const ADDRESS_CAPITALS: &[&str] = &[
    "PO", "P.O.", "NW", "NE", "SW", "SE", "N.W.", "N.E.", "S.W.", "S.E.", "US", "U.S.", "USA",
    "U.S.A.",
];

/// Company-name words and the short form they are compared as (EDGAR's conformed names
/// abbreviate and drop punctuation).
pub(super) const NAME_ABBREVIATIONS: &[(&str, &str)] = &[
    ("COMPANY", "CO"),
    ("CORPORATION", "CORP"),
    ("INCORPORATED", "INC"),
    ("LIMITED", "LTD"),
    ("&", "AND"),
];

/// The two-letter code of a US state named (case-insensitively, as whole words) in `text`.
pub(super) fn us_state_code(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    // (position, length of the name matched, code)
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (name, code) in US_STATES {
        let needle = name.to_lowercase();
        let mut from = 0;
        while let Some(offset) = lower.get(from..).and_then(|rest| rest.find(&needle)) {
            let at = from + offset;
            let end = at + needle.len();
            let before_ok = lower
                .get(..at)
                .unwrap_or("")
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = lower
                .get(end..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                // Earliest mention wins; at the same place, the longer name ("West Virginia").
                let better =
                    best.is_none_or(|(pos, len, _)| at < pos || (at == pos && needle.len() > len));
                if better {
                    best = Some((at, needle.len(), code));
                }
                break;
            }
            from = at + 1;
        }
    }
    best.map(|(_, _, code)| code)
}

/// The canonical name of an exchange mentioned in `text`, if any.
pub(super) fn exchange_name(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    EXCHANGES.iter().find(|(pattern, _)| lower.contains(pattern)).map(|(_, name)| *name)
}
