//! Cursor pagination: `limit` and an opaque `next_cursor` that resumes after the last item.
//!
//! A cursor is the hex of the last item's sort key, so it survives inserts between pages and
//! needs no server state; clients must treat it as opaque.

use crate::api::problem::ApiError;

/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest page.
pub const MAX_LIMIT: u32 = 1000;

/// The page size: `limit` or the default; outside 1..=1000 is a 422.
pub fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::Unprocessable(format!(
            "limit={n} is out of range: give 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."
        ))),
    }
}

/// A cursor for the sort key `key`.
pub fn encode(key: &str) -> String {
    hex::encode(key.as_bytes())
}

/// The sort key inside a cursor this API gave; 400 for anything else.
pub fn decode(cursor: &str) -> Result<String, ApiError> {
    hex::decode(cursor).ok().and_then(|bytes| String::from_utf8(bytes).ok()).ok_or_else(|| {
        ApiError::BadRequest(
            "cursor is not one this API gave: pass the `next_cursor` of the previous page \
                 unchanged, or leave it out for the first page."
                .to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode(&encode("id:42")).unwrap(), "id:42");
        assert!(decode("zz").is_err());
        assert!(decode("ff").is_err());
    }

    #[test]
    fn limits_outside_the_range_are_refused() {
        assert_eq!(page_limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(page_limit(Some(1)).unwrap(), 1);
        assert!(page_limit(Some(0)).is_err());
        assert!(page_limit(Some(MAX_LIMIT + 1)).is_err());
    }
}
