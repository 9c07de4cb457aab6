//! The seed filing and the corpus in `../shared`: accuracy against hand-checked truth.

use std::path::PathBuf;

use super::score::{expected_facts, misses};
use filings::parse::{FactStatus, ParseOptions, parse};

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: ../shared not found beside the project (seed and corpus tests need it)"
        );
        None
    }
}

const SEED: &str = "seed/002_a20aa652e07729f8";

#[test]
fn seed_facts_are_at_least_98_percent_exact() {
    let Some(dir) = shared() else { return };
    let input = std::fs::read(dir.join(format!("{SEED}.txt"))).expect("seed readable");
    let truth: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join(format!("{SEED}.expected.json"))).expect("truth readable"),
    )
    .expect("truth is json");
    let parsed = parse(&input, &ParseOptions::default());
    let expected = expected_facts(&truth);
    let missed = misses(&expected, &parsed.facts);
    for m in &missed {
        eprintln!(
            "missed: {} {} {} {} = {}",
            m.period,
            m.basis,
            m.concept.as_deref().unwrap_or("-"),
            m.label,
            m.value
        );
    }
    let exact = expected.len() - missed.len();
    eprintln!("seed: {exact}/{} exact, {} facts extracted", expected.len(), parsed.facts.len());
    assert!(
        exact * 100 >= expected.len() * 98,
        "only {exact} of {} expected facts exact",
        expected.len()
    );
}

#[test]
fn seed_periods_have_the_right_dates() {
    let Some(dir) = shared() else { return };
    let input = std::fs::read(dir.join(format!("{SEED}.txt"))).expect("seed readable");
    let parsed = parse(&input, &ParseOptions::default());
    let mut ids: Vec<&str> = parsed.periods.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "3M-2002-06-30",
            "3M-2003-03-31",
            "3M-2003-06-30",
            "6M-2002-06-30",
            "6M-2003-06-30",
            "I-2002-12-31",
            "I-2003-06-30"
        ]
    );
}

#[test]
fn seed_noise_lines_do_not_become_facts() {
    let Some(dir) = shared() else { return };
    let input = std::fs::read(dir.join(format!("{SEED}.txt"))).expect("seed readable");
    let parsed = parse(&input, &ParseOptions::default());
    for f in &parsed.facts {
        let printed = f.as_printed.replace(['$', ' '], "");
        assert!(
            !["000", "401", "00.170", "200,124", "3,330", "(3,330)", "(720)"]
                .contains(&printed.as_str()),
            "noise became a fact: {f:?}"
        );
    }
}

#[test]
fn seed_values_missing_from_the_text_are_derived_and_the_garbled_total_corrected() {
    let Some(dir) = shared() else { return };
    let input = std::fs::read(dir.join(format!("{SEED}.txt"))).expect("seed readable");
    let parsed = parse(&input, &ParseOptions::default());
    let derived: Vec<_> = parsed.facts.iter().filter(|f| f.status == FactStatus::Derived).collect();
    assert_eq!(derived.len(), 2, "derived: {derived:#?}");
    assert!(derived.iter().all(|f| f.formula.is_some()));
    let corrected: Vec<_> =
        parsed.facts.iter().filter(|f| f.status == FactStatus::Corrected).collect();
    assert!(
        corrected
            .iter()
            .any(|f| f.concept.as_deref() == Some("cost_of_revenue") && f.as_printed == "8,703"),
        "corrected: {corrected:#?}"
    );
}

/// A MANIFEST period ("13 weeks ended 2004-07-03", "three months ended ...", "FY ended ...",
/// "as of ...") as a period id; `None` for anything else (narrative dates).
fn manifest_period(text: &str) -> Option<String> {
    let t = text.trim().to_lowercase();
    let date = t.split_whitespace().last().filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-')?;
    if t.starts_with("as of") {
        return Some(format!("I-{date}"));
    }
    if t.starts_with("fy ended") {
        return Some(format!("12M-{date}"));
    }
    let first = t.split_whitespace().next()?;
    let n: u32 = match first {
        "three" => 3,
        "six" => 6,
        "nine" => 9,
        "twelve" => 12,
        other => other.parse().ok()?,
    };
    let months = if t.contains("weeks") {
        match n {
            12..=14 => 3,
            25..=27 => 6,
            38..=40 => 9,
            51..=53 => 12,
            _ => return None,
        }
    } else {
        n
    };
    Some(format!("{months}M-{date}"))
}

#[test]
fn corpus_key_figures_are_found() {
    let Some(dir) = shared() else { return };
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("corpus/MANIFEST.json")).expect("manifest readable"),
    )
    .expect("manifest is json");
    let (mut total, mut found) = (0usize, 0usize);
    for entry in manifest["entries"].as_array().into_iter().flatten() {
        let file = entry["file"].as_str().unwrap_or_default();
        let parsed = parse(
            &std::fs::read(dir.join("corpus").join(file)).expect("corpus file readable"),
            &ParseOptions::default(),
        );
        if entry["statements_present"].as_array().is_some_and(|s| s.is_empty()) {
            assert!(parsed.facts.is_empty(), "{file}: no tables, yet facts");
            assert!(
                parsed.diagnostics.iter().any(|d| d.code == "no_financial_tables"),
                "{file}: no diagnostic says why it is empty"
            );
            continue;
        }
        for figure in entry["key_figures"].as_array().into_iter().flatten() {
            let Some(period) = figure["period"].as_str().and_then(manifest_period) else {
                continue;
            };
            let scale = figure["scale"].as_str().unwrap_or_default().to_lowercase();
            let multiplier = match () {
                _ if scale.starts_with("thousands") => rust_decimal::Decimal::from(1_000),
                _ if scale.starts_with("millions") => rust_decimal::Decimal::from(1_000_000),
                _ if scale.starts_with("billions") => rust_decimal::Decimal::from(1_000_000_000),
                _ => rust_decimal::Decimal::ONE,
            };
            let Some(value) = super::score::decimal(&figure["value"]).map(|v| v * multiplier)
            else {
                continue;
            };
            total += 1;
            let hit = parsed.facts.iter().any(|f| {
                f.period == period && (f.value - value).abs() <= rust_decimal::Decimal::new(5, 1)
            });
            if hit {
                found += 1;
            } else {
                eprintln!("{file}: not found: {} = {value} ({period})", figure["label"]);
            }
        }
    }
    eprintln!("corpus: {found}/{total} key figures found (value and period)");
    // the bar: nine in ten key figures across every layout; the misses are printed above
    assert!(found * 10 >= total * 9, "only {found} of {total} key figures found");
}

#[test]
fn seed_fact_spans_point_at_the_printed_values() {
    let Some(dir) = shared() else { return };
    let input = std::fs::read(dir.join(format!("{SEED}.txt"))).expect("seed readable");
    let parsed = parse(&input, &ParseOptions::default());
    for f in parsed.facts.iter().filter(|f| f.status != FactStatus::Derived) {
        let printed =
            input.get(f.span[0]..f.span[1]).map(String::from_utf8_lossy).unwrap_or_default();
        assert_eq!(printed, f.as_printed, "span of {} {} {:?}", f.label, f.period, f.basis);
    }
}
