//! Paths with query strings for the server's read routes, values
//! percent-encoded (RFC 3986's unreserved set stays as it is).

/// Builds `path?k=v&…` from the pairs given, values percent-encoded.
pub(crate) fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let mut out = path.to_owned();
    let mut sep = '?';
    for (key, value) in pairs {
        if let Some(value) = value {
            out.push(sep);
            out.push_str(key);
            out.push('=');
            out.push_str(&percent_encode(value));
            sep = '&';
        }
    }
    out
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
