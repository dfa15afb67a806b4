//! Sign-in limits, in memory (a restart forgives, which is acceptable for a
//! per-process limiter; see ARCHITECTURE.md, "Moving to PostgreSQL").
//!
//! Every attempt is counted before its password is hashed, so parallel
//! guesses cannot all pass the check. Three counts, each within a sliding
//! window and each bounded in keys ([`AttemptLog`]):
//! - per (account, address): too many failures lock that pair out, so a
//!   guesser never locks the account's owner out from elsewhere;
//! - per address, over all accounts: too many failures lock the address out;
//! - per account, from anywhere: past a threshold the account is slowed
//!   down, not locked: its attempts are evaluated one per `slow_ms`, each
//!   waiting its turn, and one that would wait longer than `max_wait_ms` is
//!   refused with the wait as `Retry-After`.
//!
//! Handles are keyed by at most 64 characters, lower-cased (a real handle is
//! at most 30, so a longer key names no account and cannot grow the maps).

use crate::Limits;
use crate::attempts::AttemptLog;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Keys each count remembers at most.
const KEYS_MAX: usize = 100_000;

/// The sign-in limits, from [`Limits`].
#[derive(Clone, Copy, Debug)]
struct SignInLimits {
    window_ms: i64,
    per_account_address: usize,
    per_address: usize,
    slow_after: usize,
    slow_ms: i64,
    max_wait_ms: i64,
}

/// What the limiter says about an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead after waiting this long (0 unless the account is slowed down).
    Go { wait_ms: i64 },
    /// Refused: try again after `retry_after_ms`; `limit` names the limit.
    Refused {
        retry_after_ms: i64,
        limit: &'static str,
    },
}

struct Counts {
    by_pair: AttemptLog<(String, IpAddr)>,
    by_address: AttemptLog<IpAddr>,
    by_account: AttemptLog<String>,
    /// A slowed-down account's next free turn (Unix ms).
    next_turn: HashMap<String, i64>,
}

pub struct SignInLimiter {
    limits: SignInLimits,
    counts: Mutex<Counts>,
}

fn account_key(handle: &str) -> String {
    handle.chars().take(64).collect::<String>().to_lowercase()
}

impl SignInLimiter {
    pub fn new(l: &Limits) -> Self {
        let limits = SignInLimits {
            window_ms: l.sign_in_window_ms,
            per_account_address: l.sign_in_failures_per_account_address,
            per_address: l.sign_in_failures_per_address,
            slow_after: l.sign_in_slow_after,
            slow_ms: l.sign_in_slow_ms,
            max_wait_ms: l.sign_in_max_wait_ms,
        };
        let w = limits.window_ms;
        Self {
            limits,
            counts: Mutex::new(Counts {
                by_pair: AttemptLog::new(w, KEYS_MAX),
                by_address: AttemptLog::new(w, KEYS_MAX),
                by_account: AttemptLog::new(w, KEYS_MAX),
                next_turn: HashMap::new(),
            }),
        }
    }

    /// Counts an attempt by `ip` on `handle` at `now`, before any hashing.
    pub fn attempt(&self, handle: &str, ip: IpAddr, now: i64) -> Verdict {
        let l = self.limits;
        let Ok(mut counts) = self.counts.lock() else {
            return Verdict::Refused {
                retry_after_ms: l.window_ms,
                limit: "sign-in-window-ms",
            };
        };
        let counts = &mut *counts;
        let account = account_key(handle);
        let pair = (account.clone(), ip);
        let (n, wait) = counts.by_address.count(&ip, now);
        if n >= l.per_address {
            return Verdict::Refused {
                retry_after_ms: wait,
                limit: "sign-in-failures-per-address",
            };
        }
        let (n, wait) = counts.by_pair.count(&pair, now);
        if n >= l.per_account_address {
            return Verdict::Refused {
                retry_after_ms: wait,
                limit: "sign-in-failures-per-account-address",
            };
        }
        let (n, _) = counts.by_account.count(&account, now);
        let mut wait_ms = 0;
        if n >= l.slow_after {
            let turn = counts
                .next_turn
                .get(&account)
                .copied()
                .unwrap_or(now)
                .max(now);
            wait_ms = turn - now;
            if wait_ms > l.max_wait_ms {
                return Verdict::Refused {
                    retry_after_ms: wait_ms,
                    limit: "sign-in-max-wait-ms",
                };
            }
            if counts.next_turn.len() >= KEYS_MAX {
                counts.next_turn.retain(|_, t| *t > now);
            }
            counts.next_turn.insert(account.clone(), turn + l.slow_ms);
        }
        counts.by_address.record(&ip, now);
        counts.by_pair.record(&pair, now);
        counts.by_account.record(&account, now);
        Verdict::Go { wait_ms }
    }

    /// Takes back an attempt made at `at` that was never evaluated (no
    /// hashing turn): it counts nowhere.
    pub fn forgive(&self, handle: &str, ip: IpAddr, at: i64) {
        if let Ok(mut counts) = self.counts.lock() {
            let account = account_key(handle);
            counts.by_address.take_back(&ip, at);
            counts.by_account.take_back(&account, at);
            counts.by_pair.take_back(&(account, ip), at);
        }
    }

    /// The attempt made at `at` was right: this address's failures on the
    /// account are forgiven, and the attempt counts nowhere. (The account's
    /// failures from elsewhere stand: its owner signing in does not lift a
    /// slow-down on the guessers.)
    pub fn succeeded(&self, handle: &str, ip: IpAddr, at: i64) {
        if let Ok(mut counts) = self.counts.lock() {
            let account = account_key(handle);
            counts.by_address.take_back(&ip, at);
            counts.by_account.take_back(&account, at);
            counts.by_pair.clear(&(account, ip));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> SignInLimiter {
        SignInLimiter::new(&Limits {
            sign_in_window_ms: 1000,
            sign_in_failures_per_account_address: 2,
            sign_in_failures_per_address: 4,
            sign_in_slow_after: 3,
            sign_in_slow_ms: 100,
            sign_in_max_wait_ms: 150,
            ..Limits::default()
        })
    }

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    const GO: Verdict = Verdict::Go { wait_ms: 0 };

    #[test]
    fn a_pair_is_locked_out_but_the_account_is_only_slowed_down() {
        let l = limiter();
        assert_eq!(l.attempt("ana", ip(1), 0), GO);
        assert_eq!(l.attempt("ANA", ip(1), 1), GO);
        // That address is locked out of that account...
        assert_eq!(
            l.attempt("ana", ip(1), 2),
            Verdict::Refused {
                retry_after_ms: 998,
                limit: "sign-in-failures-per-account-address"
            }
        );
        // ...but not of another, and another address still gets in.
        assert_eq!(l.attempt("ben", ip(1), 2), GO);
        assert_eq!(l.attempt("ana", ip(2), 3), GO);
        // Three failures on the account from anywhere: one turn per 100 ms.
        assert_eq!(l.attempt("ana", ip(3), 10), GO);
        assert_eq!(l.attempt("ana", ip(4), 10), Verdict::Go { wait_ms: 100 });
        assert_eq!(
            l.attempt("ana", ip(5), 10),
            Verdict::Refused {
                retry_after_ms: 200,
                limit: "sign-in-max-wait-ms"
            }
        );
        // After the window everything is forgiven.
        assert_eq!(l.attempt("ana", ip(1), 1100), GO);
    }

    #[test]
    fn an_address_is_locked_out_over_all_accounts() {
        let l = limiter();
        for (n, who) in ["a", "b", "c", "d"].into_iter().enumerate() {
            assert_eq!(l.attempt(who, ip(1), n as i64), GO);
        }
        assert!(matches!(
            l.attempt("e", ip(1), 4),
            Verdict::Refused {
                limit: "sign-in-failures-per-address",
                ..
            }
        ));
        assert_eq!(l.attempt("e", ip(2), 4), GO);
    }

    #[test]
    fn success_and_forgiveness_take_attempts_back() {
        let l = limiter();
        assert_eq!(l.attempt("ana", ip(1), 0), GO);
        l.succeeded("ana", ip(1), 0);
        assert_eq!(l.attempt("ana", ip(1), 1), GO);
        l.forgive("ana", ip(1), 1);
        for t in 2..4 {
            assert_eq!(l.attempt("ana", ip(1), t), GO);
        }
        assert!(matches!(
            l.attempt("ana", ip(1), 4),
            Verdict::Refused { .. }
        ));
        // A right password clears that pair.
        l.succeeded("ana", ip(1), 3);
        assert_eq!(l.attempt("ana", ip(1), 5), GO);
    }

    #[test]
    fn huge_handles_are_cut_to_a_bounded_key() {
        let l = limiter();
        let huge = "x".repeat(256 * 1024);
        assert_eq!(l.attempt(&huge, ip(1), 0), GO);
        let counts = l.counts.lock().unwrap();
        assert_eq!(account_key(&huge).len(), 64);
        assert_eq!(counts.by_account.keys(), 1);
    }
}
