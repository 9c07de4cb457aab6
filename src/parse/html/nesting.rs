//! A bound on how deep block elements nest before the markup reaches html5ever.
//!
//! A browser's tree builder looks down the whole stack of open elements each time a block
//! element (`<div>`, `<ul>`, `<blockquote>`, ...) starts, to close an open `<p>`: markup that
//! nests such elements N deep costs N² steps (100,000 nested `<div>`s take over half a
//! minute). No filing nests blocks more than a few dozen deep, so past [`MAX_BLOCK_DEPTH`] the
//! extra start tags, and as many of their end tags, are blanked out: replaced by spaces of the
//! same length, so that every byte offset (and so every span) stays what it was. Text is never
//! touched.

use std::borrow::Cow;

use super::scan::find_byte;

/// How deep block elements may nest; deeper start tags are blanked.
pub const MAX_BLOCK_DEPTH: usize = 100;

/// Elements whose start makes the tree builder scan the stack of open elements and that
/// need an end tag to close (elements with optional end tags, such as `<p>`, `<li>`, `<td>`,
/// close themselves and never stack up). Sorted: [`is_block_element`] searches it.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
];

/// The markup with block elements nested deeper than [`MAX_BLOCK_DEPTH`] blanked, and how many
/// tags were blanked (zero: the markup is returned as it was, without copying).
pub fn bound_nesting(html: &str) -> (Cow<'_, str>, usize) {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    // Start tags blanked whose end tags are still to come: those end tags are blanked too.
    let mut suppressed = 0usize;
    let mut blanked: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(offset) = next_lt(html, at) {
        let start = at + offset;
        let Some(tag) = Tag::at(html, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        if !tag.is_block {
            continue;
        }
        match (tag.closing, tag.self_closing) {
            (false, false) if depth >= MAX_BLOCK_DEPTH => {
                suppressed += 1;
                blanked.push((start, tag.end));
            }
            (false, false) => depth += 1,
            (true, _) if suppressed > 0 => {
                suppressed -= 1;
                blanked.push((start, tag.end));
            }
            (true, _) => depth = depth.saturating_sub(1),
            (false, true) => {}
        }
    }
    if blanked.is_empty() {
        return (Cow::Borrowed(html), 0);
    }
    let mut out = bytes.to_vec();
    for &(start, end) in &blanked {
        // A tag is ASCII from `<` to `>` except inside attribute values; spaces replace every
        // byte, so the result stays valid UTF-8 and the same length.
        out[start..end].fill(b' ');
    }
    let text = String::from_utf8(out).unwrap_or_else(|_| html.to_owned());
    (Cow::Owned(text), blanked.len())
}

/// Where the next `<` is, counted from `at`.
fn next_lt(html: &str, at: usize) -> Option<usize> {
    find_byte(html, at, b'<').map(|p| p - at)
}

/// A start or end tag found at a `<`.
struct Tag {
    /// One past its `>` (or the end of the input when it is not closed).
    end: usize,
    closing: bool,
    self_closing: bool,
    is_block: bool,
}

impl Tag {
    /// The tag starting at `bytes[start] == b'<'`, if a tag name follows; comments and
    /// declarations (`<!...>`, `<?...>`) are skipped whole.
    fn at(html: &str, start: usize) -> Option<Self> {
        let bytes = html.as_bytes();
        let mut i = start + 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'!' | b'?') if !closing => {
                let close: &[u8] = if bytes[i..].starts_with(b"!--") { b"-->" } else { b">" };
                let end = find(&bytes[i..], close).map_or(bytes.len(), |p| i + p + close.len());
                return Some(Self { end, closing: false, self_closing: false, is_block: false });
            }
            Some(b) if b.is_ascii_alphabetic() => {}
            _ => return None,
        }
        let name_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let name = &bytes[name_start..i];
        let is_block = is_block_element(name);
        let end = tag_end(html, i);
        let self_closing = end >= 2 && bytes[end - 1] == b'>' && bytes[end - 2] == b'/';
        Some(Self { end, closing, self_closing, is_block })
    }
}

/// Whether a tag name (ASCII letters and digits) is one of [`BLOCK_ELEMENTS`], ignoring case.
/// Every tag of the document is asked: the name is lower-cased into a small buffer and looked
/// up in one step rather than compared with each element in turn.
fn is_block_element(name: &[u8]) -> bool {
    const LONGEST: usize = 10;
    if name.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    for (to, from) in lower.iter_mut().zip(name) {
        *to = from.to_ascii_lowercase();
    }
    let lower = &lower[..name.len()];
    BLOCK_ELEMENTS.binary_search_by(|block| block.as_bytes().cmp(lower)).is_ok()
}

/// One past the `>` that ends a tag whose attributes start at `from`, skipping quoted values.
///
/// Attribute values (styles above all) can be long: a quote's match is looked for with
/// [`find_byte`] rather than byte by byte.
fn tag_end(html: &str, from: usize) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    loop {
        let next = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| matches!(b, b'>' | b'"' | b'\'')));
        let Some(at) = next.map(|offset| i + offset) else {
            return bytes.len();
        };
        let quote = bytes[at];
        if quote == b'>' {
            return at + 1;
        }
        match find_byte(html, at + 1, quote) {
            Some(close) => i = close + 1,
            None => return bytes.len(),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_is_returned_untouched() {
        let html = "<DIV><table><tr><td>Revenue<td>1,234</table></DIV><!-- <div> --><p>x";
        let (out, blanked) = bound_nesting(html);
        assert!(matches!(out, Cow::Borrowed(_)));
        assert_eq!(blanked, 0);
    }

    #[test]
    fn blocks_past_the_limit_are_blanked_with_their_end_tags_keeping_every_offset() {
        let depth = MAX_BLOCK_DEPTH + 50;
        let html = format!(
            "{}Revenue 1,234{}",
            "<div class=\"a>b\">".repeat(depth),
            "</div>".repeat(depth)
        );
        let (out, blanked) = bound_nesting(&html);
        assert_eq!(blanked, 100);
        assert_eq!(out.len(), html.len());
        assert_eq!(out.find("Revenue 1,234"), html.find("Revenue 1,234"));
        assert_eq!(out.matches("<div").count(), MAX_BLOCK_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_BLOCK_DEPTH);
    }

    /// The byte-by-byte scan `tag_end` replaced.
    fn tag_end_by_bytes(bytes: &[u8], from: usize) -> usize {
        let mut quote = None;
        for (i, &b) in bytes.iter().enumerate().skip(from) {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => return i + 1,
                (None, _) => {}
            }
        }
        bytes.len()
    }

    #[test]
    fn tag_ends_skip_quoted_values() {
        for html in [
            "<td>",
            "<td a=\"x>y\" b='>'>z",
            "<td a=\"x",
            "<td a='x\">'>",
            "<p",
            "<br/>",
            "",
            "<a href=\"\u{e9}>\">x</a>",
            "<x ''\"\">",
        ] {
            for from in 0..html.len() {
                if html.is_char_boundary(from) {
                    assert_eq!(
                        tag_end(html, from),
                        tag_end_by_bytes(html.as_bytes(), from),
                        "{html:?} {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn block_elements_are_told_whatever_their_case() {
        assert!(BLOCK_ELEMENTS.windows(2).all(|w| w[0] < w[1]), "sorted, for the binary search");
        assert!(BLOCK_ELEMENTS.iter().all(|b| b.len() <= 10));
        for name in ["div", "DIV", "Blockquote", "ul", "figcaption"] {
            assert!(is_block_element(name.as_bytes()), "{name}");
        }
        for name in ["p", "td", "span", "divs", "d", "blockquotes", ""] {
            assert!(!is_block_element(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn unclosed_markup_and_stray_brackets_do_not_break_the_scan() {
        for html in ["<", "</", "<div", "<div a='>", "a < b", "<!--", "</div></div><div>"] {
            let (out, _) = bound_nesting(html);
            assert_eq!(out.len(), html.len());
        }
    }
}
