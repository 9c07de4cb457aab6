//! Splitting a printed label that holds several rows' labels (PDF text merges rows:
//! "Total current assets Property and equipment, net") back into one label per row.

use crate::parse::lexicon;

/// What a piece of a merged label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    /// An ordinary row label.
    Label,
    /// A section heading ("Operating expenses:").
    Section,
    /// The end of the previous row's wrapped label ("intangible assets").
    Continuation,
}

/// One label piece with its byte range in the label text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub range: (usize, usize),
    pub kind: SegmentKind,
}

/// Words after which a label goes on (so the next capitalised word starts no new label).
const CONNECTORS: &[&str] = &[
    "and", "of", "or", "the", "in", "to", "for", "from", "&", "less", "on", "by", "at", "with",
    "per", "a", "an", "before", "after",
];

/// Whether a label ends in a way that says it continues on the next line.
pub fn ends_open(label: &str) -> bool {
    let last = label.trim_end().rsplit(' ').next().unwrap_or("").to_lowercase();
    let last = last.trim_end_matches(',');
    label.trim_end().ends_with(',') || label.trim_end().ends_with('-') || CONNECTORS.contains(&last)
}

/// Whether a label starts as the continuation of the line above (lower-case first letter).
pub fn starts_as_continuation(label: &str) -> bool {
    let mut chars = label.trim_start().chars();
    match chars.next() {
        Some('(') => chars.next().is_some_and(char::is_lowercase),
        Some(c) => c.is_lowercase(),
        None => false,
    }
}

/// Split `label` into pieces. `wanted` is the number of pieces the row's values call for
/// (0 when unknown: then only section colons split). Never returns an empty list for a
/// non-empty label.
pub fn split(label: &str, wanted: usize, continues_previous: bool) -> Vec<Segment> {
    let words = word_ranges(label);
    if words.is_empty() {
        return Vec::new();
    }
    // hard boundaries: after a word ending in ':' that is followed by more words
    let mut hard: Vec<usize> = Vec::new();
    // soft boundaries: before a capitalised word that does not follow a connector
    let mut soft: Vec<usize> = Vec::new();
    for i in 1..words.len() {
        let prev = &label[words[i - 1].0..words[i - 1].1];
        let word = &label[words[i].0..words[i].1];
        if prev.ends_with(':') {
            hard.push(i);
        } else if word.chars().next().is_some_and(|c| c.is_uppercase())
            && !CONNECTORS
                .contains(&prev.to_lowercase().trim_end_matches(',').trim_start_matches('('))
            && !prev.ends_with('(')
            && !is_acronym_pair(prev, word)
        {
            soft.push(i);
        }
    }
    let mut cuts = hard.clone();
    // "Revenues Cost of revenues:": a known label run into the heading that follows it
    for (k, &h) in hard.iter().enumerate() {
        let piece_start = if k == 0 { 0 } else { hard[k - 1] };
        if let Some(&inner) = soft.iter().rev().find(|&&s| s > piece_start && s < h) {
            let lead = &label[words[piece_start].0..words[inner - 1].1];
            if lexicon::lookup(lead).is_some() {
                cuts.push(inner);
            }
        }
    }
    // a lower-case start continues the row above: cut before the first capitalised word
    if continues_previous && let Some(&first) = soft.first() {
        cuts.push(first);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let pieces_now = cuts.len() + 1;
    let section_pieces = hard.len() + usize::from(label.trim_end().ends_with(':'));
    let target = wanted + section_pieces + usize::from(continues_previous);
    if target > pieces_now {
        let free: Vec<usize> = soft.iter().copied().filter(|s| !cuts.contains(s)).collect();
        let need = (target - pieces_now).min(free.len());
        if need == free.len() {
            cuts.extend(free);
        } else {
            cuts.extend(best_cuts(label, &words, &cuts, &free, need));
        }
        cuts.sort_unstable();
        cuts.dedup();
    }
    let mut out = Vec::new();
    let mut start = 0;
    for end in cuts.iter().copied().chain(std::iter::once(words.len())) {
        if end <= start {
            continue;
        }
        let range = (words[start].0, words[end - 1].1);
        let text = label[range.0..range.1].trim().to_owned();
        let kind = if text.ends_with(':') {
            SegmentKind::Section
        } else if start == 0 && continues_previous {
            SegmentKind::Continuation
        } else {
            SegmentKind::Label
        };
        out.push(Segment { text, range, kind });
        start = end;
    }
    out
}

fn is_acronym_pair(prev: &str, word: &str) -> bool {
    // "US GAAP", "EX-99": all-capital words run together
    prev.len() <= 5
        && prev.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
        && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Choose `need` of the `free` cut positions so the pieces read most like known labels.
fn best_cuts(
    label: &str,
    words: &[(usize, usize)],
    fixed: &[usize],
    free: &[usize],
    need: usize,
) -> Vec<usize> {
    let mut best: Option<(i64, Vec<usize>)> = None;
    let mut chosen = Vec::with_capacity(need);
    // bounded search: labels have few capitalised words
    choose(free, need, 0, &mut chosen, &mut |choice: &[usize]| {
        let mut cuts: Vec<usize> = fixed.iter().chain(choice).copied().collect();
        cuts.sort_unstable();
        let score = score_cuts(label, words, &cuts);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, choice.to_vec()));
        }
    });
    best.map(|(_, c)| c).unwrap_or_default()
}

fn choose(
    items: &[usize],
    k: usize,
    from: usize,
    chosen: &mut Vec<usize>,
    visit: &mut dyn FnMut(&[usize]),
) {
    if chosen.len() == k {
        visit(chosen);
        return;
    }
    if items.len() > 16 {
        // too many to search: take the first ones
        visit(&items[..k.min(items.len())]);
        return;
    }
    for i in from..items.len() {
        chosen.push(items[i]);
        choose(items, k, i + 1, chosen, visit);
        chosen.pop();
    }
}

fn score_cuts(label: &str, words: &[(usize, usize)], cuts: &[usize]) -> i64 {
    let mut score = 0;
    let mut start = 0;
    for end in cuts.iter().copied().chain(std::iter::once(words.len())) {
        if end <= start {
            continue;
        }
        let piece = &label[words[start].0..words[end - 1].1];
        if lexicon::is_known_exactly(piece) {
            score += 4;
        } else if lexicon::lookup(piece).is_some() {
            score += 2;
        }
        if piece.to_lowercase().starts_with("total") {
            score += 1;
        }
        start = end;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(label: &str, wanted: usize, cont: bool) -> Vec<String> {
        split(label, wanted, cont).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn merged_labels_split_at_capitalised_words() {
        assert_eq!(
            texts("Total current assets Property and equipment, net", 2, false),
            ["Total current assets", "Property and equipment, net"]
        );
        assert_eq!(
            texts(
                "Research and development Sales and marketing General and administrative",
                3,
                false
            ),
            ["Research and development", "Sales and marketing", "General and administrative"]
        );
    }

    #[test]
    fn section_colons_always_split() {
        assert_eq!(
            texts("Operating expenses: Research and development", 1, false),
            ["Operating expenses:", "Research and development"]
        );
        let segs =
            split("Revenues Cost of revenues: Write-off (benefit) of inventory and", 1, false);
        let kinds: Vec<_> = segs.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SegmentKind::Label, SegmentKind::Section, SegmentKind::Label]);
    }

    #[test]
    fn a_known_label_run_into_a_heading_is_split_from_it() {
        assert_eq!(
            texts("Revenues Cost of revenues: Write-off (benefit) of inventory and", 1, false),
            ["Revenues", "Cost of revenues:", "Write-off (benefit) of inventory and"]
        );
        assert_eq!(
            texts("Gross profit Gross profit % Operating expenses:", 2, false),
            ["Gross profit", "Gross profit %", "Operating expenses:"]
        );
        assert_eq!(
            texts("Restructuring charges (benefit), net Total operating expenses", 2, false),
            ["Restructuring charges (benefit), net", "Total operating expenses"]
        );
    }

    #[test]
    fn a_lower_case_start_continues_the_row_above() {
        let segs = split("intangible assets Restructuring charges (benefit), net", 1, true);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].kind, SegmentKind::Continuation);
        assert_eq!(segs[1].text, "Restructuring charges (benefit), net");
    }

    #[test]
    fn words_after_connectors_stay_in_the_label() {
        assert_eq!(
            texts("Liabilities and Stockholders' Equity", 1, false),
            ["Liabilities and Stockholders' Equity"]
        );
        assert_eq!(
            texts("Basic and diluted net loss per share", 1, false),
            ["Basic and diluted net loss per share"]
        );
    }

    #[test]
    fn open_endings_are_recognised() {
        assert!(ends_open("Write-off (benefit) of inventory and"));
        assert!(ends_open("Net income (loss) attributable to"));
        assert!(!ends_open("Inventories"));
    }
}
