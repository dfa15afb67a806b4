//! A seller's own listings: create, edit, price and quantity (each guarded by
//! its version), and the status moves (publish, delist, relist, sold, deleted).

use super::rules::{
    cas, check_fields, check_price, own_listing, publishable, seller_listing, transition,
};
use super::{Ctx, PRICE_MAX, QUANTITY_MAX, Refusal, reject, status_name};
use crate::notify::{self, Event};
use crate::problem::Problem;
use crate::storage::{ListingRow, WriteTx};
use rehome_model::sync::{GuardedField, ListingFields, ListingStatus, serde_json_value::Value};
use rehome_model::{ErrorCode, ListingId, Money};

pub(super) fn create(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    fields: &ListingFields,
    price: Money,
    quantity: u32,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    if tx.listing(listing_id)?.is_some() {
        return Err(reject(
            ErrorCode::Invalid,
            "listingId",
            "A listing with this id exists",
        ));
    }
    let most = cx.limits.max_listings;
    if tx.open_listing_count(user)? >= most {
        return Err(Refusal::Rejected(
            Problem::too_large(format!(
                "An account has at most {most} listings that are not sold or deleted"
            ))
            .with_field("max-listings"),
        ));
    }
    check_fields(fields)?;
    if !(0..=PRICE_MAX).contains(&price.0) {
        return Err(reject(ErrorCode::Invalid, "price", "price is out of range"));
    }
    if quantity == 0 || quantity > QUANTITY_MAX {
        return Err(reject(
            ErrorCode::Invalid,
            "quantity",
            "quantity must be 1 to 10000",
        ));
    }
    let row = ListingRow {
        id: *listing_id,
        seller_id: *user,
        fields: fields.clone(),
        price: price.0,
        price_version: 0,
        quantity,
        quantity_version: 0,
        status: ListingStatus::Draft,
        status_version: 0,
        like_count: 0,
        created_at: now,
        published_at: None,
    };
    tx.insert_listing(&row)?;
    Ok(())
}

pub(super) fn update(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    fields: &ListingFields,
) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let mut row = own_listing(tx, user, listing_id)?;
    check_fields(fields)?;
    rehome_model::draft::merge_fields(&mut row.fields, fields.clone());
    tx.save_listing(&row)?;
    Ok(())
}

pub(super) fn set_price(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    price: Money,
    base_version: u64,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let mut row = own_listing(tx, user, listing_id)?;
    check_price(price, "price")?;
    cas(
        row.price_version,
        base_version,
        GuardedField::Price,
        Value::Number(price.0),
        Value::Number(row.price),
    )?;
    let old = row.price;
    row.price = price.0;
    row.price_version += 1;
    tx.save_listing(&row)?;
    if price.0 < old && row.status == ListingStatus::Live {
        notify::emit(
            tx,
            Event::PriceDrop {
                listing: row.id,
                seller: row.seller_id,
                price: price.0,
            },
            now,
        )?;
    }
    Ok(())
}

pub(super) fn set_quantity(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    quantity: u32,
    base_version: u64,
) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let mut row = own_listing(tx, user, listing_id)?;
    if quantity > QUANTITY_MAX {
        return Err(reject(
            ErrorCode::Invalid,
            "quantity",
            "quantity is at most 10000",
        ));
    }
    cas(
        row.quantity_version,
        base_version,
        GuardedField::Quantity,
        Value::Number(i64::from(quantity)),
        Value::Number(i64::from(row.quantity)),
    )?;
    row.quantity = quantity;
    row.quantity_version += 1;
    tx.save_listing(&row)?;
    Ok(())
}

pub(super) fn publish(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    base_version: u64,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let mut row = own_listing(tx, user, listing_id)?;
    let first_time = row.published_at.is_none();
    go_live(
        tx,
        &mut row,
        base_version,
        &[ListingStatus::Draft, ListingStatus::Delisted],
        now,
    )?;
    if first_time {
        notify::emit(
            tx,
            Event::NewListing {
                listing: row.id,
                seller: row.seller_id,
            },
            now,
        )?;
    }
    Ok(())
}

pub(super) fn delist(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    base_version: u64,
) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let mut row = own_listing(tx, user, listing_id)?;
    transition(
        &mut row,
        base_version,
        &[ListingStatus::Live],
        ListingStatus::Delisted,
    )?;
    tx.save_listing(&row)?;
    Ok(())
}

pub(super) fn relist(
    cx: Ctx<'_>,
    listing_id: &ListingId,
    base_version: u64,
) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let mut row = own_listing(tx, user, listing_id)?;
    go_live(tx, &mut row, base_version, &[ListingStatus::Delisted], now)
}

pub(super) fn mark_sold(cx: Ctx<'_>, listing_id: &ListingId) -> Result<(), Refusal> {
    let Ctx { tx, user, now, .. } = cx;
    let mut row = seller_listing(tx, user, listing_id)?;
    match row.status {
        ListingStatus::Sold => Ok(()),
        ListingStatus::Deleted => Err(reject(
            ErrorCode::Conflict,
            "status",
            "The listing was deleted",
        )),
        _ => sell(tx, &mut row, now),
    }
}

pub(super) fn delete(cx: Ctx<'_>, listing_id: &ListingId) -> Result<(), Refusal> {
    let Ctx { tx, user, .. } = cx;
    let mut row = seller_listing(tx, user, listing_id)?;
    if row.status != ListingStatus::Deleted {
        row.status = ListingStatus::Deleted;
        row.status_version += 1;
        tx.save_listing(&row)?;
    }
    Ok(())
}

/// Publishes or relists: status compare-and-set, publish rules, then live and fresh.
fn go_live(
    tx: &WriteTx<'_>,
    row: &mut ListingRow,
    base: u64,
    from: &[ListingStatus],
    now: i64,
) -> Result<(), Refusal> {
    cas(
        row.status_version,
        base,
        GuardedField::Status,
        status_name(ListingStatus::Live),
        status_name(row.status),
    )?;
    publishable(tx, row)?;
    transition(row, base, from, ListingStatus::Live)?;
    row.published_at = Some(now);
    tx.save_listing(row)?;
    Ok(())
}

pub(super) fn sell(tx: &WriteTx<'_>, row: &mut ListingRow, now: i64) -> Result<(), Refusal> {
    row.status = ListingStatus::Sold;
    row.status_version += 1;
    tx.save_listing(row)?;
    // Every offer still open on it is closed, with the reason, and each
    // buyer in one of those negotiations hears it was declined.
    for closed in tx.close_open_offers(&row.id, "sold", now)? {
        if let Some(buyer) = closed.buyer_id {
            notify::emit(
                tx,
                Event::OfferAnswered {
                    to: buyer,
                    from: row.seller_id,
                    listing: row.id,
                    amount: closed.amount,
                    accepted: false,
                },
                now,
            )?;
        }
    }
    if tx.mark_first_sale(&row.seller_id, now)? {
        notify::emit(
            tx,
            Event::FirstSale {
                seller: row.seller_id,
                listing: row.id,
            },
            now,
        )?;
    }
    Ok(())
}
