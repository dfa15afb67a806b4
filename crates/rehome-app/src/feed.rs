//! The buyer's feed, with an on-device copy of every page seen so it reads offline.

use crate::AppError;
use crate::http::ServerClient;
use crate::image_cache::write_atomically;
use rehome_model::{FeedPage, FeedQuery, hex};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Feed pages as last seen, one small JSON file per cursor.
pub(crate) struct FeedCache {
    dir: PathBuf,
}

impl FeedCache {
    pub(crate) fn open(dir: PathBuf) -> Result<Self, AppError> {
        std::fs::create_dir_all(&dir).map_err(|e| AppError::io(&dir, e))?;
        Ok(Self { dir })
    }

    fn path(&self, query: &FeedQuery) -> PathBuf {
        let key = query.cursor.as_ref().map(|c| c.0.as_str()).unwrap_or("");
        let digest = Sha256::digest(key.as_bytes());
        self.dir.join(format!("{}.json", hex(&digest[..16])))
    }

    fn load(&self, query: &FeedQuery) -> Option<FeedPage> {
        let bytes = std::fs::read(self.path(query)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn store(&self, query: &FeedQuery, page: &FeedPage) -> Result<(), AppError> {
        let bytes = serde_json::to_vec(page).map_err(|e| AppError::io(&self.dir, e.into()))?;
        write_atomically(&self.path(query), &bytes)
    }
}

pub(crate) async fn feed_page(
    server: &ServerClient,
    cache: &FeedCache,
    query: FeedQuery,
) -> Result<FeedPage, AppError> {
    let mut path = String::from("/v1/feed?");
    if let Some(cursor) = &query.cursor {
        path.push_str("cursor=");
        path.push_str(&percent_encode(&cursor.0));
        path.push('&');
    }
    if let Some(limit) = query.limit {
        path.push_str(&format!("limit={limit}"));
    }
    match server
        .get_json::<FeedPage>(path.trim_end_matches(['?', '&']))
        .await
    {
        Ok(page) => {
            if let Err(e) = cache.store(&query, &page) {
                // A full cache must not cost the user the page they asked for.
                tracing::warn!(error = %e, "could not cache a feed page");
            }
            Ok(page)
        }
        // Unreachable, or answered by something that is not the server (a
        // network intercepting TLS): the copy seen last, if any.
        Err(
            e @ (AppError::Offline { .. }
            | AppError::Client(rehome_client::ClientError::UntrustedServer { .. })),
        ) => cache.load(&query).ok_or(e),
        Err(e) => Err(e),
    }
}

/// Percent-encodes everything outside RFC 3986's unreserved set.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn percent_encoding() {
        for (raw, encoded) in [
            ("abc-_.~", "abc-_.~"),
            ("a+b/c=", "a%2Bb%2Fc%3D"),
            ("é", "%C3%A9"),
            ("", ""),
        ] {
            assert_eq!(percent_encode(raw), encoded, "{raw:?}");
        }
    }
}
