//! Lines of a plain-text part: where each sits, its words with display columns, and its kind.
//!
//! Everything here is one linear pass per line over bytes and chars. Tabs expand to 8-column
//! stops, which is how old EDGAR text mixing tabs and spaces lines up on screen; the tab-separated
//! layout of PDF text is read from the raw line instead (see `rows`).

use super::vocabulary;

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
    /// Ends like a sentence.
    pub sentence_end: bool,
}

/// How a word is separated from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gap {
    /// First word of the line.
    Start,
    /// One space: the same phrase.
    Space,
    /// Two or more columns, a tab or a dot leader: a new chunk.
    Wide,
}

/// A word: a run of non-whitespace characters.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    /// Display columns `[col, end_col)`.
    pub col: usize,
    pub end_col: usize,
    /// Bytes `[start, end)` within the line.
    pub start: usize,
    pub end: usize,
    pub gap: Gap,
}

impl Word {
    pub fn text<'a>(&self, line: &'a str) -> &'a str {
        line.get(self.start..self.end).unwrap_or("")
    }
}

/// Split a part into lines with byte offsets (`\n`, `\r\n` and lone `\r` end a line).
pub(super) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    // `split` on one byte uses the standard library's fast byte search.
    for piece in text.split('\n') {
        let end = start + piece.len();
        if piece.contains('\r') {
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
    lines.push(Line {
        text: line,
        start,
        kind: Kind::Blank,
        facts: LineFacts::default(),
    });
}

/// Split a line into words with display columns, treating tabs as whitespace to the next stop
/// and dot leaders (`Net sales.......`, `Revenues . . . .`) as wide gaps.
pub(super) fn words(line: &str, out: &mut Vec<Word>) {
    out.clear();
    let mut col = 0usize;
    // A tab or a dot leader since the last word makes the next gap wide whatever its width.
    let mut hard_break = false;
    let mut current: Option<(usize, usize)> = None; // (byte start, col start)
    let mut iter = line.char_indices().peekable();
    while let Some((at, c)) = iter.next() {
        if c.is_whitespace() {
            if let Some((s, sc)) = current.take() {
                push_word(out, sc, col, s, at, hard_break);
                hard_break = false;
            }
            if c == '\t' {
                col = (col / TAB_WIDTH + 1) * TAB_WIDTH;
                hard_break = true;
            } else {
                col += 1;
            }
            continue;
        }
        let next = iter.peek().map(|&(_, n)| n);
        let leader = c == '.'
            && (next == Some('.') || (current.is_none() && next.is_none_or(char::is_whitespace)));
        if leader {
            // A dot leader: close the word before it and swallow the dots.
            if let Some((s, sc)) = current.take() {
                push_word(out, sc, col, s, at, hard_break);
            }
            col += 1;
            while let Some((_, '.')) = iter.peek() {
                iter.next();
                col += 1;
            }
            hard_break = true;
            continue;
        }
        if current.is_none() {
            current = Some((at, col));
        }
        col += 1;
    }
    if let Some((s, sc)) = current {
        push_word(out, sc, col, s, line.len(), hard_break);
    }
}

fn push_word(
    out: &mut Vec<Word>,
    col: usize,
    end_col: usize,
    start: usize,
    end: usize,
    hard_break: bool,
) {
    let gap = match out.last() {
        None => Gap::Start,
        Some(last) if hard_break || col.saturating_sub(last.end_col) >= 2 => Gap::Wide,
        Some(_) => Gap::Space,
    };
    out.push(Word {
        col,
        end_col,
        start,
        end,
        gap,
    });
}

/// Where a line's trailing values begin, read as an aligned row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ValueSplit {
    /// Index of the first value word; words before it are the label.
    pub first_value: usize,
    /// Numbers (words with digits) among the values.
    pub numbers: usize,
    /// Every number is a year.
    pub years_only: bool,
}

/// Find the trailing values of an aligned line: whole chunks (separated by wide gaps) made only
/// of number-like words, or, inside the last label chunk, two or more numbers separated by
/// single spaces (`Net sales 1,234 1,100`). `None` when the line ends in text.
pub(super) fn value_split(line: &str, words: &[Word]) -> Option<ValueSplit> {
    let chunk_start = |end: usize| {
        let mut s = end.saturating_sub(1);
        while s > 0 && words.get(s).is_some_and(|w| w.gap != Gap::Wide) {
            s -= 1;
        }
        s
    };
    let value = |w: &Word| is_value_word(w.text(line));
    let mut first_value = words.len();
    while first_value > 0 {
        let start = chunk_start(first_value);
        if !words
            .get(start..first_value)
            .is_some_and(|c| c.iter().all(value))
        {
            break;
        }
        first_value = start;
    }
    if first_value > 0 {
        // The label chunk has a word that is not a value; look at the values ending it.
        let start = chunk_start(first_value);
        let mut j = first_value;
        while j > start && words.get(j - 1).is_some_and(value) {
            j -= 1;
        }
        let tail = words.get(j..first_value).unwrap_or(&[]);
        let tail_numbers = tail.iter().filter(|w| is_number_word(w.text(line))).count();
        // `Synfuels $ 0.25     $ 0.20`: a currency sign one space after the label.
        let currency_first = tail.first().is_some_and(|w| w.text(line) == "$");
        if tail_numbers >= 2 || (tail_numbers == 1 && currency_first && first_value < words.len()) {
            first_value = j;
        }
    }
    let values = words.get(first_value..).unwrap_or(&[]);
    let mut numbers = 0;
    let mut years = 0;
    for w in values {
        let t = w.text(line);
        if is_number_word(t) {
            numbers += 1;
            years += usize::from(is_year(t));
        }
    }
    (numbers > 0).then_some(ValueSplit {
        first_value,
        numbers,
        years_only: years == numbers,
    })
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
    let (Some(first), Some(last)) = (buf.first(), buf.last()) else {
        return (Kind::Blank, LineFacts::default());
    };
    let mut facts = LineFacts {
        first_col: first.col,
        words: buf.len(),
        width: last.end_col.saturating_sub(first.col),
        inner_gap: trimmed.contains("   ") || trimmed.contains('\t'),
        sentence_end: trimmed.ends_with('.') && !trimmed.ends_with(".."),
        ..LineFacts::default()
    };
    if buf.iter().all(|w| is_rule_word(w.text(text)))
        && buf.iter().any(|w| w.text(text).chars().count() >= 3)
    {
        return (Kind::Rule, facts);
    }
    facts.inner_tab = trimmed.contains('\t');
    facts.pure_tab = facts.inner_tab && !trimmed.contains("  ");
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
    if let Some(split) = value_split(text, buf) {
        facts.numbers = split.numbers;
        facts.years_only = split.years_only;
        facts.value_col = buf.get(split.first_value).map(|w| w.col);
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
    let (mut words, mut width, mut spaces) = (0, 0, 0);
    let mut inner_gap = false;
    // One pass over the bytes: a char is counted at its first byte; only ASCII spaces split
    // words (the line has no tab).
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
    LineFacts {
        first_col,
        words,
        width,
        inner_gap,
        sentence_end: trimmed.ends_with('.') && !trimmed.ends_with(".."),
        ..LineFacts::default()
    }
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
    let mut iter = line.char_indices();
    while let Some((at, c)) = iter.next() {
        if c == '<'
            && line
                .get(at..at + 3)
                .is_some_and(|t| t.eq_ignore_ascii_case("<C>"))
        {
            marks.push(col);
        }
        col = if c == '\t' {
            (col / TAB_WIDTH + 1) * TAB_WIDTH
        } else {
            col + 1
        };
    }
    marks
}

/// A number as tables print it: `1,234`, `(1,234)`, `$(0.25)`, `58.8%`, `-1.7%`, `2003*`,
/// `(1,065,606` (a converter dropped the parenthesis).
pub(super) fn is_number_word(word: &str) -> bool {
    let core = word.trim_start_matches(['$', '(', '-', '+', '\u{2212}', '\u{2013}']);
    let core = core.trim_end_matches([')', '%', '*']);
    let bytes = core.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(f), Some(l)) => {
            (f.is_ascii_digit() || *f == b'.')
                && l.is_ascii_digit()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
        }
        _ => false,
    }
}

/// A word that can stand in a value column: a number, a dash, `$`, a parenthesis, `n/a`, `NM`.
pub(super) fn is_value_word(word: &str) -> bool {
    // `(805,` is the first half of a number broken by a space.
    if is_number_word(word) || word.strip_suffix(',').is_some_and(is_number_word) {
        return true;
    }
    let w = word.trim_matches(['(', ')', '$', '*', '%']);
    w.is_empty()
        || w.chars()
            .all(|c| matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        || ["n/a", "na", "n/m", "nm", "nil", "-0-"]
            .iter()
            .any(|b| w.eq_ignore_ascii_case(b))
}

/// A four-digit year from 1900 to 2099, maybe with a footnote star.
pub(super) fn is_year(word: &str) -> bool {
    let core = word.trim_end_matches('*').as_bytes();
    core.len() == 4 && core.iter().all(u8::is_ascii_digit) && matches!(&core[..2], b"19" | b"20")
}

/// Rules: `-----`, `=====`, `_____`, `───`, and EDGAR's escaped `- ----`.
pub(super) fn is_rule_word(word: &str) -> bool {
    !word.is_empty()
        && word.chars().all(
            |c| matches!(c, '-' | '=' | '_' | '\u{2010}'..='\u{2015}' | '\u{2500}'..='\u{257F}'),
        )
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

    fn texts(line: &str) -> Vec<String> {
        let mut buf = Vec::new();
        words(line, &mut buf);
        buf.iter()
            .map(|w| format!("{}@{}", w.text(line), w.col))
            .collect()
    }

    #[test]
    fn every_line_break_convention_splits_lines() {
        let text = "a\r\nb\rc\n\nd\r";
        let lines: Vec<(usize, &str)> = split_lines(text)
            .iter()
            .map(|l| (l.start, l.text))
            .collect();
        assert_eq!(lines, [(0, "a"), (3, "b"), (5, "c"), (7, ""), (8, "d")]);
        assert!(split_lines("").is_empty());
        assert_eq!(split_lines("x\n").len(), 1);
    }

    #[test]
    fn tabs_expand_to_eight_column_stops() {
        assert_eq!(
            texts("Net sales\t        $1,601"),
            ["Net@0", "sales@4", "$1,601@24"]
        );
    }

    #[test]
    fn dot_leaders_become_wide_gaps_and_vanish() {
        let line = "Net sales.......  $ 7,081";
        let mut buf = Vec::new();
        words(line, &mut buf);
        let t: Vec<_> = buf.iter().map(|w| (w.text(line), w.gap)).collect();
        assert_eq!(
            t,
            [
                ("Net", Gap::Start),
                ("sales", Gap::Space),
                ("$", Gap::Wide),
                ("7,081", Gap::Space)
            ]
        );
        assert_eq!(
            texts("Revenues . . . . .  1,234"),
            ["Revenues@0", "1,234@20"]
        );
    }

    #[test]
    fn values_are_whole_trailing_chunks() {
        let line = "Balances as of September 24, 2005     835,019   $  3,564";
        let mut buf = Vec::new();
        words(line, &mut buf);
        let split = value_split(line, &buf).unwrap();
        assert_eq!(buf[split.first_value].text(line), "835,019");
        assert_eq!(split.numbers, 2);
    }

    #[test]
    fn single_spaced_numbers_after_a_label_are_values() {
        let line = "Net sales 1,234 1,100";
        let mut buf = Vec::new();
        words(line, &mut buf);
        let split = value_split(line, &buf).unwrap();
        assert_eq!(buf[split.first_value].text(line), "1,234");
        let prose = "the year ended December 31, 2003";
        words(prose, &mut buf);
        assert_eq!(value_split(prose, &buf), None);
    }

    #[test]
    fn a_currency_sign_one_space_after_the_label_starts_the_values() {
        let line = "Earnings-Excluding Synfuels $ 0.25     $ 0.20";
        let mut buf = Vec::new();
        words(line, &mut buf);
        let split = value_split(line, &buf).unwrap();
        assert_eq!(buf[split.first_value].text(line), "$");
        assert_eq!(split.numbers, 2);
    }

    #[test]
    fn number_words_follow_printed_conventions() {
        for w in [
            "1,234",
            "(1,234)",
            "$(0.25)",
            "58.8%",
            "-1.7%",
            "2003*",
            "(1,065,606",
            "$.25",
        ] {
            assert!(is_number_word(w), "{w}");
        }
        for w in ["24,", "2003.", "33-41485", "(A)", "$", "--", "Q2"] {
            assert!(!is_number_word(w), "{w}");
        }
        assert!(
            is_value_word("--")
                && is_value_word("NM")
                && is_value_word("$")
                && is_value_word("\u{2014}")
        );
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

    #[test]
    fn column_marks_read_expanded_positions() {
        assert_eq!(column_marks("<S>\t\t\t  <C>\t     <C>"), [26, 37]);
    }
}
