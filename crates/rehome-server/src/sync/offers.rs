//! Offers: a buyer's to the seller, a seller's to everyone who liked the
//! listing, and the answers (accepting sells the listing at the offer).

use super::listings::sell;
use super::rules::{check_price, own_listing, visible_listing};
use super::{Ctx, Refusal, reject};
use crate::notify::{self, Event};
use crate::storage::{ListingRow, OfferRow, WriteTx};
use rehome_model::sync::ListingStatus;
use rehome_model::{ErrorCode, ListingId, Money, UserId};

pub(super) fn make(
    cx: Ctx<'_>,
    offer_id: &uuid::Uuid,
    listing_id: &ListingId,
    amount: Money,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let row = visible_listing(tx, listing_id)?;
    if row.status != ListingStatus::Live {
        return Err(reject(
            ErrorCode::Conflict,
            "status",
            "The listing is not for sale",
        ));
    }
    if row.seller_id == *user {
        return Err(reject(
            ErrorCode::Invalid,
            "listingId",
            "You cannot make an offer on your own listing",
        ));
    }
    open_offer(tx, &row, offer_id, Some(*user), amount, now)?;
    notify::emit(
        tx,
        Event::Offer {
            to: row.seller_id,
            from: *user,
            listing: row.id,
            amount: amount.0,
        },
        now,
    )?;
    Ok(())
}

pub(super) fn to_likers(
    cx: Ctx<'_>,
    offer_id: &uuid::Uuid,
    listing_id: &ListingId,
    amount: Money,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let row = own_listing(tx, user, listing_id)?;
    if row.status != ListingStatus::Live {
        return Err(reject(
            ErrorCode::Invalid,
            "listingId",
            "Only a live listing can be offered",
        ));
    }
    open_offer(tx, &row, offer_id, None, amount, now)?;
    for liker in tx.likers(&row.id)? {
        notify::emit(
            tx,
            Event::Offer {
                to: liker,
                from: *user,
                listing: row.id,
                amount: amount.0,
            },
            now,
        )?;
    }
    Ok(())
}

pub(super) fn accept(cx: Ctx<'_>, offer_id: &uuid::Uuid) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let offer = find_offer(tx, offer_id)?;
    still_open(&offer)?;
    // A buyer's offer is accepted by the seller; an offer to likers by a liker.
    let (buyer, allowed) = match offer.buyer_id {
        Some(buyer) => (buyer, offer.seller_id == *user),
        None => (*user, tx.has_liked(user, &offer.listing_id)?),
    };
    if !allowed {
        return Err(reject(
            ErrorCode::Forbidden,
            "offerId",
            "This offer is not yours to accept",
        ));
    }
    let mut row = tx
        .listing(&offer.listing_id)?
        .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
    if row.status != ListingStatus::Live {
        return Err(reject(
            ErrorCode::Conflict,
            "status",
            "The listing is not for sale",
        ));
    }
    tx.set_offer_status(&offer.id, "accepted")?;
    row.price = offer.amount;
    row.price_version += 1;
    sell(tx, &mut row, now)?;
    let to = if offer.buyer_id.is_some() {
        buyer
    } else {
        offer.seller_id
    };
    answered(cx, &offer, to, true)
}

pub(super) fn decline(cx: Ctx<'_>, offer_id: &uuid::Uuid) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let offer = find_offer(tx, offer_id)?;
    if offer.seller_id != *user {
        return Err(reject(
            ErrorCode::Forbidden,
            "offerId",
            "This offer is not yours to decline",
        ));
    }
    still_open(&offer)?;
    tx.set_offer_status(&offer.id, "declined")?;
    if let Some(buyer) = offer.buyer_id {
        answered(cx, &offer, buyer, false)?;
    }
    Ok(())
}

/// Records an open offer on `row` (from `buyer`, or to all likers when `None`).
fn open_offer(
    tx: &WriteTx<'_>,
    row: &ListingRow,
    offer_id: &uuid::Uuid,
    buyer: Option<UserId>,
    amount: Money,
    now: i64,
) -> Result<(), Refusal> {
    check_price(amount, "amount")?;
    if amount.0 >= row.price {
        return Err(reject(
            ErrorCode::Invalid,
            "amount",
            "An offer is below the price",
        ));
    }
    let offer = OfferRow {
        id: offer_id.to_string(),
        listing_id: row.id,
        seller_id: row.seller_id,
        buyer_id: buyer,
        amount: amount.0,
        status: "open".into(),
    };
    if !tx.insert_offer(&offer, now)? {
        return Err(reject(
            ErrorCode::Invalid,
            "offerId",
            "An offer with this id exists",
        ));
    }
    Ok(())
}

fn find_offer(tx: &WriteTx<'_>, id: &uuid::Uuid) -> Result<OfferRow, Refusal> {
    tx.offer(&id.to_string())?
        .ok_or_else(|| reject(ErrorCode::NotFound, "offerId", "No such offer"))
}

fn still_open(offer: &OfferRow) -> Result<(), Refusal> {
    if offer.status == "open" {
        Ok(())
    } else {
        Err(reject(
            ErrorCode::Conflict,
            "offerId",
            "The offer is no longer open",
        ))
    }
}

/// Tells `to` that `offer` was accepted or declined by the caller.
fn answered(cx: Ctx<'_>, offer: &OfferRow, to: UserId, accepted: bool) -> Result<(), Refusal> {
    notify::emit(
        cx.tx,
        Event::OfferAnswered {
            to,
            from: *cx.user,
            listing: offer.listing_id,
            amount: offer.amount,
            accepted,
        },
        cx.now,
    )?;
    Ok(())
}
