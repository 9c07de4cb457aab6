//! Property tests: any bytes through decode, envelope, HTML reader and cover reader never
//! panic, and every span they give stays inside the text.

use proptest::prelude::*;

use crate::parse::cover::identify;
use crate::parse::decode::decode;
use crate::parse::envelope::{detect_format, split};
use crate::parse::grid::{Block, Layout};
use crate::parse::html::read;
use crate::parse::model::InputFormat;

const FIXTURES: [&[u8]; 4] = [
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/html/legacy_statement.htm"
    )),
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html/inline_xbrl.htm")),
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html/cp1252_release.htm")),
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edgar/three_parts.txt")),
];

/// Pieces of EDGAR envelopes, legacy HTML, inline XBRL and cover pages, to build inputs that
/// reach deep into the readers.
const PIECES: &[&str] = &[
    "<SEC-HEADER>",
    "</SEC-HEADER>",
    "FILER:\n",
    "COMPANY CONFORMED NAME: X CO\n",
    "<DOCUMENT>",
    "</DOCUMENT>",
    "<TYPE>EX-99.1\n",
    "<TEXT>\n",
    "</TEXT>",
    "begin 644 a\n",
    "<PDF>",
    "<html>",
    "<TABLE>",
    "</table>",
    "<tr>",
    "<TD COLSPAN=3>",
    "<td rowspan=99999>",
    "<th colspan=0>",
    "</td>",
    "<br>",
    "<p>",
    "</p>",
    "<pre>",
    "\n",
    "<div style=\"display:none\">",
    "</div>",
    "<ix:header>",
    "</ix:header>",
    "<ix:nonFraction name=\"dei:X\">",
    "</ix:nonFraction>",
    "&#151;",
    "&nbsp;",
    "$",
    "(1,234",
    ")",
    "\u{2014}",
    "<!--",
    "-->",
    "/s/ A B",
    "(Exact name of registrant)",
    "(Commission File Number)",
    "Item 2.02",
    "Exhibit Index",
    "99.1 Press",
    "(NYSE: AB)",
    "Date of Report",
    "July 4, 2003",
    "<caption>",
    "<script>",
    "</script>",
    "\u{feff}",
    "\r\n",
];

/// Run every stage on the input and check the spans; panics are what the tests look for.
fn run_stages(input: &[u8]) {
    let decoded = decode(input);
    let text = decoded.text.as_str();
    let (submission, _) = split(text, detect_format(text));
    let mut layouts: Vec<Layout> = Vec::new();
    for part in &submission.parts {
        assert!(part.span[0] <= part.span[1] && part.span[1] <= text.len());
        let Some(body) = text.get(part.span[0]..part.span[1]) else {
            panic!("part span off a char boundary")
        };
        if part.format == InputFormat::Html {
            let layout = read(body, part.span[0]);
            for block in &layout.blocks {
                let spans: Vec<[usize; 2]> = match block {
                    Block::Text(line) => vec![line.span],
                    Block::Table(table) => {
                        let cells = table
                            .rows
                            .iter()
                            .flat_map(|row| row.cells.iter().map(|cell| cell.span));
                        std::iter::once(table.span).chain(cells).collect()
                    }
                };
                for span in spans {
                    assert!(
                        span[0] <= span[1] && span[1] <= part.span[1] && span[0] >= part.span[0]
                    );
                    assert!(text.get(span[0]..span[1]).is_some(), "span off a char boundary");
                    let mapped = decoded.original_span(span);
                    assert!(mapped[0] <= mapped[1] && mapped[1] <= input.len());
                }
            }
            layouts.push(layout);
        }
    }
    let _ = identify(&submission.header, &layouts, text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
        run_stages(&input);
    }

    #[test]
    fn markup_like_inputs_never_panic(
        pieces in proptest::collection::vec((0..PIECES.len(), "[a-zA-Z0-9 ,.()$-]{0,12}"), 0..80),
        html_first in any::<bool>(),
    ) {
        let mut input = String::from(if html_first { "<html><body>" } else { "" });
        for (index, filler) in pieces {
            input.push_str(PIECES.get(index).copied().unwrap_or(""));
            input.push_str(&filler);
        }
        run_stages(input.as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        fixture in 0..FIXTURES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<u8>()), 1..24),
    ) {
        let mut input = FIXTURES.get(fixture).copied().unwrap_or_default().to_vec();
        for (at, kind, byte) in edits {
            if input.is_empty() {
                input.push(byte);
                continue;
            }
            let at = at.index(input.len());
            match kind {
                0 => input.insert(at, byte),
                1 => { input.remove(at); }
                _ => if let Some(slot) = input.get_mut(at) { *slot = byte },
            }
        }
        run_stages(&input);
    }
}
