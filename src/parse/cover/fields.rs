//! Cover-page fields found next to their printed labels ("(Exact name of registrant as
//! specified in its charter)", "(Commission File Number)", ...), and the filing's items,
//! exhibits, signer and ticker.
//!
//! Cover pages put a value above its label, beside it, or (in tables) in the cell above, and
//! several labels may share a line with their values several lines up. Each field therefore
//! looks at the label's own line, the cell above, then nearby lines, and takes the first text
//! that has the field's shape.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::data::{
    ADDRESS_LABELS, COMPANY_SUFFIXES, LABEL_WORDS, NAME_LABELS, TITLE_WORDS, exchange_name,
};
use super::patterns::{find_irs_id, find_phone, title_case_if_capitals};

/// One line of the cover: a text line, or a table row with its cells. Thousands of lines are
/// looked at, so their text is borrowed from the layout where it can be.
#[derive(Debug, Clone, Default)]
pub(super) struct CoverLine<'a> {
    pub(super) text: Cow<'a, str>,
    /// ASCII-lowercased `text` (same byte offsets).
    pub(super) lower: Cow<'a, str>,
    /// `(col, colspan, text)` of the row's non-empty cells; empty for a text line.
    pub(super) cells: Vec<(usize, usize, &'a str)>,
}

impl<'a> CoverLine<'a> {
    /// A line of running text.
    pub(super) fn text(text: &'a str) -> Self {
        Self { text: Cow::Borrowed(text), lower: ascii_lowercase(text), cells: Vec::new() }
    }

    /// A table row from its non-empty cells (its text joins them with two spaces).
    pub(super) fn row(cells: Vec<(usize, usize, &'a str)>) -> Self {
        let text = match cells.as_slice() {
            [(_, _, only)] => Cow::Borrowed(*only),
            _ => Cow::Owned(cells.iter().map(|(_, _, t)| *t).collect::<Vec<_>>().join("  ")),
        };
        let lower = match &text {
            Cow::Borrowed(t) => ascii_lowercase(t),
            Cow::Owned(t) => Cow::Owned(t.to_ascii_lowercase()),
        };
        Self { text, lower, cells }
    }
}

/// `text` with ASCII letters in lower case (borrowed when it has no capital).
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// How many lines above and below a label are searched for its value.
const LINES_BACK: usize = 5;
const LINES_FORWARD: usize = 3;

/// The first line (and offset in it) holding one of `labels`.
pub(super) fn find_label(
    lines: &[CoverLine<'_>],
    labels: &[&str],
) -> Option<(usize, usize, usize)> {
    lines.iter().enumerate().find_map(|(index, line)| {
        labels
            .iter()
            .find_map(|label| line.lower.find(label).map(|at| (index, at, at + label.len())))
    })
}

/// Texts where the value of the label at `(index, start, end)` may be printed, nearest first.
pub(super) fn candidates(
    lines: &[CoverLine<'_>],
    (index, start, end): (usize, usize, usize),
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(line) = lines.get(index) else {
        return out;
    };
    // A label in parentheses runs from its "(" to its ")".
    let before = line.text.get(..start).unwrap_or("");
    let (start, end) =
        match before.rfind('(').filter(|&open| !before.get(open..).unwrap_or("").contains(')')) {
            Some(open) => {
                let close = line
                    .text
                    .get(end..)
                    .and_then(|rest| rest.find(')'))
                    .map_or(line.text.len(), |c| end + c + 1);
                (open, close)
            }
            None => (start, end),
        };
    out.push(line.text.get(..start).unwrap_or("").to_owned());
    out.push(line.text.get(end..).unwrap_or("").to_owned());
    if let Some(above) = cell_above(lines, index, start) {
        out.push(above);
    }
    for back in 1..=LINES_BACK.min(index) {
        if let Some(previous) = lines.get(index - back) {
            out.push(previous.text.to_string());
        }
    }
    for forward in 1..=LINES_FORWARD {
        if let Some(next) = lines.get(index + forward) {
            out.push(next.text.to_string());
        }
    }
    out
}

/// In a table, the text of the cell above the cell holding the label.
fn cell_above(lines: &[CoverLine<'_>], index: usize, label_at: usize) -> Option<String> {
    let line = lines.get(index)?;
    let previous = lines.get(index.checked_sub(1)?)?;
    // Find which cell the label offset falls in (cells are joined by two spaces).
    let mut offset = 0;
    let (col, colspan) = line.cells.iter().find_map(|(col, colspan, text)| {
        let range = offset..offset + text.len();
        offset = range.end + 2;
        range.contains(&label_at).then_some((*col, *colspan))
    })?;
    previous
        .cells
        .iter()
        .find(|(c, span, _)| *c < col + colspan && col < c + span)
        .map(|(_, _, text)| (*text).to_owned())
}

/// The first candidate value of the first matching label that `extract` accepts.
pub(super) fn labelled<T>(
    lines: &[CoverLine<'_>],
    labels: &[&str],
    extract: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let at = find_label(lines, labels)?;
    candidates(lines, at).iter().find_map(|text| extract(text))
}

/// Free text that can be a value: not a label, not empty, not a whole paragraph.
pub(super) fn value_text(text: &str) -> Option<String> {
    let trimmed =
        text.trim().trim_matches(|c: char| c == '(' || c == '-' || c == '_' || c.is_whitespace());
    let lower = trimmed.to_ascii_lowercase();
    let ok = trimmed.chars().count() >= 2
        && trimmed.len() <= 160
        && !text.trim_start().starts_with('(')
        && !LABEL_WORDS.iter().any(|word| lower.contains(word));
    ok.then(|| trimmed.to_owned())
}

/// The registrant's name printed above "(Exact name of registrant ...)".
pub(super) fn registrant_name(lines: &[CoverLine<'_>]) -> Option<String> {
    labelled(lines, NAME_LABELS, value_text)
}

/// On a cover without a name label: the first short line ending in a company suffix
/// ("MICROSOFT CORPORATION", "Harbor Lantern Systems, Inc.").
pub(super) fn name_by_suffix(lines: &[CoverLine<'_>]) -> Option<String> {
    lines.iter().take(60).find_map(|line| {
        let text = line.text.trim();
        let words: Vec<&str> = text.split_whitespace().collect();
        let last = words.last()?.trim_end_matches(['.', ',', ')']).to_ascii_lowercase();
        let plausible =
            (2..=8).contains(&words.len()) && text.len() <= 80 && !text.starts_with('(');
        (plausible && COMPANY_SUFFIXES.contains(&last.as_str())).then(|| value_text(text)).flatten()
    })
}

/// The address printed with "(Address of principal executive offices)", title-cased when in
/// capitals, without a trailing "(Zip Code)".
pub(super) fn address(lines: &[CoverLine<'_>]) -> Option<String> {
    let (index, start, _) = find_label(lines, ADDRESS_LABELS)?;
    let line = lines.get(index)?;
    let same_line = line.text.get(..start).and_then(value_text);
    let raw = same_line.or_else(|| address_above(lines, index))?;
    let cleaned = strip_labels(&raw);
    (!cleaned.is_empty()).then(|| title_case_if_capitals(&cleaned))
}

/// The address lines just above the label: up to three value lines, from the street line
/// (the first starting with a number, "One ..." or a post office box) down.
fn address_above(lines: &[CoverLine<'_>], index: usize) -> Option<String> {
    let mut block: Vec<String> = Vec::new();
    for back in 1..=3 {
        let Some(line) = index.checked_sub(back).and_then(|i| lines.get(i)) else {
            break;
        };
        let Some(text) = address_text(line) else {
            break;
        };
        if find_irs_id(&text).is_some() || find_phone(&text).is_some() {
            break;
        }
        block.insert(0, text);
    }
    let starts_street = |text: &String| {
        let lower = text.to_ascii_lowercase();
        text.starts_with(|c: char| c.is_ascii_digit())
            || ["one ", "two ", "three ", "p.o.", "po box"].iter().any(|p| lower.starts_with(p))
    };
    let start = block.iter().position(starts_street).unwrap_or(block.len().saturating_sub(1));
    let joined = block.get(start..)?.join(", ");
    (!joined.is_empty()).then_some(joined)
}

/// A line's text as an address: a row's cells joined by commas (a zip code by a space).
fn address_text(line: &CoverLine<'_>) -> Option<String> {
    // Text columns (runs of spaces) read like cells.
    let columns: Vec<&str>;
    let parts: Vec<&str> = if line.cells.is_empty() {
        columns = line.text.split("  ").map(str::trim).filter(|p| !p.is_empty()).collect();
        columns
    } else {
        line.cells.iter().map(|(_, _, text)| *text).collect()
    };
    let mut out = String::new();
    for cell in parts {
        let cell = value_text(cell)?;
        let is_zip = cell.chars().all(|c| c.is_ascii_digit() || c == '-') && cell.len() >= 5;
        if !out.is_empty() {
            out.push_str(if is_zip { " " } else { ", " });
        }
        out.push_str(&cell);
    }
    (!out.is_empty()).then_some(out)
}

/// Drop parenthesised label remnants ("(Zip Code)") and stray punctuation at the ends.
fn strip_labels(text: &str) -> String {
    let mut out = text.trim().to_owned();
    while let Some(open) = out.rfind('(') {
        let tail = out.get(open..).unwrap_or("").to_ascii_lowercase();
        if LABEL_WORDS.iter().any(|w| tail.contains(w)) || tail.contains("zip") {
            out.truncate(open);
            out = out.trim_end().to_owned();
        } else {
            break;
        }
    }
    out.trim_matches(|c: char| c == ',' || c == '(' || c.is_whitespace()).to_owned()
}

static FORM_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*form\s+(\d{1,2}-[a-z]{1,3}(?:/a)?|\d{2}-f(?:/a)?|[sf]-\d{1,2}(?:/a)?)\b")
        .ok()
});
static ITEM_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*item\s+(\d{1,2}(?:\.\d{2})?)(?:[.:\s]|$)").ok());
static FURNISHED_ITEM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)furnished\s+(?:under|pursuant\s+to)\s*["“”']?\s*item\s+(\d{1,2}(?:\.\d{2})?)\b"#,
    )
    .ok()
});
static EXHIBIT_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*(?:(exhibit|ex-)\s*(?:no\.?\s*)?)?(\d{1,3}(?:\.\d{1,3})?)\s*[-–—:.]?\s+["“]?[a-z]"#).ok()
});
static TICKER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b((?i:nyse\s+american|nyse\s+mkt|nyse\s+arca|nyse|nasdaq(?:\s+(?:gs|gm|cm|global\s+select|global|capital))?(?:\s+market)?|amex|otcbb|otc))\s*:\s*([A-Z][A-Z0-9]{0,5}(?:\.[A-Z])?)\b",
    )
    .ok()
});

/// "FORM 8-K" printed at the start of a cover line.
pub(super) fn form_type(lines: &[CoverLine<'_>]) -> Option<String> {
    let pattern = FORM_LINE.as_ref()?;
    lines
        .iter()
        .find_map(|line| pattern.captures(&line.text)?.get(1).map(|m| m.as_str().to_uppercase()))
}

/// Item numbers: "Item 2.02" headings, and items named as the ones the report is furnished
/// under ("furnished under Item 12").
pub(super) fn items(lines: &[CoverLine<'_>]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut add = |item: &str| {
        if !items.iter().any(|i| i == item) {
            items.push(item.to_owned());
        }
    };
    for line in lines {
        if let Some(item) =
            ITEM_LINE.as_ref().and_then(|p| p.captures(&line.text)).and_then(|c| c.get(1))
        {
            add(item.as_str());
        }
        for found in FURNISHED_ITEM
            .as_ref()
            .map(|p| p.captures_iter(&line.text).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if let Some(item) = found.get(1) {
                add(item.as_str());
            }
        }
    }
    items
}

/// Exhibit numbers listed after an exhibits heading ("Exhibit Index", "(c) Exhibits").
pub(super) fn exhibits(lines: &[CoverLine<'_>]) -> Vec<String> {
    const WINDOW: usize = 25;
    let mut found: Vec<String> = Vec::new();
    let mut window: usize = 0;
    for line in lines {
        // only lines shortly after a heading can list exhibits
        let listed =
            EXHIBIT_LINE.as_ref().filter(|_| window > 0).and_then(|p| p.captures(&line.text));
        if let Some(captures) = listed {
            let prefixed = captures.get(1).is_some();
            if let Some(number) = captures.get(2).map(|m| m.as_str())
                && (prefixed || number.contains('.'))
                && !found.iter().any(|f| f == number)
            {
                found.push(number.to_owned());
            }
        }
        window = window.saturating_sub(1);
        if line.lower.contains("exhibit") && line.text.chars().count() <= 60 {
            window = WINDOW;
        }
    }
    found
}

/// The name after the first "/s/" of the signatures (after a "SIGNATURES" heading when there
/// is one; an audit firm's "/s/ ... LLP" does not count), or on the line below an empty one.
pub(super) fn signer(lines: &[CoverLine<'_>]) -> Option<String> {
    let heading = lines.iter().position(|line| {
        let bare = line.lower.trim().trim_end_matches([':', '.']);
        bare == "signature" || bare == "signatures"
    });
    let signed = |index: usize| -> Option<String> {
        let line = lines.get(index)?;
        let after = line.text.split_once("/s/").map(|(_, rest)| rest)?;
        let name = signer_name(after)
            .or_else(|| lines.get(index + 1).and_then(|next| signer_name(&next.text)))?;
        let firm = ["llp", "l.l.p.", "llc"]
            .iter()
            .any(|suffix| name.to_ascii_lowercase().ends_with(suffix));
        (!firm).then(|| title_case_if_capitals(&name))
    };
    let after_heading = heading.and_then(|start| (start..lines.len()).find_map(&signed));
    after_heading.or_else(|| (0..lines.len()).find_map(signed))
}

/// A signer's name from the text after "/s/": up to the title, the name's repetition or 6 words.
fn signer_name(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '_' || c == '|'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut end = words
        .iter()
        .position(|w| {
            TITLE_WORDS
                .contains(&w.to_lowercase().trim_end_matches([',', '.']).to_string().as_str())
        })
        .unwrap_or(words.len())
        .min(6);
    // "W. Ron Hinson W. Ron Hinson": the typed name repeats the signature (perhaps in other
    // case); keep the copy with lowercase letters.
    let mut start = 0;
    for length in 1..=end / 2 {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let repeated = (0..length)
            .all(|i| words.get(i).zip(words.get(length + i)).is_some_and(|(a, b)| same(a, b)));
        if repeated {
            let first_has_lower =
                words.iter().take(length).any(|w| w.chars().any(char::is_lowercase));
            start = if first_has_lower { 0 } else { length };
            end = start + length;
            break;
        }
    }
    let name = words.get(start..end)?.join(" ");
    let name = name.trim_end_matches([',', ';']).trim();
    (name.chars().any(char::is_alphabetic) && name.len() >= 3).then(|| name.to_owned())
}

/// Ticker and exchange from "(Nasdaq: SONS)", "(NYSE: XYZ)", "NASDAQ:XYZ" style text.
pub(super) fn ticker(lines: &[CoverLine<'_>]) -> Option<(String, String)> {
    let pattern = TICKER.as_ref()?;
    lines.iter().find_map(|line| {
        // the pattern needs the colon after the exchange: most lines have none
        if !line.text.contains(':') {
            return None;
        }
        let found = pattern.captures(&line.text)?;
        let exchange = exchange_name(found.get(1)?.as_str())?;
        Some((found.get(2)?.as_str().to_owned(), exchange.to_owned()))
    })
}

/// The company named just before "(NYSE: XYZ)" in a press release: the run of capitalised
/// words ending at the parenthesis.
pub(super) fn name_before_ticker(line: &CoverLine<'_>) -> Option<String> {
    let open = TICKER.as_ref()?.find(&line.text)?.start();
    let before = line.text.get(..open)?.trim_end().trim_end_matches('(').trim_end();
    let words: Vec<&str> = before.split_whitespace().collect();
    let connectors = ["&", "and", "of", "de"];
    let mut start = words.len();
    while start > 0 && words.len() - start < 6 {
        let Some(word) = words.get(start - 1) else {
            break;
        };
        let capitalised = word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        if capitalised || (connectors.contains(word) && start < words.len()) {
            start -= 1;
        } else {
            break;
        }
    }
    let name = words.get(start..)?.join(" ");
    (name.chars().any(char::is_lowercase) && name.len() >= 3).then_some(name)
}
