//! Accounts and sessions: argon2id password hashes, random bearer tokens stored
//! only as their SHA-256, expiry and revocation. (Sign-in limits are
//! `sign_in_limiter.rs`; the request side, who is calling, is
//! `http::support`'s `Caller`.)

use crate::problem::Problem;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// argon2's working memory, kept for the next hash instead of freed. At most
/// `--max-password-hashes` hash at once (`Turns`), so this holds about that
/// many buffers of the cost's memory (19 MiB each), for good. Allocated and
/// freed per hash instead, glibc keeps the freed blocks in each thread's
/// arena: the server stood at 870 MiB after 100 sign-ups (`bench abuse`).
static HASH_MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
/// Buffers kept at most (more only while more hash at once than that).
const HASH_MEMORY_KEPT: usize = 16;

/// Runs `f` on `blocks` argon2 blocks from the kept buffers, zeroed after
/// (their content derives from a password) and kept for the next hash.
fn with_hash_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let kept = HASH_MEMORY.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let mut memory = match kept {
        Some(m) if m.len() == blocks => m,
        _ => vec![Block::default(); blocks],
    };
    let out = f(&mut memory);
    memory.fill(Block::default());
    let mut free = HASH_MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    if free.len() < HASH_MEMORY_KEPT {
        free.push(memory);
    }
    out
}

/// argon2id of `password` with `salt` under `argon2`'s parameters, in kept
/// memory, as PHC output.
fn argon2_output(
    argon2: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    len: usize,
) -> Result<Output, argon2::password_hash::Error> {
    with_hash_memory(params.block_count(), |memory| {
        Output::init_with(len, |out| {
            argon2
                .hash_password_into_with_memory(password, salt, out, memory)
                .map_err(argon2::password_hash::Error::from)
        })
    })
}

pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, Problem> {
    let internal = |e: argon2::password_hash::Error| Problem::internal(e.to_string());
    let mut salt = [0u8; 16];
    crate::random_bytes(&mut salt).map_err(|e| Problem::internal(e.to_string()))?;
    let salt_string = SaltString::encode_b64(&salt).map_err(internal)?;
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
        .map_err(|e| Problem::internal(e.to_string()))?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = argon2_output(
        &argon2,
        &params,
        password.as_bytes(),
        &salt,
        Params::DEFAULT_OUTPUT_LEN,
    )
    .map_err(internal)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(internal)?,
        salt: Some(salt_string.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// True when `password` matches the stored hash (false for an unusable hash).
pub fn verify_password(password: &str, stored: &str) -> bool {
    let check = || -> Result<bool, argon2::password_hash::Error> {
        let hash = PasswordHash::new(stored)?;
        let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
            return Ok(false);
        };
        let algorithm = Algorithm::try_from(hash.algorithm)?;
        let version = hash
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&hash)?;
        let mut salt_bytes = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_bytes)?;
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let computed = argon2_output(&argon2, &params, password.as_bytes(), salt, expected.len())?;
        // `Output`'s comparison is constant-time.
        Ok(computed == expected)
    };
    check().unwrap_or(false)
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

    /// Hashes stored before the kept memory (argon2's own `hash_password`)
    /// still verify, and new ones verify with argon2's own verifier: the same
    /// PHC strings either way.
    #[test]
    fn hashes_in_kept_memory_are_argon2s_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let cost = PasswordCost::for_tests();
        let params = Params::new(cost.memory_kib, cost.iterations, 1, None).unwrap();
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let old = argon2
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        for _ in 0..3 {
            assert!(verify_password("correct horse", &old));
            assert!(!verify_password("correct horsf", &old));
        }
        let new = hash_password("correct horse", cost).unwrap();
        let parsed = PasswordHash::new(&new).unwrap();
        assert!(argon2.verify_password(b"correct horse", &parsed).is_ok());
        assert!(argon2.verify_password(b"wrong", &parsed).is_err());
        // Another cost (a bigger buffer than the one kept) works too.
        let bigger = PasswordCost {
            memory_kib: 512,
            iterations: 1,
        };
        let h = hash_password("correct horse", bigger).unwrap();
        assert!(h.contains("m=512,t=1,p=1"), "{h}");
        assert!(verify_password("correct horse", &h));
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
