//! Photo edits that are not a plain attach/reorder/delete: replacing a photo's
//! pixels (a rotation) and the per-draft photo cap ([`PHOTOS_MAX`]). Kept
//! apart from the rest of `edit.rs` so photo work and lifecycle work do not
//! touch the same lines.

use super::{Effect, NewPhoto, PHOTO_BYTES_MAX, PhotoChange, hex};
use crate::error::StoreError;
use crate::rows::PhotoRow;
use crate::snapshot::Snapshot;
use rehome_model::draft::PHOTOS_MAX;
use rehome_model::sync::Mutation;
use rehome_model::{ListingId, PhotoId};
use sha2::{Digest, Sha256};

/// Checks a photo's size and hash; returns its lower-case hex SHA-256.
pub(super) fn checked_sha256(photo: &NewPhoto) -> Result<String, StoreError> {
    if photo.jpeg.is_empty() || photo.jpeg.len() > PHOTO_BYTES_MAX {
        return Err(StoreError::invalid(
            Some("photos"),
            format!(
                "a photo must be 1 byte to {} MiB (got {} bytes)",
                PHOTO_BYTES_MAX >> 20,
                photo.jpeg.len()
            ),
        ));
    }
    let sha = hex(&Sha256::digest(&photo.jpeg));
    if sha != photo.sha256.to_ascii_lowercase() {
        return Err(StoreError::invalid(
            Some("photos"),
            "the photo's SHA-256 does not match its bytes",
        ));
    }
    Ok(sha)
}

/// [`super::Edit::ReplacePhoto`]: the new pixels become a new photo (a new id,
/// a new content-addressed file) in the old one's place, and the old one goes.
///
/// The server names a photo by its bytes, so a changed photo is a detach of
/// the old and an attach of the new at the same position, in one outbox
/// order that the server accepts in every state: with one photo, attach first
/// (a live listing keeps at least one photo); with more, detach first (so a
/// listing at the photo cap never goes over it).
pub(super) fn replace(
    db: &Snapshot<'_>,
    id: ListingId,
    photo: PhotoId,
    replaced_sha256: &str,
    with: NewPhoto,
    new_id: PhotoId,
    now: u64,
) -> Result<Effect, StoreError> {
    let mut draft = db.live_draft(id)?;
    let photos = db.photos(id)?;
    let Some(old) = photos.iter().find(|p| p.id == photo) else {
        return Err(StoreError::not_found(format!("photo {photo}")));
    };
    if !old.sha256.eq_ignore_ascii_case(replaced_sha256) {
        return Err(StoreError::invalid(
            Some("photos"),
            "the photo changed meanwhile; try again",
        ));
    }
    let sha = checked_sha256(&with)?;
    let file = format!("{sha}.jpg");
    let position = old.position;
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.photos.push(PhotoChange::Delete(photo));
    effect.photos.push(PhotoChange::Insert(PhotoRow {
        id: new_id,
        listing_id: id,
        file: file.clone(),
        sha256: sha.clone(),
        byte_len: with.jpeg.len() as u64,
        width: with.width,
        height: with.height,
        position,
        upload_offset: 0,
        upload_state: "pending".into(),
        file_missing: false,
        created_at: now,
    }));
    if old.file != file {
        effect.release_files.push(old.file.clone());
    }
    effect.file = Some((file, with.jpeg));
    let detach = Mutation::DetachPhoto {
        listing_id: id,
        photo_id: photo,
    };
    let attach = Mutation::AttachPhoto {
        listing_id: id,
        photo_id: new_id,
        sha256: sha,
        position,
    };
    if photos.len() == 1 {
        effect.mutations.extend([attach, detach]);
    } else {
        effect.mutations.extend([detach, attach]);
    }
    effect.photo_id = Some(new_id);
    Ok(effect)
}

/// Refuses a photo beyond [`PHOTOS_MAX`] for a draft that has `photos`.
pub(super) fn check_room(photos: &[PhotoRow]) -> Result<(), StoreError> {
    if photos.len() >= PHOTOS_MAX {
        return Err(StoreError::TooManyPhotos { limit: PHOTOS_MAX });
    }
    Ok(())
}
