//! Value columns of an aligned table, from character positions.
//!
//! With an `<S>` line, its `<C>` tags give each column's start and a value belongs to the column
//! its right edge falls in (numbers are right-aligned). Without one, the columns are the runs of
//! character positions that values cover across the table's lines, where values printed one
//! space apart count as one (PDF text merges rows into one cell that way); a column that holds
//! two such values of the same line is cut at the least-covered position between them, until no
//! line has two in one column.

/// Widest table read, in display columns; tokens further right are clamped to it.
const MAX_WIDTH: usize = 4096;
/// Width given to a tag column no value fell in.
const MARK_WIDTH: usize = 8;
/// Most passes made while separating columns that touch.
const MAX_PASSES: usize = 32;
/// Most value columns a table is cut into.
const MAX_COLUMNS: usize = 256;
/// How far, in display columns, a right-aligned value may end from its column's right edge.
pub(super) const EDGE_SLACK: usize = 1;

/// A value token's display columns `[start, end)`, with the index of its line in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Extent {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// The value columns of one table, left to right (value column `k` is grid column `k + 1`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Columns {
    /// Each column's interval for assigning tokens.
    bounds: Vec<(usize, usize)>,
    /// Each column's printed extent: the union of its tokens.
    pub extents: Vec<(usize, usize)>,
    /// Each column's right edge: where most of its tokens end (a row printed out of line, or a
    /// number merged before another, does not move it).
    pub edges: Vec<usize>,
    /// Assign by right edge (tag columns) rather than by overlap.
    by_right_edge: bool,
}

impl Columns {
    /// Number of value columns.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// The value column a token belongs to: the one its right edge is in (numbers are
    /// right-aligned), else the one it overlaps most, else the nearest.
    pub fn assign(&self, start: usize, end: usize) -> Option<usize> {
        if self.bounds.is_empty() {
            return None;
        }
        let edge = end.saturating_sub(1).max(start);
        // Bounds are sorted and disjoint: look at the last one starting at or before the edge.
        let before = self.bounds.partition_point(|&(s, _)| s <= edge);
        if let Some(k) = before.checked_sub(1)
            && self.bounds.get(k).is_some_and(|&(_, e)| edge < e)
        {
            return Some(k);
        }
        if self.by_right_edge {
            return Some(before.saturating_sub(1));
        }
        let mut best = None;
        let mut best_overlap = 0;
        for (k, &(s, e)) in self.bounds.iter().enumerate() {
            let overlap = end.min(e).saturating_sub(start.max(s));
            if overlap > best_overlap {
                best = Some(k);
                best_overlap = overlap;
            }
        }
        best.or_else(|| self.nearest(start, end))
    }

    /// The column closest to `[start, end)` when it overlaps none.
    fn nearest(&self, start: usize, end: usize) -> Option<usize> {
        self.bounds
            .iter()
            .enumerate()
            .min_by_key(|&(_, &(s, e))| if end <= s { s - end } else { start.saturating_sub(e) })
            .map(|(k, _)| k)
    }

    /// The column whose right edge is at `end` (within a column).
    pub fn edge_at(&self, end: usize) -> Option<usize> {
        self.edges.iter().position(|&e| end.abs_diff(e) <= EDGE_SLACK)
    }

    /// Where values start: the left edge of the first column's printed values.
    pub fn zone_start(&self) -> Option<usize> {
        self.extents.first().map(|&(s, _)| s)
    }
}

/// Columns from the `<C>` tag positions, if every line's tokens land in distinct columns.
pub(super) fn from_marks(marks: &[usize], tokens: &[Extent]) -> Option<Columns> {
    // Tags out of order, or more than a table has columns, are not column starts.
    let sorted = marks.windows(2).all(|w| w[0] < w[1]);
    if marks.is_empty() || tokens.is_empty() || marks.len() > MAX_COLUMNS || !sorted {
        return None;
    }
    let mut bounds: Vec<(usize, usize)> = marks.windows(2).map(|w| (w[0], w[1])).collect();
    bounds.push((marks[marks.len() - 1], usize::MAX));
    let mut columns =
        Columns { bounds, extents: Vec::new(), edges: Vec::new(), by_right_edge: true };
    if has_conflict(&columns, tokens) {
        return None;
    }
    columns.extents = extents(&columns, tokens);
    // A tag column no value fell in still has a place for its headers.
    for (extent, &(s, e)) in columns.extents.iter_mut().zip(&columns.bounds) {
        if extent.1 <= extent.0 {
            *extent = (s, e.min(s.saturating_add(MARK_WIDTH)));
        }
    }
    columns.edges = edges(&columns, tokens);
    Some(columns)
}

/// Columns from where the values sit. `runs` place them: each is a line's tokens printed one
/// space apart (several rows' numbers merged into one column, or columns packed tight), in line
/// order; `tokens` are the single values, which give each column its printed extent. A run
/// that spans two columns (as other lines show them) falls apart between them by its tokens.
pub(super) fn cluster(runs: &[Extent], tokens: &[Extent]) -> Columns {
    let width = runs.iter().map(|t| t.end.min(MAX_WIDTH)).max().unwrap_or(0);
    let mut coverage = vec![0u32; width + 1];
    for t in runs {
        for c in coverage.iter_mut().take(t.end.min(MAX_WIDTH)).skip(t.start.min(MAX_WIDTH)) {
            *c += 1;
        }
    }
    let mut bounds = Vec::new();
    let mut run_start = None;
    for (c, &n) in coverage.iter().enumerate() {
        match (n > 0, run_start) {
            (true, None) => run_start = Some(c),
            (false, Some(s)) => {
                bounds.push((s, c));
                run_start = None;
            }
            _ => {}
        }
    }
    // More runs than a table has columns is not a table's layout: one column, then.
    if bounds.len() > MAX_COLUMNS
        && let (Some(&(first, _)), Some(&(_, last))) = (bounds.first(), bounds.last())
    {
        bounds = vec![(first, last)];
    }
    let mut columns =
        Columns { bounds, extents: Vec::new(), edges: Vec::new(), by_right_edge: false };
    for _ in 0..MAX_PASSES {
        let conflicts = conflicts(&columns, runs);
        if conflicts.is_empty() || columns.bounds.len() >= MAX_COLUMNS {
            break;
        }
        // One cut per column and pass, at the least-covered position between the first two
        // tokens found sharing it (the middle of a tie).
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for (k, left, right) in conflicts {
            if cuts.iter().any(|&(ck, _)| ck == k) {
                continue;
            }
            let lo = left.end.min(width);
            let hi = right.start.min(width).max(lo);
            let depth = |p: usize| coverage.get(p).copied().unwrap_or(0);
            let min = (lo..=hi).map(depth).min().unwrap_or(0);
            let lows: Vec<usize> = (lo..=hi).filter(|&p| depth(p) == min).collect();
            let cut = lows.get(lows.len() / 2).copied().unwrap_or(lo);
            cuts.push((k, cut));
        }
        cuts.sort_unstable();
        for &(k, cut) in cuts.iter().rev() {
            let Some(&(s, e)) = columns.bounds.get(k) else {
                continue;
            };
            if s < cut && cut < e {
                columns.bounds[k] = (s, cut);
                columns.bounds.insert(k + 1, (cut, e));
            }
        }
    }
    columns.extents = extents(&columns, tokens);
    // Drop columns no token ended up in.
    let keep: Vec<bool> = columns.extents.iter().map(|&(s, e)| e > s).collect();
    let mut k = 0;
    columns.bounds.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    columns.extents.retain(|&(s, e)| e > s);
    columns.edges = edges(&columns, tokens);
    columns
}

/// Where most of each column's tokens end (the larger end on a tie; the extent's end for a
/// column without tokens).
fn edges(columns: &Columns, tokens: &[Extent]) -> Vec<usize> {
    let mut ends: Vec<(usize, usize)> =
        tokens.iter().filter_map(|t| Some((columns.assign(t.start, t.end)?, t.end))).collect();
    ends.sort_unstable();
    let mut out: Vec<usize> = columns.extents.iter().map(|e| e.1).collect();
    let mut counts = vec![0usize; out.len()];
    for group in ends.chunk_by(|a, b| a == b) {
        let Some(&(k, end)) = group.first() else { continue };
        if let (Some(edge), Some(count)) = (out.get_mut(k), counts.get_mut(k))
            && group.len() >= *count
        {
            *edge = end;
            *count = group.len();
        }
    }
    out
}

/// Two tokens of one line that fall in the same column, if any (left one first).
fn has_conflict(columns: &Columns, tokens: &[Extent]) -> bool {
    let mut previous: Option<(Extent, Option<usize>)> = None;
    for &t in tokens {
        let k = columns.assign(t.start, t.end);
        if let Some((p, pk)) = previous
            && p.line == t.line
            && pk == k
        {
            return true;
        }
        previous = Some((t, k));
    }
    false
}

/// Every pair of same-line neighbours sharing a column: (column, left token, right token).
fn conflicts(columns: &Columns, tokens: &[Extent]) -> Vec<(usize, Extent, Extent)> {
    let mut out = Vec::new();
    let mut previous: Option<(Extent, Option<usize>)> = None;
    for &t in tokens {
        let k = columns.assign(t.start, t.end);
        if let Some((p, Some(pk))) = previous
            && p.line == t.line
            && Some(pk) == k
        {
            out.push((pk, p, t));
        }
        previous = Some((t, k));
    }
    out
}

fn extents(columns: &Columns, tokens: &[Extent]) -> Vec<(usize, usize)> {
    let mut out = vec![(usize::MAX, 0usize); columns.len()];
    for t in tokens {
        if let Some(slot) = columns.assign(t.start, t.end).and_then(|k| out.get_mut(k)) {
            slot.0 = slot.0.min(t.start);
            slot.1 = slot.1.max(t.end);
        }
    }
    for slot in &mut out {
        if slot.0 > slot.1 {
            *slot = (0, 0);
        }
    }
    out
}

/// Place a header chunk `[start, end)` over the value columns: the first column and how many
/// it spans. A chunk spans every column whose values it covers a third of or more, and two
/// neighbouring columns it overlaps when it is centred between them (`For the 26` over two
/// year columns); otherwise it goes to the column it overlaps most, or the nearest one.
pub(super) fn place_header(columns: &Columns, start: usize, end: usize) -> Option<(usize, usize)> {
    let overlap = |&(s, e): &(usize, usize)| end.min(e).saturating_sub(start.max(s));
    let covered: Vec<usize> = columns
        .extents
        .iter()
        .enumerate()
        .filter(|&(_, ext)| ext.1 > ext.0 && overlap(ext) > 0 && overlap(ext) * 3 >= ext.1 - ext.0)
        .map(|(k, _)| k)
        .collect();
    if let (Some(&first), Some(&last)) = (covered.first(), covered.last())
        && last > first
    {
        return Some((first, last - first + 1));
    }
    // Centred between two neighbours it overlaps (centres doubled to stay in integers).
    let centre = start + end;
    for (k, pair) in columns.extents.windows(2).enumerate() {
        let (left, right) = (pair[0], pair[1]);
        if overlap(&left) == 0 || overlap(&right) == 0 {
            continue;
        }
        let (lc, rc) = (left.0 + left.1, right.0 + right.1);
        let quarter = rc.saturating_sub(lc) / 4;
        if centre >= lc + quarter && centre + quarter <= rc {
            return Some((k, 2));
        }
    }
    if let Some(&only) = covered.first() {
        return Some((only, 1));
    }
    let mut best = None;
    let mut best_overlap = 0;
    for (k, ext) in columns.extents.iter().enumerate() {
        if overlap(ext) > best_overlap {
            best = Some(k);
            best_overlap = overlap(ext);
        }
    }
    best.or_else(|| {
        columns
            .extents
            .iter()
            .enumerate()
            .filter(|&(_, &(s, e))| e > s)
            .min_by_key(|&(_, &(s, e))| if end <= s { s - end } else { start.saturating_sub(e) })
            .map(|(k, _)| k)
    })
    .map(|k| (k, 1))
}

/// The one column a piece of header text sits over: it overlaps no other column and covers at
/// least half of its own width with that column's values.
pub(super) fn fits_one(columns: &Columns, start: usize, end: usize) -> Option<usize> {
    let mut found = None;
    for (k, &(s, e)) in columns.extents.iter().enumerate() {
        let overlap = end.min(e).saturating_sub(start.max(s));
        if overlap == 0 {
            continue;
        }
        if found.is_some() || overlap * 2 < end.saturating_sub(start) {
            return None;
        }
        found = Some(k);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(line: usize, start: usize, end: usize) -> Extent {
        Extent { line, start, end }
    }

    #[test]
    fn right_aligned_values_cluster_into_columns() {
        // "  $1,234   $  987" / "     12      (45)"
        let tokens = [ext(0, 2, 8), ext(0, 11, 17), ext(1, 5, 7), ext(1, 13, 17)];
        let columns = cluster(&tokens, &tokens);
        assert_eq!(columns.extents, [(2, 8), (11, 17)]);
        assert_eq!(columns.assign(5, 7), Some(0));
        assert_eq!(columns.assign(13, 17), Some(1));
    }

    #[test]
    fn touching_columns_are_cut_where_a_line_shows_two_values() {
        // Line 0 has one wide value bridging the gap that line 1 shows.
        let tokens = [ext(0, 0, 9), ext(1, 0, 4), ext(1, 6, 9), ext(2, 1, 4), ext(2, 7, 9)];
        let columns = cluster(&tokens, &tokens);
        assert_eq!(columns.len(), 2);
        assert_eq!(columns.assign(1, 4), Some(0));
        assert_eq!(columns.assign(7, 9), Some(1));
        assert_eq!(
            columns.assign(0, 9),
            Some(1),
            "the straddling token goes where its right end is"
        );
    }

    #[test]
    fn numbers_merged_one_space_apart_stay_in_one_column() {
        // "  9,880 4,215      8,310 3,990" over "       54,215           47,700"
        let runs = [ext(0, 2, 13), ext(0, 19, 30), ext(1, 7, 13), ext(1, 24, 30)];
        let tokens = [
            ext(0, 2, 7),
            ext(0, 8, 13),
            ext(0, 19, 24),
            ext(0, 25, 30),
            ext(1, 7, 13),
            ext(1, 24, 30),
        ];
        let columns = cluster(&runs, &tokens);
        assert_eq!(columns.extents, [(2, 13), (19, 30)]);
        assert_eq!(columns.edges, [13, 30]);
        assert_eq!(columns.assign(2, 7), Some(0), "the first merged number");
        assert_eq!(columns.assign(8, 13), Some(0));
        assert_eq!(columns.assign(19, 24), Some(1));
    }

    #[test]
    fn a_run_that_other_lines_show_crossing_two_columns_falls_apart() {
        // "1,771,000 1,285,000" over "   $3,240    $2,983"
        let runs = [ext(0, 0, 19), ext(1, 3, 9), ext(1, 13, 19)];
        let tokens = [ext(0, 0, 9), ext(0, 10, 19), ext(1, 3, 9), ext(1, 13, 19)];
        let columns = cluster(&runs, &tokens);
        assert_eq!(columns.len(), 2);
        assert_eq!(columns.assign(0, 9), Some(0));
        assert_eq!(columns.assign(10, 19), Some(1));
        assert_eq!(columns.extents, [(0, 9), (10, 19)]);
    }

    #[test]
    fn tag_columns_assign_by_right_edge() {
        let tokens = [ext(0, 24, 30), ext(0, 34, 41)];
        let columns = from_marks(&[26, 37], &tokens).unwrap();
        assert_eq!(columns.assign(24, 30), Some(0));
        assert_eq!(columns.assign(34, 41), Some(1));
        assert!(
            from_marks(&[26, 37], &[ext(0, 27, 30), ext(0, 31, 35)]).is_none(),
            "two values in one tag column"
        );
    }

    #[test]
    fn spanning_headers_cover_the_columns_under_them() {
        let tokens = [ext(0, 40, 46), ext(0, 48, 55), ext(0, 58, 65), ext(0, 68, 75)];
        let columns = cluster(&tokens, &tokens);
        assert_eq!(place_header(&columns, 42, 52), Some((0, 2)));
        assert_eq!(place_header(&columns, 59, 63), Some((2, 1)));
        assert_eq!(place_header(&columns, 90, 94), Some((3, 1)), "nearest when over none");
        assert_eq!(place_header(&columns, 61, 71), Some((2, 2)), "centred between two columns");
        assert_eq!(place_header(&columns, 57, 66), Some((2, 1)), "centred on one column");
        assert_eq!(fits_one(&columns, 40, 48), Some(0));
        assert_eq!(fits_one(&columns, 44, 50), None);
    }
}
