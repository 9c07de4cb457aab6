//! Which grid columns hold a table's values. HTML tables often print a number one grid
//! column left or right of the number above it (a `$` cell, a colspan); columns that never
//! hold numbers in the same row, side by side, are one value column.

/// Value columns as ranges of grid columns, left to right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueColumns {
    ranges: Vec<(usize, usize)>,
}

impl ValueColumns {
    /// Group the grid columns that hold numbers; `rows` lists, per row, the grid columns
    /// where that row prints a number; `headers` are the (column, span) of header cells, which
    /// keep apart columns they head separately.
    pub fn from_occupancy(rows: &[Vec<usize>], headers: &[(usize, usize)]) -> Option<Self> {
        let covers = |h: &(usize, usize), c: usize| (h.0..h.0 + h.1.max(1)).contains(&c);
        // two columns are headed apart when each has a header the other lacks
        let heads_apart = |a: usize, b: usize| {
            headers.iter().any(|h| covers(h, a) && !covers(h, b))
                && headers.iter().any(|h| covers(h, b) && !covers(h, a))
        };
        let mut cols: Vec<usize> = rows.iter().flatten().copied().collect();
        cols.sort_unstable();
        cols.dedup();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for col in cols {
            let mergeable = members.last().is_some_and(|group| {
                rows.iter()
                    .all(|row| !(row.contains(&col) && group.iter().any(|g| row.contains(g))))
                    && group.iter().all(|&g| !heads_apart(g, col))
            });
            if mergeable && let (Some(range), Some(group)) = (ranges.last_mut(), members.last_mut())
            {
                range.1 = col;
                group.push(col);
            } else {
                ranges.push((col, col));
                members.push(vec![col]);
            }
        }
        (!ranges.is_empty()).then_some(Self { ranges })
    }

    /// Number of value columns.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// First grid column that holds values: everything left of it is label.
    pub fn first_col(&self) -> usize {
        self.ranges.first().map_or(1, |r| r.0)
    }

    /// Value columns a cell spanning `[col, col + span)` covers.
    pub fn covered(&self, col: usize, span: usize) -> Vec<usize> {
        let end = col + span.max(1);
        self.ranges
            .iter()
            .enumerate()
            .filter(|(_, r)| r.0 < end && r.1 >= col)
            .map(|(i, _)| i)
            .collect()
    }

    /// The value column a value cell belongs to.
    pub fn index_of(&self, col: usize, span: usize) -> Option<usize> {
        self.covered(col, span).first().copied()
    }

    /// The value column nearest a grid column.
    pub fn nearest(&self, col: usize) -> Option<usize> {
        self.ranges
            .iter()
            .enumerate()
            .min_by_key(|(_, r)| if col < r.0 { r.0 - col } else { col.saturating_sub(r.1) })
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_that_never_share_a_row_are_one_value_column() {
        let cols =
            ValueColumns::from_occupancy(&[vec![2, 6], vec![3, 7], vec![3, 6]], &[(2, 2), (6, 2)])
                .unwrap();
        assert_eq!(cols.len(), 2);
        assert_eq!(cols.index_of(2, 1), Some(0));
        assert_eq!(cols.index_of(3, 1), Some(0));
        assert_eq!(cols.index_of(7, 1), Some(1));
    }

    #[test]
    fn columns_with_their_own_headers_stay_apart() {
        let cols =
            ValueColumns::from_occupancy(&[vec![2, 7], vec![4, 7]], &[(1, 2), (4, 1), (6, 2)])
                .unwrap();
        assert_eq!(cols.len(), 3);
    }

    #[test]
    fn columns_filled_in_the_same_row_stay_apart() {
        let cols = ValueColumns::from_occupancy(&[vec![1, 2, 3], vec![1, 3]], &[]).unwrap();
        assert_eq!(cols.len(), 3);
        assert_eq!(cols.covered(1, 3), [0, 1, 2]);
    }
}
