//! Rendered read responses, kept per company data version: a request whose company has not
//! changed since the same request was answered gets the same bytes (and ETag) back without
//! reading statements again. Dashboards ask the same questions all day.
//!
//! Always consistent: every request first reads the company's data version (in the query that
//! loads the company anyway), and an entry only answers for the version it was rendered at.
//! Bounded: at most [`BUDGET_BYTES`] of bodies; the oldest entries go first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use super::respond::Representation;

/// The most body bytes kept.
pub const BUDGET_BYTES: usize = 32 * 1024 * 1024;

/// A company's data version: changes whenever a read of the company could answer differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DataVersion {
    /// Filings of the company.
    pub filings: i64,
    /// Statements of those filings.
    pub statements: i64,
    /// Sum of those statements' ids.
    pub statement_id_sum: i64,
}

/// The cache.
#[derive(Debug, Default)]
pub struct ReadCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, (DataVersion, Representation)>,
    /// Keys, oldest first (a key may appear again after it was replaced).
    order: VecDeque<String>,
    bytes: usize,
}

impl ReadCache {
    /// The response stored for `key` at `version`, if any.
    pub fn get(&self, key: &str, version: DataVersion) -> Option<Representation> {
        let inner = self.inner.lock().ok()?;
        match inner.entries.get(key) {
            Some((stored, representation)) if *stored == version => Some(representation.clone()),
            _ => None,
        }
    }

    /// Keeps `representation` for `key` at `version` (bodies over a tenth of the budget are
    /// not kept).
    pub fn put(&self, key: String, version: DataVersion, representation: &Representation) {
        let size = representation.len() + key.len();
        if size > BUDGET_BYTES / 10 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if let Some((_, old)) = inner.entries.remove(&key) {
            inner.bytes = inner.bytes.saturating_sub(old.len() + key.len());
        }
        while inner.bytes + size > BUDGET_BYTES {
            let Some(oldest) = inner.order.pop_front() else { break };
            if let Some((_, old)) = inner.entries.remove(&oldest) {
                inner.bytes = inner.bytes.saturating_sub(old.len() + oldest.len());
            }
        }
        inner.bytes += size;
        inner.order.push_back(key.clone());
        inner.entries.insert(key, (version, representation.clone()));
        // Replaced keys leave stale names in `order`; drop them when they pile up.
        if inner.order.len() > 2 * inner.entries.len() + 64 {
            let Inner { entries, order, .. } = &mut *inner;
            let mut seen = std::collections::HashSet::new();
            let mut kept: VecDeque<String> = VecDeque::with_capacity(entries.len());
            for key in order.drain(..).rev() {
                if entries.contains_key(&key) && seen.insert(key.clone()) {
                    kept.push_front(key);
                }
            }
            *order = kept;
        }
    }

    /// How many responses are kept.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|i| i.entries.len()).unwrap_or(0)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(n: i64) -> DataVersion {
        DataVersion { filings: 1, statements: 1, statement_id_sum: n }
    }

    #[test]
    fn an_entry_answers_only_for_its_version() {
        let cache = ReadCache::default();
        cache.put("k".into(), version(1), &Representation::csv("a,b\r\n".into()));
        assert!(cache.get("k", version(1)).is_some());
        assert!(cache.get("k", version(2)).is_none());
        assert!(cache.get("other", version(1)).is_none());
    }

    #[test]
    fn the_oldest_entries_go_when_the_budget_is_full() {
        let cache = ReadCache::default();
        let body = "x".repeat(BUDGET_BYTES / 20);
        for i in 0..30 {
            cache.put(format!("k{i}"), version(1), &Representation::csv(body.clone()));
        }
        assert!(cache.len() < 30);
        assert!(cache.get("k0", version(1)).is_none());
        assert!(cache.get("k29", version(1)).is_some());
        let inner = cache.inner.lock().unwrap();
        assert!(inner.bytes <= BUDGET_BYTES);
    }
}
