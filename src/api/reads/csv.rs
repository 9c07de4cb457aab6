//! CSV bodies (RFC 4180): a header row, then one row per record; fields quoted when needed.
//!
//! Text that came from uploaded documents is neutralised when a spreadsheet would run it as a
//! formula (a leading `=`, `+`, `@`, tab or carriage return gets a `'` in front).

use std::fmt::Write as _;

/// A CSV document being written.
#[derive(Debug, Default)]
pub struct CsvWriter {
    out: String,
}

/// One field: numbers and codes as they are, document text made formula-safe.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    /// Written as given (numbers, ids, codes we produce).
    Plain(&'a str),
    /// Text from a document (labels, titles): formula-safe.
    Text(&'a str),
}

impl CsvWriter {
    /// A writer with the header row written.
    pub fn with_header(columns: &[&str]) -> Self {
        let mut writer = Self::default();
        writer.row(columns.iter().map(|c| Field::Plain(c)));
        writer
    }

    /// Appends one row.
    pub fn row<'a>(&mut self, fields: impl IntoIterator<Item = Field<'a>>) {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let (text, neutralise) = match field {
                Field::Plain(text) => (text, false),
                Field::Text(text) => (text, text.starts_with(['=', '+', '@', '\t', '\r'])),
            };
            push_field(&mut self.out, text, neutralise);
        }
        self.out.push_str("\r\n");
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

fn push_field(out: &mut String, text: &str, neutralise: bool) {
    let quote = neutralise || text.contains([',', '"', '\n', '\r']) || text.starts_with(' ');
    if !quote {
        out.push_str(text);
        return;
    }
    out.push('"');
    if neutralise {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

/// An optional value as a field's text (empty when absent).
pub fn opt<T: std::fmt::Display>(value: Option<T>) -> String {
    let mut text = String::new();
    if let Some(value) = value {
        let _ = write!(text, "{value}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_and_newlines_are_quoted() {
        let mut csv = CsvWriter::with_header(&["a", "b"]);
        csv.row([Field::Text("Cash, cash equivalents"), Field::Plain("-3210000")]);
        csv.row([Field::Text("say \"hi\"\nthere"), Field::Plain("")]);
        assert_eq!(
            csv.finish(),
            "a,b\r\n\"Cash, cash equivalents\",-3210000\r\n\"say \"\"hi\"\"\nthere\",\r\n"
        );
    }

    #[test]
    fn document_text_that_looks_like_a_formula_is_neutralised() {
        let mut csv = CsvWriter::default();
        csv.row([Field::Text("=HYPERLINK(\"x\")"), Field::Plain("-1")]);
        assert_eq!(csv.finish(), "\"'=HYPERLINK(\"\"x\"\")\",-1\r\n");
    }
}
