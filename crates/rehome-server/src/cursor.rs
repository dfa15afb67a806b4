//! Opaque, tamper-evident pagination cursors.
//!
//! A cursor is the keyset position of the last item on a page (its sort score and
//! id) plus the name of the list it belongs to, serialised and signed with an
//! HMAC-SHA256 under a secret kept in the data dir. Editing any byte, or replaying
//! a cursor against a different list (another filter, another viewer), fails the
//! check and becomes a 400 `bad_cursor`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rehome_model::Cursor;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of MAC kept in a cursor: 128 bits is plenty against forgery.
const MAC_LEN: usize = 16;

/// Where a page ended: the last item's sort score and id, and when the
/// list's first page was read (0 for a list that does not depend on it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub score: i64,
    pub id: String,
    pub as_of: i64,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    /// The list this cursor belongs to.
    l: String,
    s: i64,
    i: String,
    /// The list's `as_of`; absent when 0 (and in cursors from before it).
    #[serde(default, skip_serializing_if = "is_zero")]
    t: i64,
}

fn is_zero(t: &i64) -> bool {
    *t == 0
}

/// Signs and checks cursors.
#[derive(Clone)]
pub struct CursorSigner {
    secret: [u8; 32],
}

impl CursorSigner {
    pub fn new(secret: [u8; 32]) -> Self {
        Self { secret }
    }

    fn mac(&self, data: &[u8]) -> [u8; MAC_LEN] {
        // A 32-byte key is always a valid HMAC key.
        let mut mac = match HmacSha256::new_from_slice(&self.secret) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(data);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; MAC_LEN];
        out.copy_from_slice(&full[..MAC_LEN]);
        out
    }

    /// A cursor for the page after `pos` in `list`.
    pub fn issue(&self, list: &str, pos: &Position) -> Cursor {
        let payload = Payload {
            l: list.to_owned(),
            s: pos.score,
            i: pos.id.clone(),
            t: pos.as_of,
        };
        let json = serde_json::to_vec(&payload).unwrap_or_default();
        let mac = self.mac(&json);
        Cursor(format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&json),
            URL_SAFE_NO_PAD.encode(mac)
        ))
    }

    /// The position a cursor names, if this server issued it for `list`.
    pub fn check(&self, list: &str, cursor: &str) -> Option<Position> {
        let (body, mac) = cursor.split_once('.')?;
        let json = URL_SAFE_NO_PAD.decode(body).ok()?;
        let mac = URL_SAFE_NO_PAD.decode(mac).ok()?;
        let mut verifier = HmacSha256::new_from_slice(&self.secret).ok()?;
        verifier.update(&json);
        verifier.verify_truncated_left(&mac).ok()?;
        if mac.len() != MAC_LEN {
            return None;
        }
        let payload: Payload = serde_json::from_slice(&json).ok()?;
        (payload.l == list).then_some(Position {
            score: payload.s,
            id: payload.i,
            as_of: payload.t,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_tampering() {
        let signer = CursorSigner::new([7; 32]);
        let pos = Position {
            score: 1_700_000_000_000,
            id: "abc".into(),
            as_of: 1_700_000_000_001,
        };
        let cursor = signer.issue("feed", &pos);
        assert_eq!(signer.check("feed", &cursor.0), Some(pos.clone()));

        let check = |input: &str, list: &str| signer.check(list, input);
        // Another list, another key, edited bytes, junk: all refused.
        assert_eq!(check(&cursor.0, "search:x"), None);
        assert_eq!(CursorSigner::new([8; 32]).check("feed", &cursor.0), None);
        let mut edited = cursor.0.clone().into_bytes();
        edited[3] ^= 1;
        assert_eq!(check(&String::from_utf8_lossy(&edited), "feed"), None);
        for junk in ["", ".", "abc", "abc.def", "....", "eyJ9.AAAA"] {
            assert_eq!(check(junk, "feed"), None, "{junk:?}");
        }
        // A truncated MAC is refused too.
        let (body, mac) = cursor.0.split_once('.').unwrap();
        assert_eq!(check(&format!("{body}.{}", &mac[..4]), "feed"), None);
    }
}
