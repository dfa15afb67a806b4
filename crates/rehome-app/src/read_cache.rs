//! What the buyer has seen, kept on the device so it reads offline: listing
//! pages, search results, closets, likes and the buyer's sizes. One small JSON
//! file per request, in a folder per signed-in account (so one account never
//! reads another's likes), with the time it was fetched.

use crate::AppError;
use crate::image_cache::write_atomically;
use rehome_model::hex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

pub(crate) struct ReadCache {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry<T> {
    /// Unix milliseconds when the server gave it.
    fetched_at: u64,
    value: T,
}

/// Whose copy: the signed-in account (server and handle), or nobody's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scope(String);

impl Scope {
    pub(crate) fn anonymous() -> Self {
        Scope(String::new())
    }

    pub(crate) fn account(server: &str, handle: &str) -> Self {
        Scope(format!("{server}\n{handle}"))
    }
}

fn digest(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes())[..16])
}

impl ReadCache {
    pub(crate) fn open(dir: PathBuf) -> Result<Self, AppError> {
        std::fs::create_dir_all(&dir).map_err(|e| AppError::io(&dir, e))?;
        Ok(Self { dir })
    }

    fn path(&self, scope: &Scope, kind: &str, key: &str) -> PathBuf {
        let folder = if scope.0.is_empty() {
            "anonymous".to_owned()
        } else {
            digest(&scope.0)
        };
        self.dir
            .join(folder)
            .join(format!("{kind}-{}.json", digest(key)))
    }

    /// The copy kept of `kind`/`key`, and when it was fetched.
    pub(crate) fn load<T: DeserializeOwned>(
        &self,
        scope: &Scope,
        kind: &str,
        key: &str,
    ) -> Option<(T, u64)> {
        let bytes = std::fs::read(self.path(scope, kind, key)).ok()?;
        let entry: Entry<T> = serde_json::from_slice(&bytes).ok()?;
        Some((entry.value, entry.fetched_at))
    }

    /// Keeps `value`; a failure is logged, never the caller's problem (a full
    /// disk must not cost the buyer the page they asked for).
    pub(crate) fn keep<T: Serialize>(
        &self,
        scope: &Scope,
        kind: &str,
        key: &str,
        value: &T,
        now: u64,
    ) {
        let path = self.path(scope, kind, key);
        let entry = Entry {
            fetched_at: now,
            value,
        };
        let written = serde_json::to_vec(&entry)
            .map_err(|e| AppError::io(&path, e.into()))
            .and_then(|bytes| {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| AppError::io(parent, e))?;
                }
                write_atomically(&path, &bytes)
            });
        if let Err(e) = written {
            tracing::warn!(error = %e, kind, "could not keep a page for offline reading");
        }
    }
}

/// Whether an error means "the server could not be asked" (offline, or
/// something that is not our server answered), so the copy seen last will do.
pub(crate) fn unreachable(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Offline { .. }
            | AppError::Client(rehome_client::ClientError::UntrustedServer { .. })
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_reads_only_its_own_copies() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ReadCache::open(dir.path().join("reads")).unwrap();
        let ana = Scope::account("https://a.example", "ana");
        let ben = Scope::account("https://a.example", "ben");
        let elsewhere = Scope::account("https://b.example", "ana");
        cache.keep(&ana, "likes", "/v1/me/likes", &vec![1, 2], 7);
        cache.keep(&Scope::anonymous(), "feed", "/v1/feed", &"all", 8);
        let check = |scope: &Scope, kind: &str, key: &str, want: Option<(Vec<i32>, u64)>| {
            assert_eq!(
                cache.load::<Vec<i32>>(scope, kind, key),
                want,
                "{scope:?} {kind} {key}"
            );
        };
        check(&ana, "likes", "/v1/me/likes", Some((vec![1, 2], 7)));
        check(&ben, "likes", "/v1/me/likes", None);
        check(&elsewhere, "likes", "/v1/me/likes", None);
        check(&Scope::anonymous(), "likes", "/v1/me/likes", None);
        check(&ana, "likes", "/v1/me/likes?limit=5", None);
        check(&ana, "closet", "/v1/me/likes", None);
        assert_eq!(
            cache.load::<String>(&Scope::anonymous(), "feed", "/v1/feed"),
            Some(("all".to_owned(), 8))
        );
        // A newer copy replaces the old one.
        cache.keep(&ana, "likes", "/v1/me/likes", &vec![3], 9);
        check(&ana, "likes", "/v1/me/likes", Some((vec![3], 9)));
    }
}
