//! Stage 1: input bytes to text, with a map from text offsets back to input offsets.
//!
//! Filings arrive as UTF-8 or as legacy Windows-1252 (older EDGAR exhibits), and sometimes as a
//! mix (a UTF-8 exhibit pasted next to cp1252 text). Valid UTF-8 is kept byte for byte (a leading
//! BOM dropped); every byte that is not part of a valid UTF-8 sequence is read as Windows-1252.
//! Nothing else is normalised, so every later span stays true to the input.

use super::model::Span;

/// UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decoded text plus what is needed to map its byte offsets back to the input.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// The text every later stage reads.
    pub text: String,
    /// Checkpoints `(text offset, input offset)`, ascending in both, at which the distance
    /// between text and input offsets changes. Between two checkpoints the distance is constant.
    /// Empty means the identity map.
    checkpoints: Vec<(usize, usize)>,
    /// Length of the input in bytes (spans are clamped to it).
    input_len: usize,
}

/// Decode input bytes: UTF-8 where valid (BOM stripped), Windows-1252 for any other byte.
pub fn decode(input: &[u8]) -> Decoded {
    let (body, skipped) = match input.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (input, 0),
    };
    let mut checkpoints = Vec::new();
    if skipped > 0 {
        checkpoints.push((0, skipped));
    }
    if let Ok(text) = std::str::from_utf8(body) {
        return Decoded { text: text.to_owned(), checkpoints, input_len: input.len() };
    }

    let mut text = String::with_capacity(body.len() + body.len() / 8);
    let mut rest = body;
    let mut input_pos = skipped;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(error) => {
                let valid_len = error.valid_up_to();
                // Sound: `valid_up_to` bytes were just checked as UTF-8.
                let valid = rest.get(..valid_len).unwrap_or_default();
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                input_pos += valid_len;
                let bad_len = error.error_len().unwrap_or(rest.len() - valid_len).max(1);
                let bad_end = (valid_len + bad_len).min(rest.len());
                for &byte in rest.get(valid_len..bad_end).unwrap_or_default() {
                    text.push(windows_1252_char(byte));
                    input_pos += 1;
                    checkpoints.push((text.len(), input_pos));
                }
                rest = rest.get(bad_end..).unwrap_or_default();
            }
        }
    }
    Decoded { text, checkpoints, input_len: input.len() }
}

/// One byte read as Windows-1252 (via `encoding_rs`, which maps every byte to a character).
fn windows_1252_char(byte: u8) -> char {
    if byte.is_ascii() {
        return char::from(byte);
    }
    let bytes = [byte];
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    decoded.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER)
}

impl Decoded {
    /// Map a byte range of [`Decoded::text`] to the byte range of the input it came from.
    pub fn original_span(&self, span: Span) -> Span {
        let start = self.original_offset(span[0]);
        let end = self.original_offset(span[1]).max(start);
        [start, end]
    }

    /// Map one text offset to an input offset (clamped to the input length).
    fn original_offset(&self, offset: usize) -> usize {
        let index = self.checkpoints.partition_point(|&(text_at, _)| text_at <= offset);
        let mapped = match index.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            Some(&(text_at, input_at)) => input_at + (offset - text_at),
            None => offset,
        };
        // A text offset inside a multi-byte character (never produced by the readers) must
        // still not point past the next checkpoint's input position.
        let limit = self.checkpoints.get(index).map_or(self.input_len, |&(_, input_at)| input_at);
        mapped.min(limit).min(self.input_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_kept_and_spans_are_identity() {
        let decoded = decode("Net sales \u{2014} 1,234".as_bytes());
        assert_eq!(decoded.text, "Net sales \u{2014} 1,234");
        assert_eq!(decoded.original_span([10, 13]), [10, 13]);
    }

    #[test]
    fn a_byte_order_mark_is_stripped_and_spans_shift_past_it() {
        let decoded = decode(b"\xEF\xBB\xBFRevenue 10");
        assert_eq!(decoded.text, "Revenue 10");
        assert_eq!(decoded.original_span([8, 10]), [11, 13]);
    }

    #[test]
    fn cp1252_bytes_decode_and_spans_map_back_to_input_bytes() {
        // 0x97 is an em dash and 0xA0 a no-break space in Windows-1252.
        let input = b"Loss \x97 net\xA0(12)";
        let decoded = decode(input);
        assert_eq!(decoded.text, "Loss \u{2014} net\u{a0}(12)");
        let start = decoded.text.find("(12)").unwrap_or(0);
        let span = decoded.original_span([start, start + 4]);
        assert_eq!(&input[span[0]..span[1]], b"(12)");
        let dash = decoded.text.find('\u{2014}').unwrap_or(0);
        assert_eq!(decoded.original_span([dash, dash + 3]), [5, 6]);
    }

    #[test]
    fn mixed_input_keeps_valid_utf8_and_reads_stray_bytes_as_cp1252() {
        let input =
            "caf\u{e9} ".as_bytes().iter().copied().chain(*b"\x93quoted\x94").collect::<Vec<_>>();
        let decoded = decode(&input);
        assert_eq!(decoded.text, "caf\u{e9} \u{201c}quoted\u{201d}");
        let start = decoded.text.find("quoted").unwrap_or(0);
        let span = decoded.original_span([start, start + 6]);
        assert_eq!(&input[span[0]..span[1]], b"quoted");
    }

    #[test]
    fn spans_past_the_end_are_clamped_to_the_input() {
        let decoded = decode(b"ab\xFFcd");
        assert_eq!(decoded.original_span([0, 1000]), [0, 5]);
        assert_eq!(decode(b"").original_span([3, 4]), [0, 0]);
    }
}
