//! Fuzz target: `parse()` must return, never panic, on any bytes in every format.
//!
//! Run from the crate root with a nightly toolchain: `cargo +nightly fuzz run parse`.

#![no_main]

use filings::parse::{InputFormat, ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [
        None,
        Some(InputFormat::Edgar),
        Some(InputFormat::Html),
        Some(InputFormat::Text),
    ] {
        let parsed = parse(data, &ParseOptions { format });
        // spans point back into the input: a span outside it is a bug worth a crash report
        for fact in &parsed.facts {
            assert!(fact.span[0] <= fact.span[1] && fact.span[1] <= data.len());
        }
    }
});
