//! Conflicts on guarded fields, as the seller sees and settles them. A choice
//! that changes anything becomes a new edit (a new mutation, based on the
//! server's current version), then the conflict is marked resolved.

use rehome_model::ListingId;
use rehome_model::draft::DraftField;
use rehome_model::sync::GuardedField;
use rehome_store::{ConflictRow, Edit, Store, StoreError};
use serde::Serialize;

/// What the seller chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Send my value again, on top of the server's.
    Mine,
    /// Keep the server's value.
    Theirs,
    /// A new value, as typed (a price such as `"42.50"`).
    Value(String),
}

/// One open conflict, as `rehome conflicts list` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    pub id: i64,
    pub listing_id: ListingId,
    pub title: String,
    pub field: GuardedField,
    /// Shown as the seller would type them (`"40.00"`, `"live"`).
    pub mine: String,
    pub theirs: String,
}

/// A conflict value (JSON: cents for price, a number for quantity, a status
/// name) as text the seller reads and could type.
pub fn display_value(field: GuardedField, json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or(serde_json::Value::Null);
    match (field, &value) {
        (GuardedField::Price, serde_json::Value::Number(n)) => {
            let cents = n.as_i64().unwrap_or(0);
            format!("{}.{:02}", cents / 100, (cents % 100).abs())
        }
        (_, serde_json::Value::Number(n)) => n.to_string(),
        (_, serde_json::Value::String(s)) => s.clone(),
        _ => json.to_owned(),
    }
}

fn view(store: &Store, c: &ConflictRow) -> ConflictView {
    let title = store
        .get_draft(c.listing_id)
        .map(|d| d.values.title)
        .unwrap_or_default();
    ConflictView {
        id: c.id,
        listing_id: c.listing_id,
        title,
        field: c.field,
        mine: display_value(c.field, &c.mine),
        theirs: display_value(c.field, &c.theirs),
    }
}

/// Every open conflict, oldest first.
pub fn list(store: &Store) -> Result<Vec<ConflictView>, StoreError> {
    Ok(store
        .open_conflicts()?
        .iter()
        .map(|c| view(store, c))
        .collect())
}

/// Settles conflict `id`: the edit the choice implies (if any), then the mark.
pub fn resolve(store: &Store, id: i64, choice: Resolution) -> Result<(), StoreError> {
    let conflict = store
        .open_conflicts()?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| StoreError::NotFound {
            what: format!("open conflict {id}"),
        })?;
    let wanted = match &choice {
        Resolution::Theirs => None,
        Resolution::Mine => Some(display_value(conflict.field, &conflict.mine)),
        Resolution::Value(v) => Some(v.clone()),
    };
    if let Some(text) = wanted {
        store.apply_edit(edit_for(conflict.listing_id, conflict.field, &text)?)?;
    }
    store.resolve_conflict(id)
}

/// The edit that sets guarded `field` of `listing` to `text` (as the seller
/// types it: a price, a quantity, or `live`/`delisted`/`sold`). The store bases
/// it on the server's current version; a move the listing cannot make from its
/// current status (a sold listing going live) is refused by the store.
fn edit_for(listing: ListingId, field: GuardedField, text: &str) -> Result<Edit, StoreError> {
    let id = listing;
    Ok(match field {
        GuardedField::Price => Edit::SetField {
            id,
            field: DraftField::Price,
            text: text.to_owned(),
        },
        GuardedField::Status => match text.trim().to_ascii_lowercase().as_str() {
            // Publish relists a delisted listing and publishes a draft.
            "live" => Edit::Publish { id },
            "delisted" => Edit::Delist { id },
            "sold" => Edit::MarkSold { id },
            _ => {
                return Err(StoreError::Invalid {
                    field: Some("status".into()),
                    message: format!("status {text:?} is not one of: live, delisted, sold"),
                });
            }
        },
        GuardedField::Quantity => match text.trim().parse::<u32>() {
            Ok(quantity) => Edit::SetQuantity { id, quantity },
            Err(_) => {
                return Err(StoreError::Invalid {
                    field: Some("quantity".into()),
                    message: format!("quantity {text:?} is not a whole number"),
                });
            }
        },
    })
}
