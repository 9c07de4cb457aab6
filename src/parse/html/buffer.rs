//! Running text with whitespace collapsed as it is read, the way a browser prints it.

/// Characters that print nothing and are dropped (zero-width spaces, BOM, soft hyphen).
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
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
        for ch in content.chars() {
            if ch.is_whitespace() {
                self.pending_space = true;
            } else if !is_invisible(ch) {
                if self.pending_space && !self.text.is_empty() {
                    self.text.push(' ');
                }
                self.pending_space = false;
                self.text.push(ch);
            }
        }
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
    fn whitespace_and_no_break_spaces_collapse_to_single_spaces() {
        let mut buffer = TextBuffer::default();
        buffer.push("\u{a0} Net\n\t");
        buffer.separate();
        buffer.push("income\u{200B}\u{a0}\u{a0}");
        assert_eq!(buffer.take(), "Net income");
        assert!(buffer.is_empty());
    }
}
