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
    eprintln!(
        "seed: {exact}/{} exact, {} facts extracted",
        expected.len(),
        parsed.facts.len()
    );
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
            ![
                "000", "401", "00.170", "200,124", "3,330", "(3,330)", "(720)"
            ]
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
    let derived: Vec<_> = parsed
        .facts
        .iter()
        .filter(|f| f.status == FactStatus::Derived)
        .collect();
    assert_eq!(derived.len(), 2, "derived: {derived:#?}");
    assert!(derived.iter().all(|f| f.formula.is_some()));
    let corrected: Vec<_> = parsed
        .facts
        .iter()
        .filter(|f| f.status == FactStatus::Corrected)
        .collect();
    assert!(
        corrected
            .iter()
            .any(|f| f.concept.as_deref() == Some("cost_of_revenue") && f.as_printed == "8,703"),
        "corrected: {corrected:#?}"
    );
}
