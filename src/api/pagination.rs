//! Cursor pagination shared by the list endpoints: a bounded `limit`, validated in code, and an
//! opaque `next_cursor` that encodes where the next page starts.

use super::problem::ApiError;

/// The default page size.
pub const DEFAULT_LIMIT: i64 = 100;
/// The largest page size accepted.
pub const MAX_LIMIT: i64 = 1000;

/// `limit` as given, or the default; 400 outside 1 to [`MAX_LIMIT`].
pub fn page_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::BadRequest(format!(
            "`limit` must be between 1 and {MAX_LIMIT}; got {n}."
        ))),
    }
}

/// An opaque cursor for a position (`kind` tells lists apart, so a cursor of one list is not
/// taken by another).
pub fn encode_cursor(kind: &str, position: &str) -> String {
    hex::encode(format!("{kind}:{position}"))
}

/// The position in a cursor made by [`encode_cursor`] with the same `kind`; 400 otherwise.
pub fn decode_cursor(kind: &str, cursor: &str) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::BadRequest(
            "`cursor` is not a cursor of this list: pass the `next_cursor` of the previous page \
             unchanged."
                .to_owned(),
        )
    };
    let bytes = hex::decode(cursor.trim()).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (found_kind, position) = text.split_once(':').ok_or_else(invalid)?;
    if found_kind != kind {
        return Err(invalid());
    }
    Ok(position.to_owned())
}

/// The id after which a page of an id-ordered list starts.
pub fn decode_id_cursor(kind: &str, cursor: Option<&str>) -> Result<Option<i64>, ApiError> {
    cursor
        .map(|c| {
            decode_cursor(kind, c)?.parse::<i64>().map_err(|_| {
                ApiError::BadRequest("`cursor` is not a cursor of this list.".to_owned())
            })
        })
        .transpose()
}

/// The cursor of the page after `rows` (full pages only), from its last row's position.
pub fn next_cursor<T>(
    kind: &str,
    rows: &[T],
    limit: i64,
    position: impl Fn(&T) -> String,
) -> Option<String> {
    let full = usize::try_from(limit).is_ok_and(|l| rows.len() >= l);
    full.then(|| rows.last().map(|row| encode_cursor(kind, &position(row)))).flatten()
}

/// A positive id from a path segment: 400 when it is not one.
pub fn parse_id(segment: &str, what: &str) -> Result<i64, ApiError> {
    segment.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "`{}` is not a {what} id: ids are positive whole numbers.",
            segment.chars().take(40).collect::<String>()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_one_list() {
        let cursor = encode_cursor("facts", "42");
        assert_eq!(decode_id_cursor("facts", Some(&cursor)).unwrap(), Some(42));
        assert!(decode_cursor("filings", &cursor).is_err());
        assert!(decode_cursor("facts", "zz").is_err());
        assert!(decode_id_cursor("facts", Some(&encode_cursor("facts", "x"))).is_err());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(page_limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(page_limit(Some(1)).unwrap(), 1);
        assert!(page_limit(Some(0)).is_err());
        assert!(page_limit(Some(-5)).is_err());
        assert!(page_limit(Some(MAX_LIMIT + 1)).is_err());
    }

    #[test]
    fn path_ids_are_positive_numbers() {
        assert_eq!(parse_id("17", "filing").unwrap(), 17);
        for bad in ["0", "-3", "abc", "1.5", "99999999999999999999"] {
            assert!(parse_id(bad, "filing").is_err(), "{bad}");
        }
    }
}
