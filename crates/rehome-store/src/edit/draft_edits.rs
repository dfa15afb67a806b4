//! Edits to a draft as a whole: create, set one field, duplicate, and the
//! delete that can be undone for a while before it is purged for good.

use super::effect::{Effect, NewIds, PhotoChange};
use crate::error::StoreError;
use crate::rows::{DraftRow, PhotoRow};
use crate::snapshot::Snapshot;
use rehome_model::draft::{DraftField, DraftValues, parse_draft, parse_field, parse_price};
use rehome_model::sync::{ListingFields, Mutation};
use rehome_model::{ListingId, Money};

/// The most text one field may hold (far above any validation limit: this only
/// stops a runaway paste from filling the disk).
pub const FIELD_BYTES_MAX: usize = 64 * 1024;
/// How long a deleted draft can be brought back.
pub const UNDO_WINDOW_MS: u64 = 10 * 60 * 1000;

/// [`super::Edit::CreateDraft`].
pub(super) fn create(
    values: DraftValues,
    ids: &NewIds<'_>,
    now: u64,
) -> Result<Effect, StoreError> {
    check_sizes(&values)?;
    let id = ids.listing();
    let draft = DraftRow::new(id, values, now);
    let mut effect = Effect::update(draft);
    effect.is_new = true;
    effect.mutations.push(create_mutation(&effect.draft));
    Ok(effect)
}

/// [`super::Edit::SetField`]: the text is kept exactly as typed; the mutation
/// carries it only when it parses to a wire value.
pub(super) fn set_field(
    db: &Snapshot<'_>,
    id: ListingId,
    field: DraftField,
    text: String,
    now: u64,
) -> Result<Effect, StoreError> {
    if text.len() > FIELD_BYTES_MAX {
        return Err(StoreError::invalid(
            Some(field.as_str()),
            format!("{field} is far too long to keep ({} bytes)", text.len()),
        ));
    }
    let mut draft = db.live_draft(id)?;
    draft.values.set(field, text.clone());
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    if field == DraftField::Price {
        if let Ok(price) = parse_price(&text) {
            effect.mutations.push(Mutation::SetPrice {
                listing_id: id,
                price,
                base_version: db.versions(id)?.price,
            });
        }
    } else if let Some(fields) = parse_field(field, &text) {
        effect.mutations.push(Mutation::UpdateListing {
            listing_id: id,
            fields,
        });
    }
    // Text that does not parse to a wire value (price "abc") stays
    // on the device: the draft row has it, the server keeps its last
    // valid value, and publish is refused until it is fixed.
    Ok(effect)
}

/// [`super::Edit::DuplicateDraft`]: a new draft with the same values, sharing
/// the photo files under new photo ids.
pub(super) fn duplicate(
    db: &Snapshot<'_>,
    from: ListingId,
    ids: &NewIds<'_>,
    now: u64,
) -> Result<Effect, StoreError> {
    let source = db.live_draft(from)?;
    let id = ids.listing();
    let draft = DraftRow::new(id, source.values.clone(), now);
    let mut effect = Effect::update(draft);
    effect.is_new = true;
    effect.mutations.push(create_mutation(&effect.draft));
    for (position, p) in db.photos(from)?.into_iter().enumerate() {
        let photo_id = ids.photo();
        effect.mutations.push(Mutation::AttachPhoto {
            listing_id: id,
            photo_id,
            sha256: p.sha256.clone(),
            position: position as u32,
        });
        effect.photos.push(PhotoChange::Insert(PhotoRow {
            id: photo_id,
            listing_id: id,
            position: position as u32,
            upload_offset: 0,
            upload_state: "pending".into(),
            created_at: now,
            ..p
        }));
    }
    Ok(effect)
}

/// [`super::Edit::DeleteDraft`]: hidden now, local only while it can be undone.
pub(super) fn delete(db: &Snapshot<'_>, id: ListingId, now: u64) -> Result<Effect, StoreError> {
    let mut draft = db.live_draft(id)?;
    draft.deleted_at = Some(now);
    draft.undo_until = Some(now + UNDO_WINDOW_MS);
    draft.updated_at = now;
    // Local only while it can be undone: the server hears of it
    // in `Purge`, when the window has passed.
    Ok(Effect::update(draft))
}

/// [`super::Edit::UndoDelete`], until the window ends.
pub(super) fn undo_delete(
    db: &Snapshot<'_>,
    id: ListingId,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let mut draft = db.draft(id)?;
    match (draft.deleted_at, draft.undo_until) {
        (None, _) => return Ok(None),
        (Some(_), Some(until)) if until >= now && draft.status != "deleted" => {}
        _ => {
            return Err(StoreError::invalid(
                None,
                "too late to undo: the draft is deleted for good",
            ));
        }
    }
    draft.deleted_at = None;
    draft.undo_until = None;
    draft.updated_at = now;
    Ok(Some(Effect::update(draft)))
}

/// [`super::Edit::Purge`]: deleted for good, its photos released, and the
/// server told.
pub(super) fn purge(
    db: &Snapshot<'_>,
    id: ListingId,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let mut draft = db.draft(id)?;
    if draft.status == "deleted" {
        return Ok(None);
    }
    draft.status = "deleted".into();
    draft.deleted_at = draft.deleted_at.or(Some(now));
    draft.undo_until = None;
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    for p in db.photos(id)? {
        effect.photos.push(PhotoChange::Delete(p.id));
        effect.release_files.push(p.file);
    }
    effect
        .mutations
        .push(Mutation::DeleteListing { listing_id: id });
    Ok(Some(effect))
}

fn check_sizes(values: &DraftValues) -> Result<(), StoreError> {
    for field in DraftField::ALL {
        if values.get(*field).len() > FIELD_BYTES_MAX {
            return Err(StoreError::invalid(
                Some(field.as_str()),
                format!("{field} is far too long to keep"),
            ));
        }
    }
    Ok(())
}

/// The create mutation for a new draft: every field whose text parses. A draft
/// with no valid price yet is created with price 0 (a server draft is
/// incomplete by nature; Publish is what validates).
fn create_mutation(draft: &DraftRow) -> Mutation {
    let parsed = parse_draft(&draft.values);
    Mutation::CreateListing {
        listing_id: draft.id,
        fields: without_empty_text(parsed.fields),
        price: parsed.price.unwrap_or(Money(0)),
        quantity: 1,
    }
}

fn without_empty_text(mut f: ListingFields) -> ListingFields {
    for slot in [
        &mut f.title,
        &mut f.description,
        &mut f.brand,
        &mut f.size,
        &mut f.colour,
        &mut f.sku,
    ] {
        if slot.as_deref() == Some("") {
            *slot = None;
        }
    }
    f
}
