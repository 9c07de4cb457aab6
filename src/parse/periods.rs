//! Column headers to periods: durations ("Three months ended", "26 weeks ended", "Year
//! ended"), dates (also garbled OCR ones), bases (GAAP, adjustments, non-GAAP), and the
//! calendar arithmetic for canonical period ids.

use chrono::{Datelike, Duration, NaiveDate};

use super::html::scan::contains_any_ignore_case;
use super::model::{Basis, Period, PeriodKind};

/// A date as far as a header gives it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartialDate {
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub year: Option<i32>,
    /// The month name was recognised only approximately (OCR damage).
    pub fuzzy: bool,
}

/// What one piece of header text says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderFacts {
    /// Duration in months (13 weeks count as 3).
    pub months: Option<u32>,
    /// Duration in weeks, when printed so.
    pub weeks: Option<u32>,
    /// Month-and-day mentions, with a year when one follows.
    pub dates: Vec<PartialDate>,
    /// Four-digit years standing alone (not part of a date).
    pub years: Vec<i32>,
    /// Bases named, left to right.
    pub bases: Vec<Basis>,
    /// A fiscal quarter named by its number ("Q3 2024", "3Q", "Third quarter 2024").
    pub quarter: Option<u32>,
}

impl HeaderFacts {
    /// Whether the text says anything about periods or bases.
    pub fn is_empty(&self) -> bool {
        self.months.is_none()
            && self.dates.is_empty()
            && self.years.is_empty()
            && self.bases.is_empty()
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_exact(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() >= 3 && m.starts_with(w) && (w.len() == 3 || w == "sept"))
        })
        .map(|i| i as u32 + 1)
}

/// The month a word spells with at most one edit: an exact spelling first, else the first
/// month (in calendar order) one edit away.
fn month_fuzzy(word: &str) -> Option<u32> {
    if word.len() < 4 {
        return None;
    }
    // a month name has 3 to 9 letters: a word of 11 chars or more is two or more edits from
    // every one of them
    if word.chars().count() > 10 {
        return None;
    }
    // month names are lower-case ASCII letters: every other char of the word costs an edit
    // (header words are mostly numbers, which this rules out at once)
    if word.chars().filter(|c| !c.is_ascii_lowercase()).nth(1).is_some() {
        return None;
    }
    if let Some(i) = MONTHS.iter().position(|m| *m == word) {
        return Some(i as u32 + 1);
    }
    // one edit changes the length by one at most (month names are ASCII: bytes are chars)
    let chars = word.chars().count();
    MONTHS
        .iter()
        .position(|m| m.len().abs_diff(chars) <= 1 && one_edit_apart(word, m))
        .map(|i| i as u32 + 1)
}

/// Whether the Levenshtein distance over chars between two different strings is exactly 1
/// (`edit_distance(a, b) == 1`, without the table): one char substituted, inserted or deleted.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.chars(), b.chars());
    let (la, lb) = (a.clone().count(), b.clone().count());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    // skip the common prefix; what follows the first difference must then match exactly
    // after one substitution (same lengths) or one char dropped from the longer string
    loop {
        let (x, y) = (a.clone().next(), b.clone().next());
        match (x, y) {
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (None, None) => return false,
            _ => break,
        }
    }
    if la == lb {
        a.next();
        b.next();
    } else if la > lb {
        a.next();
    } else {
        b.next();
    }
    a.eq(b)
}

/// Levenshtein distance over chars (short words only).
pub fn edit_distance(a: &str, b: &str) -> usize {
    levenshtein(a, b, usize::MAX)
}

/// Whether `a` and `b` are at most `k` edits apart (`edit_distance(a, b) <= k`), stopping as
/// soon as the answer is known: labels compared for garbling differ mostly by many edits.
pub fn within_edits(a: &str, b: &str, k: usize) -> bool {
    // the difference in length, and the chars one string has more of than the other, are
    // lower bounds of the distance (each edit changes either by at most one)
    a.chars().count().abs_diff(b.chars().count()) <= k
        && bag_distance(a, b).is_none_or(|d| d <= k)
        && levenshtein(a, b, k) <= k
}

/// The larger of the number of chars `a` has beyond those of `b` and the reverse, counted as
/// multisets; `None` for text that is not ASCII (not worth counting there).
fn bag_distance(a: &str, b: &str) -> Option<usize> {
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let mut counts = [0i32; 128];
    for &c in a.as_bytes() {
        counts[usize::from(c)] += 1;
    }
    for &c in b.as_bytes() {
        counts[usize::from(c)] -= 1;
    }
    let more_in_a: i32 = counts.iter().filter(|&&n| n > 0).sum();
    let more_in_b: i32 = -counts.iter().filter(|&&n| n < 0).sum::<i32>();
    usize::try_from(more_in_a.max(more_in_b)).ok()
}

/// The distance between `a` and `b`, or some distance above `limit` once every way through
/// the table costs more than `limit` (the smallest value of a row never decreases below it).
fn levenshtein(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
        if prev.iter().min().is_some_and(|&m| m > limit) {
            return limit.saturating_add(1);
        }
    }
    prev[b.len()]
}

/// The words of lower-cased header text: runs of letters, digits and `-`.
fn words(lower: &str) -> Vec<&str> {
    lower.split(|c: char| !(c.is_alphanumeric() || c == '-')).filter(|w| !w.is_empty()).collect()
}

fn number_word(w: &str) -> Option<u32> {
    match w {
        "one" => Some(1),
        "three" => Some(3),
        "six" => Some(6),
        "nine" => Some(9),
        "twelve" => Some(12),
        "thirteen" => Some(13),
        "fifty-two" => Some(52),
        "fifty-three" => Some(53),
        "twenty-six" => Some(26),
        "thirty-nine" => Some(39),
        _ => w.parse().ok().filter(|n| (1..=60).contains(n)),
    }
}

/// Months of a period printed as weeks.
pub fn months_from_weeks(weeks: u32) -> Option<u32> {
    match weeks {
        12..=14 => Some(3),
        25..=27 => Some(6),
        38..=40 => Some(9),
        51..=53 => Some(12),
        _ => None,
    }
}

/// Read one piece of header text.
pub fn read_header(text: &str) -> HeaderFacts {
    let mut facts = HeaderFacts::default();
    let lower = text.to_lowercase();
    let ws = words(&lower);
    for (i, w) in ws.iter().enumerate() {
        let next = ws.get(i + 1).copied();
        if matches!(next, Some("months" | "month" | "mos" | "weeks" | "week" | "menths" | "monts"))
            && let Some(n) = number_word(w)
        {
            if next.is_some_and(|n| n.starts_with("week")) {
                facts.weeks = Some(n);
                facts.months = facts.months.or(months_from_weeks(n));
            } else if matches!(n, 1..=12) {
                facts.months = facts.months.or(Some(n));
            }
        }
    }
    // every phrase below holds one of these words; most header text holds none
    if facts.months.is_none()
        && contains_any_ignore_case(&lower, &["month", "quarter", "year", "half"])
    {
        if lower.contains("quarter ended")
            || lower.contains("quarters ended")
            || lower.contains("fourth quarter")
            || lower.contains("three-month")
        {
            facts.months = Some(3);
        } else if lower.contains("six-month")
            || lower.contains("half year")
            || lower.contains("first half")
        {
            facts.months = Some(6);
        } else if lower.contains("nine-month") {
            facts.months = Some(9);
        } else if lower.contains("year ended")
            || lower.contains("years ended")
            || lower.contains("fiscal year")
            || lower.contains("twelve-month")
            || lower.contains("full year")
        {
            facts.months = Some(12);
        }
    }
    // the quarter alone sets no duration: prose above a table ("first-quarter 2022 sales")
    // must not give its columns one; a column's own "Q3 2024" is read by the timeline
    facts.quarter =
        ws.iter().enumerate().find_map(|(i, w)| quarter_word(w, ws.get(i + 1).copied()));
    read_dates(&ws, &mut facts);
    facts.bases = read_bases(&lower);
    facts
}

/// Words of figures summed over the periods before a column's date ("trailing 4-quarters",
/// "last twelve months"): such a column is headed by its last quarter, not its duration.
const TRAILING_WORDS: [&str; 4] = ["trailing", "ttm", "ltm", "last twelve months"];

/// Whether header or caption text says its columns hold trailing sums.
pub fn names_trailing_periods(text: &str) -> bool {
    let lower = text.to_lowercase();
    let ws = words(&lower);
    // a phrase anywhere, a single word only as a whole word ("ltm", not inside another)
    TRAILING_WORDS.iter().any(|w| if w.contains(' ') { lower.contains(w) } else { ws.contains(w) })
}

/// The number of a fiscal quarter a word names: "q3", "3q", or "third" before "quarter".
fn quarter_word(w: &str, next: Option<&str>) -> Option<u32> {
    let digit = |c: Option<char>| c.and_then(|c| c.to_digit(10)).filter(|q| (1..=4).contains(q));
    let mut chars = w.chars();
    let q = match (w.len(), chars.next(), chars.next()) {
        (2, Some('q'), d) => digit(d),
        (2, d @ Some(_), Some('q')) => digit(d),
        _ => None,
    };
    q.or_else(|| {
        let ordinal = ["first", "second", "third", "fourth"].iter().position(|o| *o == w)?;
        (next? == "quarter").then_some(ordinal as u32 + 1)
    })
}

fn read_dates(ws: &[&str], facts: &mut HeaderFacts) {
    let mut used = vec![false; ws.len()];
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        let (month, fuzzy, width) = if let Some(m) = month_exact(w) {
            (Some(m), false, 1)
        } else if let Some(m) = month_fuzzy(w) {
            (Some(m), true, 1)
        } else if let Some(joined) = ws
            .get(i + 1)
            .filter(|n| w.len() >= 3 && could_be_month(w, n))
            .map(|n| format!("{w}{n}"))
            && let Some(m) = month_fuzzy(&joined).or(month_exact(&joined))
        {
            (Some(m), true, 2)
        } else {
            (None, false, 0)
        };
        if let Some(month) = month {
            let mut date = PartialDate { month: Some(month), fuzzy, ..Default::default() };
            let mut j = i + width;
            if let Some(day) =
                ws.get(j).and_then(|d| d.parse::<u32>().ok()).filter(|d| (1..=31).contains(d))
            {
                date.day = Some(day);
                j += 1;
            }
            if let Some(year) = ws.get(j).and_then(|y| parse_year(y)) {
                date.year = Some(year);
                j += 1;
            }
            for u in used.iter_mut().take(j).skip(i) {
                *u = true;
            }
            facts.dates.push(date);
            i = j;
            continue;
        }
        i += 1;
    }
    for (k, w) in ws.iter().enumerate() {
        if !used[k]
            && let Some(year) = parse_year(w)
        {
            facts.years.push(year);
        }
    }
}

/// Whether two words joined could spell a month, exactly or with one edit: at most 10 chars
/// (`month_fuzzy` and `month_exact` answer nothing for longer words), so that the join is not
/// built for every pair of words.
fn could_be_month(w: &str, next: &str) -> bool {
    w.chars().count() + next.chars().count() <= 10
}

fn parse_year(word: &str) -> Option<i32> {
    if word.len() != 4 {
        return None;
    }
    word.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y))
}

/// Bases named in header text, left to right.
pub fn read_bases(lower: &str) -> Vec<Basis> {
    // every basis word holds one of these: most header text names no basis
    if !contains_any_ignore_case(lower, &["gaap", "adj", "justments", "pro forma", "pro-forma"]) {
        return Vec::new();
    }
    let mut found: Vec<(usize, Basis)> = Vec::new();
    let search = |needle: &str, basis: Basis, found: &mut Vec<(usize, Basis)>| {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(needle) {
            let at = from + pos;
            found.push((at, basis));
            from = at + needle.len();
        }
    };
    for needle in
        ["non-gaap", "non gaap", "nongaap", "non-us gaap", "adjusted", "pro forma", "pro-forma"]
    {
        search(needle, Basis::NonGaap, &mut found);
    }
    for needle in ["adjustments", "adjustment", "justments", "adj.", "adjs"] {
        search(needle, Basis::Adjustment, &mut found);
    }
    search("gaap", Basis::Gaap, &mut found);
    // "gaap" inside "non-gaap" is not a GAAP column
    let non_gaap_spans: Vec<(usize, usize)> =
        found.iter().filter(|(_, b)| *b == Basis::NonGaap).map(|(at, _)| (*at, *at + 12)).collect();
    found.retain(|(at, b)| {
        *b != Basis::Gaap || !non_gaap_spans.iter().any(|(s, e)| at > s && at < e)
    });
    // "adjusted" after "non-gaap" on the same header is one column, not two
    found.sort_by_key(|(at, _)| *at);
    found.dedup_by(|b, a| a.1 == b.1 && b.0.saturating_sub(a.0) < 16);
    found.into_iter().map(|(_, b)| b).collect()
}

/// Last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
}

/// First day of a duration of `months` ending on `end` (a month end gives a calendar start;
/// other dates step back by whole weeks: 13 per quarter).
pub fn duration_start(end: NaiveDate, months: u32, weeks: Option<u32>) -> Option<NaiveDate> {
    if let Some(weeks) = weeks {
        return end.checked_sub_signed(Duration::weeks(weeks as i64))?.succ_opt();
    }
    if month_end(end.year(), end.month()) == Some(end) {
        let total = end.year() * 12 + end.month() as i32 - 1 - months as i32 + 1;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        return NaiveDate::from_ymd_opt(y, m, 1);
    }
    // a fiscal calendar of weeks (e.g. "June 26, 2004"): 13 weeks a quarter
    end.checked_sub_signed(Duration::weeks(13 * (months as i64) / 3))?.succ_opt()
}

/// A date as chrono's `%Y-%m-%d` writes it, without chrono's format-string interpreter for the
/// years every filing has (periods are made for each candidate date a column is weighed on).
struct IsoDate(NaiveDate);

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        if (0..=9999).contains(&d.year()) {
            write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
        } else {
            // `%Y` signs years beyond four digits
            write!(f, "{}", d.format("%Y-%m-%d"))
        }
    }
}

/// A duration period.
pub fn duration(end: NaiveDate, months: u32, weeks: Option<u32>) -> Option<Period> {
    let start = duration_start(end, months, weeks)?;
    Some(Period {
        id: format!("{months}M-{}", IsoDate(end)),
        kind: PeriodKind::Duration,
        start: Some(start),
        end,
        months: Some(months),
        fiscal_label: None,
    })
}

/// An instant period.
pub fn instant(date: NaiveDate) -> Period {
    Period {
        id: format!("I-{}", IsoDate(date)),
        kind: PeriodKind::Instant,
        start: None,
        end: date,
        months: None,
        fiscal_label: None,
    }
}

/// Resolve a partial date with a year into a calendar date; a day printed beyond the month's
/// end (OCR) falls back to the month end.
pub fn resolve_date(date: &PartialDate, year: i32) -> Option<NaiveDate> {
    let month = date.month?;
    match date.day {
        Some(day) => NaiveDate::from_ymd_opt(year, month, day).or_else(|| month_end(year, month)),
        None => month_end(year, month),
    }
}

/// Quarter-end dates of the fiscal year ending in `fy` (fiscal year end month `fye_month`).
pub fn fiscal_quarter_end(fy: i32, quarter: u32, fye_month: u32) -> Option<NaiveDate> {
    let offset = (4 - quarter as i32) * 3; // months before the fiscal year end
    let total = fy * 12 + fye_month as i32 - 1 - offset;
    month_end(total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fiscal_quarters_are_read_by_number_and_trailing_sums_told() {
        assert_eq!(read_header("Q3 2024").quarter, Some(3));
        assert_eq!(read_header("4Q").quarter, Some(4));
        assert_eq!(read_header("Second Quarter 1997").quarter, Some(2));
        assert_eq!(read_header("Quarterly data").quarter, None);
        // a quarter alone says no duration (prose above a table names quarters too)
        assert_eq!(read_header("Q3 2024").months, None);
        assert!(names_trailing_periods("FREE CASH FLOW - TRAILING 4-QUARTERS"));
        assert!(!names_trailing_periods("Three months ended June 30, 2024"));
    }

    #[test]
    fn durations_are_read_from_words_and_weeks() {
        assert_eq!(read_header("Three months ended June 30, 2003").months, Some(3));
        assert_eq!(read_header("Six Months Ended").months, Some(6));
        assert_eq!(read_header("26 Weeks Ended").months, Some(6));
        assert_eq!(read_header("13 weeks ended July 3, 2004").weeks, Some(13));
        assert_eq!(read_header("Year Ended December 31,").months, Some(12));
        assert_eq!(read_header("Three menths").months, Some(3));
    }

    #[test]
    fn dates_keep_month_day_and_year() {
        let facts = read_header("June 30, 2003 (Unaudited)");
        assert_eq!(
            facts.dates,
            [PartialDate { month: Some(6), day: Some(30), year: Some(2003), fuzzy: false }]
        );
        let facts = read_header("Three Months Ended June 30,");
        assert_eq!(facts.dates[0].year, None);
        assert_eq!(read_header("2004 2003").years, [2004, 2003]);
    }

    #[test]
    fn garbled_month_names_are_recognised_approximately() {
        let facts = read_header("Three menths andad Mara h 21 2002");
        assert_eq!(facts.months, Some(3));
        assert_eq!(facts.dates.len(), 1);
        assert_eq!(facts.dates[0].month, Some(3));
        assert!(facts.dates[0].fuzzy);
    }

    #[test]
    fn bounded_distances_agree_with_the_full_one() {
        let words = [
            "",
            "a",
            "net sales",
            "net sale",
            "cost of sales",
            "costs of sale",
            "total",
            "tota1 assets",
            "total assets",
            "é",
            "ée",
        ];
        for a in words {
            for b in words {
                for k in 0..6 {
                    assert_eq!(within_edits(a, b, k), edit_distance(a, b) <= k, "{a} {b} {k}");
                }
            }
        }
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn one_edit_apart_agrees_with_the_edit_distance() {
        let words = [
            "",
            "a",
            "may",
            "mai",
            "ma",
            "mays",
            "june",
            "jne",
            "juen",
            "julyy",
            "mara",
            "marh",
            "sptember",
            "septembre",
            "septembers",
            "oct0ber",
            "décembre",
            "décember",
            "ñovember",
            "novemberr",
            "augu",
            "aug",
            "2003",
            "menths",
            "marchh",
            "amarch",
        ];
        for a in words {
            for b in words.iter().chain(MONTHS.iter()) {
                assert_eq!(one_edit_apart(a, b), edit_distance(a, b) == 1, "{a} {b}");
            }
        }
    }

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        for (y, m, day) in
            [(2003, 6, 30), (1999, 1, 1), (5, 2, 3), (0, 12, 31), (-1, 3, 4), (10000, 7, 8)]
        {
            let date = d(y, m, day);
            assert_eq!(IsoDate(date).to_string(), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn bases_are_read_in_order() {
        assert_eq!(
            read_header("US GAAP Adjustments Non-GAAP").bases,
            [Basis::Gaap, Basis::Adjustment, Basis::NonGaap]
        );
        assert_eq!(
            read_header("Three months US GAAP Ad Results justments").bases,
            [Basis::Gaap, Basis::Adjustment]
        );
        assert_eq!(read_header("Non GAAP Results").bases, [Basis::NonGaap]);
    }

    #[test]
    fn period_ids_and_starts_follow_the_calendar() {
        let p = duration(d(2003, 6, 30), 3, None).unwrap();
        assert_eq!(p.id, "3M-2003-06-30");
        assert_eq!(p.start, Some(d(2003, 4, 1)));
        assert_eq!(duration(d(2003, 6, 30), 6, None).unwrap().start, Some(d(2003, 1, 1)));
        assert_eq!(duration(d(2004, 7, 3), 3, Some(13)).unwrap().start, Some(d(2004, 4, 4)));
        assert_eq!(instant(d(2002, 12, 31)).id, "I-2002-12-31");
        assert_eq!(fiscal_quarter_end(2003, 2, 12), Some(d(2003, 6, 30)));
        assert_eq!(fiscal_quarter_end(2004, 3, 9), Some(d(2004, 6, 30)));
    }
}
