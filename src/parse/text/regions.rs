//! Where the tables are: `<TABLE>` blocks, and runs of row-like lines with their column headers.
//!
//! A region is found in one forward pass. Untagged regions start at a row-like line and grow
//! over single blank lines, rules and short label-only lines (kept only when a row follows);
//! then the lines just above are taken as column headers when they sit over the value columns
//! (aligned text) or use header words (tabbed text). Captions met on the way up are lifted out
//! as text placed right before the table.

use std::ops::Range;

use super::lines::{Kind, Line, MAX_LABEL_WORDS, Marker, column_marks, last_chunk_col};
use super::words::{is_number_word, is_year};

/// Most lines a `<TABLE>` block may span before its end tag is given up on.
const MAX_TAGGED_LINES: usize = 5000;
/// Most label-only lines in a row between two rows of values.
const MAX_PENDING_TEXT: usize = 6;
/// Most lines looked at above a region for its column headers.
const MAX_HEADER_SCAN: usize = 12;
/// Columns a header line may start left of the value columns and still sit over them.
pub(super) const ZONE_SLACK: usize = 4;
/// How far left of most rows' values a row's values may start and still set the value zone.
const MAX_STRAY: usize = 8;
/// Widest label-only line that continues a table, unless it is columnar (a wide gap inside).
const MAX_LABEL_WIDTH: usize = 100;

/// How a region's columns are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// PDF text: a tab separates cells, cell index = column.
    Tabbed,
    /// Columns by character position (tabs expand to 8-column stops).
    Aligned,
}

/// One table region of the part.
#[derive(Debug, Clone)]
pub(super) struct Region {
    pub mode: Mode,
    /// Lines the region takes out of the running text (markers, rules and blanks included).
    pub lines: Range<usize>,
    /// Lines that become rows, in order.
    pub rows: Vec<usize>,
    /// How many leading `rows` are column-header lines (above the first value row).
    pub header_rows: usize,
    /// Captions found among the header lines: text placed right before the table.
    pub lifted: Vec<usize>,
    /// `<FN>` footnote lines: text placed right after the table.
    pub footnotes: Vec<usize>,
    /// Display columns of the `<C>` tags, when the table has an `<S>` line.
    pub marks: Vec<usize>,
}

/// Find every table region, in order, without overlaps.
pub(super) fn find(lines: &[Line<'_>]) -> Vec<Region> {
    let mut regions = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < lines.len() {
        let found = match lines[i].kind {
            Kind::Marker(Marker::Table) => tagged(lines, i).ok_or(i + 1),
            Kind::Row => untagged(lines, i, floor),
            _ => Err(i + 1),
        };
        match found {
            Ok(region) => {
                floor = region.lines.end;
                i = floor;
                regions.push(region);
            }
            // Rows that make no table: none of them starts one either (a later start would see
            // fewer numbers), so the search resumes after them and stays linear.
            Err(next) => i = next.max(i + 1),
        }
    }
    regions
}

/// A `<TABLE>` ... `</TABLE>` block: every line inside is the table's.
fn tagged(lines: &[Line<'_>], open: usize) -> Option<Region> {
    let limit = lines.len().min(open.saturating_add(MAX_TAGGED_LINES));
    let close = (open + 1..limit)
        .find(|&j| matches!(lines[j].kind, Kind::Marker(Marker::TableEnd | Marker::Table)))?;
    if lines[close].kind != Kind::Marker(Marker::TableEnd) {
        return None;
    }
    let mut region = Region {
        mode: Mode::Aligned,
        lines: open..close + 1,
        rows: Vec::new(),
        header_rows: 0,
        lifted: Vec::new(),
        footnotes: Vec::new(),
        marks: Vec::new(),
    };
    let mut columns_line_seen = false;
    let mut in_footnote = false;
    for j in open + 1..close {
        let line = &lines[j];
        match line.kind {
            Kind::Marker(Marker::Columns) => {
                if !columns_line_seen {
                    region.marks = column_marks(line.text);
                    region.header_rows = region.rows.len();
                    columns_line_seen = true;
                }
            }
            Kind::Marker(Marker::Footnote) => in_footnote = true,
            Kind::Marker(Marker::FootnoteEnd) => in_footnote = false,
            Kind::Marker(Marker::Page) => {
                // The page number printed just above a page break is not a row.
                if region.rows.last().is_some_and(|&r| is_page_number(&lines[r])) {
                    region.rows.pop();
                }
            }
            Kind::Marker(_) | Kind::Blank | Kind::Rule => {}
            Kind::Row | Kind::Text if in_footnote => region.footnotes.push(j),
            Kind::Row | Kind::Text => region.rows.push(j),
        }
    }
    if !columns_line_seen {
        region.header_rows = region.rows.iter().position(|&r| is_value_row(&lines[r])).unwrap_or(0);
    }
    // Captions inside the heading part go before the table, as for untagged tables.
    let header_end = region.header_rows.min(region.rows.len());
    let (lifted, headers): (Vec<usize>, Vec<usize>) =
        region.rows[..header_end].iter().partition(|&&r| lines[r].caption());
    if !lifted.is_empty() {
        region.header_rows = headers.len();
        region.rows.splice(..header_end, headers);
        region.lifted = lifted;
    }
    Some(region)
}

/// A line that only holds a short number (a page number).
fn is_page_number(line: &Line<'_>) -> bool {
    let t = line.text.trim();
    line.facts.words == 1 && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())
}

/// A row with numbers that are not all years.
pub(super) fn is_value_row(line: &Line<'_>) -> bool {
    line.kind == Kind::Row && line.facts.numbers > 0 && !line.facts.years_only
}

/// Grow a region from the row-like line `first`; `floor` is where the previous region ended.
/// When the rows make no table, the error is the line to resume the search at.
fn untagged(lines: &[Line<'_>], first: usize, floor: usize) -> Result<Region, usize> {
    let mut rows = vec![first];
    let mut pending: Vec<usize> = Vec::new();
    let mut blanks = 0;
    let mut last = first;
    for (j, line) in lines.iter().enumerate().skip(first + 1) {
        match line.kind {
            Kind::Blank => {
                blanks += 1;
                if blanks >= 2 {
                    break;
                }
            }
            Kind::Marker(_) => break,
            Kind::Rule => blanks = 0,
            // A page number after a blank line ends the page, and the table with it.
            Kind::Row if blanks > 0 && is_page_number(line) => break,
            Kind::Row => {
                rows.append(&mut pending);
                rows.push(j);
                last = j;
                blanks = 0;
            }
            Kind::Text => {
                let f = &line.facts;
                let ends_table = (line.caption() && (line.scale() || line.header_words()))
                    || f.words > MAX_LABEL_WORDS
                    || (f.width > MAX_LABEL_WIDTH && !f.inner_gap)
                    || (f.sentence_end && f.words > 6)
                    || pending.len() >= MAX_PENDING_TEXT;
                if ends_table {
                    break;
                }
                pending.push(j);
                blanks = 0;
            }
        }
    }
    let numbers: usize =
        rows.iter().filter(|&&r| is_value_row(&lines[r])).map(|&r| lines[r].facts.numbers).sum();
    if numbers < 2 {
        return Err(last + 1);
    }
    let row_lines = rows.iter().filter(|&&r| lines[r].kind == Kind::Row);
    let (tabbed, aligned) = row_lines
        .fold((0, 0), |(t, a), &r| if lines[r].facts.pure_tab { (t + 1, a) } else { (t, a + 1) });
    let mode = if tabbed >= aligned { Mode::Tabbed } else { Mode::Aligned };
    let mut region = Region {
        mode,
        lines: first..last + 1,
        rows,
        header_rows: 0,
        lifted: Vec::new(),
        footnotes: Vec::new(),
        marks: Vec::new(),
    };
    add_headers_above(lines, &mut region, floor);
    Ok(region)
}

/// Take the column-header lines just above a region's first row into it.
fn add_headers_above(lines: &[Line<'_>], region: &mut Region, floor: usize) {
    let first = region.lines.start;
    let zone = value_zone(lines, &region.rows);
    let mut headers: Vec<usize> = Vec::new();
    let mut lifted: Vec<usize> = Vec::new();
    let mut top = first;
    let mut blanks = 0;
    let mut attached = true;
    let mut over_values_seen = false;
    let mut k = first;
    while k > floor && first - k < MAX_HEADER_SCAN {
        k -= 1;
        let line = &lines[k];
        let f = &line.facts;
        match line.kind {
            Kind::Blank => {
                blanks += 1;
                attached = false;
                if blanks >= 2 {
                    break;
                }
                continue;
            }
            Kind::Marker(_) => break,
            Kind::Rule => top = k,
            Kind::Row | Kind::Text if line.caption() => lifted.push(k),
            Kind::Row | Kind::Text => {
                let short = f.words <= MAX_LABEL_WORDS && !(f.sentence_end && f.words > 6);
                let header = match (region.mode, zone) {
                    (Mode::Tabbed, _) => {
                        short && (line.header_words() || (f.pure_tab && f.numbers == 0))
                    }
                    (Mode::Aligned, Some(zone)) => {
                        // Headers sit over the values, alone or beside a label
                        // (`Assets        June 30, 2003   December 31, 2002`): then the last
                        // chunk starts right of the labels' middle and reaches the values.
                        let beside_label = || {
                            f.first_col + f.width + ZONE_SLACK > zone
                                && line.header_words()
                                && no_figures(line.text)
                                && last_chunk_col(line.text).is_some_and(|c| c * 2 >= zone)
                        };
                        let over_values = f.first_col + ZONE_SLACK >= zone || beside_label();
                        // Label lines wrapped above the first row of values, below any header.
                        let label_above_first_row = attached
                            && !over_values_seen
                            && f.words <= 8
                            && !f.sentence_end
                            && f.width <= 60;
                        over_values_seen |= over_values;
                        short && (over_values || label_above_first_row)
                    }
                    (Mode::Aligned, None) => false,
                };
                if !header {
                    break;
                }
                headers.push(k);
                top = k;
            }
        }
        blanks = 0;
        attached = true;
    }
    if top == first {
        return;
    }
    lifted.retain(|&l| l > top);
    headers.reverse();
    lifted.reverse();
    region.header_rows = headers.len();
    headers.extend_from_slice(&region.rows);
    region.rows = headers;
    region.lifted = lifted;
    region.lines.start = top;
}

/// A line whose only numbers are years (`3.41 years` is a row of values, `June 30, 2003` a
/// header).
fn no_figures(text: &str) -> bool {
    text.split_whitespace().all(|w| !is_number_word(w) || is_year(w))
}

/// Display column where a region's values start: the leftmost first value, ignoring stray
/// rows far left of the rest (right-aligned numbers start at different columns).
pub(super) fn value_zone(lines: &[Line<'_>], rows: &[usize]) -> Option<usize> {
    let mut starts: Vec<usize> = rows
        .iter()
        .filter(|&&r| is_value_row(&lines[r]) && !lines[r].facts.tight)
        .filter_map(|&r| lines[r].facts.value_col)
        .collect();
    starts.sort_unstable();
    let typical = *starts.get(starts.len() / 4)?;
    starts.into_iter().find(|&s| s + MAX_STRAY >= typical)
}
