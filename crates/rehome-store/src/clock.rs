//! The time, passed in so tests are deterministic.

use std::sync::atomic::{AtomicU64, Ordering};

/// The time, passed in so tests are deterministic.
pub trait Clock: Send + Sync {
    /// Unix milliseconds.
    fn now_millis(&self) -> u64;
}

/// The system clock.
pub struct SystemClock;
impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to (tests).
pub struct ManualClock(AtomicU64);

impl ManualClock {
    pub fn new(start_millis: u64) -> Self {
        Self(AtomicU64::new(start_millis))
    }
    pub fn advance(&self, millis: u64) {
        self.0.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}
