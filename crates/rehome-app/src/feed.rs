//! The buyer's feed (For You, or Following), asked as the signed-in buyer and
//! kept per account like every read (see `read_cache`), so a page seen once
//! reads again offline.

use rehome_model::FeedQuery;

/// The feed's path and query for `query`.
pub(crate) fn feed_path(query: &FeedQuery) -> String {
    crate::browse::with_query(
        "/v1/feed",
        &[
            ("following", query.following.then(|| "true".to_owned())),
            ("cursor", query.cursor.as_ref().map(|c| c.0.clone())),
            ("limit", query.limit.map(|l| l.to_string())),
        ],
    )
}

/// Percent-encodes everything outside RFC 3986's unreserved set.
pub(crate) fn percent_encode(s: &str) -> String {
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
