//! Offers: a buyer's to the seller, counters back and forth (a chain: one
//! open offer per buyer and listing), a seller's to everyone who liked the
//! listing, and the answers (accepting sells the listing to that buyer at the
//! offer and closes every other open offer on it).
//!
//! An offer is answered by its receiver: the seller for a buyer's offer, the
//! buyer for the seller's counter, and for an offer to likers one of those
//! who liked the listing when it was sent. Open offers expire after
//! `Limits::offer_ttl_ms`; an answer to an offer on a listing that sold
//! meanwhile is refused with `ErrorCode::Sold`.

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
    for_sale(&row)?;
    if row.seller_id == *user {
        return Err(reject(
            ErrorCode::Invalid,
            "listingId",
            "You cannot make an offer on your own listing",
        ));
    }
    if let Some(open) = tx.open_negotiation(listing_id, user)?
        && !expired(cx, &open)?
    {
        return Err(reject(
            ErrorCode::Conflict,
            "listingId",
            "You already have an open offer on this listing: answer it or wait for the answer",
        ));
    }
    above_floor(tx, &row, amount)?;
    open_offer(cx, &row, offer_id, Some(*user), false, None, amount)?;
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

pub(super) fn counter(
    cx: Ctx<'_>,
    offer_id: &uuid::Uuid,
    reply_to: &uuid::Uuid,
    amount: Money,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let prev = find_offer(tx, reply_to, "replyTo")?;
    let Some(buyer) = prev.buyer_id else {
        return Err(reject(
            ErrorCode::Invalid,
            "replyTo",
            "An offer to likers is taken or left, not countered: make an offer instead",
        ));
    };
    if prev.receiver() != Some(*user) {
        return Err(reject(
            ErrorCode::Forbidden,
            "replyTo",
            "This offer is not yours to counter",
        ));
    }
    let row = answerable(cx, &prev, "replyTo")?;
    let by_seller = *user == row.seller_id;
    if !by_seller {
        above_floor(tx, &row, amount)?;
    }
    tx.set_offer_status(&prev.id, "countered", None, now)?;
    open_offer(
        cx,
        &row,
        offer_id,
        Some(buyer),
        by_seller,
        Some(prev.id.clone()),
        amount,
    )?;
    notify::emit(
        tx,
        Event::Offer {
            to: if by_seller { buyer } else { row.seller_id },
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
    open_offer(cx, &row, offer_id, None, true, None, amount)?;
    // Only those who liked it now may take it: a like after the offer is
    // not a ticket to the discount.
    let likers = tx.likers(&row.id)?;
    tx.add_offer_recipients(&offer_id.to_string(), &likers)?;
    for liker in likers {
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
    let offer = find_offer(tx, offer_id, "offerId")?;
    let (buyer, allowed) = match offer.buyer_id {
        Some(buyer) => (buyer, offer.receiver() == Some(*user)),
        None => (*user, tx.is_offer_recipient(&offer.id, user)?),
    };
    if !allowed {
        let message = if offer.buyer_id.is_none() && *user != offer.seller_id {
            "Only those who liked the listing before the offer was sent can take it"
        } else {
            "This offer is not yours to accept"
        };
        return Err(reject(ErrorCode::Forbidden, "offerId", message));
    }
    let mut row = answerable(cx, &offer, "offerId")?;
    tx.set_offer_status(&offer.id, "accepted", None, now)?;
    row.price = offer.amount;
    row.price_version += 1;
    sell(tx, &mut row, now)?;
    tx.set_listing_buyer(&row.id, &buyer)?;
    let maker = if offer.by_seller {
        offer.seller_id
    } else {
        buyer
    };
    answered(cx, &offer, maker, true)
}

pub(super) fn decline(cx: Ctx<'_>, offer_id: &uuid::Uuid) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let offer = find_offer(tx, offer_id, "offerId")?;
    // An offer to likers is withdrawn by its seller; any other is declined
    // by its receiver.
    let who = offer.receiver().unwrap_or(offer.seller_id);
    if who != *user {
        return Err(reject(
            ErrorCode::Forbidden,
            "offerId",
            "This offer is not yours to decline",
        ));
    }
    answerable(cx, &offer, "offerId")?;
    tx.set_offer_status(&offer.id, "declined", None, now)?;
    if let Some(buyer) = offer.buyer_id {
        let maker = if offer.by_seller {
            offer.seller_id
        } else {
            buyer
        };
        answered(cx, &offer, maker, false)?;
    }
    Ok(())
}

pub(super) fn set_floor(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    floor: Option<Money>,
) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let row = own_listing(tx, user, listing_id)?;
    if let Some(floor) = floor {
        check_price(floor, "floor")?;
    }
    tx.set_offer_floor(&row.id, floor.map(|f| f.0))?;
    Ok(())
}

/// Records an open offer on `row`.
fn open_offer(
    cx: Ctx<'_>,
    row: &ListingRow,
    offer_id: &uuid::Uuid,
    buyer: Option<UserId>,
    by_seller: bool,
    reply_to: Option<String>,
    amount: Money,
) -> Result<(), Refusal> {
    check_price(amount, "amount")?;
    if amount.0 >= row.price {
        return Err(reject(
            ErrorCode::Invalid,
            "amount",
            "An offer must be below the price",
        ));
    }
    let offer = OfferRow {
        id: offer_id.to_string(),
        listing_id: row.id,
        seller_id: row.seller_id,
        buyer_id: buyer,
        by_seller,
        reply_to,
        amount: amount.0,
        status: "open".into(),
        closed_reason: None,
        created_at: cx.now,
        expires_at: cx.now.saturating_add(cx.limits.offer_ttl_ms),
    };
    if !cx.tx.insert_offer(&offer)? {
        return Err(reject(
            ErrorCode::Invalid,
            "offerId",
            "An offer with this id exists",
        ));
    }
    Ok(())
}

/// A buyer's price must be at least the seller's floor, when there is one.
fn above_floor(tx: &WriteTx<'_>, row: &ListingRow, amount: Money) -> Result<(), Refusal> {
    match tx.offer_floor(&row.id)? {
        Some(floor) if amount.0 < floor => Err(reject(
            ErrorCode::Invalid,
            "amount",
            &format!(
                "The seller takes no offer below {}.{:02}",
                floor / 100,
                floor % 100
            ),
        )),
        _ => Ok(()),
    }
}

fn for_sale(row: &ListingRow) -> Result<(), Refusal> {
    match row.status {
        ListingStatus::Live => Ok(()),
        ListingStatus::Sold => Err(reject(ErrorCode::Sold, "listingId", "The listing has sold")),
        _ => Err(reject(
            ErrorCode::Conflict,
            "status",
            "The listing is not for sale",
        )),
    }
}

/// The offer may still be answered (open, not expired, its listing not
/// sold meanwhile): its listing.
fn answerable(cx: Ctx<'_>, offer: &OfferRow, field: &str) -> Result<ListingRow, Refusal> {
    let row = cx
        .tx
        .listing(&offer.listing_id)?
        .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
    if row.status == ListingStatus::Sold {
        return Err(reject(
            ErrorCode::Sold,
            "listingId",
            "The listing sold meanwhile: this offer is closed",
        ));
    }
    if offer.status != "open" {
        return Err(reject(
            ErrorCode::Conflict,
            field,
            "The offer is no longer open",
        ));
    }
    if expired(cx, offer)? {
        return Err(reject(
            ErrorCode::OfferExpired,
            field,
            "The offer expired before it was answered",
        ));
    }
    for_sale(&row)?;
    Ok(row)
}

/// True if the open `offer` is past its time; it is then marked expired.
fn expired(cx: Ctx<'_>, offer: &OfferRow) -> Result<bool, Refusal> {
    if offer.status == "open" && cx.now >= offer.expires_at {
        cx.tx.set_offer_status(&offer.id, "expired", None, cx.now)?;
        return Ok(true);
    }
    Ok(false)
}

fn find_offer(tx: &WriteTx<'_>, id: &uuid::Uuid, field: &str) -> Result<OfferRow, Refusal> {
    tx.offer(&id.to_string())?
        .ok_or_else(|| reject(ErrorCode::NotFound, field, "No such offer"))
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
