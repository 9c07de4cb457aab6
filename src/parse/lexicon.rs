//! Label knowledge as data: printed row labels to concept keys (`lexicon.toml`).
//!
//! The table is compiled into the binary and parsed once. Lookup normalizes the label the same
//! way for every source, so one spelling in the data file covers its case and punctuation
//! variants.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::model::Unit;

/// What the lexicon knows about one concept.
#[derive(Debug, Clone)]
pub struct ConceptInfo {
    pub key: String,
    pub unit: Unit,
    /// The concept is a total of the rows above it.
    pub total: bool,
}

#[derive(Deserialize)]
struct File {
    qualifiers: Qualifiers,
    units: UnitWords,
    concept: Vec<Entry>,
}

/// Words that imply a label's unit (the `[units]` table of the lexicon file).
#[derive(Deserialize)]
struct UnitWords {
    /// What an amount is per, a few words after "per" ("share", "unit").
    per: Vec<String>,
    /// How many words may stand between "per" and what it is per.
    per_gap: usize,
    /// Words that alone name an amount per share ("eps").
    per_share: Vec<String>,
    /// Words of a count of shares, and words (found inside words too) that make such a label
    /// money instead.
    count: Vec<String>,
    not_count: Vec<String>,
    /// Words of a percentage.
    percent: Vec<String>,
}

/// Basis words printed in front of a measure, normalized.
#[derive(Deserialize, Default)]
struct Qualifiers {
    gaap: Vec<String>,
    non_gaap: Vec<String>,
    /// First words of a row that may close the rows above it without saying "Total".
    #[serde(default)]
    subtotal: Vec<String>,
    /// Basis words printed after the measure ("Net income - as reported").
    #[serde(default)]
    gaap_after: Vec<String>,
    #[serde(default)]
    non_gaap_after: Vec<String>,
    /// Words that mean nothing without their heading ("Basic", "Total").
    #[serde(default)]
    generic: Vec<String>,
    /// Words that take a row's figure away ("Less: capital expenditures").
    #[serde(default)]
    subtract: Vec<String>,
}

#[derive(Deserialize)]
struct Entry {
    key: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    total: bool,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
}

struct Lexicon {
    qualifiers: Qualifiers,
    units: UnitWords,
    concepts: Vec<ConceptInfo>,
    exact: HashMap<String, usize>,
    /// Every pattern in file order, tried in one pass (the first that matches wins).
    patterns: regex::RegexSet,
    /// The concept of each pattern, by its index in `patterns`.
    pattern_concepts: Vec<usize>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    // The file is part of the binary and covered by tests, so a broken file fails every test.
    let file: File = toml::from_str(include_str!("lexicon.toml")).expect("lexicon.toml is valid");
    let qualifiers = Qualifiers {
        gaap: file.qualifiers.gaap.iter().map(|q| normalize(q)).collect(),
        non_gaap: file.qualifiers.non_gaap.iter().map(|q| normalize(q)).collect(),
        subtotal: file.qualifiers.subtotal.iter().map(|q| normalize(q)).collect(),
        generic: file.qualifiers.generic.iter().map(|q| normalize(q)).collect(),
        gaap_after: file.qualifiers.gaap_after.iter().map(|q| normalize(q)).collect(),
        non_gaap_after: file.qualifiers.non_gaap_after.iter().map(|q| normalize(q)).collect(),
        subtract: file.qualifiers.subtract.iter().map(|q| normalize(q)).collect(),
    };
    let mut lexicon = Lexicon {
        qualifiers,
        units: file.units,
        concepts: Vec::new(),
        exact: HashMap::new(),
        patterns: regex::RegexSet::empty(),
        pattern_concepts: Vec::new(),
    };
    let mut patterns = Vec::new();
    for entry in file.concept {
        let index = lexicon.concepts.len();
        let unit = match entry.unit.as_deref() {
            Some("percent") => Unit::Percent,
            Some("USD/share") => Unit::UsdPerShare,
            Some("shares") => Unit::Shares,
            Some("pure") => Unit::Pure,
            _ => Unit::Usd,
        };
        lexicon.concepts.push(ConceptInfo { key: entry.key, unit, total: entry.total });
        for label in entry.labels {
            lexicon.exact.entry(normalize(&label)).or_insert(index);
        }
        for pattern in entry.patterns {
            patterns.push(pattern);
            lexicon.pattern_concepts.push(index);
        }
    }
    lexicon.patterns = regex::RegexSet::new(&patterns).expect("lexicon patterns are valid regexes");
    lexicon
});

/// Normalize a label for lookup: lower case, `&` as "and", footnote markers and punctuation
/// dropped (`%` kept), spaces collapsed.
pub fn normalize(label: &str) -> String {
    // labels are nearly always ASCII without `&`: then each char is lower-cased as it is read.
    // Otherwise the label is lower-cased first (`to_lowercase` knows the context rules of
    // letters such as the final sigma) with `&` spelled out.
    if label.is_ascii() && !label.contains('&') {
        return words(label, |c| c.to_ascii_lowercase());
    }
    let lower = if label.is_ascii() {
        label.to_ascii_lowercase().replace('&', " and ")
    } else {
        label.to_lowercase().replace('&', " and ")
    };
    words(&lower, |c| c)
}

/// The words of lower-cased text (`lower` maps each char to lower case): letters, digits and
/// `%`, one space between them; anything else separates, and footnote markers are dropped.
fn words(text: &str, lower: impl Fn(char) -> char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let c = lower(c);
        if c.is_alphanumeric() || c == '%' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
            continue;
        }
        space = true;
        if c == '(' {
            // drop footnote markers like "(a)", "(1)", "(A)" but keep words in parentheses
            for _ in 0..footnote_marker(chars.as_str()) {
                chars.next();
            }
        }
    }
    out
}

/// How many chars after a `(` close a footnote marker: `)` alone, or one or two ASCII letters
/// or digits and the `)`; 0 when they do not.
fn footnote_marker(after_open: &str) -> usize {
    let mut next = after_open.chars();
    let marker = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    match (next.next(), next.next(), next.next()) {
        (Some(')'), _, _) => 1,
        (a, Some(')'), _) if marker(a) => 2,
        (a, b, Some(')')) if marker(a) && marker(b) => 3,
        _ => 0,
    }
}

/// Look a printed label up.
pub fn lookup(label: &str) -> Option<&'static ConceptInfo> {
    lookup_normalized(&normalize(label))
}

/// Look up a label already normalized by [`normalize`].
pub fn lookup_normalized(key: &str) -> Option<&'static ConceptInfo> {
    let lexicon = &*LEXICON;
    if key.is_empty() {
        return None;
    }
    if let Some(&index) = lexicon.exact.get(key) {
        return lexicon.concepts.get(index);
    }
    // "GAAP net loss", "Non-GAAP operating income": the measure without its basis words
    if let Some((_, rest)) = basis_qualifier(key)
        && let Some(&index) = lexicon.exact.get(rest)
    {
        return lexicon.concepts.get(index);
    }
    // the lowest index that matches is the first pattern in file order (most labels that get
    // this far match none, which the quicker test tells)
    if !lexicon.patterns.is_match(key) {
        return None;
    }
    let first = lexicon.patterns.matches(key).iter().next()?;
    lexicon.pattern_concepts.get(first).and_then(|&index| lexicon.concepts.get(index))
}

/// The basis a label's first words name, and the rest of the normalized label.
pub fn basis_qualifier(normalized: &str) -> Option<(crate::parse::model::Basis, &str)> {
    use crate::parse::model::Basis;
    let lexicon = &*LEXICON;
    // a qualifier is the whole label or its first words (followed by a space)
    let longest = |list: &[String]| {
        list.iter()
            .filter(|q| {
                normalized
                    .strip_prefix(q.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
            .map(String::len)
            .max()
    };
    // "non gaap" also starts with nothing of the GAAP list, but check it first all the same
    if let Some(n) = longest(&lexicon.qualifiers.non_gaap) {
        return Some((Basis::NonGaap, normalized[n..].trim_start()));
    }
    longest(&lexicon.qualifiers.gaap).map(|n| (Basis::Gaap, normalized[n..].trim_start()))
}

/// The basis a normalized label names, before the measure ("GAAP net loss") or after it
/// ("Net income as reported", "Net income excluding synthetic fuels"). The words after it
/// count only once the measure has begun: "Adjusted" alone is read by [`basis_qualifier`].
pub fn basis_named(normalized: &str) -> Option<crate::parse::model::Basis> {
    use crate::parse::model::Basis;
    if let Some((basis, _)) = basis_qualifier(normalized) {
        return Some(basis);
    }
    let lexicon = &*LEXICON;
    // ` excluding ` inside, or ` as reported` at the end, on word boundaries
    let after = |list: &[String], anywhere: bool| {
        list.iter().any(|q| {
            normalized.match_indices(q.as_str()).any(|(at, _)| {
                let end = at + q.len();
                at > 0
                    && normalized.as_bytes().get(at - 1) == Some(&b' ')
                    && (end == normalized.len()
                        || (anywhere && normalized.as_bytes().get(end) == Some(&b' ')))
            })
        })
    };
    if after(&lexicon.qualifiers.non_gaap_after, true) {
        Some(Basis::NonGaap)
    } else if after(&lexicon.qualifiers.gaap_after, false) {
        Some(Basis::Gaap)
    } else {
        None
    }
}

/// Whether a label already normalized by [`normalize`] starts with a word that may close the
/// rows above it without saying "Total" ("Net property and equipment" under its gross amount
/// and the depreciation).
pub fn may_be_subtotal_normalized(key: &str) -> bool {
    LEXICON
        .qualifiers
        .subtotal
        .iter()
        .any(|q| key.strip_prefix(q.as_str()).is_some_and(|rest| rest.starts_with(' ')))
}

/// Whether a row takes its figure away, by its own first word or its heading's only word
/// ("Less: capital expenditures", "Less:" over it).
pub fn subtracts(label: &str, heading: Option<&str>) -> bool {
    let words = &LEXICON.qualifiers.subtract;
    let first = |text: &str| normalize(text).split(' ').next().map(str::to_owned);
    let own = first(label).is_some_and(|w| words.contains(&w));
    own || heading.is_some_and(|h| words.contains(&normalize(h)))
}

/// Whether a normalized label is made only of the lexicon's `generic` words ("basic",
/// "beginning balances"): it means nothing without its heading. Numbers (footnote marks) are
/// ignored; a label of none but them is not generic.
pub fn is_generic_normalized(key: &str) -> bool {
    let mut words = key.split(' ').filter(|w| !w.chars().all(|c| c.is_ascii_digit()));
    let generic = &LEXICON.qualifiers.generic;
    let mut any = false;
    let all = words.all(|w| {
        any = true;
        generic.iter().any(|g| g == w)
    });
    any && all
}

/// Whether a normalized label is known exactly (used to score label splits).
pub fn is_known_exactly(label: &str) -> bool {
    LEXICON.exact.contains_key(&normalize(label))
}

/// The unit a label implies by its words, whatever the concept.
pub fn unit_from_label(label: &str) -> Option<Unit> {
    unit_from_normalized(&normalize(label))
}

/// [`unit_from_label`] of a label already normalized by [`normalize`]: an amount per share
/// ("per" and what it is per), else a percentage, else a count of shares. A count printed
/// before a per-share phrase is a count: the phrase says what the shares are used for.
pub fn unit_from_normalized(key: &str) -> Option<Unit> {
    let units = &LEXICON.units;
    let has = |list: &[String], w: &str| list.iter().any(|x| x == w);
    let words: Vec<&str> = key.split(' ').collect();
    let per_at = words
        .iter()
        .enumerate()
        .filter(|(_, w)| **w == "per")
        .find(|(i, _)| {
            words
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .take(units.per_gap + 1)
                .any(|w| has(&units.per, w))
        })
        .map(|(i, _)| i)
        .or_else(|| words.iter().position(|w| has(&units.per_share, w)));
    let count_at = words
        .iter()
        .position(|w| has(&units.count, w))
        // inside words too: "repurchases", "stockholders"
        .filter(|_| !units.not_count.iter().any(|w| key.contains(w.as_str())));
    let percent = units.percent.iter().any(|p| key.contains(p.as_str()));
    match (per_at, count_at) {
        (Some(per), Some(count)) if count < per => Some(Unit::Shares),
        (Some(_), _) => Some(Unit::UsdPerShare),
        _ if percent => Some(Unit::Percent),
        (None, Some(_)) => Some(Unit::Shares),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basis_may_be_named_after_the_measure() {
        use crate::parse::model::Basis;
        let named = |label: &str| basis_named(&normalize(label));
        assert_eq!(named("Net Income - As Reported"), Some(Basis::Gaap));
        assert_eq!(named("Net Income-Excluding Synthetic Fuels"), Some(Basis::NonGaap));
        assert_eq!(named("Non-GAAP net income"), Some(Basis::NonGaap));
        assert_eq!(named("Net income"), None);
        assert_eq!(named("Reported revenue"), Some(Basis::Gaap));
        // a word that only starts like a qualifier is none
        assert_eq!(named("Net income excludingx"), None);
    }

    #[test]
    fn units_follow_what_the_label_counts_or_divides_by() {
        let unit = |label: &str| unit_from_label(label);
        for label in [
            "Earnings (loss) per common and common equivalent share",
            "Net income per diluted share",
            "Diluted EPS",
            "Distributions per limited partnership unit",
            "Basic and diluted net loss per share",
        ] {
            assert_eq!(unit(label), Some(Unit::UsdPerShare), "{label}");
        }
        for label in [
            "Common and common equivalent shares used in the calculations of earnings per share",
            "Weighted average shares outstanding",
            "Shares used in computation",
        ] {
            assert_eq!(unit(label), Some(Unit::Shares), "{label}");
        }
        assert_eq!(unit("Repurchases of common shares"), None);
        assert_eq!(unit("Gross margin %"), Some(Unit::Percent));
        // "per" too far from "share", or per something else, is no per-share amount
        assert_eq!(unit("Revenue per employee"), None);
        assert_eq!(unit("Net sales"), None);
    }

    #[test]
    fn rows_that_say_less_take_their_figure_away() {
        assert!(subtracts("Less: capital expenditures", None));
        assert!(subtracts("Capital expenditures", Some("Less:")));
        assert!(!subtracts("Capital expenditures", Some("Add:")));
        // a word that only starts like it is not it
        assert!(!subtracts("Lessor income", None));
    }

    #[test]
    fn labels_of_generic_words_only_are_generic() {
        for label in ["Basic", "Diluted 2", "Total", "Beginning balances", "Balance, end of period"]
        {
            assert!(is_generic_normalized(&normalize(label)), "{label}");
        }
        for label in ["Leasehold improvements", "Earnings per share", "2", ""] {
            assert!(!is_generic_normalized(&normalize(label)), "{label}");
        }
    }

    #[test]
    fn lexicon_file_loads_and_every_pattern_compiles() {
        assert!(LEXICON.concepts.len() > 40);
    }

    #[test]
    fn labels_match_across_case_punctuation_and_footnotes() {
        assert_eq!(lookup("Revenues").map(|c| c.key.as_str()), Some("revenue"));
        assert_eq!(lookup("NET INCOME/ (LOSS)").map(|c| c.key.as_str()), Some("net_income"));
        assert_eq!(
            lookup("Total stockholders' equity").map(|c| c.key.as_str()),
            Some("total_stockholders_equity")
        );
        assert_eq!(
            lookup("Accounts receivable, net (a)").map(|c| c.key.as_str()),
            Some("accounts_receivable")
        );
        assert_eq!(
            lookup("Amort. of goodwill and purchased intangible assets").map(|c| c.key.as_str()),
            Some("amortization_of_intangibles")
        );
        assert_eq!(lookup("Gross profit %").map(|c| c.unit), Some(Unit::Percent));
    }

    #[test]
    fn basis_words_in_front_of_a_measure_are_read_and_stripped() {
        use crate::parse::model::Basis;
        assert_eq!(lookup("GAAP net loss").map(|c| c.key.as_str()), Some("net_income"));
        assert_eq!(
            lookup("Non-GAAP operating income").map(|c| c.key.as_str()),
            Some("operating_income")
        );
        assert_eq!(
            basis_qualifier(&normalize("Non-GAAP net loss")),
            Some((Basis::NonGaap, "net loss"))
        );
        assert_eq!(basis_qualifier(&normalize("GAAP net loss")), Some((Basis::Gaap, "net loss")));
        assert_eq!(basis_qualifier(&normalize("Net loss")), None);
    }

    /// The normalization as first written: kept to check the one-pass version against.
    fn normalize_by_steps(label: &str) -> String {
        let lower = label.to_lowercase().replace('&', " and ");
        let mut out = String::with_capacity(lower.len());
        let mut chars = lower.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '(' {
                let rest: String = chars.clone().take(4).collect();
                if let Some(close) = rest.find(')') {
                    let inner = &rest[..close];
                    if inner.len() <= 2 && inner.chars().all(|c| c.is_ascii_alphanumeric()) {
                        for _ in 0..=inner.chars().count() {
                            chars.next();
                        }
                        out.push(' ');
                        continue;
                    }
                }
                out.push(' ');
            } else if c.is_alphanumeric() || c == '%' {
                out.push(c);
            } else {
                out.push(' ');
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn one_pass_normalization_agrees_with_the_steps() {
        let labels = [
            "",
            " ",
            "Revenues",
            "NET INCOME/ (LOSS)",
            "Accounts receivable, net (a)",
            "(1)",
            "Total (ab) x",
            "(abc) y",
            "()",
            "(a",
            "x (é) y",
            "x (aé) y",
            "R&D",
            "(&)",
            "a(b)c",
            "Gross profit %",
            "  Net   sales\t..... ",
            "ΣΑΣ & co",
            "Ünïcödé (A1) Ltd.",
            "((a))",
            "x (a)(b) y",
            "tab\u{a0}nbsp",
            "$ (1,234)",
            "Item (i)(ii)",
        ];
        for label in labels {
            assert_eq!(normalize(label), normalize_by_steps(label), "{label:?}");
        }
    }

    #[test]
    fn unknown_labels_have_no_concept() {
        assert!(lookup("Titter est Tittome").is_none());
        assert!(lookup("").is_none());
    }
}
