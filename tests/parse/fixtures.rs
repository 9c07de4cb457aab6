//! Synthetic filings written for these tests (tests/fixtures/parse), each beside an
//! `.expected.json` written by hand: every fact, period and identity field must come out
//! exactly, and nothing else may. An optional `checks_tested` lists identity kinds the fixture
//! is about: each must have been tested, and (as every check) hold.

use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use filings::parse::{ParseOptions, ParsedFiling, parse};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "htm"))
        .collect();
    out.sort();
    out
}

type FactKey = (String, String, String, String, Decimal, String, String);

fn as_str(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())
}

fn extracted_keys(parsed: &ParsedFiling) -> Vec<FactKey> {
    let json = serde_json::to_value(&parsed.facts).expect("facts serialize");
    let mut keys: Vec<FactKey> = json
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                as_str(&f["statement"]),
                as_str(&f["label"]),
                as_str(&f["period"]),
                as_str(&f["basis"]),
                Decimal::from_str(&as_str(&f["value"])).expect("decimal").normalize(),
                as_str(&f["unit"]),
                as_str(&f["status"]),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn expected_keys(doc: &Value) -> Vec<FactKey> {
    let mut keys: Vec<FactKey> = doc["facts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                as_str(&f["statement"]),
                as_str(&f["label"]),
                as_str(&f["period"]),
                as_str(&f["basis"]),
                Decimal::from_str(&as_str(&f["value"])).expect("decimal").normalize(),
                as_str(&f["unit"]),
                as_str(&f["status"]),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Expected facts that name a concept (`"concept": null` included) must carry exactly it: the
/// concept is checked where a fixture is about how a line is named, not everywhere.
fn concept_failures(name: &str, parsed: &ParsedFiling, doc: &Value) -> Vec<String> {
    let json = serde_json::to_value(&parsed.facts).expect("facts serialize");
    let got = json.as_array().cloned().unwrap_or_default();
    let same = |a: &Value, b: &Value| {
        ["statement", "label", "period", "basis"].iter().all(|k| a[k] == b[k])
            && Decimal::from_str(&as_str(&a["value"])).ok()
                == Decimal::from_str(&as_str(&b["value"])).ok()
    };
    let mut failures = Vec::new();
    for want in doc["facts"].as_array().into_iter().flatten() {
        let Some(concept) = want.get("concept") else {
            continue;
        };
        if let Some(fact) = got.iter().find(|f| same(f, want))
            && &fact["concept"] != concept
        {
            failures.push(format!(
                "{name}: `{}` {} has concept {}, expected {concept}",
                as_str(&want["label"]),
                as_str(&want["period"]),
                fact["concept"]
            ));
        }
    }
    failures
}

#[test]
fn every_fixture_parses_to_exactly_its_expected_output() {
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for path in all {
        let expected_path =
            PathBuf::from(format!("{}.expected.json", path.with_extension("").display()));
        let expected: Value = serde_json::from_slice(
            &std::fs::read(&expected_path)
                .unwrap_or_else(|_| panic!("{} has no expected file", path.display())),
        )
        .expect("expected json");
        let parsed =
            parse(&std::fs::read(&path).expect("fixture readable"), &ParseOptions::default());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (got, want) = (extracted_keys(&parsed), expected_keys(&expected));
        for missing in want.iter().filter(|k| !got.contains(k)) {
            failures.push(format!("{name}: missing {missing:?}"));
        }
        for extra in got.iter().filter(|k| !want.contains(k)) {
            failures.push(format!("{name}: unexpected {extra:?}"));
        }
        failures.extend(concept_failures(&name, &parsed, &expected));
        let mut periods: Vec<String> = parsed.periods.iter().map(|p| p.id.clone()).collect();
        periods.sort();
        let want_periods: Vec<String> =
            expected["periods"].as_array().into_iter().flatten().map(as_str).collect();
        if periods != want_periods {
            failures.push(format!("{name}: periods {periods:?}, expected {want_periods:?}"));
        }
        let company = serde_json::to_value(&parsed.company).expect("company serializes");
        let filing = serde_json::to_value(&parsed.filing).expect("filing serializes");
        for (section, got) in [("company", &company), ("filing", &filing)] {
            for (field, value) in expected[section].as_object().into_iter().flatten() {
                if &got[field] != value {
                    failures.push(format!(
                        "{name}: {section}.{field} = {}, expected {value}",
                        got[field]
                    ));
                }
            }
        }
        // identities a fixture is about must have been tested (and, below, hold)
        let kinds = serde_json::to_value(parsed.checks.iter().map(|c| c.kind).collect::<Vec<_>>())
            .expect("check kinds serialize");
        for kind in expected["checks_tested"].as_array().into_iter().flatten() {
            if !kinds.as_array().is_some_and(|k| k.contains(kind)) {
                failures.push(format!("{name}: no {kind} check was tested"));
            }
        }
        if parsed.checks.iter().any(|c| !c.passed) {
            failures.push(format!(
                "{name}: failed checks {:?}",
                parsed
                    .checks
                    .iter()
                    .filter(|c| !c.passed)
                    .map(|c| &c.description)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
