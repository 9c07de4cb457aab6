//! Running text with whitespace collapsed as it is read, the way a browser prints it.

/// Characters that print nothing and are dropped (zero-width spaces, BOM, soft hyphen).
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
}

/// The ASCII chars `char::is_whitespace` holds (vertical tab included, unlike
/// `u8::is_ascii_whitespace`).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Text collected from several nodes: runs of whitespace (including no-break spaces) become one
/// space, none at either end.
#[derive(Debug, Default)]
pub(super) struct TextBuffer {
    text: String,
    pending_space: bool,
}

impl TextBuffer {
    /// Append a text node's content.
    pub(super) fn push(&mut self, content: &str) {
        let mut rest = content;
        while !rest.is_empty() {
            // a run of visible ASCII (most of any text) is copied whole
            let run = rest.bytes().take_while(|&b| b.is_ascii() && !is_ascii_space(b)).count();
            let (word, after) = rest.split_at(run);
            if !word.is_empty() {
                self.push_visible(word);
                rest = after;
                continue;
            }
            let mut chars = rest.chars();
            if let Some(ch) = chars.next() {
                if ch.is_whitespace() {
                    self.pending_space = true;
                } else if !is_invisible(ch) {
                    self.push_visible(&rest[..ch.len_utf8()]);
                }
            }
            rest = chars.as_str();
        }
    }

    /// Printable text, after a space when whitespace came before it.
    fn push_visible(&mut self, text: &str) {
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push_str(text);
    }

    /// A boundary that reads as a space (`<br>`, a block inside a cell).
    pub(super) fn separate(&mut self) {
        self.pending_space = true;
    }

    /// Whether nothing printable has been read.
    pub(super) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The collected text, leaving the buffer empty.
    pub(super) fn take(&mut self) -> String {
        self.pending_space = false;
        std::mem::take(&mut self.text)
    }

    /// The collected text.
    pub(super) fn into_string(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ascii_space_is_whitespace_to_char() {
        for b in 0..128u8 {
            assert_eq!(is_ascii_space(b), char::from(b).is_whitespace(), "{b}");
        }
    }

    /// The char-by-char push the ASCII runs replaced, to check them against.
    fn push_by_chars(buffer: &mut TextBuffer, content: &str) {
        for ch in content.chars() {
            if ch.is_whitespace() {
                buffer.pending_space = true;
            } else if !is_invisible(ch) {
                if buffer.pending_space && !buffer.text.is_empty() {
                    buffer.text.push(' ');
                }
                buffer.pending_space = false;
                buffer.text.push(ch);
            }
        }
    }

    #[test]
    fn runs_of_ascii_are_pushed_as_chars_were() {
        let pieces = [
            "a\u{b}b\u{85}c\u{ad}d \u{1}e",
            "  Net\u{a0}income ",
            "",
            " ",
            "\u{200b}x",
            "(1,234)",
            "caf\u{e9} au lait\n",
            "\t",
        ];
        for first in pieces {
            for second in pieces {
                let (mut runs, mut chars) = (TextBuffer::default(), TextBuffer::default());
                runs.push(first);
                runs.push(second);
                push_by_chars(&mut chars, first);
                push_by_chars(&mut chars, second);
                assert_eq!(runs.take(), chars.take(), "{first:?} {second:?}");
            }
        }
    }

    #[test]
    fn whitespace_and_no_break_spaces_collapse_to_single_spaces() {
        let mut buffer = TextBuffer::default();
        buffer.push("\u{a0} Net\n\t");
        buffer.separate();
        buffer.push("income\u{200B}\u{a0}\u{a0}");
        assert_eq!(buffer.take(), "Net income");
        assert!(buffer.is_empty());
    }
}
