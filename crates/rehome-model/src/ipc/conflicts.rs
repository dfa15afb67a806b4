//! Conflicts on guarded fields (price, status, quantity), as the seller settles them.

/// One open conflict: this device's value and the server's, as the seller
/// would type them (`"40.00"`, `"live"`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenConflict {
    pub id: i64,
    pub listing_id: crate::ListingId,
    pub title: String,
    pub field: crate::sync::GuardedField,
    pub mine: String,
    pub theirs: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveConflictRequest {
    pub id: i64,
    pub choice: ConflictChoice,
}

/// What the seller chose.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", tag = "keep", content = "value")]
pub enum ConflictChoice {
    /// This device's value, sent again on top of the server's.
    Mine,
    /// The server's value.
    Theirs,
    /// A new value, as typed.
    Value(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_choices_on_the_wire() {
        let check = |choice: ConflictChoice, expected: &str| {
            let json = serde_json::to_string(&ResolveConflictRequest { id: 7, choice }).unwrap();
            assert_eq!(json, expected);
            let back: ResolveConflictRequest = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), expected);
        };
        check(ConflictChoice::Mine, r#"{"id":7,"choice":{"keep":"mine"}}"#);
        check(
            ConflictChoice::Theirs,
            r#"{"id":7,"choice":{"keep":"theirs"}}"#,
        );
        check(
            ConflictChoice::Value("42.50".into()),
            r#"{"id":7,"choice":{"keep":"value","value":"42.50"}}"#,
        );
    }
}
