//! Words of a line with their display columns, and which of them are values.
//!
//! Tabs expand to 8-column stops (how old EDGAR text mixing tabs and spaces lines up); dot
//! leaders are gaps. A line's values are the number-like words at its end.

use super::lines::TAB_WIDTH;

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
    /// The word's characters in `line` (empty if `line` is not the line it came from).
    pub fn text<'a>(&self, line: &'a str) -> &'a str {
        line.get(self.start..self.end).unwrap_or("")
    }
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
            // `sales. . . .`: a spaced leader's first dot sticks to the label.
            let spaced = line.get(at + 1..at + 3) == Some(" .");
            if spaced
                && let Some(last) = out.last_mut()
                && last.end_col + 1 == col
                && last.end > last.start + 1
                && line
                    .get(last.start..last.end)
                    .is_some_and(|w| w.ends_with('.') && !w.ends_with(".."))
            {
                last.end -= 1;
                last.end_col -= 1;
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
    out.push(Word { col, end_col, start, end, gap });
}

/// Split words where a converter glued two cells together because the first filled its
/// column: a month name right after a digit or a closing parenthesis (`2011December 31,`,
/// `(Unaudited)December`), a number right after a label's last letter or colon
/// (`purchased15,947`, `expenses:(735)`), a number right after a closing one (`(1,633)15,947`).
/// The second part starts a new chunk.
pub(super) fn split_glued(line: &str, ws: &mut Vec<Word>) {
    let glued = |w: &Word| {
        let text = w.text(line);
        if !may_be_glued(text.as_bytes()) {
            return None;
        }
        glued_month_at(text).or_else(|| glued_number_at(text))
    };
    let Some(first) = ws.iter().position(|w| glued(w).is_some()) else {
        return;
    };
    let mut out = Vec::with_capacity(ws.len() + 1);
    out.extend(ws.iter().take(first).copied());
    for &w in ws.iter().skip(first) {
        match glued(&w) {
            Some(at) => {
                let chars = w.text(line).get(..at).map_or(0, |head| head.chars().count());
                out.push(Word { end_col: w.col + chars, end: w.start + at, ..w });
                out.push(Word { col: w.col + chars, start: w.start + at, gap: Gap::Wide, ..w });
            }
            None => out.push(w),
        }
    }
    *ws = out;
}

/// Whether a word has one of the places where two cells can be glued: a capital after a digit
/// or `)` (`2011December`), a number after a letter, colon, `)` or `%` (`purchased15,947`,
/// `(1,633)15,947`), `(` or `$` after a digit (`430(4,202)`), four digits after a comma
/// (`7,271128,705`). One pass over the bytes, by byte class, rules out most words.
fn may_be_glued(bytes: &[u8]) -> bool {
    let mut previous = Class::Other;
    let mut after_comma: Option<usize> = None;
    for &b in bytes {
        let class = Class::of(b);
        if class.glued_after(previous) {
            return true;
        }
        after_comma = match class {
            Class::Comma => Some(0),
            Class::Digit => after_comma.map(|n| n + 1),
            _ => None,
        };
        if after_comma.is_some_and(|n| n >= 4) {
            return true;
        }
        previous = class;
    }
    false
}

/// What a byte is, for finding glued cells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Digit,
    Upper,
    Lower,
    /// `:`, `%` or `)`: what may end a label or a number.
    Closer,
    /// `(` or `$`: what may open a number.
    Opener,
    Comma,
    Other,
}

impl Class {
    fn of(b: u8) -> Class {
        match b {
            b'0'..=b'9' => Class::Digit,
            b'A'..=b'Z' => Class::Upper,
            b'a'..=b'z' => Class::Lower,
            b':' | b'%' | b')' => Class::Closer,
            b'(' | b'$' => Class::Opener,
            b',' => Class::Comma,
            _ => Class::Other,
        }
    }

    /// Whether this class right after `previous` may start a second cell. (`)` before a
    /// capital is told from `:` and `%` by the month name that must follow, later.)
    fn glued_after(self, previous: Class) -> bool {
        matches!(
            (previous, self),
            (Class::Digit | Class::Closer, Class::Upper)
                | (Class::Lower | Class::Closer, Class::Digit | Class::Opener)
                | (Class::Digit, Class::Opener)
        )
    }
}

/// Byte offset of a capitalized month name glued to the digit or `)` before it.
fn glued_month_at(word: &str) -> Option<usize> {
    word.as_bytes().windows(2).enumerate().find_map(|(i, pair)| {
        let &[before, here] = pair else { return None };
        if !(before.is_ascii_digit() || before == b')') || !here.is_ascii_uppercase() {
            return None;
        }
        let tail = word.get(i + 1..)?;
        let name = tail.split(|c: char| !c.is_ascii_alphabetic()).next()?;
        super::vocabulary::is_month(name).then_some(i + 1)
    })
}

/// Byte offset of a number glued to the label or the number before it. Only numbers a label
/// does not end with count: grouped (`7,702`) or of three digits or more (`(735)`), so that
/// `Note:(1)` or `Rule 10b5` stay whole.
fn glued_number_at(word: &str) -> Option<usize> {
    let number_byte = |b: &u8| b.is_ascii_digit() || b"$(),.%*-".contains(b);
    let bytes = word.as_bytes();
    let suffix = bytes.iter().rev().take_while(|b| number_byte(b)).count();
    let tail_start = bytes.len() - suffix;
    let at = if tail_start > 0 {
        let before = *bytes.get(tail_start - 1)?;
        (before.is_ascii_lowercase() || before == b':').then_some(tail_start)?
    } else {
        // Two numbers: the second opens (`430(4,202)`, `12$3,400`) or the first closed
        // (`(1,633)15,947`) right at the boundary, or a group of more than three digits after
        // a comma holds the end of one and the start of the next (`7,271128,705`).
        let opened = bytes.windows(2).position(|p| match p {
            [b')' | b'%', next] => next.is_ascii_digit() || b"($".contains(next),
            [before, b'(' | b'$'] => before.is_ascii_digit(),
            _ => false,
        });
        let regrouped = || {
            let long_group =
                |p: &[u8]| matches!(p, [b',', rest @ ..] if rest.iter().all(u8::is_ascii_digit));
            bytes.windows(5).position(long_group).map(|comma| comma + 3)
        };
        let at = 1 + opened.or_else(regrouped)?;
        is_number_word(word.get(..at)?).then_some(at)?
    };
    let tail = word.get(at..)?;
    let digits = tail.bytes().filter(u8::is_ascii_digit).count();
    (is_number_word(tail) && (tail.contains(',') || digits >= 3)).then_some(at)
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
    /// The values follow the label after a single space (`Net sales 1,234 1,100`): where they
    /// sit says nothing about their columns.
    pub tight: bool,
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
        if !words.get(start..first_value).is_some_and(|c| c.iter().all(value)) {
            break;
        }
        first_value = start;
    }
    // The label chunk has a word that is not a value; look at the values ending it. Only the
    // line's first chunk is a label: a later one is a header over the values (`h 21 2002`, the
    // garbled end of `March 31, 2003` printed in its column).
    let start = chunk_start(first_value);
    if first_value > 0 && start == 0 {
        let mut j = first_value;
        while j > start && words.get(j - 1).is_some_and(value) {
            j -= 1;
        }
        let tail = words.get(j..first_value).unwrap_or(&[]);
        let tail_numbers = tail.iter().filter(|w| is_number_word(w.text(line))).count();
        // `Synfuels $ 0.25     $ 0.20`: a currency sign one space after the label.
        let currency_first = tail.first().is_some_and(|w| unescaped(w.text(line)) == "$");
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
    // Tight: every value follows the label one space apart (no wide gap before or among them).
    let tight = first_value > 0
        && words.get(first_value..).is_some_and(|v| v.iter().all(|w| w.gap != Gap::Wide));
    (numbers > 0).then_some(ValueSplit {
        first_value,
        numbers,
        years_only: years == numbers,
        tight,
    })
}

/// A number as tables print it: `1,234`, `(1,234)`, `$(0.25)`, `58.8%`, `-1.7%`, `2003*`,
/// `(1,065,606` (a converter dropped the parenthesis).
pub(super) fn is_number_word(word: &str) -> bool {
    let core = unescaped(word).trim_start_matches(['$', '(', '-', '+', '\u{2212}', '\u{2013}']);
    let core = core.trim_end_matches([')', '%', '*']);
    let bytes = core.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(f), Some(l)) => {
            (f.is_ascii_digit() || *f == b'.')
                && l.is_ascii_digit()
                && bytes.iter().all(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
        }
        _ => false,
    }
}

/// A word without the backslash that some conversions print before a dollar sign (`\$1,234`).
pub(super) fn unescaped(word: &str) -> &str {
    match word.strip_prefix('\\') {
        Some(rest) if rest.starts_with('$') => rest,
        _ => word,
    }
}

/// A word that can stand in a value column: a number, a dash, `$`, a parenthesis, `n/a`, `NM`.
pub(super) fn is_value_word(word: &str) -> bool {
    // `(805,` is the first half of a number broken by a space.
    if is_number_word(word) || word.strip_suffix(',').is_some_and(is_number_word) {
        return true;
    }
    let w = unescaped(word).trim_matches(['(', ')', '$', '*', '%']);
    w.is_empty()
        || w.chars().all(|c| matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        || ["n/a", "na", "n/m", "nm", "nil", "-0-"].iter().any(|b| w.eq_ignore_ascii_case(b))
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

/// Word index ranges `[first, last]` of the chunks (runs of words without a wide gap).
pub(super) fn chunks(ws: &[Word]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        match out.last_mut() {
            Some((_, last)) if w.gap != Gap::Wide => *last = i,
            _ => out.push((i, i)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        let mut buf = Vec::new();
        words(line, &mut buf);
        buf.iter().map(|w| format!("{}@{}", w.text(line), w.col)).collect()
    }

    #[test]
    fn tabs_expand_to_eight_column_stops() {
        assert_eq!(texts("Net sales\t        $1,601"), ["Net@0", "sales@4", "$1,601@24"]);
    }

    #[test]
    fn dot_leaders_become_wide_gaps_and_vanish() {
        let line = "Net sales.......  $ 7,081";
        let mut buf = Vec::new();
        words(line, &mut buf);
        let t: Vec<_> = buf.iter().map(|w| (w.text(line), w.gap)).collect();
        assert_eq!(
            t,
            [("Net", Gap::Start), ("sales", Gap::Space), ("$", Gap::Wide), ("7,081", Gap::Space)]
        );
        assert_eq!(texts("Revenues . . . . .  1,234"), ["Revenues@0", "1,234@20"]);
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
    fn month_names_glued_to_a_year_or_parenthesis_start_a_new_chunk() {
        let line = "Assets    September 30, 2011December 31, 2010 (Unaudited)Dec. 1";
        let mut buf = Vec::new();
        words(line, &mut buf);
        split_glued(line, &mut buf);
        let t: Vec<_> = buf.iter().map(|w| (w.text(line), w.col, w.gap)).collect();
        assert_eq!(t[3], ("2011", 24, Gap::Space));
        assert_eq!(t[4], ("December", 28, Gap::Wide));
        assert_eq!(t[7], ("(Unaudited)", 46, Gap::Space));
        assert_eq!(t[8], ("Dec.", 57, Gap::Wide));
        let plain = "3Com 10-K 2003Q2 FY2004";
        words(plain, &mut buf);
        split_glued(plain, &mut buf);
        assert_eq!(buf.len(), 4, "no month glued on");
    }

    #[test]
    fn numbers_glued_to_a_label_or_a_number_start_a_new_chunk() {
        let line = "Gross profit % Operating expenses:(735) 14,958 (1,633)15,947 purchased15,947 \
                    430(4,202) 7,271128,705";
        let mut buf = Vec::new();
        words(line, &mut buf);
        split_glued(line, &mut buf);
        let t: Vec<_> = buf.iter().map(|w| (w.text(line), w.gap)).collect();
        assert_eq!(
            t[4..],
            [
                ("expenses:", Gap::Space),
                ("(735)", Gap::Wide),
                ("14,958", Gap::Space),
                ("(1,633)", Gap::Space),
                ("15,947", Gap::Wide),
                ("purchased", Gap::Space),
                ("15,947", Gap::Wide),
                ("430", Gap::Space),
                ("(4,202)", Gap::Wide),
                ("7,271", Gap::Space),
                ("128,705", Gap::Wide)
            ]
        );
        let plain = "Note:(1) Rule 10b5 FY2003 Q1,000 (12)% 58.8% 401(k)";
        words(plain, &mut buf);
        split_glued(plain, &mut buf);
        assert_eq!(buf.len(), 8, "nothing glued");
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
            "\\$(3,210)",
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
                && is_value_word("\\$")
                && is_value_word("\u{2014}")
        );
    }
}
