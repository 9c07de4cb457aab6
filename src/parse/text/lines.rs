//! Lines of a plain-text part: where each sits, what kind of line it is, and its measurements.
//!
//! Everything here is one linear pass per line over bytes and chars. Tabs expand to 8-column
//! stops, which is how old EDGAR text mixing tabs and spaces lines up on screen; the tab-separated
//! layout of PDF text is read from the raw line instead (see `table`).

use super::vocabulary;
use super::words::{
    Gap, Word, is_number_word, is_rule_word, is_value_word, is_year, split_glued, value_split,
    words,
};

/// Width of a tab stop when tabs are read as whitespace.
pub(super) const TAB_WIDTH: usize = 8;
/// Lines longer than this are never rows (no table line is that wide); they stay text.
const MAX_ROW_LINE_BYTES: usize = 4096;
/// A line with more words than this is prose, never a label-only row.
pub(super) const MAX_LABEL_WORDS: usize = 14;

/// One line of the part, without its line break.
#[derive(Debug, Clone)]
pub(super) struct Line<'a> {
    pub text: &'a str,
    /// Byte offset of the line in the part.
    pub start: usize,
    pub kind: Kind,
    pub facts: LineFacts,
}

impl Line<'_> {
    /// A caption such as `(In thousands, except per share data)`: one phrase, so that
    /// `(IN THOUSANDS)    (IN THOUSANDS)` (heading two columns) is not one.
    pub fn caption(&self) -> bool {
        let trimmed = self.text.trim();
        is_caption(trimmed) && !trimmed.contains("  ") && !trimmed.contains('\t')
    }

    /// Names a scale (`thousands`, `millions`).
    pub fn scale(&self) -> bool {
        self.text.len() <= 160 && vocabulary::names_scale(self.text)
    }

    /// Has words that column headers use (periods, dates, GAAP / adjustments / results).
    pub fn header_words(&self) -> bool {
        vocabulary::has_header_words(self.text)
    }
}

/// What a line is, before any table is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Only whitespace.
    Blank,
    /// An old EDGAR layout tag (`<TABLE>`, `<CAPTION>`, `<S>`, `<C>`, `<PAGE>`, `<FN>`).
    Marker(Marker),
    /// Only dashes, equals signs, underscores or box-drawing rules.
    Rule,
    /// Looks like a table row: tab-separated, or a label followed by number-like values.
    Row,
    /// Anything else: prose, headings, captions, label-only lines.
    Text,
}

/// The old EDGAR layout tags that structure plain-text tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Table,
    TableEnd,
    Caption,
    /// The `<S>` line; its `<C>` tags give the value columns' starts.
    Columns,
    Page,
    Footnote,
    FootnoteEnd,
}

/// Measurements of a line that region finding needs.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LineFacts {
    /// Display column of the first word.
    pub first_col: usize,
    pub words: usize,
    /// Characters between the first and last non-space character.
    pub width: usize,
    /// A tab sits between two pieces of text.
    pub inner_tab: bool,
    /// Tab-separated with no run of two or more spaces between words (PDF text).
    pub pure_tab: bool,
    /// Numbers among the trailing values (aligned) or in the cells after the first (tabbed).
    pub numbers: usize,
    /// The numbers are all years (a column-header line such as `2004   2003`).
    pub years_only: bool,
    /// Display column where the values start (aligned reading), if any.
    pub value_col: Option<usize>,
    /// Has a run of three or more spaces or a tab between words (a columnar line, not prose).
    pub inner_gap: bool,
    /// Its values follow the label after one space, unaligned (see [`ValueSplit::tight`]).
    pub tight: bool,
    /// Ends like a sentence.
    pub sentence_end: bool,
}

/// Split a part into lines with byte offsets (`\n`, `\r\n` and lone `\r` end a line).
pub(super) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    // `split` on one byte uses the standard library's fast byte search; most text has no
    // `\r` at all, and then no line is searched for one.
    let any_cr = text.contains('\r');
    for piece in text.split('\n') {
        let end = start + piece.len();
        if any_cr && piece.contains('\r') {
            let body = piece.strip_suffix('\r').unwrap_or(piece);
            let mut at = start;
            for part in body.split('\r') {
                push_line(&mut lines, text, at, at + part.len());
                at += part.len() + 1;
            }
        } else {
            push_line(&mut lines, text, start, end);
        }
        start = end + 1;
    }
    // A final line break ends the last line rather than starting an empty one.
    if text.is_empty() || text.ends_with('\n') {
        lines.pop();
    }
    lines
}

fn push_line<'a>(lines: &mut Vec<Line<'a>>, text: &'a str, start: usize, end: usize) {
    // Line breaks are ASCII, so both ends are char boundaries.
    let line = text.get(start..end).unwrap_or("");
    lines.push(Line { text: line, start, kind: Kind::Blank, facts: LineFacts::default() });
}

/// Classify every line and record its measurements.
pub(super) fn classify(lines: &mut [Line<'_>]) {
    let mut buf = Vec::new();
    for line in lines.iter_mut() {
        let (kind, facts) = classify_line(line.text, &mut buf);
        line.kind = kind;
        line.facts = facts;
    }
}

fn classify_line(text: &str, buf: &mut Vec<Word>) -> (Kind, LineFacts) {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return (Kind::Blank, LineFacts::default());
    }
    if let Some(marker) = marker(trimmed) {
        return (Kind::Marker(marker), LineFacts::default());
    }
    if text.len() > MAX_ROW_LINE_BYTES {
        let facts = LineFacts {
            words: usize::MAX / 2,
            width: text.len(),
            sentence_end: true,
            ..LineFacts::default()
        };
        return (Kind::Text, facts);
    }
    // Most lines are prose: without a tab, a line whose last word is no value can be no row,
    // and its measurements come from one byte pass without splitting it into words.
    let last_start = trimmed.rfind([' ', '\t']).map_or(0, |at| at + 1);
    let last_word = trimmed.get(last_start..).unwrap_or("");
    let could_be_row = is_value_word(last_word) || is_rule_word(last_word);
    if !could_be_row && !text.contains('\t') && !last_word.ends_with("..") {
        return (Kind::Text, prose_facts(text, trimmed));
    }
    words(text, buf);
    let inner_tab = trimmed.contains('\t');
    let pure_tab = inner_tab && !trimmed.contains("  ");
    let (Some(first), Some(last)) = (buf.first(), buf.last()) else {
        return (Kind::Blank, LineFacts::default());
    };
    let mut facts = LineFacts {
        first_col: first.col,
        words: buf.len(),
        width: last.end_col.saturating_sub(first.col),
        inner_gap: inner_tab || trimmed.contains("   "),
        sentence_end: trimmed.ends_with('.') && !trimmed.ends_with(".."),
        ..LineFacts::default()
    };
    if buf.iter().all(|w| is_rule_word(w.text(text)))
        && buf.iter().any(|w| w.text(text).chars().count() >= 3)
    {
        return (Kind::Rule, facts);
    }
    facts.inner_tab = inner_tab;
    facts.pure_tab = pure_tab;
    if facts.pure_tab {
        let mut numbers = 0;
        let mut years = 0;
        for cell in text.split('\t').skip(1) {
            for word in cell.split_whitespace() {
                if is_number_word(word) {
                    numbers += 1;
                    years += usize::from(is_year(word));
                }
            }
        }
        facts.numbers = numbers;
        facts.years_only = numbers > 0 && years == numbers;
        // PDF prose never has a tab between words; a tabbed line is a row even without numbers
        // (column headers, section labels).
        if facts.words <= 4 * MAX_LABEL_WORDS {
            return (Kind::Row, facts);
        }
        return (Kind::Text, facts);
    }
    // A line whose values do not read as such may have cells glued together (fixed-width
    // output): parted, they may.
    let mut split = value_split(text, buf);
    if split.is_none() && trimmed.contains("  ") {
        split_glued(text, buf);
        split = value_split(text, buf);
    }
    if let Some(split) = split {
        facts.numbers = split.numbers;
        facts.years_only = split.years_only;
        facts.value_col = buf.get(split.first_value).map(|w| w.col);
        facts.tight = split.tight;
        let label_words = split.first_value;
        // A long sentence that happens to end in a number is prose.
        if label_words <= 3 * MAX_LABEL_WORDS {
            return (Kind::Row, facts);
        }
    }
    (Kind::Text, facts)
}

/// Measurements of a line without tabs, read as prose.
fn prose_facts(text: &str, trimmed: &str) -> LineFacts {
    let lead = text.len() - text.trim_start().len();
    let first_col = text.get(..lead).map_or(0, |l| l.chars().count());
    // Most lines are prose, and these are measured for every one: each count is a reduction
    // over the bytes without early exits, which the compiler turns into vector code. Only
    // ASCII whitespace splits words (the line has no tab).
    let bytes = trimmed.as_bytes();
    let space = |b: u8| b.is_ascii_whitespace();
    let after = || bytes.iter().zip(bytes.get(1..).unwrap_or_default());
    // a word starts at the first byte or after whitespace
    let words = usize::from(bytes.first().is_some_and(|&b| !space(b)))
        + after().map(|(&a, &b)| usize::from(space(a) && !space(b))).sum::<usize>();
    // three whitespace bytes in a row need two in a row, which most prose lines lack
    let two = after().fold(false, |two, (&a, &b)| two | (space(a) & space(b)));
    let inner_gap = two
        && after()
            .zip(bytes.get(2..).unwrap_or_default())
            .any(|((&a, &b), &c)| space(a) && space(b) && space(c));
    let width = trimmed.chars().count();
    LineFacts {
        first_col,
        words,
        width,
        inner_gap,
        sentence_end: trimmed.ends_with('.') && !trimmed.ends_with(".."),
        ..LineFacts::default()
    }
}

/// Display column where a line's last chunk (the words after its last wide gap) starts, when
/// it has more than one: where a header printed beside a label starts.
pub(super) fn last_chunk_col(text: &str) -> Option<usize> {
    let mut buf = Vec::new();
    words(text, &mut buf);
    buf.iter().rev().find(|w| w.gap == Gap::Wide).map(|w| w.col)
}

/// The old EDGAR layout tag a line starts with, if any.
pub(super) fn marker(trimmed: &str) -> Option<Marker> {
    let bytes = trimmed.as_bytes();
    if bytes.first() != Some(&b'<') {
        return None;
    }
    let close = trimmed.find('>')?;
    let name = trimmed.get(1..close)?.trim();
    let m = if name.eq_ignore_ascii_case("TABLE") {
        Marker::Table
    } else if name.eq_ignore_ascii_case("/TABLE") {
        Marker::TableEnd
    } else if name.eq_ignore_ascii_case("CAPTION") || name.eq_ignore_ascii_case("/CAPTION") {
        Marker::Caption
    } else if name.eq_ignore_ascii_case("S") || name.eq_ignore_ascii_case("C") {
        Marker::Columns
    } else if name.eq_ignore_ascii_case("PAGE") {
        Marker::Page
    } else if name.eq_ignore_ascii_case("FN") {
        Marker::Footnote
    } else if name.eq_ignore_ascii_case("/FN") {
        Marker::FootnoteEnd
    } else {
        return None;
    };
    Some(m)
}

/// Display columns where `<C>` tags start on an `<S>` line.
pub(super) fn column_marks(line: &str) -> Vec<usize> {
    let mut marks = Vec::new();
    let mut col = 0usize;
    for (at, c) in line.char_indices() {
        if c == '<' && line.get(at..at + 3).is_some_and(|t| t.eq_ignore_ascii_case("<C>")) {
            marks.push(col);
        }
        col = if c == '\t' { (col / TAB_WIDTH + 1) * TAB_WIDTH } else { col + 1 };
    }
    marks
}

/// A table caption: a whole line in parentheses, or one naming the scale.
pub(super) fn is_caption(trimmed: &str) -> bool {
    if trimmed.len() > 120 {
        return false;
    }
    // One parenthesized group: `(Notes)   (Notes)` is a header, not a caption.
    let parenthesized = trimmed.starts_with('(')
        && trimmed.find(')') == Some(trimmed.len() - 1)
        && trimmed.len() > 3;
    parenthesized
        || (trimmed.starts_with('(') && vocabulary::names_scale(trimmed))
        || vocabulary::states_scale(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_convention_splits_lines() {
        let text = "a\r\nb\rc\n\nd\r";
        let lines: Vec<(usize, &str)> =
            split_lines(text).iter().map(|l| (l.start, l.text)).collect();
        assert_eq!(lines, [(0, "a"), (3, "b"), (5, "c"), (7, ""), (8, "d")]);
        assert!(split_lines("").is_empty());
        assert_eq!(split_lines("x\n").len(), 1);
    }

    #[test]
    fn lines_are_classified() {
        let mut lines = split_lines(
            "Revenues  $ 1,234  $ 1,100\n\n(In thousands)\n------  ------\n<S>  <C>\nNet\t5\t6\nSome words here.",
        );
        classify(&mut lines);
        let kinds: Vec<_> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Row,
                Kind::Blank,
                Kind::Text,
                Kind::Rule,
                Kind::Marker(Marker::Columns),
                Kind::Row,
                Kind::Text
            ]
        );
        assert!(lines[2].caption());
        assert_eq!(lines[0].facts.numbers, 2);
        assert_eq!(lines[0].facts.value_col, Some(10));
    }

    /// The byte loop `prose_facts` replaced: (words, width, inner gap).
    fn prose_by_loop(trimmed: &str) -> (usize, usize, bool) {
        let (mut words, mut width, mut spaces) = (0, 0, 0);
        let mut inner_gap = false;
        for &b in trimmed.as_bytes() {
            width += usize::from(b & 0xC0 != 0x80);
            if b.is_ascii_whitespace() {
                spaces += 1;
                inner_gap |= spaces >= 3;
            } else {
                words += usize::from(spaces > 0 || words == 0);
                spaces = 0;
            }
        }
        (words, width, inner_gap)
    }

    #[test]
    fn prose_is_measured_as_the_byte_loop_measured_it() {
        for text in [
            "a",
            "ab cd",
            "ab   cd",
            "ab  cd  ef",
            "Net sales\u{a0}\u{a0}\u{a0}rose",
            "é à",
            "x\u{c}\u{c} y",
            "  lead",
            "trail   ",
            " ",
            "",
            "one two three four",
        ] {
            let f = prose_facts(text, text);
            assert_eq!((f.words, f.width, f.inner_gap), prose_by_loop(text), "{text:?}");
        }
    }

    #[test]
    fn column_marks_read_expanded_positions() {
        assert_eq!(column_marks("<S>\t\t\t  <C>\t     <C>"), [26, 37]);
    }
}
