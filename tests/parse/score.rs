//! Matching extracted facts against expected ones, the way the product's accuracy is judged:
//! same period, same basis, same value (USD within half a dollar) and a similar label or the
//! same concept; one extracted fact answers at most one expected fact.

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashSet;
use std::str::FromStr;

/// An expected fact.
#[derive(Debug, Clone)]
pub struct Expected {
    pub label: String,
    pub concept: Option<String>,
    pub period: String,
    pub basis: String,
    pub unit: Option<String>,
    pub value: Decimal,
}

pub fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .ok()
            .or_else(|| Decimal::from_scientific(&n.to_string()).ok()),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

pub fn expected_facts(doc: &Value) -> Vec<Expected> {
    doc["facts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| {
            Some(Expected {
                label: f["label"].as_str().unwrap_or_default().to_owned(),
                concept: f["concept"].as_str().map(str::to_owned),
                period: f["period"].as_str()?.to_uppercase(),
                basis: f["basis"].as_str().unwrap_or("gaap").to_owned(),
                unit: f["unit"].as_str().map(str::to_owned),
                value: decimal(&f["value"])?,
            })
        })
        .collect()
}

fn tokens(label: &str) -> HashSet<String> {
    label
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (tokens(a), tokens(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let inter = a.intersection(&b).count() as f64;
    let union = a.union(&b).count() as f64;
    inter / union >= 0.5
}

/// Expected facts with no extracted match (greedy one-to-one matching).
pub fn misses(expected: &[Expected], extracted: &[filings::parse::Fact]) -> Vec<Expected> {
    let mut used = vec![false; extracted.len()];
    let mut out = Vec::new();
    for e in expected {
        let tol = if e.unit.as_deref().is_none_or(|u| u == "USD") {
            Decimal::new(5, 1)
        } else {
            Decimal::ZERO
        };
        let hit = extracted.iter().enumerate().position(|(i, f)| {
            !used[i]
                && f.period.to_uppercase() == e.period
                && serde_json::to_value(f.basis)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .as_deref()
                    == Some(e.basis.as_str())
                && (f.value - e.value).abs() <= tol
                && (similar(&f.label, &e.label) || (e.concept.is_some() && f.concept == e.concept))
        });
        match hit {
            Some(i) => used[i] = true,
            None => out.push(e.clone()),
        }
    }
    out
}
