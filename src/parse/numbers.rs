//! Numbers as printed in financial tables: `(1,234)`, `$ 8,793`, `58.8%`, `--`, `(805, 459)`.
//!
//! A cell may hold several numbers (PDF text merges rows), so [`scan`] returns every number it
//! finds with its place in the cell. Text that looks numeric but breaks the printed grouping
//! rules (`000`, `00.170`, `1±, 000`) is reported as garbage rather than guessed at.

use rust_decimal::Decimal;

/// One number found in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberToken {
    /// Value as printed, sign applied, no scale.
    pub value: Decimal,
    /// The characters printed for it (currency sign and parentheses included).
    pub text: String,
    /// Byte range within the scanned text.
    pub range: (usize, usize),
    /// Printed with a `%`.
    pub percent: bool,
    /// Printed with a currency sign.
    pub currency: bool,
}

/// What a cell holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellScan {
    /// Numbers, left to right.
    pub numbers: Vec<NumberToken>,
    /// Number-like fragments that could not be read (OCR noise).
    pub garbage: Vec<String>,
    /// Words left over (labels, footnote markers).
    pub words: Vec<String>,
}

impl CellScan {
    /// True when the cell holds no number and no garbage (blank, dash, `$`, `n/a`).
    pub fn is_blank(&self) -> bool {
        self.numbers.is_empty()
            && self.garbage.is_empty()
            && self.words.iter().all(|w| is_blank_word(w))
    }
}

impl CellScan {
    /// A cell of words that happens to hold a number ("in Constant Currency (1)", "Note 3"):
    /// its numbers are no amounts.
    pub fn is_textual(&self) -> bool {
        self.words.iter().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count()
            >= 2
    }
}

/// Words that stand for an absent value.
pub fn is_blank_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| c == '(' || c == ')' || c == '*');
    w.is_empty()
        || w.chars()
            .all(|c| is_dash(c) || c == '$' || c == '\\' || c == '_' || c == '=' || c == '.')
        || matches!(
            w.to_ascii_lowercase().as_str(),
            "n/a" | "na" | "n/m" | "nm" | "nil" | "none" | "-0-"
        )
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{97}' | '\u{96}')
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '\u{2212}' | '\u{2013}')
}

/// Cells of at most this many bytes (so as many chars at most) are scanned without allocating.
const SHORT_CELL: usize = 64;

/// Scan a cell's text for numbers.
pub fn scan(text: &str) -> CellScan {
    let mut out = CellScan::default();
    // every cell of every table is scanned, and nearly all are short: their chars are held on
    // the stack rather than in a new vector each
    let mut short = [(0, '\0'); SHORT_CELL];
    let long: Vec<(usize, char)>;
    let chars: &[(usize, char)] = if text.len() <= SHORT_CELL {
        let mut n = 0;
        for (slot, c) in short.iter_mut().zip(text.char_indices()) {
            *slot = c;
            n += 1;
        }
        &short[..n]
    } else {
        long = text.char_indices().collect();
        &long
    };
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match read_number(chars, i, text) {
            Some(Read::Number { end_index, token }) => {
                out.numbers.push(NumberToken { range: (start, token.1), ..token.0 });
                i = end_index;
            }
            Some(Read::Garbage { end_index, end_byte }) => {
                out.garbage.push(text[start..end_byte].to_owned());
                i = end_index;
            }
            None => {
                // a word: up to the next whitespace
                let mut j = i;
                while j < chars.len() && !chars[j].1.is_whitespace() {
                    j += 1;
                }
                let end_byte = chars.get(j).map_or(text.len(), |p| p.0);
                out.words.push(text[start..end_byte].to_owned());
                i = j;
            }
        }
    }
    out
}

enum Read {
    Number { end_index: usize, token: (NumberToken, usize) },
    Garbage { end_index: usize, end_byte: usize },
}

/// Try to read one number starting at `chars[i]`.
fn read_number(chars: &[(usize, char)], mut i: usize, text: &str) -> Option<Read> {
    let byte_at = |k: usize| chars.get(k).map_or(text.len(), |p| p.0);
    let start_i = i;
    let mut paren = false;
    let mut currency = false;
    let mut negative = false;
    // prefix: any of `$`, `(`, minus, spaces between them
    loop {
        match chars.get(i).map(|p| p.1) {
            Some('$') => currency = true,
            // text exported from markup sometimes escapes the sign: `\$1,234`
            Some('\\') if chars.get(i + 1).is_some_and(|p| p.1 == '$') => {}
            Some('(') if !paren => paren = true,
            Some(c) if is_minus(c) && !negative && next_is_digit(chars, i + 1) => negative = true,
            Some(' ') if i > start_i => {}
            _ => break,
        }
        i += 1;
    }
    let digits_start = i;
    let mut groups_ok = true;
    let mut seen_point = false;
    let mut group_len = 0usize;
    let mut first_group = true;
    let mut first_group_zero_lead = false;
    let mut has_comma = false;
    while let Some(&(_, c)) = chars.get(i) {
        if c.is_ascii_digit() {
            if group_len == 0 && first_group && !seen_point && c == '0' {
                first_group_zero_lead = true;
            }
            group_len += 1;
            i += 1;
        } else if c == ',' && !seen_point && group_len > 0 {
            // a comma, possibly followed by one space (PDF text breaks "805, 459")
            let mut j = i + 1;
            if chars.get(j).map(|p| p.1) == Some(' ') {
                j += 1;
            }
            let next_three = (0..3).all(|k| chars.get(j + k).is_some_and(|p| p.1.is_ascii_digit()));
            let fourth_digit = chars.get(j + 3).is_some_and(|p| p.1.is_ascii_digit());
            if !next_three || fourth_digit {
                break;
            }
            if (first_group && group_len > 3) || (!first_group && group_len != 3) {
                groups_ok = false;
            }
            first_group = false;
            has_comma = true;
            group_len = 0;
            i = j;
        } else if c == '.' && !seen_point && chars.get(i + 1).is_some_and(|p| p.1.is_ascii_digit())
        {
            if !first_group && group_len != 3 {
                groups_ok = false;
            }
            seen_point = true;
            i += 1;
            group_len = 0;
        } else {
            break;
        }
    }
    if i == digits_start {
        return None;
    }
    if has_comma && !seen_point && group_len != 3 {
        groups_ok = false;
    }
    // the digits and point: as printed, unless commas (and a space after one) are to go
    let printed_digits = text.get(byte_at(digits_start)..byte_at(i)).unwrap_or_default();
    let body: std::borrow::Cow<'_, str> = if has_comma {
        printed_digits.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect()
    } else {
        printed_digits.into()
    };
    let integer_part: &str = body.split('.').next().unwrap_or("");
    // "000", "00.170", "0123": a leading zero is only valid as a lone "0"
    if first_group_zero_lead && integer_part.len() > 1 {
        groups_ok = false;
    }
    let mut percent = false;
    let mut end = i;
    // suffix: `%`, `)`, trailing minus
    loop {
        match chars.get(end).map(|p| p.1) {
            Some('%') if !percent => percent = true,
            Some(')') if paren => {
                paren = false;
                negative = true;
            }
            Some(c) if is_minus(c) && !negative && !next_is_digit(chars, end + 1) => {
                negative = true
            }
            _ => break,
        }
        end += 1;
    }
    let followed_by_junk = chars.get(end).is_some_and(|p| !p.1.is_whitespace() && p.1 != '$');
    // converted text drops the closing parenthesis: "(396,213" at the end of a token is
    // still a negative amount
    if paren && !followed_by_junk && groups_ok {
        paren = false;
        negative = true;
    }
    if !groups_ok || followed_by_junk || paren {
        let mut j = end;
        while j < chars.len() && !chars[j].1.is_whitespace() {
            j += 1;
        }
        return Some(Read::Garbage { end_index: j, end_byte: byte_at(j) });
    }
    // more digits than an exact decimal holds (about 28): no table prints such an amount, so
    // it is noise to be reported, never a rounded value
    let Ok(mut value) = Decimal::from_str_exact(&body) else {
        let mut j = end;
        while j < chars.len() && !chars[j].1.is_whitespace() {
            j += 1;
        }
        return Some(Read::Garbage { end_index: j, end_byte: byte_at(j) });
    };
    if negative {
        value = -value;
    }
    let end_byte = byte_at(end);
    let start_byte = byte_at(start_i);
    let printed = text.get(start_byte..end_byte).unwrap_or_default().to_owned();
    Some(Read::Number {
        end_index: end,
        token: (
            NumberToken { value, text: printed, range: (start_byte, end_byte), percent, currency },
            end_byte,
        ),
    })
}

fn next_is_digit(chars: &[(usize, char)], i: usize) -> bool {
    let mut j = i;
    while chars.get(j).is_some_and(|p| p.1 == '$' || p.1 == ' ') {
        j += 1;
    }
    chars.get(j).is_some_and(|p| p.1.is_ascii_digit() || p.1 == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        scan(text).numbers.iter().map(|n| n.value.to_string()).collect()
    }

    #[test]
    fn parentheses_and_currency_signs_read_as_negative_amounts() {
        assert_eq!(values("$(3,210)"), ["-3210"]);
        assert_eq!(values("$ (0.01)"), ["-0.01"]);
        assert_eq!(values("(148) 461"), ["-148", "461"]);
        assert_eq!(values("$161,064"), ["161064"]);
        assert_eq!(values("\\$161,064 \\$(2,200)"), ["161064", "-2200"]);
        assert_eq!(values("1,234-"), ["-1234"]);
        assert_eq!(values("(396,213  (254,411"), ["-396213", "-254411"]);
        assert_eq!(values("\u{2212}12"), ["-12"]);
    }

    #[test]
    fn numbers_broken_by_a_space_after_the_comma_are_joined() {
        assert_eq!(values("(805, 459)"), ["-805459"]);
        assert_eq!(values("185,156 7,271"), ["185156", "7271"]);
    }

    #[test]
    fn percentages_keep_their_flag() {
        let scan = scan("58.8%");
        assert_eq!(scan.numbers.len(), 1);
        assert!(scan.numbers[0].percent);
        assert_eq!(scan.numbers[0].value.to_string(), "58.8");
    }

    #[test]
    fn broken_grouping_is_garbage_not_a_number() {
        for text in ["000", "00.170", "1\u{b1}, 000", "12,34"] {
            let s = scan(text);
            assert!(s.numbers.is_empty(), "{text} gave {:?}", s.numbers);
            assert!(!s.garbage.is_empty(), "{text} gave no garbage");
        }
    }

    #[test]
    fn numbers_too_long_to_hold_exactly_are_garbage_not_rounded() {
        let huge = "9".repeat(400);
        for text in [huge.clone(), format!("({huge})"), format!("0.{huge}"), "1".repeat(30)] {
            let s = scan(&text);
            assert!(s.numbers.is_empty(), "{} gave {:?}", text.len(), s.numbers);
            assert_eq!(s.garbage, std::slice::from_ref(&text), "reported whole");
        }
        // the longest an exact decimal holds still reads
        assert_eq!(values(&"9".repeat(28)), ["9".repeat(28)]);
    }

    #[test]
    fn dashes_and_dollar_signs_alone_are_blank() {
        for text in ["", "$", "\\$", "--", "\u{2014}", "-", "n/a", "$ \u{2014}"] {
            assert!(scan(text).is_blank(), "{text:?} not blank");
        }
        assert!(!scan("0").is_blank());
    }

    #[test]
    fn ranges_point_at_the_printed_characters() {
        let text = "x $1,010 (2,513)";
        let s = scan(text);
        assert_eq!(&text[s.numbers[0].range.0..s.numbers[0].range.1], "$1,010");
        assert_eq!(&text[s.numbers[1].range.0..s.numbers[1].range.1], "(2,513)");
    }
}
