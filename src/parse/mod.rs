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

pub mod cover;
pub mod decode;
pub mod envelope;
pub mod grid;
pub mod html;
pub mod model;
pub mod text;

pub use model::*;

/// Options for [`parse`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Force a layout instead of detecting it.
    pub format: Option<InputFormat>,
}

/// Parse one uploaded document. Never panics; problems become diagnostics.
pub fn parse(input: &[u8], options: &ParseOptions) -> ParsedFiling {
    let _ = (input, options);
    ParsedFiling::default()
}
