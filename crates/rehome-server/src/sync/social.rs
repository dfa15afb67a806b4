//! Likes and follows.

use super::rules::visible_listing;
use super::{Ctx, Refusal, reject};
use rehome_model::sync::ListingStatus;
use rehome_model::{ErrorCode, ListingId, UserId};

/// A like of a listing that is no longer for sale (sold, delisted, gone) is
/// refused as `not_found`, which the device settles quietly (the like drops);
/// a like made before the sale stays, and the Likes list shows it sold.
pub(super) fn like(cx: Ctx<'_>, listing_id: &ListingId) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let row = visible_listing(tx, listing_id)?;
    if tx.has_liked(user, &row.id)? {
        return Ok(());
    }
    let gone = match row.status {
        ListingStatus::Live => None,
        ListingStatus::Sold => Some("This listing has sold"),
        _ => Some("This listing is no longer for sale"),
    };
    if let Some(why) = gone {
        return Err(reject(ErrorCode::NotFound, "listingId", why));
    }
    tx.like(user, &row.id, now)?;
    Ok(())
}

pub(super) fn unlike(cx: Ctx<'_>, listing_id: &ListingId) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    tx.unlike(user, listing_id)?;
    Ok(())
}

pub(super) fn follow(cx: Ctx<'_>, seller_id: &UserId) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
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
