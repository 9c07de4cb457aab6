//! The few words that tell a column header or a caption from a table label or prose.
//!
//! Text without column positions (PDF text) leaves only its words to go by: a short line above a
//! table naming a period ("Three months ended June 30, 2003") or a basis ("US GAAP Adjustments")
//! is a column header; one naming a scale ("In thousands") is a caption.

/// Words that column headers use for periods and bases. Compared lowercase, whole words.
const HEADER_WORDS: &[&str] = &[
    // periods
    "month",
    "months",
    "week",
    "weeks",
    "quarter",
    "quarters",
    "year",
    "years",
    "ended",
    "ending",
    "period",
    "fiscal",
    "ytd",
    "q1",
    "q2",
    "q3",
    "q4",
    // bases and comparisons
    "gaap",
    "non-gaap",
    "adjustments",
    "adjustment",
    "adjusted",
    "results",
    "reported",
    "actual",
    "pro",
    "forma",
    "change",
    "variance",
    "unaudited",
    "audited",
];

/// Month names as headers print them, full or abbreviated.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// True for a month name (`March`, `Sept.`, `DECEMBER`).
pub(super) fn is_month(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.']);
    MONTHS.iter().any(|m| m.eq_ignore_ascii_case(w))
}

/// Words that name a table's scale (singular stems, so plurals match too).
const SCALE_WORDS: &[&str] = &["thousand", "million", "billion"];

/// The "thousands omitted" notes.
const OMITTED: &[&str] = &["000's omitted", "000s omitted", "000 omitted"];

/// Most words a column-header line has.
const MAX_HEADER_WORDS: usize = 16;

/// True when a short line uses column-header words: a period, a month, a year or a basis.
pub(super) fn has_header_words(line: &str) -> bool {
    let mut count = 0;
    let mut found = false;
    for raw in line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/' | ':')) {
        if raw.is_empty() {
            continue;
        }
        count += 1;
        if count > MAX_HEADER_WORDS {
            return false;
        }
        if found {
            continue;
        }
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        let word = word.strip_suffix('.').unwrap_or(word);
        found = super::words::is_year(word)
            || is_month(word)
            || HEADER_WORDS.iter().any(|h| h.eq_ignore_ascii_case(word))
            || word.len() > 5
                && word.get(word.len() - 5..).is_some_and(|t| t.eq_ignore_ascii_case("-gaap"));
    }
    found
}

/// True when the line contains a scale word (`thousands`, `millions`, `billions`).
pub(super) fn names_scale(line: &str) -> bool {
    scale_mentions(line).0
}

/// True when the line states a scale (`in thousands`, `000's omitted`).
pub(super) fn states_scale(line: &str) -> bool {
    line.len() <= 160 && scale_mentions(line).1
}

/// One pass over the bytes: (names a scale word, states a scale). Case-insensitive.
fn scale_mentions(line: &str) -> (bool, bool) {
    let bytes = line.as_bytes();
    let (mut names, mut states) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        let before = bytes.get(..i).unwrap_or_default();
        // Scale words and `000` start a word: skip bytes that continue one.
        if before.last().is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let rest = bytes.get(i..).unwrap_or_default();
        match b | 0x20 {
            b't' | b'm' | b'b' if SCALE_WORDS.iter().any(|w| starts_with_ignore_case(rest, w)) => {
                names = true;
                // `in thousands`: the word follows "in ".
                let tail = before.get(before.len().saturating_sub(3)..).unwrap_or_default();
                states |= starts_with_ignore_case(tail, "in ");
            }
            b'0' if b == b'0' => {
                states |= OMITTED.iter().any(|o| starts_with_ignore_case(rest, o));
            }
            _ => {}
        }
        if names && states {
            break;
        }
    }
    (names, states)
}

/// `bytes` starts with the lowercase ASCII `prefix`, ignoring case.
fn starts_with_ignore_case(bytes: &[u8], prefix: &str) -> bool {
    bytes.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_and_basis_lines_have_header_words() {
        assert!(has_header_words("Three months ended June 30, 2003"));
        assert!(has_header_words("US GAAP Adjustments Non-GAAP"));
        assert!(has_header_words("Results Results (A)"));
        assert!(!has_header_words("Cost of revenues:"));
        assert!(!has_header_words("SONUS NETWORKS, INC."));
    }

    #[test]
    fn scale_is_found_in_captions() {
        assert!(states_scale("(In thousands, except per share data)"));
        assert!(states_scale("Dollars in millions"));
        assert!(names_scale("(millions, except earnings per"));
        assert!(!states_scale("Net revenues"));
    }
}
