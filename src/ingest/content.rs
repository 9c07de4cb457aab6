//! Whether a document can be a filing at all (text, not a PDF, an archive or other binary
//! data), and whether its parse found a filing worth storing: a named company, and a form type
//! or financial statements with values. Otherwise the upload is refused, saying why.

use crate::parse::ParsedFiling;

/// Binary formats uploads are sometimes sent in, by their first bytes, with what to send
/// instead.
const BINARY_FORMATS: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF file: extract its text first (e.g. `pdftotext -layout`) and upload that"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document): upload the filings in it one by one"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip data: send it uncompressed, or with `Content-Encoding: gzip`"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
];

/// How much of the start of a document is looked at to tell text from binary data.
const SNIFF_BYTES: usize = 8192;

/// Why `bytes` cannot be a filing before any parsing: a known binary format, or bytes that are
/// not text (NUL or other control characters in more than 1% of the first 8 KiB; text has
/// none but tab, line breaks and form feed). `None` for text.
pub fn not_text(bytes: &[u8]) -> Option<String> {
    if let Some((_, what)) = BINARY_FORMATS.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(format!("The document is {what}."));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let control =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    (control * 100 > head.len()).then(|| {
        format!(
            "The document is binary data, not text ({control} control bytes in its first {} \
             bytes): upload an EDGAR submission, an HTML exhibit or plain text.",
            head.len()
        )
    })
}

/// Why a document was refused: what the parser found in it and what a filing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecognised {
    /// What was found, one phrase each (e.g. "company name `Acme Corp`").
    pub found: Vec<String>,
    /// What is missing, one phrase each.
    pub missing: Vec<String>,
}

impl std::fmt::Display for Unrecognised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let found =
            if self.found.is_empty() { "nothing".to_owned() } else { self.found.join(", ") };
        write!(f, "found {found}; missing {}", self.missing.join("; "))
    }
}

/// Accepts a parse that names the filer and has a form type or at least one fact.
pub fn recognise(parsed: &ParsedFiling) -> Result<(), Unrecognised> {
    let mut found = Vec::new();
    let company = parsed.company.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(name) = company {
        found.push(format!("company name `{name}`"));
    }
    if let Some(cik) = &parsed.company.cik {
        found.push(format!("CIK {cik}"));
    }
    let form = parsed.filing.form_type.as_deref().filter(|f| !f.trim().is_empty());
    if let Some(form) = form {
        found.push(format!("form type {form}"));
    }
    if let Some(date) = parsed.filing.report_date {
        found.push(format!("report date {date}"));
    }
    let tables = parsed.statements.len();
    if tables > 0 {
        found.push(format!("{tables} financial table(s)"));
    }
    if !parsed.facts.is_empty() {
        found.push(format!("{} value(s)", parsed.facts.len()));
    }
    let mut missing = Vec::new();
    if company.is_none() {
        missing.push(
            "the filer's name (no SEC header, cover page or heading names the company)".to_owned(),
        );
    }
    if form.is_none() && parsed.facts.is_empty() {
        missing.push(if tables > 0 {
            "a form type, or values in the financial tables".to_owned()
        } else {
            "a form type, or a financial table with values (income statement, balance sheet, \
             cash flow)"
                .to_owned()
        });
    }
    if missing.is_empty() { Ok(()) } else { Err(Unrecognised { found, missing }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse};

    #[test]
    fn binary_formats_are_named_and_text_passes() {
        assert!(not_text(b"%PDF-1.7\n...").unwrap().contains("PDF"));
        assert!(not_text(b"PK\x03\x04\x14\x00").unwrap().contains("ZIP"));
        let noise: Vec<u8> =
            (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(not_text(&noise).unwrap().contains("binary data"));
        assert_eq!(not_text(b"<SEC-DOCUMENT>\r\n\tRevenue\x0c\xe9\x93\n"), None);
        assert_eq!(not_text(b""), None);
    }

    #[test]
    fn prose_without_a_company_or_tables_is_refused_saying_what_is_missing() {
        let parsed = parse(b"Dear shareholders, it was a good year.\n", &ParseOptions::default());
        let refused = recognise(&parsed).unwrap_err();
        assert_eq!(refused.missing.len(), 2, "{refused}");
        assert!(refused.to_string().contains("filer's name"), "{refused}");
    }

    #[test]
    fn a_named_company_with_a_form_type_is_accepted() {
        let mut parsed = ParsedFiling::default();
        parsed.company.name = Some("Acme Corp".into());
        assert!(recognise(&parsed).is_err());
        parsed.filing.form_type = Some("8-K".into());
        assert_eq!(recognise(&parsed), Ok(()));
    }
}
