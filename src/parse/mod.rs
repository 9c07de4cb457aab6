//! The parsing core: bytes in, a [`ParsedFiling`] with diagnostics out.
//!
//! Pure and synchronous: no database, no HTTP, no async. The stages, each in its own module:
//!
//! 1. [`decode`]: bytes to text (UTF-8, else Windows-1252), keeping a map back to input bytes.
//! 2. [`envelope`]: an EDGAR submission's header fields and `<DOCUMENT>` parts.
//! 3. [`html`] and [`text`]: each part's layout, as narrative lines and table grids ([`grid`]).
//! 4. [`cover`]: company and filing identity from the header and the cover page.
//! 5. [`statements`]: grids to statements, columns (period, basis), line items and facts,
//!    using [`numbers`], [`periods`] and the label [`lexicon`].
//! 6. [`reconcile`]: accounting identities checked; values assigned, derived or corrected.

mod assemble;
pub mod cover;
pub mod decode;
pub mod envelope;
pub mod grid;
pub mod html;
pub mod lexicon;
pub mod model;
pub mod narrative;
pub mod numbers;
pub mod periods;
pub mod reconcile;
pub mod statements;
pub mod text;
pub mod timeline;

pub use model::*;

use grid::{Block, Layout, TextLine};

/// Options for [`parse`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Force a layout instead of detecting it.
    pub format: Option<InputFormat>,
}

/// Parse one uploaded document. Never panics; problems become diagnostics.
pub fn parse(input: &[u8], options: &ParseOptions) -> ParsedFiling {
    let decoded = decode::decode(input);
    let text = decoded.text.as_str();
    let format = options.format.unwrap_or_else(|| envelope::detect_format(text));
    let (submission, mut diagnostics) = envelope::split(text, format);
    let mut layouts = Vec::new();
    for part in submission.parts.iter().filter(|p| p.skipped.is_none()) {
        let body = text.get(part.span[0]..part.span[1]).unwrap_or_default();
        layouts.push(match part.format {
            InputFormat::Html => html::read(body, part.span[0]),
            _ => text::read(body, part.span[0]),
        });
    }
    let (company, filing, cover_notes) = cover::identify(&submission.header, &layouts, text);
    diagnostics.extend(cover_notes);
    let fye_month = company
        .fiscal_year_end
        .as_deref()
        .and_then(|f| f.get(..2))
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(12);
    let narrative: String = layouts
        .iter()
        .flat_map(|l| l.blocks.iter())
        .filter_map(|b| match b {
            Block::Text(line) => Some(line.text.as_str()),
            Block::Table(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let claims = narrative::claims(&narrative, fye_month);
    if std::env::var_os("FILINGS_DEBUG").is_some() {
        eprintln!("CLAIMS {claims:?} REPORT {:?}", filing.report_date);
    }
    let mut drafts = Vec::new();
    for layout in &layouts {
        read_layout(layout, &mut drafts, &mut diagnostics);
    }
    for draft in &mut drafts {
        reconcile::reconcile(draft, &mut diagnostics);
    }
    let calendar =
        timeline::Calendar { report_date: filing.report_date, fye_month, claims: &claims };
    timeline::resolve(&mut drafts, &calendar, &mut diagnostics);
    let assembled = assemble::assemble(&drafts);
    if assembled.statements.is_empty() {
        diagnostics.push(Diagnostic::info(
            "no_financial_tables",
            "no financial table with readable periods was found",
            None,
        ));
    }
    let mut parsed = ParsedFiling {
        format,
        company,
        filing,
        documents: submission.parts,
        periods: assembled.periods,
        statements: assembled.statements,
        facts: assembled.facts,
        checks: assembled.checks,
        diagnostics,
    };
    map_spans(&mut parsed, &decoded);
    parsed
}

/// Tables of one document part to drafts, each with the text lines printed above it.
fn read_layout(
    layout: &Layout,
    drafts: &mut Vec<statements::Draft>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // borrowed: every text line passes through here, and few end up above a table
    let mut context: Vec<&TextLine> = Vec::new();
    let mut previous: Option<statements::Inherited> = None;
    let mut last_scale: Option<statements::ScaleInfo> = None;
    for block in &layout.blocks {
        match block {
            Block::Text(line) => {
                if line.text.len() < 200
                    && let Some(scale) = statements::scale_of(&line.text)
                {
                    last_scale = Some(scale);
                }
                context.push(line);
                if context.len() > MAX_CONTEXT_LINES {
                    context.remove(0);
                }
            }
            Block::Table(printed) => {
                // a reconciliation printed across (measures over the columns, a period and a
                // basis per row) is read the usual way round
                let mut flipped = statements::untranspose(printed);
                if flipped.is_some() {
                    diagnostics.push(Diagnostic::info(
                        "reconciliation_across",
                        "reconciliation with its measures across the columns and a period and \
                         basis per row; read with the periods across instead",
                        Some(printed.span),
                    ));
                } else {
                    // one column per adjustment: read as the row-by-row form (one value per
                    // line, period and basis)
                    flipped = statements::adjustments_down(printed);
                    if flipped.is_some() {
                        diagnostics.push(Diagnostic::info(
                            "adjustment_columns",
                            "reconciliation with a column per adjustment; read as a section per \
                             measure with a row per adjustment",
                            Some(printed.span),
                        ));
                    }
                }
                let table = flipped.as_ref().unwrap_or(printed);
                // a table right under another, with no paragraph between, continues its statement
                let continues = context.is_empty();
                let inherited = previous.as_ref().filter(|_| continues);
                let new = statements::read_table(
                    table,
                    &statements::TableContext {
                        lines: &context,
                        fallback_scale: last_scale.as_ref(),
                    },
                    inherited,
                    diagnostics,
                );
                if let Some(last) = new.last() {
                    previous = Some(statements::inherit(last));
                    if !last.scale.source.starts_with("default") {
                        last_scale = Some(last.scale.clone());
                    }
                }
                drafts.extend(new);
                context.clear();
            }
        }
    }
}

/// Spans were computed on the decoded text; point them at the input bytes.
fn map_spans(parsed: &mut ParsedFiling, decoded: &decode::Decoded) {
    for f in &mut parsed.facts {
        f.span = decoded.original_span(f.span);
    }
    for s in &mut parsed.statements {
        s.span = decoded.original_span(s.span);
    }
    for d in &mut parsed.documents {
        d.span = decoded.original_span(d.span);
    }
    for d in &mut parsed.diagnostics {
        d.span = d.span.map(|s| decoded.original_span(s));
    }
}

const MAX_CONTEXT_LINES: usize = 12;
