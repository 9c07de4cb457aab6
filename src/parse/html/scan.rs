//! Byte-level helpers for finding ASCII tags in raw markup, case-insensitively, in linear time.
//!
//! Shared by the EDGAR envelope (`<DOCUMENT>`, `<TEXT>`) and the HTML reader (`<table` ranges).

/// Position and index of the first of `needles` (each ASCII, starting with `<`) at or after
/// `from`, ignoring ASCII case. One pass over the text, however many needles.
pub(crate) fn find_any_tag(hay: &str, from: usize, needles: &[&str]) -> Option<(usize, usize)> {
    let bytes = hay.as_bytes();
    let mut pos = from;
    loop {
        let at = pos + bytes.get(pos..)?.iter().position(|&b| b == b'<')?;
        for (index, needle) in needles.iter().enumerate() {
            if starts_with_ignore_case(bytes, at, needle.as_bytes()) {
                return Some((at, index));
            }
        }
        pos = at + 1;
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
    fn prefix_never_splits_a_character() {
        assert_eq!(prefix("a\u{2014}b", 2), "a");
        assert_eq!(prefix("ab", 10), "ab");
        assert!(contains_ignore_case("<HTML><BODY>", "<body"));
        assert_eq!(find_ignore_case("xx Nasdaq", 0, "NASDAQ"), Some(3));
    }
}
