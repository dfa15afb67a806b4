//! Accounts and sessions: argon2id password hashes, random bearer tokens stored
//! only as their SHA-256, expiry and revocation. (Sign-in limits are
//! `sign_in_limiter.rs`; the request side, who is calling, is
//! `http::support`'s `Caller`.)

use crate::problem::Problem;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rehome_model::UserId;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// The cost of password hashing. The stored hash records its own parameters, so
/// the cost can change without invalidating existing passwords.
#[derive(Clone, Copy, Debug)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for PasswordCost {
    /// OWASP's argon2id baseline: 19 MiB, 2 passes.
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
        }
    }
}

impl PasswordCost {
    /// Cheap hashing for tests (still argon2id).
    pub fn for_tests() -> Self {
        Self {
            memory_kib: 256,
            iterations: 1,
        }
    }
}

pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, Problem> {
    let mut salt = [0u8; 16];
    crate::random_bytes(&mut salt).map_err(|e| Problem::internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Problem::internal(e.to_string()))?;
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
        .map_err(|e| Problem::internal(e.to_string()))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Problem::internal(e.to_string()))
}

/// True when `password` matches the stored hash (false for an unusable hash).
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// A fresh bearer token and the hash we store for it.
pub fn new_token() -> Result<(String, String), Problem> {
    let mut raw = [0u8; 32];
    crate::random_bytes(&mut raw).map_err(|e| Problem::internal(e.to_string()))?;
    let token = URL_SAFE_NO_PAD.encode(raw);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

pub fn validate_handle(handle: &str) -> Result<(), Problem> {
    let ok_len = (3..=30).contains(&handle.len());
    let ok_chars = handle
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    if ok_len && ok_chars {
        Ok(())
    } else {
        Err(Problem::invalid(
            "handle",
            "A handle is 3 to 30 characters: a-z, 0-9, '_' and '.'",
        ))
    }
}

pub fn validate_password(password: &str) -> Result<(), Problem> {
    if password.chars().count() < 8 {
        return Err(Problem::invalid(
            "password",
            "A password needs at least 8 characters",
        ));
    }
    // Characters, as the document's maxLength counts them (at most 1 KiB).
    if password.chars().count() > 256 {
        return Err(Problem::invalid(
            "password",
            "A password is at most 256 characters",
        ));
    }
    Ok(())
}

/// Live sessions already looked up (token hash → user, handle, expiry), and
/// tombstones for tokens signed out through this process, so most requests skip
/// the database. A tombstone is never overwritten by a lookup that raced the
/// sign-out. Expiry is still checked on every use.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, CachedSession>>,
}

#[derive(Clone)]
enum CachedSession {
    Live(UserId, String, i64),
    Revoked,
}

const SESSION_CACHE_MAX: usize = 100_000;

impl SessionCache {
    pub(crate) fn get(&self, hash: &str, now: i64) -> Option<Result<(UserId, String), ()>> {
        let entries = self.entries.lock().ok()?;
        match entries.get(hash)? {
            CachedSession::Live(user, handle, expires) if *expires > now => {
                Some(Ok((*user, handle.clone())))
            }
            CachedSession::Live(..) | CachedSession::Revoked => Some(Err(())),
        }
    }

    pub(crate) fn remember(&self, hash: &str, user: UserId, handle: &str, expires: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= SESSION_CACHE_MAX {
                entries.clear();
            }
            entries
                .entry(hash.to_owned())
                .or_insert(CachedSession::Live(user, handle.to_owned(), expires));
        }
    }

    /// Marks a token signed out (call after revoking it in storage).
    pub fn revoke(&self, hash: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(hash.to_owned(), CachedSession::Revoked);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse", PasswordCost::for_tests()).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("anything", "!"));
    }

    #[test]
    fn handles_are_checked() {
        for (handle, ok) in [
            ("ana", true),
            ("ana_b.2", true),
            ("an", false),
            ("Ana", false),
            ("ana b", false),
            ("a".repeat(31).as_str(), false),
        ] {
            assert_eq!(validate_handle(handle).is_ok(), ok, "{handle}");
        }
    }
}
