//! Likes and follows.

use super::rules::visible_listing;
use super::{Ctx, Refusal, reject};
use rehome_model::{ErrorCode, ListingId, UserId};

pub(super) fn like(cx: Ctx<'_>, listing_id: &ListingId) -> Result<(), Refusal> {
    let Ctx { tx, user, now } = cx;
    let row = visible_listing(tx, listing_id)?;
    tx.like(user, &row.id, now)?;
    Ok(())
}

pub(super) fn unlike(cx: Ctx<'_>, listing_id: &ListingId) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    tx.unlike(user, listing_id)?;
    Ok(())
}

pub(super) fn follow(cx: Ctx<'_>, seller_id: &UserId) -> Result<(), Refusal> {
    let Ctx { tx, user, now } = cx;
    if seller_id == user {
        return Err(reject(
            ErrorCode::Invalid,
            "sellerId",
            "You cannot follow yourself",
        ));
    }
    if !tx.user_exists(seller_id)? {
        return Err(reject(ErrorCode::NotFound, "sellerId", "No such seller"));
    }
    tx.follow(user, seller_id, now)?;
    Ok(())
}

pub(super) fn unfollow(cx: Ctx<'_>, seller_id: &UserId) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    tx.unfollow(user, seller_id)?;
    Ok(())
}
