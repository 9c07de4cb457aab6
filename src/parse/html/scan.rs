//! Byte-level helpers for finding ASCII tags in raw markup, case-insensitively, in linear time.
//!
//! Shared by the EDGAR envelope (`<DOCUMENT>`, `<TEXT>`) and the HTML reader (`<table` ranges).

/// Position and index of the first of `needles` (each ASCII, starting with `<`) at or after
/// `from`, ignoring ASCII case. One pass over the text, however many needles.
pub(crate) fn find_any_tag(hay: &str, from: usize, needles: &[&str]) -> Option<(usize, usize)> {
    let bytes = hay.as_bytes();
    let mut pos = from;
    loop {
        let at = next_open(hay, pos)?;
        for (index, needle) in needles.iter().enumerate() {
            if starts_with_ignore_case(bytes, at, needle.as_bytes()) {
                return Some((at, index));
            }
        }
        pos = at + 1;
    }
}

/// Position of the first `<` at or after `pos`.
fn next_open(hay: &str, pos: usize) -> Option<usize> {
    find_byte(hay, pos, b'<')
}

/// How far a byte is looked for one byte at a time before the vector search takes over.
const NEAR: usize = 16;

/// Position of the first `byte` (ASCII) at or after `pos`. Markup has a `<` every few bytes and
/// text a common letter as often, too near for the standard library's vector search to pay
/// for starting; so the next bytes are read one by one, and only beyond them is that search
/// used, for bytes that are far apart.
pub(crate) fn find_byte(hay: &str, pos: usize, byte: u8) -> Option<usize> {
    let bytes = hay.as_bytes();
    let rest = bytes.get(pos..)?;
    let near = rest.len().min(NEAR);
    if let Some(at) = rest[..near].iter().position(|&b| b == byte) {
        return Some(pos + at);
    }
    let far = pos + near;
    match hay.get(far..) {
        Some(tail) => tail.find(char::from(byte)).map(|at| far + at),
        // not a char boundary: byte by byte
        None => bytes.get(far..)?.iter().position(|&b| b == byte).map(|at| far + at),
    }
}

/// Whether `bytes[at..]` starts with `prefix`, ignoring ASCII case.
pub(crate) fn starts_with_ignore_case(bytes: &[u8], at: usize, prefix: &[u8]) -> bool {
    bytes
        .get(at..at.saturating_add(prefix.len()))
        .is_some_and(|window| window.eq_ignore_ascii_case(prefix))
}

/// Whether `hay` contains `needle` (ASCII), ignoring ASCII case. Linear in `hay`.
pub(crate) fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    find_ignore_case(hay, 0, needle).is_some()
}

/// Position of `needle` (non-empty ASCII) in `hay` at or after `from`, ignoring ASCII case.
pub(crate) fn find_ignore_case(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = hay.as_bytes();
    let needle = needle.as_bytes();
    let first = *needle.first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut pos = from;
    loop {
        let at = pos + bytes.get(pos..)?.iter().position(|&b| b == lower || b == upper)?;
        if starts_with_ignore_case(bytes, at, needle) {
            return Some(at);
        }
        pos = at + 1;
    }
}

/// Whether `hay` contains any of `needles` (each non-empty ASCII), ignoring ASCII case.
pub(crate) fn contains_any_ignore_case(hay: &str, needles: &[&str]) -> bool {
    find_any_ignore_case(hay, 0, needles).is_some()
}

/// Where the first of `needles` (each non-empty ASCII) starts at or after `from`, ignoring
/// ASCII case. One pass over the text, trying the needles only where one of them could start.
pub(crate) fn find_any_ignore_case(hay: &str, from: usize, needles: &[&str]) -> Option<usize> {
    let mut starts = [false; 256];
    for needle in needles {
        if let Some(&first) = needle.as_bytes().first() {
            starts[usize::from(first.to_ascii_lowercase())] = true;
            starts[usize::from(first.to_ascii_uppercase())] = true;
        }
    }
    let bytes = hay.as_bytes();
    let mut pos = from;
    loop {
        let at = pos + bytes.get(pos..)?.iter().position(|&b| starts[usize::from(b)])?;
        let first = bytes[at];
        let found = needles.iter().any(|n| {
            n.as_bytes().first().is_some_and(|f| f.eq_ignore_ascii_case(&first))
                && starts_with_ignore_case(bytes, at, n.as_bytes())
        });
        if found {
            return Some(at);
        }
        pos = at + 1;
    }
}

/// Where `needle` first occurs in `hay`, as `hay.find(needle)` gives it. For an ASCII needle
/// the standard library's fast byte search looks for the needle's least common byte, and the
/// rest is compared where it is found: printed words are looked for in long runs of markup,
/// where this reads a fraction of what a general substring search does.
pub(crate) fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let wanted = needle.as_bytes();
    if !needle.is_ascii() {
        return hay.find(needle);
    }
    let Some((k, &rare)) = wanted.iter().enumerate().min_by_key(|(_, b)| commonness(**b)) else {
        return Some(0);
    };
    let bytes = hay.as_bytes();
    let mut from = 0;
    loop {
        let at = find_byte(hay, from, rare)?;
        if let Some(start) = at.checked_sub(k)
            && bytes.get(start..start + wanted.len()) == Some(wanted)
        {
            return Some(start);
        }
        from = at + 1;
    }
}

/// How common a byte is in markup and English text, roughly (higher: more common).
fn commonness(b: u8) -> u8 {
    match b {
        b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 9,
        b'h' | b'l' | b'd' | b'c' | b'u' | b'm' | b'f' | b'p' | b'g' => 8,
        b'0'..=b'9' | b'-' | b':' | b';' | b'=' | b'/' | b'"' | b'#' | b'&' | b'<' | b'>' => 7,
        b'a'..=b'z' | b' ' => 6,
        b'A'..=b'Z' => 4,
        _ => 3,
    }
}

/// The longest prefix of `text` no longer than `max` bytes that ends on a char boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    text.get(..text.floor_char_boundary(max)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_whatever_their_case() {
        let text = "a <b> <Document> <TEXT>";
        assert_eq!(find_any_tag(text, 0, &["<document>"]), Some((6, 0)));
        assert_eq!(find_any_tag(text, 7, &["<document>", "<text>"]), Some((17, 1)));
        assert_eq!(find_any_tag(text, 18, &["<text>"]), None);
    }

    #[test]
    fn bytes_are_found_near_and_far() {
        let hay = format!("{}\u{e9}<{}<", "a".repeat(70), "\u{e9}".repeat(40));
        let first = hay.find('<');
        for from in 0..hay.len() {
            let want = hay.as_bytes()[from..].iter().position(|&b| b == b'<').map(|p| from + p);
            assert_eq!(find_byte(&hay, from, b'<'), want, "{from}");
        }
        assert_eq!(find_byte(&hay, 0, b'<'), first);
        assert_eq!(find_byte(&hay, hay.len(), b'<'), None);
    }

    #[test]
    fn substrings_are_found_where_str_find_finds_them() {
        let hay = "<td>Net&nbsp;income</td><td>$ 12,417</td> caf\u{e9} Income 12,417 xx";
        for needle in [
            "Net",
            "income",
            "12,417",
            "Income",
            "$",
            "caf\u{e9}",
            "xx",
            "x",
            "",
            "td>",
            "zz",
            "17 x",
        ] {
            for from in 0..hay.len() {
                if let Some(rest) = hay.get(from..) {
                    assert_eq!(find_str(rest, needle), rest.find(needle), "{needle:?} {from}");
                }
            }
        }
    }

    #[test]
    fn prefix_never_splits_a_character() {
        assert_eq!(prefix("a\u{2014}b", 2), "a");
        assert_eq!(prefix("ab", 10), "ab");
        assert!(contains_ignore_case("<HTML><BODY>", "<body"));
        assert_eq!(find_ignore_case("xx Nasdaq", 0, "NASDAQ"), Some(3));
        assert!(contains_any_ignore_case("Balance SHEETS", &["cash", "balance sheet"]));
        assert!(!contains_any_ignore_case("Balance", &["cash", "balance sheet"]));
    }
}
