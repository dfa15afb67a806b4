//! Exponential backoff with full jitter (DESIGN.md, "Retries"): after the n-th
//! consecutive failure, wait a uniformly random time in `[0, min(cap, base·2ⁿ)]`.
//! Time and randomness come from the caller ([`rehome_store::Clock`],
//! [`rehome_store::Entropy`]), so every schedule is replayable from a seed.

use rehome_store::{Clock, Entropy};

/// The retry schedule: 1 s growing to a 5 min cap by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling after the first failure, in ms.
    pub base_ms: u64,
    /// The ceiling never grows past this, in ms.
    pub cap_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base_ms: 1_000,
            cap_ms: 5 * 60 * 1_000,
        }
    }
}

impl Backoff {
    /// The largest wait after `failures` consecutive failures (`failures >= 1`;
    /// 0 means "no failure yet": no wait).
    pub fn ceiling_ms(&self, failures: u32) -> u64 {
        if failures == 0 {
            return 0;
        }
        let shift = (failures - 1).min(63);
        self.base_ms.saturating_mul(1u64 << shift).min(self.cap_ms)
    }

    /// The wait for one uniformly random `r`: `r` scaled onto `[0, ceiling]`
    /// (inclusive; `r = 0` gives 0 and `r = u64::MAX` the ceiling).
    pub fn delay_ms_for(&self, failures: u32, r: u64) -> u64 {
        let ceiling = self.ceiling_ms(failures);
        ((u128::from(r) * (u128::from(ceiling) + 1)) >> 64) as u64
    }

    /// The wait after `failures` consecutive failures, drawing from `entropy`.
    pub fn delay_ms(&self, failures: u32, entropy: &dyn Entropy) -> u64 {
        let mut b = [0u8; 8];
        entropy.fill(&mut b);
        self.delay_ms_for(failures, u64::from_le_bytes(b))
    }

    /// When to try again (unix ms) after `failures` consecutive failures.
    pub fn next_attempt_at(&self, failures: u32, clock: &dyn Clock, entropy: &dyn Entropy) -> u64 {
        clock
            .now_millis()
            .saturating_add(self.delay_ms(failures, entropy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehome_store::{ManualClock, SeededEntropy};

    #[test]
    fn ceilings_double_from_one_second_to_the_five_minute_cap() {
        let check = |failures: u32, expected: u64| {
            assert_eq!(
                Backoff::default().ceiling_ms(failures),
                expected,
                "failures {failures}"
            );
        };
        for (failures, expected) in [
            (0, 0),
            (1, 1_000),
            (2, 2_000),
            (3, 4_000),
            (4, 8_000),
            (8, 128_000),
            (9, 256_000),
            (10, 300_000),
            (64, 300_000),
            (65, 300_000),
            (u32::MAX, 300_000),
        ] {
            check(failures, expected);
        }
    }

    #[test]
    fn full_jitter_maps_the_random_draw_onto_zero_to_the_ceiling() {
        let check = |failures: u32, r: u64, expected: u64| {
            assert_eq!(
                Backoff::default().delay_ms_for(failures, r),
                expected,
                "failures {failures}, r {r:#x}"
            );
        };
        for (failures, r, expected) in [
            (0, u64::MAX, 0),
            (1, 0, 0),
            (1, u64::MAX, 1_000),
            (1, 1 << 63, 500),
            (2, 1 << 63, 1_000),
            (3, 1 << 62, 1_000),
            (12, u64::MAX, 300_000),
            (12, 1 << 63, 150_000),
        ] {
            check(failures, r, expected);
        }
    }

    #[test]
    fn a_seed_replays_the_same_schedule_and_every_wait_is_within_its_ceiling() {
        let backoff = Backoff::default();
        let schedule = |seed: u64| -> Vec<u64> {
            let entropy = SeededEntropy::new(seed);
            (1..=12).map(|n| backoff.delay_ms(n, &entropy)).collect()
        };
        for seed in 0..200 {
            let a = schedule(seed);
            assert_eq!(a, schedule(seed), "seed {seed} replays");
            for (i, d) in a.iter().enumerate() {
                assert!(*d <= backoff.ceiling_ms(i as u32 + 1), "seed {seed}: {a:?}");
            }
        }
        // The jitter really spreads: over many draws at the cap, waits fall in
        // every tenth of the range.
        let entropy = SeededEntropy::new(7);
        let mut deciles = [0u32; 10];
        for _ in 0..2_000 {
            let d = backoff.delay_ms(20, &entropy);
            deciles[((d * 10 / 300_001) as usize).min(9)] += 1;
        }
        assert!(deciles.iter().all(|n| *n > 100), "{deciles:?}");
        expect_test::expect![[r#"
            [
                742,
                319,
                1114,
                2753,
                608,
                27784,
                13978,
                102481,
                87022,
                185545,
                61470,
                147897,
            ]
        "#]]
        .assert_debug_eq(&schedule(42));
    }

    #[test]
    fn the_next_attempt_is_now_plus_the_wait() {
        let clock = ManualClock::new(1_000_000);
        let backoff = Backoff::default();
        let at = backoff.next_attempt_at(3, &clock, &SeededEntropy::new(42));
        let wait = backoff.delay_ms(3, &SeededEntropy::new(42));
        assert_eq!(at, 1_000_000 + wait);
        assert!(wait <= 4_000);
    }
}
