//! Stage 2: the input's layout, and an EDGAR submission's header fields and `<DOCUMENT>` parts.
//!
//! An EDGAR full submission is an SGML-like envelope: a `<SEC-HEADER>` (or older
//! `<IMS-HEADER>`, or untagged `KEY: value` lines) followed by `<DOCUMENT>` parts, each with
//! `<TYPE>`, `<FILENAME>`, `<DESCRIPTION>` and its body between `<TEXT>` and `</TEXT>`. Bodies are
//! plain text or HTML; binary bodies (uuencoded images, PDF, spreadsheets, XBRL data files) are
//! skipped with a diagnostic. Every search here moves forward only, so a 100 MB submission is
//! read in one pass.

mod header;

use super::html::scan::{contains_ignore_case, find_any_tag, prefix, starts_with_ignore_case};
use super::model::{Diagnostic, DocumentPart, InputFormat, Span};

pub use header::SecHeader;

/// How far into the input the format markers are looked for.
const DETECT_WINDOW: usize = 8 * 1024;
/// How far into a part's body HTML markers are looked for.
const PART_MARKUP_WINDOW: usize = 16 * 1024;
/// Longest header region read (headers are a few KB; this bounds work on hostile input).
const MAX_HEADER_LEN: usize = 1024 * 1024;

/// Document types whose bodies are data or images, never a readable filing text.
const BINARY_TYPES: &[&str] = &["GRAPHIC", "ZIP", "EXCEL", "XML", "JSON", "PDF", "XBRL"];
/// Document type prefixes of XBRL data files (instance, schema and linkbases).
const BINARY_TYPE_PREFIXES: &[&str] = &["EX-101.", "EX-100."];
/// File name endings of parts that are images, archives or data files.
const BINARY_EXTENSIONS: &[&str] = &[
    ".gif", ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".pdf", ".zip", ".xls", ".xlsx",
    ".xml", ".xsd", ".json", ".js", ".css",
];
/// Markers that make a text HTML on their own.
const STRONG_MARKUP: &[&str] = &[
    "<html",
    "<body",
    "<div",
    "<p>",
    "<p ",
    "<font",
    "<br>",
    "<br/",
    "<br ",
    "<td",
    "<tr",
    "<span",
    "<!doctype html",
    "<h1",
    "<h2",
    "<h3",
    "<center",
];

/// An EDGAR submission split into its header and parts.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// Header fields (all empty for a bare HTML or text document).
    pub header: SecHeader,
    /// The documents, in order; for a bare document, one part covering the whole text.
    pub parts: Vec<DocumentPart>,
}

/// Guess the input's layout from its first few KB.
///
/// EDGAR when an envelope tag (`<SEC-DOCUMENT>`, `<SEC-HEADER>`, `<IMS-HEADER>`, `<DOCUMENT>`)
/// or untagged header lines appear near the start; HTML when it looks like markup; else text.
pub fn detect_format(text: &str) -> InputFormat {
    let window = prefix(text, DETECT_WINDOW);
    let envelope = ["<SEC-DOCUMENT>", "<SEC-HEADER>", "<IMS-HEADER>", "<DOCUMENT>"];
    if find_any_tag(window, 0, &envelope).is_some()
        || (contains_ignore_case(window, "ACCESSION NUMBER:")
            && contains_ignore_case(window, "CONFORMED SUBMISSION TYPE:"))
    {
        return InputFormat::Edgar;
    }
    if looks_like_html(window) { InputFormat::Html } else { InputFormat::Text }
}

/// Whether a document body is HTML rather than plain text.
///
/// EDGAR plain text uses `<TABLE>`, `<CAPTION>`, `<S>`, `<C>` and `<PAGE>` tags of its own, so
/// `<table` only counts together with row or cell tags.
pub fn looks_like_html(body: &str) -> bool {
    let window = prefix(body, PART_MARKUP_WINDOW);
    // one pass for all the markers (each starts with `<`), not one per marker
    find_any_tag(window, 0, STRONG_MARKUP).is_some()
        || (contains_ignore_case(window, "<table")
            && (contains_ignore_case(window, "<tr") || contains_ignore_case(window, "<td")))
}

/// Split the text into header and parts. For HTML or text input: no header, one part.
pub fn split(text: &str, format: InputFormat) -> (Submission, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if format != InputFormat::Edgar {
        let part = DocumentPart { format, span: [0, text.len()], ..DocumentPart::default() };
        return (Submission { header: SecHeader::default(), parts: vec![part] }, diagnostics);
    }

    let first_document = find_any_tag(text, 0, &["<DOCUMENT>"]).map(|(at, _)| at);
    let header_region = header_region(text, first_document.unwrap_or(text.len()));
    let header =
        header::parse(header_region.map_or("", |[start, end]| text.get(start..end).unwrap_or("")));

    let mut parts = Vec::new();
    let mut cursor = first_document;
    while let Some(start) = cursor {
        let (part, next) = read_document(text, start + "<DOCUMENT>".len(), &mut diagnostics);
        parts.push(part);
        cursor = next;
    }

    if parts.is_empty() {
        // An envelope without parts: read what follows the header as one text.
        let start = header_region.map_or(0, |[_, end]| end);
        let start = skip_closing_header_tag(text, start);
        let body = text.get(start..).unwrap_or("");
        let format = if looks_like_html(body) { InputFormat::Html } else { InputFormat::Text };
        diagnostics.push(Diagnostic::warning(
            "no_document_parts",
            "EDGAR envelope without <DOCUMENT> parts; reading the text after the header as one document",
            Some([start, text.len()]),
        ));
        parts.push(DocumentPart { format, span: [start, text.len()], ..DocumentPart::default() });
    }
    (Submission { header, parts }, diagnostics)
}

/// Byte range of the header fields: inside `<SEC-HEADER>`/`<IMS-HEADER>` when tagged, else
/// everything before the first document.
fn header_region(text: &str, limit: usize) -> Option<Span> {
    let limit = limit.min(text.len()).min(MAX_HEADER_LEN);
    let head = text.get(..text.floor_char_boundary(limit)).unwrap_or("");
    match find_any_tag(head, 0, &["<SEC-HEADER>", "<IMS-HEADER>"]) {
        Some((open, _)) => {
            let end = find_any_tag(head, open, &["</SEC-HEADER>", "</IMS-HEADER>"])
                .map_or(head.len(), |(at, _)| at);
            Some([open, end])
        }
        None if head.is_empty() => None,
        None => Some([0, head.len()]),
    }
}

/// Step over a `</SEC-HEADER>`/`</IMS-HEADER>` tag at `at`, if there is one.
fn skip_closing_header_tag(text: &str, at: usize) -> usize {
    for tag in ["</SEC-HEADER>", "</IMS-HEADER>"] {
        if starts_with_ignore_case(text.as_bytes(), at, tag.as_bytes()) {
            return at + tag.len();
        }
    }
    at
}

/// Read one `<DOCUMENT>` whose content starts at `start`. Returns the part and where the next
/// `<DOCUMENT>` starts, if any.
fn read_document(
    text: &str,
    start: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> (DocumentPart, Option<usize>) {
    const META_END: &[&str] = &["<TEXT>", "</DOCUMENT>", "<DOCUMENT>"];
    const BODY_END: &[&str] = &["</TEXT>", "</DOCUMENT>", "<DOCUMENT>"];

    let meta_end = find_any_tag(text, start, META_END);
    let meta = text.get(start..meta_end.map_or(text.len(), |(at, _)| at)).unwrap_or("");
    let mut part = DocumentPart::default();
    for line in meta.lines() {
        let line = line.trim();
        if let Some(value) = tag_value(line, "<TYPE>") {
            part.doc_type = Some(value);
        } else if let Some(value) = tag_value(line, "<FILENAME>") {
            part.filename = Some(value);
        } else if let Some(value) = tag_value(line, "<DESCRIPTION>") {
            part.description = Some(value);
        }
    }

    let (body_start, body_end, next) = match meta_end {
        Some((at, 0)) => {
            let body_start = skip_line_break(text, at + "<TEXT>".len());
            match find_any_tag(text, body_start, BODY_END) {
                Some((end, 0)) => {
                    let next = find_any_tag(text, end, &["<DOCUMENT>"]).map(|(at, _)| at);
                    (body_start, end, next)
                }
                Some((end, which)) => {
                    diagnostics.push(unterminated(&part, [body_start, end]));
                    (body_start, end, next_document(text, end, which))
                }
                None => {
                    diagnostics.push(unterminated(&part, [body_start, text.len()]));
                    (body_start, text.len(), None)
                }
            }
        }
        // No <TEXT>: an empty part.
        Some((at, which)) => (at, at, next_document(text, at, which)),
        None => (text.len(), text.len(), None),
    };
    part.span = [body_start, body_end];
    let body = text.get(body_start..body_end).unwrap_or("");
    part.skipped = skip_reason(&part, body);
    part.format = if part.skipped.is_none() && looks_like_html(body) {
        InputFormat::Html
    } else {
        InputFormat::Text
    };
    if let Some(reason) = &part.skipped {
        let name = part.doc_type.as_deref().unwrap_or("untyped");
        diagnostics.push(Diagnostic::info(
            "part_skipped",
            format!("document {name} not read: {reason}"),
            Some(part.span),
        ));
    }
    (part, next)
}

/// Where the next document starts, given the end tag (`which` indexes `</TEXT>`,
/// `</DOCUMENT>`, `<DOCUMENT>`) found at `at`.
fn next_document(text: &str, at: usize, which: usize) -> Option<usize> {
    if which == 2 { Some(at) } else { find_any_tag(text, at + 1, &["<DOCUMENT>"]).map(|(p, _)| p) }
}

fn unterminated(part: &DocumentPart, span: Span) -> Diagnostic {
    let name = part.doc_type.as_deref().unwrap_or("untyped");
    Diagnostic::warning(
        "part_unterminated",
        format!("document {name} has no </TEXT>; read up to the next document boundary"),
        Some(span),
    )
}

/// The value after a leading `tag` on a metadata line (closing tags and spaces dropped).
fn tag_value(line: &str, tag: &str) -> Option<String> {
    if !starts_with_ignore_case(line.as_bytes(), 0, tag.as_bytes()) {
        return None;
    }
    let value = line.get(tag.len()..)?;
    let value = value.split('<').next().unwrap_or("").trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Step over one line break (`\n` or `\r\n`) at `at`.
fn skip_line_break(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => at + 2,
        (Some(b'\n'), _) => at + 1,
        _ => at,
    }
}

/// Why a part is not readable text, if it is not.
fn skip_reason(part: &DocumentPart, body: &str) -> Option<String> {
    let doc_type = part.doc_type.as_deref().unwrap_or("").to_ascii_uppercase();
    if BINARY_TYPES.contains(&doc_type.as_str())
        || BINARY_TYPE_PREFIXES.iter().any(|p| doc_type.starts_with(p))
    {
        return Some(format!("{doc_type} parts hold data or images, not text"));
    }
    let lead = body.trim_start();
    if is_uuencoded(lead) {
        return Some("uuencoded binary content".to_owned());
    }
    if starts_with_ignore_case(lead.as_bytes(), 0, b"<PDF>") {
        return Some("PDF content".to_owned());
    }
    let wrapped_data = ["<XBRL>", "<XML>", "<JSON>"]
        .iter()
        .any(|tag| starts_with_ignore_case(lead.as_bytes(), 0, tag.as_bytes()));
    if wrapped_data && !contains_ignore_case(prefix(lead, PART_MARKUP_WINDOW), "<html") {
        return Some("XML data, not a readable document".to_owned());
    }
    let filename = part.filename.as_deref().unwrap_or("").to_ascii_lowercase();
    if BINARY_EXTENSIONS.iter().any(|ext| filename.ends_with(ext)) {
        return Some(format!("{filename} is not a text or HTML document"));
    }
    None
}

/// Whether a body starts like a uuencoded file (`begin 644 name`).
fn is_uuencoded(lead: &str) -> bool {
    let Some(rest) = lead.strip_prefix("begin ") else {
        return false;
    };
    let mode: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    (3..=4).contains(&mode.len()) && mode.chars().all(|c| ('0'..='7').contains(&c))
}

#[cfg(test)]
mod tests;
