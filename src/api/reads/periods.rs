//! Period references in read requests: canonical ids (`3M-2003-06-30`, `I-2003-06-30`) and
//! fiscal aliases (`FY2003-Q2`, `FY2003-H1`, `FY2003`), resolved against a company's periods.
//!
//! Pure: no database. Durations are matched by length and end date; aliases, whose end date is
//! nominal, match an end within a week of it, so 52/53-week years meet their calendar quarter.

use chrono::{Datelike, Duration, Months, NaiveDate};

/// How far a period's end may sit from a nominal end date and still be that period (a 52/53
/// week year ends up to six days from its calendar month end).
pub const END_TOLERANCE_DAYS: i64 = 7;

/// A fiscal year end as month and day (EDGAR's `MMDD`); December 31 when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalYearEnd {
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
}

impl Default for FiscalYearEnd {
    fn default() -> Self {
        Self { month: 12, day: 31 }
    }
}

impl FiscalYearEnd {
    /// Reads `MMDD`; `None` for anything else.
    pub fn parse(mmdd: &str) -> Option<Self> {
        let month: u32 = mmdd.get(0..2)?.parse().ok()?;
        let day: u32 = mmdd.get(2..4)?.parse().ok()?;
        if mmdd.len() != 4 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(Self { month, day })
    }

    /// `MMDD`.
    pub fn mmdd(self) -> String {
        format!("{:02}{:02}", self.month, self.day)
    }

    /// The last day of fiscal year `year` (the fiscal year that ends in calendar year `year`);
    /// a day past the month's end (0229 in a common year) is clamped to the month's end.
    pub fn end_of(self, year: i32) -> Option<NaiveDate> {
        let last = last_day_of_month(year, self.month)?;
        NaiveDate::from_ymd_opt(year, self.month, self.day.min(last.day()))
    }

    /// Whether the fiscal year ends on the last day of a month (then quarters do too).
    fn at_month_end(self) -> bool {
        // Measured against a common year, so February's end is the 28th and 0229 counts too.
        last_day_of_month(2001, self.month).is_some_and(|d| self.day >= d.day())
    }
}

/// The last day of `month` in `year`.
pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// `date` moved back `months` months; a month-end stays a month-end (March 31 less one month
/// is February 28 or 29; June 30 less three months is March 31).
pub fn months_before(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let moved = date.checked_sub_months(Months::new(months))?;
    if last_day_of_month(date.year(), date.month()) == Some(date) {
        last_day_of_month(moved.year(), moved.month())
    } else {
        Some(moved)
    }
}

/// Instant or duration, as the periods table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    /// A balance-sheet date.
    Instant,
    /// Months ended on a date.
    Duration,
}

/// What a request asks for: a period shape, not yet a stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSpec {
    /// Instant or duration.
    pub kind: PeriodKind,
    /// Length in months (durations only).
    pub months: Option<u32>,
    /// The end (or the instant's date).
    pub end: NaiveDate,
    /// Whether `end` is exact (a canonical id) or nominal (an alias: a week either way).
    pub exact: bool,
    /// As the client wrote it.
    pub written: String,
}

impl PeriodSpec {
    /// The canonical id of this shape (`3M-2003-06-30`, `I-2003-06-30`).
    pub fn canonical_id(&self) -> String {
        canonical_id(self.kind, self.months, self.end)
    }

    /// Whether a stored period is this one.
    pub fn matches(&self, period: &KnownPeriod) -> bool {
        if period.kind != self.kind || period.months != self.months {
            return false;
        }
        if self.exact {
            period.end == self.end
        } else {
            (period.end - self.end).num_days().abs() <= END_TOLERANCE_DAYS
        }
    }

    /// The first day (durations only), counted back from the end.
    pub fn start(&self) -> Option<NaiveDate> {
        let months = self.months?;
        months_before(self.end, months)?.succ_opt()
    }
}

/// Why a period reference could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a period: use an id such as 3M-2003-06-30 (three months ended June 30, 2003), \
     6M-2003-06-30, 12M-2002-12-31 or I-2003-06-30 (an instant), or a fiscal alias such as \
     FY2003-Q2, FY2003-H1, FY2003-H2 or FY2003"
)]
pub struct BadPeriod(pub String);

/// Reads one period reference. Aliases need the company's fiscal year end.
pub fn parse_period(text: &str, fiscal_year_end: FiscalYearEnd) -> Result<PeriodSpec, BadPeriod> {
    let written = text.trim();
    let bad = || BadPeriod(written.chars().take(64).collect());
    let upper = written.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("FY") {
        return parse_alias(rest, fiscal_year_end, written).ok_or_else(bad);
    }
    let (head, date) = upper.split_once('-').ok_or_else(bad)?;
    let end = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad())?;
    if head == "I" {
        return Ok(PeriodSpec {
            kind: PeriodKind::Instant,
            months: None,
            end,
            exact: true,
            written: written.to_owned(),
        });
    }
    let months: u32 = head.strip_suffix('M').and_then(|m| m.parse().ok()).ok_or_else(bad)?;
    if !(1..=120).contains(&months) {
        return Err(bad());
    }
    Ok(PeriodSpec {
        kind: PeriodKind::Duration,
        months: Some(months),
        end,
        exact: true,
        written: written.to_owned(),
    })
}

/// `2003`, `2003-Q2`, `2003-H1`: the part after `FY`.
fn parse_alias(rest: &str, fye: FiscalYearEnd, written: &str) -> Option<PeriodSpec> {
    let (year, part) = match rest.split_once('-') {
        Some((year, part)) => (year, Some(part)),
        None => (rest, None),
    };
    if year.len() != 4 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let year_end = fye.end_of(year)?;
    // (length, months from the end of the period to the end of the fiscal year)
    let (months, before_year_end) = match part {
        None => (12, 0),
        Some("Q1") => (3, 9),
        Some("Q2") => (3, 6),
        Some("Q3") => (3, 3),
        Some("Q4") => (3, 0),
        Some("H1") => (6, 6),
        Some("H2") => (6, 0),
        Some("9M") => (9, 3),
        _ => return None,
    };
    let end = if before_year_end == 0 {
        year_end
    } else if fye.at_month_end() {
        let moved = year_end.checked_sub_months(Months::new(before_year_end))?;
        last_day_of_month(moved.year(), moved.month())?
    } else {
        year_end.checked_sub_months(Months::new(before_year_end))?
    };
    Some(PeriodSpec {
        kind: PeriodKind::Duration,
        months: Some(months),
        end,
        exact: false,
        written: written.to_owned(),
    })
}

/// The canonical id of a period shape.
pub fn canonical_id(kind: PeriodKind, months: Option<u32>, end: NaiveDate) -> String {
    match (kind, months) {
        (PeriodKind::Duration, Some(m)) => format!("{m}M-{end}"),
        _ => format!("I-{end}"),
    }
}

/// A period the company has (a row of the periods table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPeriod {
    /// Row id.
    pub id: i64,
    /// Instant or duration.
    pub kind: PeriodKind,
    /// First day of a duration.
    pub start: Option<NaiveDate>,
    /// Last day, or the instant.
    pub end: NaiveDate,
    /// Length in months (durations).
    pub months: Option<u32>,
}

impl KnownPeriod {
    /// Its canonical id.
    pub fn canonical_id(&self) -> String {
        canonical_id(self.kind, self.months, self.end)
    }

    /// Its fiscal alias under `fye` (`FY2003-Q2`), when it is a fiscal quarter, half, nine
    /// months or year of that calendar.
    pub fn fiscal_alias(&self, fye: FiscalYearEnd) -> Option<String> {
        fiscal_alias(self.kind, self.months, self.end, fye)
    }
}

/// The fiscal alias of a period shape under `fye`, if it has one.
pub fn fiscal_alias(
    kind: PeriodKind,
    months: Option<u32>,
    end: NaiveDate,
    fye: FiscalYearEnd,
) -> Option<String> {
    if kind != PeriodKind::Duration {
        return None;
    }
    let months = months?;
    let parts: &[&str] = match months {
        3 => &["Q1", "Q2", "Q3", "Q4"],
        6 => &["H1", "H2"],
        9 => &["9M"],
        12 => &[""],
        _ => return None,
    };
    // The fiscal year this period falls in ends in the same year as `end` or the next.
    for year in [end.year(), end.year() + 1] {
        for part in parts {
            let alias =
                if part.is_empty() { format!("FY{year}") } else { format!("FY{year}-{part}") };
            let Some(spec) = alias.get(2..).and_then(|rest| parse_alias(rest, fye, &alias)) else {
                continue;
            };
            if spec.months == Some(months)
                && (spec.end - end).num_days().abs() <= END_TOLERANCE_DAYS
            {
                return Some(alias);
            }
        }
    }
    None
}

/// Finds the stored period a spec names: an exact id matches only its own end; an alias takes
/// the closest end within the tolerance.
pub fn find<'a>(spec: &PeriodSpec, periods: &'a [KnownPeriod]) -> Option<&'a KnownPeriod> {
    periods
        .iter()
        .filter(|p| spec.matches(p))
        .min_by_key(|p| ((p.end - spec.end).num_days().abs(), p.id))
}

/// The stored duration of `months` ending within the tolerance of `end`, if any.
pub fn find_duration(periods: &[KnownPeriod], months: u32, end: NaiveDate) -> Option<&KnownPeriod> {
    periods
        .iter()
        .filter(|p| {
            p.kind == PeriodKind::Duration
                && p.months == Some(months)
                && (p.end - end).num_days().abs() <= END_TOLERANCE_DAYS
        })
        .min_by_key(|p| ((p.end - end).num_days().abs(), p.id))
}

/// The date `days` days from `date` (saturating at the calendar's ends).
pub fn shift_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn canonical_ids_read_as_their_shape() {
        let q = parse_period("3M-2003-06-30", FiscalYearEnd::default()).unwrap();
        assert_eq!(
            (q.kind, q.months, q.end, q.exact),
            (PeriodKind::Duration, Some(3), date(2003, 6, 30), true)
        );
        assert_eq!(q.start(), Some(date(2003, 4, 1)));
        let i = parse_period("i-2002-12-31", FiscalYearEnd::default()).unwrap();
        assert_eq!((i.kind, i.months), (PeriodKind::Instant, None));
        assert_eq!(i.canonical_id(), "I-2002-12-31");
    }

    #[test]
    fn malformed_references_are_refused() {
        for text in [
            "",
            "3M",
            "3M-2003-02-30",
            "0M-2003-06-30",
            "Q2-2003",
            "FY03-Q2",
            "FY2003-Q5",
            "ü-2003",
        ] {
            assert!(parse_period(text, FiscalYearEnd::default()).is_err(), "{text}");
        }
    }

    #[test]
    fn aliases_follow_a_calendar_fiscal_year_by_default() {
        let fye = FiscalYearEnd::default();
        let q2 = parse_period("FY2003-Q2", fye).unwrap();
        assert_eq!((q2.months, q2.end, q2.exact), (Some(3), date(2003, 6, 30), false));
        assert_eq!(parse_period("FY2003-H1", fye).unwrap().end, date(2003, 6, 30));
        assert_eq!(parse_period("FY2003-H1", fye).unwrap().months, Some(6));
        assert_eq!(parse_period("fy2003", fye).unwrap().end, date(2003, 12, 31));
        assert_eq!(parse_period("FY2003-Q1", fye).unwrap().end, date(2003, 3, 31));
    }

    #[test]
    fn aliases_follow_the_company_fiscal_year_end() {
        let september = FiscalYearEnd::parse("0930").unwrap();
        assert_eq!(parse_period("FY2004-Q1", september).unwrap().end, date(2003, 12, 31));
        assert_eq!(parse_period("FY2004", september).unwrap().end, date(2004, 9, 30));
        let retail = FiscalYearEnd::parse("0131").unwrap();
        assert_eq!(parse_period("FY2008-Q2", retail).unwrap().end, date(2007, 7, 31));
    }

    #[test]
    fn an_alias_matches_a_52_53_week_quarter_by_date() {
        let retail = FiscalYearEnd::parse("0131").unwrap();
        let stored = KnownPeriod {
            id: 7,
            kind: PeriodKind::Duration,
            start: Some(date(2008, 5, 4)),
            end: date(2008, 8, 2),
            months: Some(3),
        };
        let spec = parse_period("FY2009-Q2", retail).unwrap();
        assert_eq!(find(&spec, std::slice::from_ref(&stored)).map(|p| p.id), Some(7));
        assert_eq!(stored.fiscal_alias(retail).as_deref(), Some("FY2009-Q2"));
        let exact = parse_period("3M-2008-07-31", retail).unwrap();
        assert!(find(&exact, std::slice::from_ref(&stored)).is_none());
    }

    #[test]
    fn fiscal_aliases_name_quarters_halves_and_years() {
        let fye = FiscalYearEnd::default();
        let alias = |months, end| fiscal_alias(PeriodKind::Duration, Some(months), end, fye);
        assert_eq!(alias(3, date(2003, 6, 30)).as_deref(), Some("FY2003-Q2"));
        assert_eq!(alias(6, date(2003, 6, 30)).as_deref(), Some("FY2003-H1"));
        assert_eq!(alias(12, date(2002, 12, 31)).as_deref(), Some("FY2002"));
        assert_eq!(alias(3, date(2003, 5, 15)), None);
        assert_eq!(fiscal_alias(PeriodKind::Instant, None, date(2003, 6, 30), fye), None);
    }

    #[test]
    fn month_ends_stay_month_ends_when_moved_back() {
        assert_eq!(months_before(date(2003, 6, 30), 3), Some(date(2003, 3, 31)));
        assert_eq!(months_before(date(2004, 3, 31), 1), Some(date(2004, 2, 29)));
        assert_eq!(months_before(date(2008, 8, 2), 3), Some(date(2008, 5, 2)));
        assert_eq!(FiscalYearEnd::parse("0229").unwrap().end_of(2003), Some(date(2003, 2, 28)));
        assert_eq!(FiscalYearEnd::parse("1332"), None);
    }
}
