//! Derived quarters: a three-month period no filing prints, computed from a longer period that
//! contains it minus the stored periods that cover the rest (a quarter is the six months less the
//! other quarter, the nine months less the six, the year less nine months, ...).
//!
//! Only money is derived: per-share values, share counts, percentages and other units are never
//! computed by subtraction. Inputs are stored facts only (never a value derived here), matched
//! by dates with the same tolerance as fiscal aliases.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::periods::{END_TOLERANCE_DAYS, KnownPeriod, PeriodKind, find_duration, months_before};

/// The only unit derived by subtraction.
pub const DERIVABLE_UNIT: &str = "USD";

/// A stored value a derivation may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredValue {
    /// The value.
    pub value: Decimal,
    /// Its unit.
    pub unit: String,
    /// The fact.
    pub fact_id: i64,
    /// Its filing.
    pub filing_id: i64,
}

/// One input of a derived value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The stored period.
    pub period: KnownPeriod,
    /// `true` to add, `false` to subtract.
    pub added: bool,
    /// The value used.
    pub value: StoredValue,
}

/// A derived quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// The result.
    pub value: Decimal,
    /// The longer period first, then what is subtracted.
    pub terms: Vec<Term>,
}

impl Derived {
    /// `6M-2002-06-30 - 3M-2002-06-30 = 42453000 - 21295000`.
    pub fn formula(&self) -> String {
        let mut ids = String::new();
        let mut values = String::new();
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                let sign = if term.added { " + " } else { " - " };
                ids.push_str(sign);
                values.push_str(sign);
            }
            ids.push_str(&term.period.canonical_id());
            values.push_str(&term.value.value.normalize().to_string());
        }
        format!("{ids} = {values}")
    }
}

/// Derives the quarter ending `end` (three months) from `periods` and the stored value of each
/// (`value_of(period id)`), trying the shortest containing period first; `None` when no
/// containing period is fully covered, or any input is not money.
pub fn derive_quarter(
    end: NaiveDate,
    periods: &[KnownPeriod],
    value_of: impl Fn(i64) -> Option<StoredValue>,
) -> Option<Derived> {
    let mut containers: Vec<&KnownPeriod> = periods
        .iter()
        .filter(|p| p.kind == PeriodKind::Duration && p.months.is_some_and(|m| m > 3 && m % 3 == 0))
        .collect();
    containers.sort_by_key(|p| (p.months, std::cmp::Reverse(p.end), p.id));
    for container in containers {
        let months = container.months.unwrap_or(0);
        // How many months of the container come after the quarter: 0, 3, ... months - 3.
        let Some(after) = (0..months / 3).map(|k| k * 3).find(|&after| {
            months_before(container.end, after)
                .is_some_and(|e| (e - end).num_days().abs() <= END_TOLERANCE_DAYS)
        }) else {
            continue;
        };
        let Some(whole) = value_of(container.id).filter(|v| v.unit == DERIVABLE_UNIT) else {
            continue;
        };
        let before = months - 3 - after;
        let mut covering = Vec::new();
        let covered = cover(after, container.end, periods, &value_of, &mut covering)
            && months_before(end, 3)
                .is_some_and(|e| cover(before, e, periods, &value_of, &mut covering));
        if !covered || covering.iter().any(|t: &Term| t.value.unit != DERIVABLE_UNIT) {
            continue;
        }
        let value = covering.iter().try_fold(whole.value, |acc, t| acc.checked_sub(t.value.value));
        let Some(value) = value else { continue };
        let mut terms = vec![Term { period: container.clone(), added: true, value: whole }];
        terms.extend(covering);
        return Some(Derived { value, terms });
    }
    None
}

/// Covers `months` months ending `end` with stored periods that have values, longest first;
/// pushes them (as subtracted terms) and says whether it succeeded.
fn cover(
    months: u32,
    end: NaiveDate,
    periods: &[KnownPeriod],
    value_of: &impl Fn(i64) -> Option<StoredValue>,
    terms: &mut Vec<Term>,
) -> bool {
    if months == 0 {
        return true;
    }
    let mut length = months;
    while length >= 3 {
        if let Some(period) = find_duration(periods, length, end)
            && let Some(value) = value_of(period.id)
        {
            let mark = terms.len();
            terms.push(Term { period: period.clone(), added: false, value });
            let rest = months_before(end, length)
                .is_some_and(|e| cover(months - length, e, periods, value_of, terms));
            if rest {
                return true;
            }
            terms.truncate(mark);
        }
        length -= 3;
    }
    false
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn duration(id: i64, months: u32, end: NaiveDate) -> KnownPeriod {
        KnownPeriod {
            id,
            kind: PeriodKind::Duration,
            start: months_before(end, months).and_then(|d| d.succ_opt()),
            end,
            months: Some(months),
        }
    }

    fn values(pairs: &[(i64, i64, &str)]) -> HashMap<i64, StoredValue> {
        pairs
            .iter()
            .map(|&(id, v, unit)| {
                let value = StoredValue {
                    value: Decimal::from(v),
                    unit: unit.to_owned(),
                    fact_id: id * 10,
                    filing_id: 1,
                };
                (id, value)
            })
            .collect()
    }

    #[test]
    fn the_first_quarter_is_six_months_less_the_second() {
        let periods = [duration(1, 6, date(2002, 6, 30)), duration(2, 3, date(2002, 6, 30))];
        let known = values(&[(1, 42_453_000, "USD"), (2, 21_295_000, "USD")]);
        let derived = derive_quarter(date(2002, 3, 31), &periods, |id| known.get(&id).cloned())
            .expect("derivable");
        assert_eq!(derived.value, Decimal::from(21_158_000));
        assert_eq!(derived.formula(), "6M-2002-06-30 - 3M-2002-06-30 = 42453000 - 21295000");
    }

    #[test]
    fn the_fourth_quarter_is_the_year_less_nine_months_or_three_quarters() {
        let year = duration(1, 12, date(2003, 12, 31));
        let nine = duration(2, 9, date(2003, 9, 30));
        let known = values(&[
            (1, 100, "USD"),
            (2, 70, "USD"),
            (3, 20, "USD"),
            (4, 25, "USD"),
            (5, 25, "USD"),
        ]);
        let derived =
            derive_quarter(date(2003, 12, 31), &[year.clone(), nine], |id| known.get(&id).cloned())
                .unwrap();
        assert_eq!(derived.value, Decimal::from(30));
        let quarters = [
            year,
            duration(3, 3, date(2003, 3, 31)),
            duration(4, 3, date(2003, 6, 30)),
            duration(5, 3, date(2003, 9, 30)),
        ];
        let derived =
            derive_quarter(date(2003, 12, 31), &quarters, |id| known.get(&id).cloned()).unwrap();
        assert_eq!(derived.value, Decimal::from(30));
        assert_eq!(derived.terms.len(), 4);
    }

    #[test]
    fn per_share_values_and_share_counts_are_never_derived() {
        let periods = [duration(1, 6, date(2002, 6, 30)), duration(2, 3, date(2002, 6, 30))];
        for unit in ["USD/share", "shares", "percent"] {
            let known = values(&[(1, 18, unit), (2, 9, unit)]);
            assert!(
                derive_quarter(date(2002, 3, 31), &periods, |id| known.get(&id).cloned()).is_none()
            );
        }
    }

    #[test]
    fn nothing_is_derived_when_the_rest_is_not_covered() {
        let periods = [duration(1, 9, date(2003, 9, 30)), duration(2, 3, date(2003, 9, 30))];
        let known = values(&[(1, 90, "USD"), (2, 30, "USD")]);
        assert!(
            derive_quarter(date(2003, 6, 30), &periods, |id| known.get(&id).cloned()).is_none()
        );
    }
}
