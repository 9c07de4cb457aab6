//! Stage 3 for HTML parts: markup to a [`Layout`] of text lines and table grids, with spans.
//!
//! `scraper` (html5ever) builds the tree the way a browser would, which is what makes unclosed
//! `<TD>`/`<TR>`, uppercase legacy tags and stray markup safe. The tree is walked once, without
//! recursion: running text outside tables becomes one [`Block::Text`] per paragraph, heading,
//! div or `<br>` line; each innermost table becomes a [`Block::Table`] (tables that hold other
//! tables are page layout, read as text plus their inner tables). Hidden content (`<head>`,
//! scripts, `display:none`, the inline-XBRL `ix:header`) is never read. html5ever keeps no
//! source positions, so spans come from finding the printed text again in the raw markup
//! ([`locate`]).

mod buffer;
mod locate;
mod nesting;
pub(crate) mod scan;
mod table;

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

use super::grid::{Block, Layout, TextLine};
use super::model::Span;
use buffer::TextBuffer;
use table::TableBuilder;

/// How far past the previous line a text line's words are looked for in the raw markup.
const TEXT_SEARCH_WINDOW: usize = 32 * 1024;
/// How many ancestors are climbed to find the table a table is nested in.
const MAX_NESTING_CLIMB: usize = 256;

/// Read an HTML part into text lines and table grids, in document order.
///
/// `base` is the part's byte offset in the whole input; every span is shifted by it. Text is
/// whitespace-collapsed with entities decoded, except inside `<pre>`, whose lines keep their
/// spacing (trailing spaces dropped) so that column alignment survives for the text reader.
pub fn read(html: &str, base: usize) -> Layout {
    let (bounded, _blanked) = nesting::bound_nesting(html);
    let html = bounded.as_ref();
    let document = Html::parse_document(html);
    let containers = container_tables(&document);
    let mut reader = Reader {
        raw: html,
        locator: locate::Locator::new(html),
        base,
        raw_tables: locate::table_ranges(html),
        tables_seen: 0,
        blocks: Vec::new(),
        line: TextBuffer::default(),
        pre_line: String::new(),
        pre_depth: 0,
        cursor: 0,
        hidden: None,
        table: None,
    };
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => reader.open(node, &containers),
            Edge::Close(node) => reader.close(node),
        }
    }
    reader.flush_line();
    reader.flush_pre_line();
    Layout { blocks: reader.blocks }
}

/// Tables that contain another table: page layout, not data.
fn container_tables(document: &Html) -> HashSet<NodeId> {
    let mut containers = HashSet::new();
    for node in document.tree.root().descendants() {
        if element_name(node) != Some("table") {
            continue;
        }
        let outer = node
            .ancestors()
            .take(MAX_NESTING_CLIMB)
            .find(|ancestor| element_name(*ancestor) == Some("table"));
        if let Some(outer) = outer {
            containers.insert(outer.id());
        }
    }
    containers
}

fn element_name(node: NodeRef<'_, Node>) -> Option<&str> {
    node.value().as_element().map(Element::name)
}

/// Elements whose content is never printed (or is inline-XBRL metadata).
fn is_unprinted(name: &str) -> bool {
    matches!(name, "head" | "script" | "style" | "title" | "template" | "noscript" | "ix:header")
}

/// Elements that start a new line of running text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "address"
            | "center"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "hr"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "body"
            | "html"
            | "page"
    )
}

/// Whether an element's inline style hides it (`display: none`).
fn is_hidden(element: &Element) -> bool {
    element.attrs().any(|(name, value)| {
        name.eq_ignore_ascii_case("style") && {
            let bytes = value.as_bytes();
            let mut from = 0;
            let mut hidden = false;
            while let Some(at) = scan::find_ignore_case(value, from, "display") {
                let rest = bytes.get(at + 7..).unwrap_or_default();
                let rest: Vec<u8> =
                    rest.iter().copied().filter(|b| !b.is_ascii_whitespace()).take(5).collect();
                if rest.eq_ignore_ascii_case(b":none") {
                    hidden = true;
                    break;
                }
                from = at + 7;
            }
            hidden
        }
    })
}

fn attribute<'a>(element: &'a Element, wanted: &str) -> Option<&'a str> {
    element.attrs().find(|(name, _)| name.eq_ignore_ascii_case(wanted)).map(|(_, value)| value)
}

/// The walk's state.
struct Reader<'a> {
    raw: &'a str,
    locator: locate::Locator<'a>,
    base: usize,
    /// Raw byte ranges of the tables, in the order the walk meets them.
    raw_tables: Vec<Span>,
    tables_seen: usize,
    blocks: Vec<Block>,
    line: TextBuffer,
    pre_line: String,
    pre_depth: usize,
    /// Where the next text line's words are looked for.
    cursor: usize,
    /// Root of a subtree being skipped.
    hidden: Option<NodeId>,
    /// The innermost table being read.
    table: Option<TableBuilder>,
}

impl Reader<'_> {
    fn open(&mut self, node: NodeRef<'_, Node>, containers: &HashSet<NodeId>) {
        match node.value() {
            Node::Text(text) if self.hidden.is_none() => self.push_text(text),
            Node::Element(element) => {
                let name = element.name();
                let raw_table = (name == "table").then(|| self.next_table_range());
                if self.hidden.is_some() {
                    return;
                }
                if is_unprinted(name) || is_hidden(element) {
                    self.hidden = Some(node.id());
                    return;
                }
                if let Some(table) = &mut self.table {
                    match name {
                        "tr" => table.start_row(&mut self.locator),
                        "td" | "th" => table.start_cell(
                            &mut self.locator,
                            attribute(element, "colspan"),
                            attribute(element, "rowspan"),
                        ),
                        "caption" => table.in_caption = true,
                        _ if name == "br" || is_block(name) => table.separate(),
                        _ => {}
                    }
                    return;
                }
                if let Some(range) = raw_table.filter(|_| !containers.contains(&node.id())) {
                    self.flush_line();
                    self.table = Some(TableBuilder::new(node.id(), range));
                } else if name == "pre" {
                    self.flush_line();
                    self.pre_depth += 1;
                } else if name == "br" && self.pre_depth > 0 {
                    self.flush_pre_line();
                } else if name == "br" || is_block(name) {
                    self.flush_line();
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, node: NodeRef<'_, Node>) {
        if let Some(hidden) = self.hidden {
            if hidden == node.id() {
                self.hidden = None;
            }
            return;
        }
        let Some(name) = element_name(node) else {
            return;
        };
        if let Some(table) = &mut self.table {
            match name {
                "td" | "th" => table.finish_cell(&mut self.locator),
                "tr" => table.finish_row(&mut self.locator),
                "caption" => table.in_caption = false,
                "table" if table.node == node.id() => self.finish_table(),
                _ => {}
            }
            return;
        }
        if name == "pre" {
            self.flush_pre_line();
            self.pre_depth = self.pre_depth.saturating_sub(1);
        } else if is_block(name) {
            self.flush_line();
        }
    }

    /// The raw range of the next table the walk meets (an empty range after the last one).
    fn next_table_range(&mut self) -> Span {
        let range = self.raw_tables.get(self.tables_seen).copied();
        self.tables_seen += 1;
        range.unwrap_or([self.cursor, self.cursor])
    }

    fn push_text(&mut self, text: &str) {
        if let Some(table) = &mut self.table {
            table.push_text(text);
        } else if self.pre_depth > 0 {
            let mut lines = text.split('\n');
            if let Some(first) = lines.next() {
                self.pre_line.push_str(first);
            }
            for line in lines {
                self.flush_pre_line();
                self.pre_line.push_str(line);
            }
        } else {
            self.line.push(text);
        }
    }

    fn finish_table(&mut self) {
        let Some(mut builder) = self.table.take() else {
            return;
        };
        let caption = builder.caption.take();
        if !caption.is_empty() {
            self.push_line(caption, false);
        }
        let raw_end = builder.raw_span()[1];
        if let Some(table) = builder.finish(&mut self.locator, self.base) {
            self.cursor = self.cursor.max(table.span[1].saturating_sub(self.base));
            self.blocks.push(Block::Table(table));
        }
        self.cursor = self.cursor.max(raw_end.min(self.raw.len()));
    }

    fn flush_line(&mut self) {
        if !self.line.is_empty() {
            let text = self.line.take();
            self.push_line(text, false);
        }
    }

    fn flush_pre_line(&mut self) {
        let line = std::mem::take(&mut self.pre_line);
        let line = line.trim_end();
        if !line.trim_start().is_empty() {
            self.push_line(line.replace('\r', ""), true);
        }
    }

    /// Add a text line, spanning where its words are printed (or an empty span at the cursor).
    fn push_line(&mut self, text: String, keep_spacing: bool) {
        let search: String;
        let words = if keep_spacing {
            search = text.split_whitespace().collect::<Vec<_>>().join(" ");
            search.as_str()
        } else {
            text.as_str()
        };
        let limit = self.cursor.saturating_add(TEXT_SEARCH_WINDOW);
        let span = match self.locator.locate(words, self.cursor, limit) {
            Some(span) => {
                self.cursor = span[1];
                span
            }
            None => [self.cursor, self.cursor],
        };
        let span = [span[0] + self.base, span[1] + self.base];
        self.blocks.push(Block::Text(TextLine { text, span }));
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod corpus;

#[cfg(test)]
mod robustness;
