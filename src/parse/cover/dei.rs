//! Cover facts an inline-XBRL document tags with the `dei:` taxonomy (registrant name, CIK,
//! form, period, file number, address, phone, trading symbol), read from the raw markup: some
//! of them sit in the hidden `ix:header`, which the layout never shows.

use crate::parse::html::scan::{find_ignore_case, starts_with_ignore_case};

/// Most `dei:` facts read (a cover has a few dozen).
const MAX_FACTS: usize = 400;
/// Longest start tag looked through (inline-XBRL tags carry several attributes).
const MAX_TAG: usize = 4096;
/// Longest content read for one fact.
const MAX_CONTENT: usize = 2048;

/// `dei:` element names and their text, in document order.
#[derive(Debug, Default)]
pub(super) struct DeiFacts {
    facts: Vec<(String, String)>,
}

impl DeiFacts {
    /// The first non-empty value of `dei:<name>`.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.facts.iter().find(|(n, v)| n == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }
}

/// Read every `<ix:... name="dei:Name">text</ix:...>` in the text.
pub(super) fn read(text: &str) -> DeiFacts {
    let mut facts = Vec::new();
    // most documents are no inline XBRL: one pass of the standard library's vector search
    // tells so, before the searches below
    if !text.contains("name=\"dei:") {
        return DeiFacts { facts };
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while facts.len() < MAX_FACTS {
        // Inline XBRL is XHTML: attribute names are lowercase.
        let Some(at) = text.get(from..).and_then(|rest| rest.find("name=\"dei:")).map(|p| from + p)
        else {
            break;
        };
        from = at + 1;
        let name_start = at + "name=\"dei:".len();
        // Every search below looks at a bounded window, so that hostile input stays linear.
        let Some(name_len) = bytes
            .get(name_start..bytes.len().min(name_start + MAX_TAG))
            .and_then(|rest| rest.iter().position(|&b| b == b'"'))
        else {
            continue;
        };
        let Some(name) = text.get(name_start..name_start + name_len) else {
            continue;
        };
        // The attribute must belong to an inline-XBRL element.
        let tag_start = bytes
            .get(at.saturating_sub(MAX_TAG)..at)
            .and_then(|before| before.iter().rposition(|&b| b == b'<'))
            .map(|offset| at.saturating_sub(MAX_TAG) + offset);
        if !tag_start.is_some_and(|start| starts_with_ignore_case(bytes, start, b"<ix:")) {
            continue;
        }
        let Some(content_start) = bytes
            .get(at..bytes.len().min(at + MAX_TAG))
            .and_then(|rest| rest.iter().position(|&b| b == b'>'))
        else {
            continue;
        };
        let content_start = at + content_start + 1;
        let window = text
            .get(content_start..text.floor_char_boundary(content_start + MAX_CONTENT))
            .unwrap_or("");
        let Some(content_len) = find_ignore_case(window, 0, "</ix:") else {
            continue;
        };
        let content = window.get(..content_len).unwrap_or("");
        facts.push((name.to_owned(), plain_text(content)));
    }
    DeiFacts { facts }
}

/// Markup content as text: tags dropped, common entities decoded, whitespace collapsed.
fn plain_text(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(ch) = rest.chars().next() {
        if ch == '<' {
            rest = rest.find('>').and_then(|end| rest.get(end + 1..)).unwrap_or("");
            out.push(' ');
        } else if ch == '&' {
            let (decoded, used) = entity(rest);
            out.push(decoded);
            rest = rest.get(used..).unwrap_or("");
        } else {
            out.push(ch);
            rest = rest.get(ch.len_utf8()..).unwrap_or("");
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decode the entity at the start of `text`: the character and the bytes it used (`&` alone
/// when it is not a known entity).
fn entity(text: &str) -> (char, usize) {
    let Some(end) = text.get(..12).unwrap_or(text).find(';') else {
        return ('&', 1);
    };
    let name = text.get(1..end).unwrap_or("");
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    name.strip_prefix('#').and_then(|dec| dec.parse().ok())
                };
            number.and_then(char::from_u32).map(|c| if c == '\u{a0}' { ' ' } else { c })
        }
    };
    decoded.map_or(('&', 1), |c| (c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dei_facts_are_read_from_hidden_and_visible_inline_xbrl() {
        let text = r#"<div style="display:none"><ix:nonNumeric contextRef="c" name="dei:EntityCentralIndexKey">0001777001</ix:nonNumeric></div>
            <p><ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c">Cedar Ridge<br/> Instruments&#160;Corp</ix:nonNumeric></p>
            <meta name="dei:Ignored" content="x"><ix:nonNumeric name="dei:CityAreaCode">603</ix:nonNumeric>"#;
        let facts = read(text);
        assert_eq!(facts.get("EntityCentralIndexKey"), Some("0001777001"));
        assert_eq!(facts.get("EntityRegistrantName"), Some("Cedar Ridge Instruments Corp"));
        assert_eq!(facts.get("CityAreaCode"), Some("603"));
        assert_eq!(facts.get("Ignored"), None);
        assert_eq!(plain_text("A &amp; B &#x2014; &bogus; &"), "A & B \u{2014} &bogus; &");
    }
}
