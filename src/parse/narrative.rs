//! Figures a press release states in words ("Revenues for the second quarter of fiscal 2003
//! were $21.4 million"), used to tell which period an undated table column covers.

use chrono::NaiveDate;
use regex::Regex;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

use super::html::scan::contains_any_ignore_case;
use super::periods;

/// A period phrase: byte range, (months, end) when absolute, and whether it is relative
/// ("the same period last year").
type Phrase = (usize, usize, Option<(u32, NaiveDate)>, bool);

/// One stated figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Concept key of the measure (`revenue`, `net_income`).
    pub concept: String,
    /// Absolute amount in full units.
    pub amount: Decimal,
    /// Half a unit of the last printed digit: how far a table value may be from `amount`.
    pub tolerance: Decimal,
    pub months: u32,
    pub end: NaiveDate,
    /// The words that named the period.
    pub period_text: String,
}

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\$\s?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*(million|billion|thousand)\b")
        .expect("valid regex")
});
static PER_SHARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bor\s+\$\s?\(?\d*\.\d+\)?\s+(?:per|a)\s+(?:diluted\s+|basic\s+)?share\b")
        .expect("valid regex")
});
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(first|second|third|fourth) quarter|first (six|nine) months|(?:full|fiscal) year)(?: of)?(?: fiscal(?: year)?)? (\d{4})\b|\b(same (?:period|quarter) (?:of |in )?(?:last|the prior|the previous|a) year|year.ago (?:period|quarter))")
        .expect("valid regex")
});
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(revenues?|net sales|sales|net loss|net income|net earnings)\b")
        .expect("valid regex")
});

fn concept_of(measure: &str) -> &'static str {
    let m = measure.to_lowercase();
    if m.contains("net loss") || m.contains("net income") || m.contains("net earnings") {
        "net_income"
    } else {
        "revenue"
    }
}

/// Claims in running text. `fye_month` is the fiscal year's last month.
pub fn claims(text: &str, fye_month: u32) -> Vec<Claim> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        if sentence.len() > 2000 || !sentence.contains('$') {
            continue;
        }
        // a claim needs an amount, and every amount names its unit: a sentence without one of
        // the words (masking per-share clauses adds no letters) states none. ASCII only: the
        // patterns also fold a few other letters (a long s) into these words.
        if sentence.is_ascii()
            && !contains_any_ignore_case(sentence, &["million", "billion", "thousand"])
        {
            continue;
        }
        let masked =
            PER_SHARE.replace_all(sentence, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
        let amounts = amounts(&masked);
        // claims are made of amounts: without one, the periods and measures are not looked for
        if amounts.is_empty() {
            continue;
        }
        let phrases: Vec<Phrase> = PERIOD
            .captures_iter(&masked)
            .filter_map(|c| {
                let m = c.get(0)?;
                if c.get(4).is_some() {
                    return Some((m.start(), m.end(), None, true));
                }
                let year: i32 = c.get(3)?.as_str().parse().ok()?;
                let (months, quarter) = if let Some(q) = c.get(1) {
                    let q = match q.as_str().to_lowercase().as_str() {
                        "first" => 1,
                        "second" => 2,
                        "third" => 3,
                        _ => 4,
                    };
                    (3, q)
                } else if let Some(h) = c.get(2) {
                    if h.as_str().eq_ignore_ascii_case("six") { (6, 2) } else { (9, 3) }
                } else {
                    (12, 4)
                };
                let end = periods::fiscal_quarter_end(year, quarter, fye_month)?;
                Some((m.start(), m.end(), Some((months, end)), false))
            })
            .collect();
        let measures: Vec<(usize, &str)> =
            MEASURE.find_iter(&masked).map(|m| (m.start(), m.as_str())).collect();
        let mut last_period: Option<(u32, NaiveDate)> = None;
        for (k, &(start, end, amount, tolerance)) in amounts.iter().enumerate() {
            let prev_end = if k == 0 { 0 } else { amounts[k - 1].1 };
            let next_start = amounts.get(k + 1).map_or(masked.len(), |a| a.0);
            let after = phrases.iter().find(|p| {
                p.0 >= end && p.0 < next_start && masked[end..p.0].split_whitespace().count() <= 2
            });
            let before = phrases.iter().rev().find(|p| p.1 <= start && p.0 >= prev_end);
            let Some(phrase) = after.or(before) else {
                continue;
            };
            let period = match (phrase.2, phrase.3, last_period) {
                (Some(p), _, _) => p,
                (None, true, Some((months, end))) => {
                    let Some(prior) =
                        NaiveDate::from_ymd_opt(end.year_ce().1 as i32 - 1, end.month0() + 1, 1)
                            .and_then(|d| periods::month_end(d.year_ce().1 as i32, d.month0() + 1))
                    else {
                        continue;
                    };
                    (months, prior)
                }
                _ => continue,
            };
            last_period = Some(period);
            let Some(measure) = measures.iter().rev().find(|m| m.0 < start).map(|m| m.1) else {
                continue;
            };
            out.push(Claim {
                concept: concept_of(measure).to_owned(),
                amount,
                tolerance,
                months: period.0,
                end: period.1,
                period_text: masked[phrase.0..phrase.1].to_owned(),
            });
        }
    }
    out
}

/// Amounts with their unit (`$12.4 million`) in masked sentence text: (start, end, amount in
/// full units, half a unit of the last printed digit).
fn amounts(masked: &str) -> Vec<(usize, usize, Decimal, Decimal)> {
    AMOUNT
        .captures_iter(masked)
        .filter_map(|c| {
            let m = c.get(0)?;
            let digits = c.get(1)?.as_str().replace(',', "");
            let unit = match c.get(2)?.as_str().to_lowercase().as_str() {
                "billion" => Decimal::from(1_000_000_000),
                "million" => Decimal::from(1_000_000),
                _ => Decimal::from(1_000),
            };
            let value = Decimal::from_str(&digits).ok()?;
            let tolerance = Decimal::new(5, value.scale() + 1) * unit;
            Some((m.start(), m.end(), value * unit, tolerance))
        })
        .collect()
}

use chrono::Datelike;

/// Sentences: split at a full stop followed by a space and a capital, or at a line break.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|line| {
        // each sentence ends with its full stop; the next one starts with the space after it
        // (a search for the `.` byte alone is the standard library's fast one)
        let bytes = line.as_bytes();
        let mut stops = line.match_indices('.').map(|(at, _)| at).filter(move |&at| {
            bytes.get(at + 1) == Some(&b' ')
                && bytes.get(at + 2).is_some_and(u8::is_ascii_uppercase)
        });
        let mut start = Some(0);
        std::iter::from_fn(move || {
            let from = start?;
            match stops.next() {
                Some(stop) => {
                    start = Some(stop + 1);
                    line.get(from..=stop)
                }
                None => {
                    start = None;
                    line.get(from..)
                }
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn sentences_end_at_a_full_stop_before_a_capital() {
        let got: Vec<&str> = sentences("A b. C d. e f.  G\nH. I.\n\nx. ").collect();
        assert_eq!(got, ["A b.", " C d. e f.  G", "H.", " I.", "", "x. "]);
    }

    #[test]
    fn each_amount_takes_the_period_it_is_stated_for() {
        let text = "Sales for the third quarter of fiscal 2010 were $12.5 million compared with $11.0 million for the second quarter of fiscal 2010 and $9.8 million for the third quarter of fiscal 2009.";
        let claims = claims(text, 12);
        let got: Vec<(String, NaiveDate)> =
            claims.iter().map(|c| (c.amount.normalize().to_string(), c.end)).collect();
        assert_eq!(
            got,
            [
                ("12500000".into(), d(2010, 9, 30)),
                ("11000000".into(), d(2010, 6, 30)),
                ("9800000".into(), d(2009, 9, 30))
            ]
        );
        assert!(claims.iter().all(|c| c.concept == "revenue" && c.months == 3));
    }

    #[test]
    fn per_share_clauses_and_relative_periods_are_understood() {
        let text = "Net income for the first six months of fiscal 2011 was $4.1 million or $0.05 per share compared with $2.0 million in the same period last year.";
        let claims = claims(text, 12);
        assert_eq!(claims.len(), 2);
        assert_eq!(
            (claims[0].months, claims[0].end, claims[0].concept.as_str()),
            (6, d(2011, 6, 30), "net_income")
        );
        assert_eq!((claims[1].months, claims[1].end), (6, d(2010, 6, 30)));
        assert_eq!(claims[1].tolerance, Decimal::from(50_000));
    }
}
