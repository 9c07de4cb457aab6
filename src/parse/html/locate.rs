//! Source positions for HTML text: html5ever keeps none, so printed text is found again in the
//! raw markup, moving forward from a cursor and never matching inside a tag.

use super::scan::{find_byte, find_str, starts_with_ignore_case};
use crate::parse::model::Span;

/// Longest closing tag looked through for its `>`.
const MAX_TAG_LEN: usize = 256;
/// How far back from a match a tag opening is looked for (longer runs count as text).
const TAG_LOOKBACK: usize = 4096;

/// Byte ranges of every `<table ...>` ... `</table>` in the order of their start tags (the order
/// in which the parsed document meets its tables). Comments are skipped; an unclosed table runs
/// to the end.
pub(crate) fn table_ranges(html: &str) -> Vec<Span> {
    let bytes = html.as_bytes();
    let mut ranges: Vec<Span> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut pos = 0;
    while let Some(at) = find_byte(html, pos, b'<') {
        if starts_with_ignore_case(bytes, at, b"<!--") {
            pos = find_bytes(bytes, at + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if starts_with_ignore_case(bytes, at, b"<table") && ends_tag_name(bytes, at + 6) {
            open.push(ranges.len());
            ranges.push([at, html.len()]);
        } else if starts_with_ignore_case(bytes, at, b"</table") && ends_tag_name(bytes, at + 7) {
            // The tag's `>` is looked for nearby only, so that unclosed tags stay linear.
            let end = bytes
                .get(at..bytes.len().min(at + MAX_TAG_LEN))
                .and_then(|rest| rest.iter().position(|&b| b == b'>'));
            if let Some(range) = open.pop().and_then(|index| ranges.get_mut(index)) {
                range[1] = end.map_or(html.len(), |e| at + e + 1);
            }
        }
        pos = at + 1;
    }
    ranges
}

/// Whether the byte at `at` ends a tag name (space, `>`, `/` or the end of input).
fn ends_tag_name(bytes: &[u8], at: usize) -> bool {
    bytes.get(at).is_none_or(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
}

fn find_bytes(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = bytes.get(from..)?;
    hay.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

/// How many words from each end of a text are tried as anchors.
const ANCHOR_TRIES: usize = 3;

/// Finds printed text in the raw markup under a scanning budget: every byte a search reads is
/// charged, and once the budget (a few times the markup's length) is spent, nothing more is
/// searched. Text that is never printed literally (all entities, say) then costs linear time,
/// not a window per line.
pub(crate) struct Locator<'a> {
    raw: &'a str,
    budget: usize,
}

impl<'a> Locator<'a> {
    /// A locator for `raw`, allowed to read it about `BUDGET_FACTOR` times over.
    pub(crate) fn new(raw: &'a str) -> Self {
        Self { raw, budget: raw.len().saturating_mul(BUDGET_FACTOR).saturating_add(BUDGET_FLOOR) }
    }

    /// Where `text` (whitespace collapsed, entities decoded) is printed in `raw[from..limit]`.
    ///
    /// Entities and markup may sit between words (and inside them: `Less&#58;`), so the span
    /// runs from the first findable word to the last one. `None` when no word can be found.
    pub(crate) fn locate(&mut self, text: &str, from: usize, limit: usize) -> Option<Span> {
        let limit = self.raw.floor_char_boundary(limit.min(self.raw.len()));
        // only a few words from each end are tried: a paragraph's others are not gathered
        let count = text.bytes().filter(|&b| b == b' ').count() + 1;
        let (first_index, first) =
            text.split(' ').enumerate().take(ANCHOR_TRIES).find_map(|(index, word)| {
                self.find_word(word, from, limit).map(|span| (index, span))
            })?;
        let last = text
            .rsplit(' ')
            .enumerate()
            .map(|(back, word)| (count - 1 - back, word))
            .take(ANCHOR_TRIES)
            .take_while(|(index, _)| *index > first_index)
            .find_map(|(_, word)| self.find_word(word, first[1], limit));
        Some([first[0], last.map_or(first[1], |span| span[1])])
    }

    /// Where one word is printed: its literal core, else its letters and digits alone (for
    /// `(171)` split by inline-XBRL tags, or `Less:` with its colon written as an entity).
    fn find_word(&mut self, word: &str, from: usize, limit: usize) -> Option<Span> {
        let literal = literal_core(word);
        let alphanumeric = alphanumeric_core(word).filter(|core| Some(*core) != literal);
        for core in [literal, alphanumeric].into_iter().flatten() {
            if self.budget == 0 {
                return None;
            }
            let found = find_outside_tags(self.raw, core, from, limit);
            let read = found.map_or(limit, |at| at + core.len()).saturating_sub(from);
            self.budget = self.budget.saturating_sub(read);
            if let Some(at) = found {
                return Some([at, at + core.len()]);
            }
        }
        None
    }
}

/// How many times over the markup may be read while locating text.
const BUDGET_FACTOR: usize = 8;
/// Budget every document gets, however short.
const BUDGET_FLOOR: usize = 1 << 20;

/// The longest run of a word's characters that markup prints literally (ASCII letters, digits
/// and plain punctuation; not `&`, quotes or non-ASCII, which are often written as entities).
fn literal_core(word: &str) -> Option<&str> {
    longest_run(word, |b| b.is_ascii_graphic() && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
}

/// The longest run of ASCII letters, digits, `,` and `.` in a word.
fn alphanumeric_core(word: &str) -> Option<&str> {
    longest_run(word, |b| b.is_ascii_alphanumeric() || b == b',' || b == b'.')
}

fn longest_run(word: &str, keep: impl Fn(u8) -> bool) -> Option<&str> {
    let (mut best, mut run_start) = ((0, 0), None);
    for (index, &byte) in word.as_bytes().iter().chain(std::iter::once(&0)).enumerate() {
        match (keep(byte), run_start) {
            (true, None) => run_start = Some(index),
            (false, Some(start)) => {
                if index - start > best.1 - best.0 {
                    best = (start, index);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    word.get(best.0..best.1).filter(|core| !core.is_empty())
}

/// First occurrence of `needle` in `raw[from..limit]` that is not inside a tag.
fn find_outside_tags(raw: &str, needle: &str, from: usize, limit: usize) -> Option<usize> {
    let mut pos = from;
    loop {
        let window = raw.get(pos..limit)?;
        // a word that is not there (entities, markup between its letters) is told by the
        // standard library's vector test, without a search through the whole window
        if !window.contains(needle) {
            return None;
        }
        let at = pos + find_str(window, needle)?;
        if !inside_tag(raw.as_bytes(), at) {
            return Some(at);
        }
        pos = at + 1;
    }
}

/// Whether `at` sits inside a tag: the nearest `<` or `>` before it is a `<`.
fn inside_tag(bytes: &[u8], at: usize) -> bool {
    let lower = at.saturating_sub(TAG_LOOKBACK);
    let before = bytes.get(lower..at).unwrap_or_default();
    before.iter().rev().find(|&&b| b == b'<' || b == b'>').is_some_and(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(raw: &str, text: &str, from: usize, limit: usize) -> Option<Span> {
        Locator::new(raw).locate(text, from, limit)
    }

    #[test]
    fn nested_tables_get_their_own_ranges_in_start_tag_order() {
        let html = "<TABLE><tr><td><table><tr><td>1</td></tr></table></td></tr></TABLE><!-- <table> --><table>";
        let ranges = table_ranges(html);
        assert_eq!(ranges.len(), 3);
        assert_eq!(&html[ranges[0][0]..ranges[0][1]], &html[..67]);
        assert_eq!(&html[ranges[1][0]..ranges[1][1]], "<table><tr><td>1</td></tr></table>");
        assert_eq!(ranges[2], [html.len() - 7, html.len()]);
    }

    #[test]
    fn text_is_never_matched_inside_a_tag() {
        let raw = r#"<td width="100%">x</td><td>100%</td>"#;
        let span = locate(raw, "100%", 0, raw.len());
        assert_eq!(span.map(|[s, e]| &raw[s..e]), Some("100%"));
    }

    #[test]
    fn words_split_by_entities_and_markup_span_first_to_last() {
        let raw = "<td>Net&nbsp;income<br>(loss)</td><td>$&nbsp;12,417</td>";
        let label = locate(raw, "Net income (loss)", 0, raw.len());
        assert_eq!(label.map(|[s, e]| &raw[s..e]), Some("Net&nbsp;income<br>(loss)"));
        let from = label.map_or(0, |[_, e]| e);
        let value = locate(raw, "$ 12,417", from, raw.len());
        assert_eq!(value.map(|[s, e]| &raw[s..e]), Some("$&nbsp;12,417"));
        assert_eq!(locate(raw, "\u{2014}", 0, raw.len()), None);
        assert_eq!(literal_core("company\u{2019}s"), Some("company"));
    }

    #[test]
    fn words_split_by_inline_tags_or_entities_are_found_by_their_letters_and_digits() {
        let raw =
            r#"<td>Less&#58; Profit</td><td>(<ix:nonFraction name="x">171</ix:nonFraction>)</td>"#;
        let label = locate(raw, "Less: Profit", 0, raw.len());
        assert_eq!(label.map(|[s, e]| &raw[s..e]), Some("Less&#58; Profit"));
        let value = locate(raw, "(171)", label.map_or(0, |[_, e]| e), raw.len());
        assert_eq!(value.map(|[s, e]| &raw[s..e]), Some("171"));
    }

    #[test]
    fn a_spent_budget_stops_the_searching() {
        let raw = "<p>x</p>".repeat(10);
        let mut locator = Locator { raw: &raw, budget: 30 };
        assert!(locator.locate("absent", 0, raw.len()).is_none());
        assert_eq!(locator.budget, 0);
        assert!(locator.locate("x", 0, raw.len()).is_none());
    }
}
