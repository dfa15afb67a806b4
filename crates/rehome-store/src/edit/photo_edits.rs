//! Photo edits: attach, reorder, set the cover, delete, and replace a photo's
//! pixels (a rotation), with the per-draft photo cap ([`PHOTOS_MAX`]).

use super::effect::{Effect, NewIds, PhotoChange};
use crate::error::StoreError;
use crate::new_photo::NewPhoto;
use crate::rows::PhotoRow;
use crate::snapshot::Snapshot;
use rehome_model::draft::PHOTOS_MAX;
use rehome_model::sync::Mutation;
use rehome_model::{ListingId, PhotoId};

/// [`super::Edit::AttachPhoto`]: the photo goes last; its file is written with
/// the rows.
pub(super) fn attach(
    db: &Snapshot<'_>,
    id: ListingId,
    photo: NewPhoto,
    ids: &NewIds<'_>,
    now: u64,
) -> Result<Effect, StoreError> {
    let mut draft = db.live_draft(id)?;
    let sha = photo.sha256().to_owned();
    let existing = db.photos(id)?;
    check_room(&existing)?;
    let photo_id = ids.photo();
    let file = format!("{sha}.jpg");
    let position = existing.len() as u32;
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.photos.push(PhotoChange::Insert(PhotoRow {
        id: photo_id,
        listing_id: id,
        file: file.clone(),
        sha256: sha.clone(),
        byte_len: photo.jpeg().len() as u64,
        width: photo.width(),
        height: photo.height(),
        position,
        upload_offset: 0,
        upload_state: "pending".into(),
        file_missing: false,
        created_at: now,
    }));
    effect.file = Some((file, photo.into_jpeg()));
    effect.mutations.push(Mutation::AttachPhoto {
        listing_id: id,
        photo_id,
        sha256: sha,
        position,
    });
    effect.photo_id = Some(photo_id);
    Ok(effect)
}

/// [`super::Edit::ReorderPhotos`]: `order` must name every photo of the draft
/// once; only the photos whose place changed are written.
pub(super) fn reorder(
    db: &Snapshot<'_>,
    id: ListingId,
    order: Vec<PhotoId>,
    now: u64,
) -> Result<Effect, StoreError> {
    let mut draft = db.live_draft(id)?;
    let photos = db.photos(id)?;
    let mut current: Vec<PhotoId> = photos.iter().map(|p| p.id).collect();
    let mut wanted = order.clone();
    current.sort();
    wanted.sort();
    if current != wanted {
        return Err(StoreError::invalid(
            Some("photos"),
            "the new order must list every photo of the draft exactly once",
        ));
    }
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    for (i, pid) in order.iter().enumerate() {
        if let Some(p) = photos.iter().find(|p| p.id == *pid)
            && p.position != i as u32
        {
            effect.photos.push(PhotoChange::Position(*pid, i as u32));
        }
    }
    effect.mutations.push(Mutation::ReorderPhotos {
        listing_id: id,
        photo_ids: order,
    });
    Ok(effect)
}

/// [`super::Edit::SetCover`]: a reorder that moves `photo` first.
pub(super) fn set_cover(
    db: &Snapshot<'_>,
    id: ListingId,
    photo: PhotoId,
    now: u64,
) -> Result<Effect, StoreError> {
    let mut order: Vec<PhotoId> = db.photos(id)?.into_iter().map(|p| p.id).collect();
    let Some(i) = order.iter().position(|p| *p == photo) else {
        return Err(StoreError::not_found(format!("photo {photo}")));
    };
    let cover = order.remove(i);
    order.insert(0, cover);
    reorder(db, id, order, now)
}

/// [`super::Edit::DeletePhoto`]: the photos behind it move up; its file goes
/// after the commit if no other row uses it.
pub(super) fn delete(
    db: &Snapshot<'_>,
    id: ListingId,
    photo: PhotoId,
    now: u64,
) -> Result<Effect, StoreError> {
    let mut draft = db.live_draft(id)?;
    let photos = db.photos(id)?;
    let Some(gone) = photos.iter().find(|p| p.id == photo) else {
        return Err(StoreError::not_found(format!("photo {photo}")));
    };
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    effect.photos.push(PhotoChange::Delete(photo));
    effect.release_files.push(gone.file.clone());
    for (i, p) in photos.iter().filter(|p| p.id != photo).enumerate() {
        if p.position != i as u32 {
            effect.photos.push(PhotoChange::Position(p.id, i as u32));
        }
    }
    effect.mutations.push(Mutation::DetachPhoto {
        listing_id: id,
        photo_id: photo,
    });
    Ok(effect)
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
    let sha = with.sha256().to_owned();
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
        byte_len: with.jpeg().len() as u64,
        width: with.width(),
        height: with.height(),
        position,
        upload_offset: 0,
        upload_state: "pending".into(),
        file_missing: false,
        created_at: now,
    }));
    if old.file != file {
        effect.release_files.push(old.file.clone());
    }
    effect.file = Some((file, with.into_jpeg()));
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
fn check_room(photos: &[PhotoRow]) -> Result<(), StoreError> {
    if photos.len() >= PHOTOS_MAX {
        return Err(StoreError::TooManyPhotos { limit: PHOTOS_MAX });
    }
    Ok(())
}
