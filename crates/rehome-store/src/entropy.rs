//! Randomness, passed in so tests are deterministic.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Randomness, passed in so tests are deterministic.
pub trait Entropy: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
}

/// Randomness from the OS-seeded keys of std's `RandomState` (SipHash), mixed
/// with a counter. Good enough for id bits; not for secrets.
pub struct OsEntropy {
    counter: AtomicU64,
}

impl Default for OsEntropy {
    fn default() -> Self {
        Self {
            counter: AtomicU64::new(0),
        }
    }
}

impl Entropy for OsEntropy {
    fn fill(&self, buf: &mut [u8]) {
        use std::hash::{BuildHasher, Hasher};
        for chunk in buf.chunks_mut(8) {
            let n = self.counter.fetch_add(1, Ordering::Relaxed);
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(n);
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
}

/// Deterministic randomness from a seed (splitmix64), for tests and replays.
pub struct SeededEntropy(Mutex<u64>);

impl SeededEntropy {
    pub fn new(seed: u64) -> Self {
        Self(Mutex::new(seed))
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, buf: &mut [u8]) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for chunk in buf.chunks_mut(8) {
            *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = *state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}
