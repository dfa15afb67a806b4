//! A listing's photo list: attach (by content hash, at a position), detach,
//! reorder.

use super::rules::own_listing;
use super::{Ctx, PHOTOS_MAX, Refusal, reject};
use rehome_model::sync::ListingStatus;
use rehome_model::{ErrorCode, ListingId, PhotoId};

pub(super) fn attach(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    photo_id: &PhotoId,
    sha256: &str,
    position: u32,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let row = own_listing(tx, user, listing_id)?;
    if !crate::blobs::is_sha256_hex(sha256) {
        return Err(reject(
            ErrorCode::Invalid,
            "sha256",
            "sha256 is 64 lower-case hex digits",
        ));
    }
    let pid = photo_id.to_string();
    if let Some((owner, _)) = tx.photo(&pid)?
        && owner.as_deref() != Some(user.to_string().as_str())
    {
        return Err(reject(
            ErrorCode::Forbidden,
            "photoId",
            "This photo belongs to someone else",
        ));
    }
    let mut ids: Vec<String> = tx
        .attached_photos(&row.id)?
        .into_iter()
        .map(|p| p.photo_id)
        .filter(|p| *p != pid)
        .collect();
    if ids.len() >= PHOTOS_MAX {
        return Err(reject(
            ErrorCode::Invalid,
            "photos",
            &format!("A listing has at most {PHOTOS_MAX} photos"),
        ));
    }
    // The content the client hashed may be kept stripped of its metadata.
    let kept = tx.kept_sha(sha256)?;
    tx.upsert_photo(&pid, &kept, user, now)?;
    let at = (position as usize).min(ids.len());
    ids.insert(at, pid);
    tx.set_listing_photos(&row.id, &ids)?;
    Ok(())
}

pub(super) fn detach(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    photo_id: &PhotoId,
) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let row = own_listing(tx, user, listing_id)?;
    let pid = photo_id.to_string();
    let ids: Vec<String> = tx
        .attached_photos(&row.id)?
        .into_iter()
        .map(|p| p.photo_id)
        .filter(|p| *p != pid)
        .collect();
    if row.status == ListingStatus::Live && ids.is_empty() {
        return Err(reject(
            ErrorCode::Invalid,
            "photoId",
            "A live listing keeps at least one photo",
        ));
    }
    tx.set_listing_photos(&row.id, &ids)?;
    Ok(())
}

pub(super) fn reorder(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    photo_ids: &[PhotoId],
) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let row = own_listing(tx, user, listing_id)?;
    let mut current: Vec<String> = tx
        .attached_photos(&row.id)?
        .into_iter()
        .map(|p| p.photo_id)
        .collect();
    let mut wanted: Vec<String> = photo_ids.iter().map(|p| p.to_string()).collect();
    let order = wanted.clone();
    current.sort();
    wanted.sort();
    if current != wanted {
        return Err(reject(
            ErrorCode::Invalid,
            "photoIds",
            "photoIds must list exactly the attached photos",
        ));
    }
    tx.set_listing_photos(&row.id, &order)?;
    Ok(())
}
