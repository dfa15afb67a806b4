//! JSON body parsing with the offending field's path, free of any HTTP types so
//! the fuzz target (crates/rehome-server/fuzz) can include this file directly.

use serde::de::DeserializeOwned;

/// Why a body was refused: `data` is true for well-formed JSON of the wrong
/// shape (wrong type, missing or unknown field), false for malformed JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyError {
    pub data: bool,
    pub message: String,
    /// The path of the offending field (`mutations[0].args.price`), if known.
    pub field: Option<String>,
}

fn unknown_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// Parses `bytes` as a `T`, naming the offending field on failure.
/// Every body is a JSON object (serde would also take a struct as an array).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => {}
        Some(_) => {
            let malformed = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err();
            return Err(BodyError {
                data: !malformed,
                message: "The body must be a JSON object".into(),
                field: None,
            });
        }
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value: Result<T, BodyError> =
        serde_path_to_error::deserialize(&mut *de).map_err(body_error);
    let value = match value {
        Ok(v) => v,
        // JSON does not tell `2.0` from `2` (and JSON Schema's `integer`
        // admits both), but serde's integers take only the second: read such
        // a body again with its whole numbers spelled as integers.
        Err(e) if e.data => return whole_numbers_as_integers(bytes).unwrap_or(Err(e)),
        Err(e) => return Err(e),
    };
    // Trailing bytes after the value are malformed JSON too.
    de.end().map_err(|e| BodyError {
        data: false,
        message: e.to_string(),
        field: None,
    })?;
    Ok(value)
}

fn body_error(err: serde_path_to_error::Error<serde_json::Error>) -> BodyError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let message = inner.to_string();
    let field = if path != "." && path != "?" && !path.is_empty() {
        Some(path)
    } else {
        unknown_field_name(&message)
    };
    BodyError {
        data: matches!(inner.classify(), serde_json::error::Category::Data),
        message,
        field,
    }
}

/// `bytes` (well-formed JSON) as a `T` once every float that is a whole
/// number within ±2^53 (so spelled exactly) is an integer; `None` when it has
/// no such float, so the first error stands.
fn whole_numbers_as_integers<T: DeserializeOwned>(bytes: &[u8]) -> Option<Result<T, BodyError>> {
    fn rewrite(v: &mut serde_json::Value) -> bool {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        match v {
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() <= EXACT => {
                    *v = serde_json::Value::from(f as i64);
                    true
                }
                _ => false,
            },
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |c, x| rewrite(x) | c),
            serde_json::Value::Object(map) => map.values_mut().fold(false, |c, x| rewrite(x) | c),
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if !rewrite(&mut value) {
        return None;
    }
    Some(serde_path_to_error::deserialize(value).map_err(|err| {
        let mut e = body_error(err);
        // Every error from a parsed value is about the data's shape.
        e.data = true;
        e
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::SplitMix;
    use rehome_model::sync::PushRequest;

    const VALID: &str = r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":1,"name":"createListing","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101","fields":{"title":"Linen shirt","parcel":{"kind":"weight","grams":300}},"price":1500,"quantity":1}},{"id":2,"name":"setPrice","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101","price":1200,"baseVersion":0}}]}"#;

    /// A deterministic stand-in for the fuzz target, run on every `cargo test`:
    /// thousands of mangled push bodies parse or fail cleanly, and what parses round-trips.
    #[test]
    fn mangled_push_bodies_never_panic_and_round_trip() {
        assert!(parse_json::<PushRequest>(VALID.as_bytes()).is_ok());
        let mut rng = SplitMix(42);
        let mut parsed = 0;
        for _ in 0..5000 {
            let mut bytes = VALID.as_bytes().to_vec();
            for _ in 0..=rng.below(4) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len() as u64) as usize;
                match rng.below(4) {
                    0 => bytes[at] = rng.below(256) as u8,
                    1 => {
                        bytes.remove(at);
                    }
                    2 => {
                        let alphabet = b"{}[]\",:0-9eE.\\u";
                        bytes.insert(at, alphabet[rng.below(alphabet.len() as u64) as usize]);
                    }
                    _ => bytes.truncate(at),
                }
            }
            match parse_json::<PushRequest>(&bytes) {
                Ok(req) => {
                    parsed += 1;
                    let again = serde_json::to_vec(&req).unwrap();
                    assert_eq!(parse_json::<PushRequest>(&again).unwrap(), req);
                }
                Err(e) => assert!(!e.message.is_empty()),
            }
        }
        assert!(parsed > 0, "some mutations keep the body valid");
    }

    #[test]
    fn errors_name_the_field_and_kind() {
        let check = |body: &str, data: bool, field: Option<&str>| {
            let e = parse_json::<PushRequest>(body.as_bytes()).unwrap_err();
            assert_eq!(
                (e.data, e.field.as_deref()),
                (data, field),
                "{body}: {}",
                e.message
            );
        };
        check("{", false, None);
        check(&format!("{VALID} x"), false, None);
        check(r#"{"clientId":"x","mutations":[]}"#, true, Some("clientId"));
        check(
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[],"zz":1}"#,
            true,
            Some("zz"),
        );
        check(
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":true}]}"#,
            true,
            Some("mutations[0].id"),
        );
        // A fraction is not a whole number, spelled as a float or not.
        check(
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":1.5,"name":"like","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101"}}]}"#,
            true,
            Some("mutations[0].id"),
        );
    }

    #[test]
    fn whole_numbers_spelled_as_floats_are_integers() {
        let as_floats = VALID
            .replace(r#""id":1,"#, r#""id":1.0,"#)
            .replace(r#""price":1500"#, r#""price":15e2"#)
            .replace(r#""grams":300"#, r#""grams":300.0"#);
        assert_ne!(as_floats, VALID);
        assert_eq!(
            parse_json::<PushRequest>(as_floats.as_bytes()).unwrap(),
            parse_json::<PushRequest>(VALID.as_bytes()).unwrap()
        );
        // Beyond 2^53 a float no longer names one integer: still refused.
        let huge = VALID.replace(r#""id":1,"#, r#""id":1e17,"#);
        assert!(parse_json::<PushRequest>(huge.as_bytes()).unwrap_err().data);
    }
}
