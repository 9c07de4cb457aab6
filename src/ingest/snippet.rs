//! A fact's source snippet: the whole printed line(s) around its byte span in the stored
//! document, bounded in length, decoded as the parser decodes (UTF-8, else Windows-1252).

/// The most bytes of context kept on each side of a span.
pub const CONTEXT_BYTES: usize = 300;

/// A snippet of the document around a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text: the line(s) holding the span, cut at [`CONTEXT_BYTES`] on each side.
    pub text: String,
    /// Byte offset of the snippet in the document.
    pub start: usize,
    /// Byte offset just past the snippet in the document.
    pub end: usize,
    /// Where the span lies within `text`, in characters `[start, end)`.
    pub highlight: [usize; 2],
}

/// The snippet for `span` (document byte offsets) from `window`, a slice of the document that
/// starts at byte `window_start` and extends at least [`CONTEXT_BYTES`] on each side of the
/// span where the document does.
pub fn snippet(window: &[u8], window_start: usize, span: [usize; 2]) -> Snippet {
    let local = |offset: usize| offset.saturating_sub(window_start).min(window.len());
    let (span_start, span_end) = (local(span[0]), local(span[1].max(span[0])));
    let floor = span_start.saturating_sub(CONTEXT_BYTES);
    let ceiling = span_end.saturating_add(CONTEXT_BYTES).min(window.len());
    let start = window[floor..span_start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(floor, |i| floor + i + 1);
    let end = window[span_end..ceiling]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(ceiling, |i| span_end + i);
    // Cut points inside a UTF-8 sequence move outwards to the sequence's boundary.
    let start = back_to_boundary(window, start);
    let end = forward_to_boundary(window, end);
    let before = decode(&window[start..span_start.max(start)]);
    let inside = decode(&window[span_start.max(start)..span_end.max(span_start).min(end)]);
    let after = decode(&window[span_end.min(end).max(start)..end]);
    let highlight_start = before.chars().count();
    let highlight = [highlight_start, highlight_start + inside.chars().count()];
    let text = format!("{before}{inside}{after}").trim_end_matches('\r').to_owned();
    Snippet { text, start: window_start + start, end: window_start + end, highlight }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

fn back_to_boundary(bytes: &[u8], mut at: usize) -> usize {
    let limit = at.saturating_sub(3);
    while at > limit && bytes.get(at).is_some_and(|&b| is_continuation(b)) {
        at -= 1;
    }
    at
}

fn forward_to_boundary(bytes: &[u8], mut at: usize) -> usize {
    let limit = (at + 3).min(bytes.len());
    while at < limit && bytes.get(at).is_some_and(|&b| is_continuation(b)) {
        at += 1;
    }
    at
}

/// UTF-8 where valid, else Windows-1252, as the parser reads documents.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_is_the_whole_line_with_the_value_highlighted() {
        let doc = b"Revenue   1,234   1,000\nNet income    (56)    12\nTotal\n";
        let at = doc.windows(4).position(|w| w == b"(56)").unwrap();
        let s = snippet(doc, 0, [at, at + 4]);
        assert_eq!(s.text, "Net income    (56)    12");
        let chars: Vec<char> = s.text.chars().collect();
        let highlighted: String = chars[s.highlight[0]..s.highlight[1]].iter().collect();
        assert_eq!(highlighted, "(56)");
        assert_eq!((s.start, s.end), (24, 48));
    }

    #[test]
    fn long_lines_are_cut_and_offsets_stay_in_the_document() {
        let mut doc = "é".repeat(400).into_bytes();
        doc.extend_from_slice(b" 42 ");
        doc.extend("ü".repeat(400).into_bytes());
        let at = 800 + 1;
        // The window starts 100 bytes into the document.
        let s = snippet(&doc[100..], 100, [at, at + 2]);
        assert!(s.text.len() <= 2 * CONTEXT_BYTES + 10, "{}", s.text.len());
        let chars: Vec<char> = s.text.chars().collect();
        assert_eq!(chars[s.highlight[0]..s.highlight[1]].iter().collect::<String>(), "42");
        assert!(s.start >= 100 && s.end <= doc.len());
    }

    #[test]
    fn spans_outside_the_window_give_an_empty_highlight_not_a_panic() {
        let s = snippet(b"abc", 10, [0, 500]);
        assert!(s.highlight[0] <= s.highlight[1]);
        let s = snippet(b"", 0, [5, 3]);
        assert_eq!(s.text, "");
        let bytes = [0xff, 0xfe, b'\n', 0x80, b'9'];
        let s = snippet(&bytes, 0, [4, 5]);
        assert!(s.text.ends_with('9'), "{}", s.text);
    }
}
