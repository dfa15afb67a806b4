//! A listing's life after publishing: relist and quantity (delist and mark
//! sold are in `edit.rs`), and the quantity the device shows. Kept apart from
//! the rest of `edit.rs` so photo work and lifecycle work do not touch the
//! same lines.
//!
//! Status and quantity are guarded fields: each edit carries the version of
//! the server's value it was based on (from the confirmed copy), which the
//! server compares and sets, exactly like a price edit.

use super::Effect;
use crate::store::Store;
use crate::error::StoreError;
use crate::rows::DraftRow;
use crate::snapshot::Snapshot;
use rehome_model::ListingId;
use rehome_model::sync::Mutation;

/// The most units one listing may offer (the server's limit).
pub const QUANTITY_MAX: u32 = 10_000;

/// Refuses any status or quantity change once the listing is sold (sold is
/// final) or deleted.
fn not_final(draft: &DraftRow, what: &str) -> Result<(), StoreError> {
    match draft.status.as_str() {
        "sold" | "deleted" => Err(StoreError::invalid(
            None,
            format!("a {} listing cannot be {what}", draft.status),
        )),
        _ => Ok(()),
    }
}

/// [`super::Edit::Relist`]: only a delisted listing goes back on the
/// marketplace. The rest is a publish of a delisted listing (the checklist,
/// then queued with a `Relist` mutation based on the confirmed status version).
pub(super) fn check_relist(db: &Snapshot<'_>, id: ListingId) -> Result<(), StoreError> {
    let draft = db.live_draft(id)?;
    not_final(&draft, "relisted")?;
    if draft.status != "delisted" {
        return Err(StoreError::invalid(
            None,
            format!(
                "only a delisted listing can be relisted (this one is {})",
                draft.status
            ),
        ));
    }
    Ok(())
}

/// [`super::Edit::SetQuantity`]: how many units are for sale, 1 to
/// [`QUANTITY_MAX`] (a listing with none left is marked sold instead). Setting
/// the quantity it already has changes nothing.
pub(super) fn set_quantity(
    db: &Snapshot<'_>,
    id: ListingId,
    quantity: u32,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let mut draft = db.live_draft(id)?;
    not_final(&draft, "given a new quantity")?;
    if !(1..=QUANTITY_MAX).contains(&quantity) {
        return Err(StoreError::invalid(
            Some("quantity"),
            format!("quantity is 1 to {QUANTITY_MAX} (mark it sold when none are left)"),
        ));
    }
    if db.quantity(id)? == quantity {
        return Ok(None);
    }
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.mutations.push(Mutation::SetQuantity {
        listing_id: id,
        quantity,
        base_version: db.versions(id)?.quantity,
    });
    Ok(Some(effect))
}

impl Store {
    /// How many units of listing `id` are for sale, as this device shows it
    /// (its own pending edit if any, else the server's value).
    pub fn quantity(&self, id: ListingId) -> Result<u32, StoreError> {
        self.read(|c| {
            let db = Snapshot::new(c);
            db.live_draft(id)?;
            db.quantity(id)
        })
    }
}
