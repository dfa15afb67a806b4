//! Sliding-window counts of attempts per key (an address, an account), in
//! memory, bounded: times older than the window are dropped whenever a key is
//! looked at, and when the map holds `max_keys` keys a sweep drops every key
//! with nothing left in its window (and, if still full, half of the rest, so
//! a flood of fresh keys costs memory and time in proportion to the bound,
//! not to the flood).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

fn prune(q: &mut VecDeque<i64>, now: i64, window: i64) {
    while q.front().is_some_and(|&t| t <= now - window) {
        q.pop_front();
    }
}

pub struct AttemptLog<K> {
    window_ms: i64,
    max_keys: usize,
    times: HashMap<K, VecDeque<i64>>,
}

impl<K: Hash + Eq + Clone> AttemptLog<K> {
    pub fn new(window_ms: i64, max_keys: usize) -> Self {
        Self {
            window_ms,
            max_keys: max_keys.max(2),
            times: HashMap::new(),
        }
    }

    /// Attempts by `key` within the window, and how long until the oldest
    /// of them leaves it (ms; 0 when there are none).
    pub fn count(&mut self, key: &K, now: i64) -> (usize, i64) {
        let window = self.window_ms;
        let Some(q) = self.times.get_mut(key) else {
            return (0, 0);
        };
        prune(q, now, window);
        let wait = q.front().map_or(0, |&t| t + window - now);
        (q.len(), wait)
    }

    /// Records an attempt by `key` at `now`.
    pub fn record(&mut self, key: &K, now: i64) {
        if !self.times.contains_key(key) && self.times.len() >= self.max_keys {
            self.sweep(now);
        }
        let q = self.times.entry(key.clone()).or_default();
        prune(q, now, self.window_ms);
        q.push_back(now);
    }

    /// Takes back one attempt by `key` made at `at`.
    pub fn take_back(&mut self, key: &K, at: i64) {
        if let Some(q) = self.times.get_mut(key) {
            if let Some(i) = q.iter().rposition(|&t| t == at) {
                q.remove(i);
            }
            if q.is_empty() {
                self.times.remove(key);
            }
        }
    }

    /// Forgets every attempt by `key`.
    pub fn clear(&mut self, key: &K) {
        self.times.remove(key);
    }

    /// Keys held (for tests and the abuse benchmark).
    pub fn keys(&self) -> usize {
        self.times.len()
    }

    fn sweep(&mut self, now: i64) {
        let window = self.window_ms;
        self.times
            .retain(|_, q| q.back().is_some_and(|&t| t > now - window));
        if self.times.len() >= self.max_keys {
            let mut keep = self.max_keys / 2;
            self.times.retain(|_, _| {
                let kept = keep > 0;
                keep = keep.saturating_sub(1);
                kept
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_leave_the_window_and_the_map_stays_bounded() {
        let key = |k: &str| k.to_owned();
        let mut log = AttemptLog::new(100, 4);
        log.record(&key("a"), 0);
        log.record(&key("a"), 10);
        assert_eq!(log.count(&key("a"), 50), (2, 50));
        assert_eq!(log.count(&key("a"), 105), (1, 5));
        assert_eq!(log.count(&key("a"), 110), (0, 0));
        log.record(&key("a"), 120);
        log.take_back(&key("a"), 120);
        assert_eq!(log.keys(), 0);
        // Stale keys are swept when the map is full...
        for (i, k) in ["b", "c", "d", "e"].into_iter().enumerate() {
            log.record(&key(k), i as i64);
        }
        log.record(&key("f"), 500);
        assert_eq!(log.keys(), 1);
        // ...and a flood of live keys never holds more than the bound.
        for n in 0..1000 {
            log.record(&format!("k{n}"), 500);
            assert!(log.keys() <= 4);
        }
        log.record(&key("g"), 500);
        log.clear(&key("g"));
        assert_eq!(log.count(&key("g"), 500), (0, 0));
    }
}
