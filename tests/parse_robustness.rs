//! Robustness of `parse()`: it returns, without panicking, on any input in every format.
//!
//! Property tests feed it arbitrary bytes, arbitrary strings, soups of markup and number
//! tokens, and fixtures (the shared seed when `../shared` is there, and small synthetic filings
//! written here) after random byte flips, deletions, duplicated line ranges and inserted tokens.
//! Deterministic cases feed it the adversarial shapes a real upload could have: deep nesting,
//! very wide tables, huge colspans, one enormous line, endless digits, NUL bytes, invalid UTF-8
//! and multi-megabyte documents. Each result is also checked to be well formed: a forced format
//! is kept and every span lies inside the input.

use std::time::Instant;

use filings::parse::{InputFormat, ParseOptions, ParsedFiling, Span, parse};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

/// Automatic detection and every forced layout.
const FORMATS: [Option<InputFormat>; 4] =
    [None, Some(InputFormat::Edgar), Some(InputFormat::Html), Some(InputFormat::Text)];

/// Cases per property: enough to shake out shallow bugs, few enough for a debug build.
const CASES: u32 = 64;

/// Pieces of the layouts the parser reads, inserted into fixtures and strung into soups.
const TOKENS: &[&str] = &[
    "\t",
    "$",
    "(",
    ")",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<td colspan=\"3\">",
    "<SEC-HEADER>",
    "</SEC-HEADER>",
    "<DOCUMENT>",
    "</DOCUMENT>",
    "<TYPE>EX-99.1\n",
    "<TEXT>",
    "</TEXT>",
    "<TABLE>",
    "</TABLE>",
    "<CAPTION>",
    "<S>",
    "<C>",
    "<PAGE>",
    "<FN>",
    "<pre>",
    "<br>",
    "<html>",
    "&nbsp;",
    "&#151;",
    "&amp;",
    "\n",
    "\r\n",
    "  ",
    "   ",
    "----------",
    "==========",
    " .......... ",
    "1,234",
    "(805, 459)",
    "12.5%",
    "$ 0.42",
    "-",
    "\u{2014}",
    "\u{feff}",
    "Total revenues",
    "Net income (loss)",
    "Three Months Ended",
    "June 30, 2003",
    "(In thousands, except per share data)",
    "GAAP",
    "Adjustments",
    "Non-GAAP",
    "begin 644 file.pdf\n",
];

/// A small EDGAR submission with a plain-text statement, written for these tests.
const SYNTHETIC_EDGAR: &str = "\
<SEC-DOCUMENT>0000000000-03-000001.txt : 20030801
<SEC-HEADER>0000000000-03-000001.hdr.sgml : 20030801
ACCESSION NUMBER:\t\t0000000000-03-000001
CONFORMED SUBMISSION TYPE:\t8-K
CONFORMED PERIOD OF REPORT:\t20030731
FILED AS OF DATE:\t\t20030801
FILER:
\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tQUILLFERN DEVICES INC
\t\tCENTRAL INDEX KEY:\t\t\t0000000001
\t\tIRS NUMBER:\t\t\t\t990000001
\t\tSTATE OF INCORPORATION:\t\t\tDE
\t\tFISCAL YEAR END:\t\t\t1231
</SEC-HEADER>
<DOCUMENT>
<TYPE>EX-99.1
<SEQUENCE>2
<FILENAME>ex99.txt
<DESCRIPTION>PRESS RELEASE
<TEXT>
                    QUILLFERN DEVICES INC
         CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS
            (In thousands, except per share amounts)
<TABLE>
<CAPTION>
                                        Three Months Ended     Six Months Ended
                                             June 30,              June 30,
                                         2003       2002       2003       2002
<S>                                    <C>        <C>        <C>        <C>
Net revenues ........................  $ 12,410   $ 11,020   $ 24,530   $ 21,870
Cost of revenues ....................     5,220      4,870     10,310      9,640
                                       --------   --------   --------   --------
Gross profit ........................     7,190      6,150     14,220     12,230
Operating expenses ..................     6,480      6,900     12,950     13,410
                                       --------   --------   --------   --------
Operating income (loss) .............       710       (750)     1,270     (1,180)
Net income (loss) per share .........  $   0.04   $  (0.05)  $   0.08   $  (0.07)
</TABLE>
<PAGE>
</TEXT>
</DOCUMENT>
";

/// A small HTML exhibit with split parentheses, a lone `$` cell and a GAAP reconciliation.
const SYNTHETIC_HTML: &str = "\
<HTML><BODY>
<P><B>QUILLFERN DEVICES INC</B><BR>Reconciliation of GAAP to Non-GAAP Results<BR>
(In thousands)</P>
<TABLE BORDER=0>
<TR><TD></TD><TD COLSPAN=2 ALIGN=CENTER>Three Months Ended June 30, 2003</TD></TR>
<TR><TD></TD><TD>GAAP</TD><TD>Adjustments</TD><TD>Non-GAAP</TD>
<TR><TD>Net revenues<TD>$<TD ALIGN=RIGHT>12,410<TD>&nbsp;<TD ALIGN=RIGHT>12,410
<TR><TD><FONT SIZE=2>Cost of<BR>revenues</FONT><TD><TD>5,220<TD>(310<TD>)<TD>4,910
<TR><TD><B>Gross profit</B><TD><TD>7,190<TD>310<TD>7,500
<TR><TD>Stock-based compensation<TD><TD>&#151;<TD>(95<TD>)<TD>&#151;
<TR><TD>Net income (loss)<TD>$<TD>(750<TD>)<TD>405<TD>(345)
</TABLE>
<P>Revenue grew to $12.4 million in the second quarter of fiscal 2003.</P>
</BODY></HTML>
";

/// A plain-text statement with tab-separated columns, as PDF extraction prints it.
const SYNTHETIC_TEXT: &str = "\
Condensed Statements of Cash Flows (in thousands)
\tSix months ended\t
\tJune 30, 2003\tJune 30, 2002
Net income\t1,270\t(1,180)
Depreciation and\t
amortization\t640\t610
Net cash provided by (used in)
operating activities\t1,910\t(570)
Cash at end of period\t$ 8,215\t$ 6,305
";

/// Parse `input` in every format and check each result is well formed.
fn parse_every_format(input: &[u8]) {
    for format in FORMATS {
        let parsed = parse(input, &ParseOptions { format });
        assert_well_formed(&parsed, input, format);
    }
}

/// A forced format is kept, and every span lies inside the input, start before end.
fn assert_well_formed(parsed: &ParsedFiling, input: &[u8], format: Option<InputFormat>) {
    if let Some(forced) = format {
        assert_eq!(parsed.format, forced, "forced format not kept");
    }
    let spans = parsed
        .facts
        .iter()
        .map(|f| ("fact", f.span))
        .chain(parsed.statements.iter().map(|s| ("statement", s.span)))
        .chain(parsed.documents.iter().map(|d| ("document", d.span)))
        .chain(parsed.diagnostics.iter().filter_map(|d| d.span.map(|s| ("diagnostic", s))));
    for (owner, span) in spans {
        assert!(
            span_inside(span, input.len()),
            "{owner} span {span:?} outside input of {} bytes (format {format:?})",
            input.len()
        );
    }
}

fn span_inside(span: Span, len: usize) -> bool {
    span[0] <= span[1] && span[1] <= len
}

/// Parse in every format, printing how long it took, so slow shapes show in `--nocapture`.
fn parse_timed(name: &str, input: &[u8], formats: &[Option<InputFormat>]) {
    for &format in formats {
        let started = Instant::now();
        let parsed = parse(input, &ParseOptions { format });
        eprintln!(
            "{name} ({} bytes, format {format:?}): {:.2?}, {} facts, {} diagnostics",
            input.len(),
            started.elapsed(),
            parsed.facts.len(),
            parsed.diagnostics.len()
        );
        assert_well_formed(&parsed, input, format);
    }
}

/// The fixtures that mutations start from: the shared seed when present, and the ones above.
fn fixtures() -> Vec<Vec<u8>> {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/002_a20aa652e07729f8.txt");
    let mut all = vec![
        SYNTHETIC_EDGAR.as_bytes().to_vec(),
        SYNTHETIC_HTML.as_bytes().to_vec(),
        SYNTHETIC_TEXT.as_bytes().to_vec(),
    ];
    match std::fs::read(&seed) {
        Ok(bytes) => all.push(bytes),
        Err(_) => eprintln!("{} is absent: mutating the synthetic fixtures only", seed.display()),
    }
    all
}

/// One random edit of a fixture.
#[derive(Debug, Clone)]
enum Mutation {
    /// Flip one bit of one byte.
    FlipBit { at: Index, bit: u8 },
    /// Replace one byte with any value.
    SetByte { at: Index, byte: u8 },
    /// Remove a run of bytes.
    Delete { at: Index, len: usize },
    /// Copy a range of whole lines right after itself, `times` times.
    DuplicateLines { first: Index, count: usize, times: usize },
    /// Insert one of [`TOKENS`].
    Insert { at: Index, token: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
        (any::<Index>(), 1usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<Index>(), 1usize..12, 1usize..4)
            .prop_map(|(first, count, times)| { Mutation::DuplicateLines { first, count, times } }),
        (any::<Index>(), any::<Index>()).prop_map(|(at, token)| Mutation::Insert { at, token }),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len();
    match *mutation {
        Mutation::FlipBit { at, bit } if len > 0 => bytes[at.index(len)] ^= 1 << bit,
        Mutation::SetByte { at, byte } if len > 0 => bytes[at.index(len)] = byte,
        Mutation::Delete { at, len: n } if len > 0 => {
            let start = at.index(len);
            bytes.drain(start..(start + n).min(len));
        }
        Mutation::DuplicateLines { first, count, times } => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1))
                .collect();
            let line = first.index(starts.len());
            let start = starts[line];
            let end = starts.get(line + count).copied().unwrap_or(len);
            let copy = bytes[start..end].to_vec();
            for _ in 0..times {
                bytes.splice(end..end, copy.iter().copied());
            }
        }
        Mutation::Insert { at, token } => {
            let at = at.index(len + 1);
            let token = TOKENS[token.index(TOKENS.len())].as_bytes();
            bytes.splice(at..at, token.iter().copied());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        // a failing input is saved here and replayed first on the next run
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/parse_robustness.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        parse_every_format(&bytes);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "(?s).{0,2000}") {
        parse_every_format(text.as_bytes());
    }

    #[test]
    fn soups_of_markup_and_numbers_never_panic(
        pieces in prop::collection::vec(
            prop_oneof![
                prop::sample::select(TOKENS).prop_map(str::to_string),
                "[0-9,.()$% -]{1,12}",
                "[A-Za-z ]{1,20}",
            ],
            0..400,
        )
    ) {
        parse_every_format(pieces.concat().as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..24),
    ) {
        let all = fixtures();
        let mut bytes = all[which.index(all.len())].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        parse_every_format(&bytes);
    }
}

#[test]
fn html_nested_ten_thousand_divs_deep_returns() {
    let html = format!(
        "<html><body>{}Net revenues $ 1,234{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    parse_timed("nested divs", html.as_bytes(), &FORMATS);
}

#[test]
fn html_tables_nested_ten_thousand_deep_return() {
    let html = format!(
        "<html><body>{}Net revenues</td><td>1,234{}</body></html>",
        "<table><tr><td>".repeat(10_000),
        "</td></tr></table>".repeat(10_000)
    );
    parse_timed("nested tables", html.as_bytes(), &FORMATS);
}

#[test]
fn html_formatting_tags_nested_ten_thousand_deep_return() {
    // unclosed <font>/<b> inside cells make html5ever reconstruct formatting elements
    let html = format!(
        "<html><body><table><tr><td>Net revenues</td><td>{}1,234</td></tr>\
         <tr><td>Cost</td><td>567</td></tr></table></body></html>",
        "<font size=2><b>".repeat(5_000)
    );
    parse_timed("nested formatting", html.as_bytes(), &FORMATS);
}

#[test]
fn html_table_with_twenty_thousand_columns_returns() {
    let header: String =
        (0..20_000).map(|i| format!("<td>June 30, {}</td>", 1990 + i % 30)).collect();
    let row: String = (0..20_000).map(|i| format!("<td>{},{:03}</td>", i, i % 1000)).collect();
    let html = format!(
        "<html><body><p>(In thousands)</p><table><tr><td></td>{header}</tr>\
         <tr><td>Net revenues</td>{row}</tr><tr><td>Total revenues</td>{row}</tr>\
         </table></body></html>"
    );
    parse_timed("20,000 html columns", html.as_bytes(), &FORMATS);
}

#[test]
fn text_table_with_twenty_thousand_columns_returns() {
    let header: String = (0..20_000).map(|i| format!("\t{}", 1990 + i % 30)).collect();
    let row: String = (0..20_000).map(|i| format!("\t{},{:03}", i, i % 1000)).collect();
    let text = format!(
        "Statements of Operations (in thousands)\n{header}\nNet revenues{row}\n\
         Cost of revenues{row}\nGross profit{row}\n"
    );
    parse_timed("20,000 text columns", text.as_bytes(), &FORMATS);
}

#[test]
fn huge_colspan_and_rowspan_return() {
    let html = "<html><body><table>\
        <tr><td></td><td colspan=\"2147483647\">Three Months Ended</td></tr>\
        <tr><td rowspan=\"999999999\">Net revenues</td><td colspan=99999999>1,234</td></tr>\
        <tr><td colspan=-5>Cost</td><td colspan=1e9>567</td></tr>\
        </table></body></html>";
    parse_timed("huge colspan", html.as_bytes(), &FORMATS);
}

#[test]
fn five_megabyte_single_line_returns() {
    let unit = "Net revenues $ 1,234 (567) \t 8.9% -- ";
    let line = unit.repeat(5 * 1024 * 1024 / unit.len());
    parse_timed("5 MB line", line.as_bytes(), &FORMATS);
}

#[test]
fn number_with_four_hundred_digits_returns() {
    let digits: String = (0..400).map(|i| char::from(b'0' + (i % 10) as u8)).collect();
    let grouped: String =
        (0..400 / 3).map(|i| format!("{:03}", i % 1000)).collect::<Vec<_>>().join(",");
    let text = format!(
        "Statements of Operations (in millions)\n\
         \x20                         Three Months Ended\n\
         \x20                         June 30, 2003     June 30, 2002\n\
         Net revenues              $ {digits}     $ 1,234\n\
         Cost of revenues            ({grouped})     567\n\
         Gross profit                0.{digits}     667\n\
         Total                       {digits}.{digits}     1{digits}\n"
    );
    parse_timed("400 digits, text", text.as_bytes(), &FORMATS);
    let html = format!(
        "<html><body><p>(In thousands)</p><table><tr><td></td><td>2003</td><td>2002</td></tr>\
         <tr><td>Net revenues</td><td>$</td><td>{digits}</td><td>({grouped}</td><td>)</td></tr>\
         <tr><td>Total</td><td>{digits}.{digits}</td><td>1</td></tr></table></body></html>"
    );
    parse_timed("400 digits, html", html.as_bytes(), &FORMATS);
}

#[test]
fn nul_bytes_return() {
    parse_timed("all NUL", &[0u8; 64 * 1024], &FORMATS);
    let with_nuls: Vec<u8> = SYNTHETIC_EDGAR
        .bytes()
        .flat_map(|b| [b, 0])
        .chain(SYNTHETIC_HTML.bytes().flat_map(|b| [0, b]))
        .collect();
    parse_timed("NUL-interleaved", &with_nuls, &FORMATS);
}

#[test]
fn invalid_utf8_returns() {
    let mut bytes = Vec::new();
    for (i, line) in SYNTHETIC_EDGAR.lines().enumerate() {
        bytes.extend_from_slice(line.as_bytes());
        // lone continuation bytes, truncated sequences, overlongs, surrogates, cp1252 dashes
        let junk: &[u8] = match i % 6 {
            0 => &[0x80, 0xBF],
            1 => &[0xE2, 0x82],
            2 => &[0xC0, 0xAF],
            3 => &[0xED, 0xA0, 0x80],
            4 => &[0x97, 0x96, 0xA0],
            _ => &[0xFF, 0xFE, 0xF0, 0x9F],
        };
        bytes.extend_from_slice(junk);
        bytes.push(b'\n');
    }
    parse_timed("invalid UTF-8 text", &bytes, &FORMATS);
    let mut html = SYNTHETIC_HTML.as_bytes().to_vec();
    for i in (0..html.len()).step_by(7).rev() {
        html.insert(i, 0x97);
    }
    parse_timed("cp1252 HTML", &html, &FORMATS);
    parse_timed("UTF-16 BOM", &[0xFF, 0xFE, b'<', 0, b'h', 0, 0xD8, 0x3D], &FORMATS);
}

#[test]
fn three_megabyte_text_filing_returns() {
    let target = 3 * 1024 * 1024;
    let text = SYNTHETIC_EDGAR.repeat(target / SYNTHETIC_EDGAR.len() + 1);
    parse_timed("3 MB EDGAR text", text.as_bytes(), &[None]);
}

#[test]
fn three_megabyte_html_filing_returns() {
    // the shape of a long report: mostly prose, a statement table every ~30 KB
    let paragraph = "<p>Revenue for the quarter rose on higher unit sales in every region, \
        while operating expenses grew more slowly than revenue; see the tables below.</p>\n";
    let section = format!("{}{SYNTHETIC_HTML}", paragraph.repeat(200));
    let html = section.repeat(3 * 1024 * 1024 / section.len() + 1);
    parse_timed("3 MB HTML report", html.as_bytes(), &[None, Some(InputFormat::Html)]);
}

#[test]
#[ignore = "slow, not stuck: 3 MB of back-to-back statement tables (~52,000 facts) takes 19 s \
            alone, 30-40 s beside the other tests, in a debug build (linear, ~6 s per MB); ~80% \
            of it is periods::month_fuzzy -> edit_distance, reached from statements::build via \
            periods::read_header/read_dates; html::read is under 5%"]
fn three_megabyte_html_of_dense_tables_returns() {
    let target = 3 * 1024 * 1024;
    let html = SYNTHETIC_HTML.repeat(target / SYNTHETIC_HTML.len() + 1);
    parse_timed("3 MB dense HTML tables", html.as_bytes(), &[None]);
}
