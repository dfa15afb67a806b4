//! A listing's life on the marketplace: publish, delist, mark sold, relist
//! and quantity, and the quantity the device shows.
//!
//! Status and quantity are guarded fields: each edit carries the version of
//! the server's value it was based on (from the confirmed copy), which the
//! server compares and sets, exactly like a price edit.

use super::effect::Effect;
use crate::error::StoreError;
use crate::rows::DraftRow;
use crate::snapshot::Snapshot;
use crate::store::Store;
use rehome_model::ListingId;
use rehome_model::draft::readiness;
use rehome_model::sync::Mutation;

/// The most units one listing may offer (the server's limit).
pub const QUANTITY_MAX: u32 = 10_000;

/// [`super::Edit::Publish`]: queued for the marketplace once the checklist is
/// complete (a `Relist` when the listing was delisted). Publishing what is
/// already queued or live changes nothing.
pub(super) fn publish(
    db: &Snapshot<'_>,
    id: ListingId,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let mut draft = db.live_draft(id)?;
    match draft.status.as_str() {
        "draft" | "delisted" => {}
        "queued" | "live" => return Ok(None),
        other => {
            return Err(StoreError::invalid(
                None,
                format!("a {other} listing cannot be published"),
            ));
        }
    }
    let photos = db.photos(id)?;
    let missing = photos.iter().filter(|p| p.file_missing).count();
    let ready = readiness(&draft.values, photos.len(), missing);
    if !ready.ready {
        return Err(StoreError::NotReady(ready));
    }
    let base_version = db.versions(id)?.status;
    let relist = draft.status == "delisted";
    draft.status = "queued".into();
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.mutations.push(if relist {
        Mutation::Relist {
            listing_id: id,
            base_version,
        }
    } else {
        Mutation::Publish {
            listing_id: id,
            base_version,
        }
    });
    Ok(Some(effect))
}

/// [`super::Edit::Delist`]: off the marketplace (publish again to relist).
pub(super) fn delist(
    db: &Snapshot<'_>,
    id: ListingId,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let mut draft = db.live_draft(id)?;
    match draft.status.as_str() {
        "live" | "queued" => {}
        "delisted" => return Ok(None),
        other => {
            return Err(StoreError::invalid(
                None,
                format!("a {other} listing cannot be delisted"),
            ));
        }
    }
    let base_version = db.versions(id)?.status;
    draft.status = "delisted".into();
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.mutations.push(Mutation::Delist {
        listing_id: id,
        base_version,
    });
    Ok(Some(effect))
}

/// [`super::Edit::MarkSold`]: sold always wins over concurrent edits.
pub(super) fn mark_sold(
    db: &Snapshot<'_>,
    id: ListingId,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let mut draft = db.live_draft(id)?;
    if draft.status == "sold" {
        return Ok(None);
    }
    draft.status = "sold".into();
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.mutations.push(Mutation::MarkSold { listing_id: id });
    Ok(Some(effect))
}

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
pub(super) fn relist(
    db: &Snapshot<'_>,
    id: ListingId,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
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
    publish(db, id, now)
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
