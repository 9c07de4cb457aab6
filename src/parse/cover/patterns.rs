//! Value shapes printed on cover pages (dates, phone numbers, file numbers, employer ids) and
//! the text clean-ups applied to them (title case, name comparison).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::data::{ADDRESS_CAPITALS, NAME_ABBREVIATIONS};

/// Compile a literal pattern (checked by the tests; an invalid one would simply match nothing).
fn regex(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

static MONTH_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(
        r"(?i)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})\s*,?\s*(\d{4})\b",
    )
});
static ISO_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"\b(\d{4})-(\d{2})-(\d{2})\b"));
static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"\(\s*(\d{3})\s*\)\s*(\d{3})\s*[-.\s]\s*(\d{4})\b|\b(\d{3})[-.](\d{3})[-.](\d{4})\b")
});
static IRS_ID: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"\b(\d{2})(?:\s?-\s?)?(\d{7})\b"));
static FILE_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"\b(\d{1,3}-\d{3,6})\b"));

/// The first month-name (`July 10, 2003`) or ISO date in `text`.
pub(super) fn find_date(text: &str) -> Option<NaiveDate> {
    if let Some(found) = MONTH_DATE.as_ref().and_then(|r| r.captures(text)) {
        let month = month_number(found.get(1)?.as_str())?;
        let day = found.get(2)?.as_str().parse().ok()?;
        let year = found.get(3)?.as_str().parse().ok()?;
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            return Some(date);
        }
    }
    let found = ISO_DATE.as_ref()?.captures(text)?;
    let part = |i: usize| found.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    NaiveDate::from_ymd_opt(i32::try_from(part(1)?).ok()?, part(2)?, part(3)?)
}

fn month_number(name: &str) -> Option<u32> {
    let prefix: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|m| *m == prefix).and_then(|i| u32::try_from(i + 1).ok())
}

/// The first US phone number in `text`, as `(AAA) BBB-CCCC`.
pub(super) fn find_phone(text: &str) -> Option<String> {
    let found = PHONE.as_ref()?.captures(text)?;
    let groups: Vec<&str> = (1..=6).filter_map(|i| found.get(i).map(|m| m.as_str())).collect();
    match groups.as_slice() {
        [area, exchange, line] => Some(format!("({area}) {exchange}-{line}")),
        _ => None,
    }
}

/// Ten digits (EDGAR header form) as `(AAA) BBB-CCCC`; anything else as printed.
pub(super) fn format_phone(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match (digits.get(0..3), digits.get(3..6), digits.get(6..10)) {
        (Some(area), Some(exchange), Some(line)) if digits.len() == 10 => {
            format!("({area}) {exchange}-{line}")
        }
        _ => find_phone(raw).unwrap_or_else(|| raw.trim().to_owned()),
    }
}

/// The first IRS employer id (`NN-NNNNNNN`, or nine digits printed without the dash) in
/// `text`, as `NN-NNNNNNN`.
pub(super) fn find_irs_id(text: &str) -> Option<String> {
    let found = IRS_ID.as_ref()?.captures(text)?;
    Some(format!("{}-{}", found.get(1)?.as_str(), found.get(2)?.as_str()))
}

/// Nine digits (EDGAR header form) as `NN-NNNNNNN`; anything else as printed.
pub(super) fn format_irs_id(raw: &str) -> String {
    let raw = raw.trim();
    match (raw.get(..2), raw.get(2..)) {
        (Some(head), Some(tail)) if raw.len() == 9 && raw.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{head}-{tail}")
        }
        _ => find_irs_id(raw).unwrap_or_else(|| raw.to_owned()),
    }
}

/// The first commission file number (`000-30229`, `1-1234`, `333-98553`) in `text` that is not
/// part of a phone number or an employer id.
pub(super) fn find_file_number(text: &str) -> Option<String> {
    let (phone, file_number) = (PHONE.as_ref()?, FILE_NUMBER.as_ref()?);
    let phones: Vec<(usize, usize)> = phone.find_iter(text).map(|m| (m.start(), m.end())).collect();
    file_number
        .find_iter(text)
        .find(|m| !phones.iter().any(|&(start, end)| m.start() < end && start < m.end()))
        .map(|m| m.as_str().to_owned())
}

/// Title-case text printed all in capitals (`5 CARLISLE ROAD` -> `5 Carlisle Road`); text that
/// already has lowercase letters is returned as printed. Abbreviations such as `N.W.` and
/// two-letter state codes before a zip code stay in capitals.
pub(super) fn title_case_if_capitals(text: &str) -> String {
    if text.chars().any(char::is_lowercase) || !text.chars().any(char::is_uppercase) {
        return text.to_owned();
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let bare = word.trim_matches(|c: char| c == ',' || c == ';');
        let before_zip =
            words.get(index + 1).is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()));
        let keep = ADDRESS_CAPITALS.contains(&bare)
            || (bare.len() == 2 && bare.chars().all(|c| c.is_ascii_uppercase()) && before_zip);
        out.push(if keep { (*word).to_owned() } else { title_word(word) });
    }
    out.join(" ")
}

/// `CARLISLE` -> `Carlisle`, `WILKES-BARRE` -> `Wilkes-Barre`, `18TH` -> `18th`.
fn title_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start_of_part = true;
    for ch in word.chars() {
        if ch.is_alphabetic() {
            if start_of_part {
                out.extend(ch.to_uppercase());
            } else {
                out.extend(ch.to_lowercase());
            }
            start_of_part = false;
        } else {
            out.push(ch);
            start_of_part = ch == '-' || ch == '(' || ch == '/';
            if ch.is_ascii_digit() {
                start_of_part = false;
            }
        }
    }
    out
}

/// A company name reduced for comparison: capitals, no punctuation, a leading "THE" dropped,
/// common words abbreviated the way EDGAR's conformed names are.
pub(super) fn name_key(name: &str) -> Vec<String> {
    let upper = name.to_uppercase().replace('&', " & ");
    let mut words: Vec<String> = upper
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .map(|word| word.chars().filter(|c| c.is_alphanumeric() || *c == '&').collect::<String>())
        .filter(|word| !word.is_empty())
        .map(|word| {
            NAME_ABBREVIATIONS
                .iter()
                .find(|(long, _)| *long == word)
                .map_or(word.clone(), |(_, short)| (*short).to_owned())
        })
        .collect();
    if words.first().is_some_and(|w| w == "THE") && words.len() > 1 {
        words.remove(0);
    }
    words
}

/// Whether two company names are the same once reduced by [`name_key`] (compared with the
/// spaces between words dropped: "Amazon.com" is EDGAR's "AMAZON COM").
pub(super) fn same_name(a: &str, b: &str) -> bool {
    let key = name_key(a).concat();
    !key.is_empty() && key == name_key(b).concat()
}

/// Where a company name is printed in `line` (loosely, by [`name_key`], whose words `key`
/// holds concatenated): the printed words that spell the key, with a leading "The" kept.
pub(super) fn find_name_in(line: &str, key: &str) -> Option<String> {
    if key.is_empty() {
        return None;
    }
    // asked of thousands of lines, most of which no word of could start the name
    if !line.split_whitespace().any(|word| may_start_key(word, key)) {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    for start in 0..words.len() {
        if !may_start_key(words[start], key) {
            continue;
        }
        let mut spelled = String::new();
        let mut index = start;
        while spelled.len() < key.len() {
            let Some(word) = words.get(index) else { break };
            let word_key = name_key(word).concat();
            if word_key.is_empty() && spelled.is_empty() {
                break;
            }
            spelled.push_str(&word_key);
            index += 1;
            if !key.starts_with(&spelled) {
                break;
            }
        }
        if spelled == key {
            let after_the =
                start > 0 && words.get(start - 1).is_some_and(|w| w.eq_ignore_ascii_case("the"));
            let first = if after_the { start - 1 } else { start };
            let printed = words.get(first..index)?.join(" ");
            return Some(printed.trim_end_matches([',', ';', ':']).to_owned());
        }
    }
    None
}

/// Whether the key of `word` ([`name_key`], concatenated) may be where `key` starts: a name
/// is spelled from a word whose key is a non-empty start of the name's.
///
/// Asked of every word of thousands of lines, most of which cannot start the name. False only
/// for a plain ASCII word (no `&`, `,` or `/`, where keys are split or rewritten), whose key
/// is its letters and digits in capitals, or their abbreviation: told without building it.
fn may_start_key(word: &str, key: &str) -> bool {
    if !word.is_ascii() || word.bytes().any(|b| matches!(b, b'&' | b',' | b'/')) {
        return true;
    }
    let letters = || word.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_uppercase());
    let count = letters().count();
    // a word without letters or digits has an empty key, which starts no name
    if count == 0 {
        return false;
    }
    let abbreviated = NAME_ABBREVIATIONS
        .iter()
        .find(|(long, _)| long.len() == count && letters().eq(long.bytes()));
    match abbreviated {
        Some((_, short)) => key.starts_with(short),
        None => key.len() >= count && letters().eq(key.bytes().take(count)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_values_are_recognised_in_their_printed_shapes() {
        assert_eq!(
            find_date("Date of Report: JULY 10, 2003"),
            NaiveDate::from_ymd_opt(2003, 7, 10)
        );
        assert_eq!(find_date("Sept. 5 1999 x"), NaiveDate::from_ymd_opt(1999, 9, 5));
        assert_eq!(find_date("February 30, 2003"), None);
        assert_eq!(find_phone("area code: (978) 692-8999").as_deref(), Some("(978) 692-8999"));
        assert_eq!(format_phone("4089961010"), "(408) 996-1010");
        assert_eq!(find_irs_id("x 04-3387074 y").as_deref(), Some("04-3387074"));
        assert_eq!(find_irs_id("942404110").as_deref(), Some("94-2404110"));
        assert_eq!(find_irs_id("4089961010"), None);
        assert_eq!(format_irs_id("043311220"), "04-3311220");
        assert_eq!(find_file_number("04-3387074").as_deref(), None);
        assert_eq!(find_file_number("(978) 692-8999 000-30229").as_deref(), Some("000-30229"));
        assert_eq!(find_file_number("California 0-10030 94-2404110").as_deref(), Some("0-10030"));
    }

    #[test]
    fn capitals_are_title_cased_but_abbreviations_and_state_codes_kept() {
        assert_eq!(
            title_case_if_capitals("5 CARLISLE ROAD, WESTFORD, MASSACHUSETTS 01886"),
            "5 Carlisle Road, Westford, Massachusetts 01886"
        );
        assert_eq!(
            title_case_if_capitals("30 IVAN ALLEN JR. BLVD., N.W., ATLANTA, GA 30308"),
            "30 Ivan Allen Jr. Blvd., N.W., Atlanta, GA 30308"
        );
        assert_eq!(
            title_case_if_capitals("600 N 18TH ST., WILKES-BARRE"),
            "600 N 18th St., Wilkes-Barre"
        );
        assert_eq!(title_case_if_capitals("1 Infinite Loop"), "1 Infinite Loop");
    }

    #[test]
    fn a_word_may_start_a_name_only_when_its_key_starts_the_name_key() {
        let words = [
            "Company,",
            "Inc.",
            "(The",
            "Corporation",
            "3M",
            "--",
            "amazon.com",
            "The",
            "Apple",
            "APPLE",
            "Computer",
            "Co",
            "Company",
            "Limited",
            "Ltd.",
            "Appl",
            "Applesauce",
            "&",
            "AT&T",
            "caf\u{e9}",
            "Southern",
        ];
        let names = ["APPLE COMPUTER INC", "SOUTHERN CO", "AMAZON COM INC", "3M CO", "THE LIMITED"];
        for name in names {
            let key = name_key(name).concat();
            for word in words {
                let wk = name_key(word).concat();
                let can = !wk.is_empty() && key.starts_with(&wk);
                // never false where the word could start the name
                assert!(!can || may_start_key(word, &key), "{word} {name}");
                // and exact for plain words
                let plain = word.is_ascii() && !word.contains(['&', ',', '/']);
                if plain {
                    assert_eq!(may_start_key(word, &key), can, "{word} {name}");
                }
            }
        }
    }

    #[test]
    fn company_names_compare_like_edgar_conformed_names() {
        assert!(same_name("Apple Computer, Inc.", "APPLE COMPUTER INC"));
        assert!(same_name("The Southern Company", "SOUTHERN CO"));
        assert!(same_name("Procter & Gamble Co", "PROCTER AND GAMBLE COMPANY"));
        assert!(!same_name("Apple Inc.", "APPLE COMPUTER INC"));
        assert!(same_name("Amazon.com, Inc.", "AMAZON COM INC"));
        let key = name_key("SOUTHERN CO").concat();
        assert_eq!(
            find_name_in("1-3526 The Southern Company (A Delaware Corporation)", &key).as_deref(),
            Some("The Southern Company")
        );
        let key = name_key("SONUS NETWORKS INC").concat();
        assert_eq!(
            find_name_in("On July 10, Sonus Networks, Inc. issued", &key).as_deref(),
            Some("Sonus Networks, Inc.")
        );
    }
}
