//! Notifications, computed on the server and delivered under each user's daily
//! budget and quiet hours. Nothing is dropped: a notification that arrives over
//! budget or in quiet hours is held, and held ones fold into one digest that is
//! delivered as soon as the user is out of quiet hours with budget left (a new
//! UTC day refills the budget).

use crate::storage::{NewNotification, Storage, StorageError, WriteTx};
use rehome_model::api::{NotificationKind, NotificationSettings};
use rehome_model::{ListingId, UserId};

pub const DAY_MS: i64 = 86_400_000;

/// Something that happened and may interest someone.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// A live listing got cheaper: its likers hear.
    PriceDrop {
        listing: ListingId,
        seller: UserId,
        price: i64,
    },
    /// An offer to `to` (a seller, or a liker for an offer to likers).
    Offer {
        to: UserId,
        from: UserId,
        listing: ListingId,
        amount: i64,
    },
    OfferAnswered {
        to: UserId,
        from: UserId,
        listing: ListingId,
        amount: i64,
        accepted: bool,
    },
    /// A followed seller published: their followers hear.
    NewListing { listing: ListingId, seller: UserId },
    /// The seller's first sale.
    FirstSale { seller: UserId, listing: ListingId },
}

/// True when minute-of-day `minute` falls in `[start, end)` (which may wrap midnight).
pub fn in_quiet_hours(settings: &NotificationSettings, now: i64) -> bool {
    let (Some(start), Some(end)) = (settings.quiet_start, settings.quiet_end) else {
        return false;
    };
    let minute = (now.rem_euclid(DAY_MS) / 60_000) as u32;
    if start <= end {
        (start..end).contains(&minute)
    } else {
        minute >= start || minute < end
    }
}

/// A notification to deliver: (recipient, kind, listing, actor, amount).
type Pending = (
    UserId,
    NotificationKind,
    ListingId,
    Option<UserId>,
    Option<i64>,
);

/// Stores `event`'s notifications, each delivered or held.
pub fn emit(tx: &WriteTx<'_>, event: Event, now: i64) -> Result<(), StorageError> {
    let mut out: Vec<Pending> = Vec::new();
    match event {
        Event::PriceDrop {
            listing,
            seller,
            price,
        } => {
            for liker in tx.likers(&listing)? {
                out.push((
                    liker,
                    NotificationKind::PriceDrop,
                    listing,
                    Some(seller),
                    Some(price),
                ));
            }
        }
        Event::Offer {
            to,
            from,
            listing,
            amount,
        } => out.push((
            to,
            NotificationKind::Offer,
            listing,
            Some(from),
            Some(amount),
        )),
        Event::OfferAnswered {
            to,
            from,
            listing,
            amount,
            accepted,
        } => {
            let kind = if accepted {
                NotificationKind::OfferAccepted
            } else {
                NotificationKind::OfferDeclined
            };
            out.push((to, kind, listing, Some(from), Some(amount)));
        }
        Event::NewListing { listing, seller } => {
            for follower in tx.followers(&seller)? {
                out.push((
                    follower,
                    NotificationKind::NewListing,
                    listing,
                    Some(seller),
                    None,
                ));
            }
        }
        Event::FirstSale { seller, listing } => {
            out.push((seller, NotificationKind::FirstSale, listing, None, None))
        }
    }
    for (user, kind, listing, actor, amount) in out {
        deliver(tx, user, kind, Some(listing), actor, amount, now)?;
    }
    Ok(())
}

fn deliver(
    tx: &WriteTx<'_>,
    user: UserId,
    kind: NotificationKind,
    listing: Option<ListingId>,
    actor: Option<UserId>,
    amount: Option<i64>,
    now: i64,
) -> Result<(), StorageError> {
    let Some(settings) = tx.notification_settings(&user)? else {
        return Ok(());
    };
    let day = now.div_euclid(DAY_MS);
    // Anything already held is delivered first (as a digest), so order is kept.
    flush_in(tx, &user, &settings, now)?;
    let open = !in_quiet_hours(&settings, now)
        && tx.held_count(&user)? == 0
        && tx.delivered_on_day(&user, day)? < settings.daily_budget;
    tx.insert_notification(&NewNotification {
        user_id: user,
        kind,
        listing_id: listing,
        actor_id: actor,
        amount,
        count: 1,
        created_at: now,
        day,
        state: if open { "delivered" } else { "held" },
    })
}

fn flush_in(
    tx: &WriteTx<'_>,
    user: &UserId,
    settings: &NotificationSettings,
    now: i64,
) -> Result<(), StorageError> {
    let day = now.div_euclid(DAY_MS);
    if in_quiet_hours(settings, now) || tx.delivered_on_day(user, day)? >= settings.daily_budget {
        return Ok(());
    }
    let held = tx.fold_held(user)?;
    if held == 0 {
        return Ok(());
    }
    tx.insert_notification(&NewNotification {
        user_id: *user,
        kind: NotificationKind::Digest,
        listing_id: None,
        actor_id: None,
        amount: None,
        count: held,
        created_at: now,
        day,
        state: "delivered",
    })
}

/// Delivers `user`'s held notifications as one digest if the budget and quiet
/// hours allow it now (called when the inbox is read). Only then does it take
/// the writer: with nothing held (nearly every read of the inbox) it reads.
pub fn flush(store: &Storage, user: &UserId, now: i64) -> Result<(), StorageError> {
    if store.held_notifications(user)? == 0 {
        return Ok(());
    }
    store.write(|tx| {
        let Some(settings) = tx.notification_settings(user)? else {
            return Ok(());
        };
        flush_in(tx, user, &settings, now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_may_wrap_midnight() {
        let at = |h: i64, m: i64| 3 * DAY_MS + h * 3_600_000 + m * 60_000;
        let s = |start, end| NotificationSettings {
            daily_budget: 5,
            quiet_start: Some(start),
            quiet_end: Some(end),
        };
        for (settings, now, quiet) in [
            (s(22 * 60, 7 * 60), at(23, 0), true),
            (s(22 * 60, 7 * 60), at(6, 59), true),
            (s(22 * 60, 7 * 60), at(7, 0), false),
            (s(22 * 60, 7 * 60), at(12, 0), false),
            (s(13 * 60, 14 * 60), at(13, 30), true),
            (s(13 * 60, 14 * 60), at(14, 0), false),
        ] {
            assert_eq!(in_quiet_hours(&settings, now), quiet, "{settings:?} {now}");
        }
        let none = NotificationSettings {
            daily_budget: 5,
            quiet_start: None,
            quiet_end: None,
        };
        assert!(!in_quiet_hours(&none, at(23, 0)));
    }
}
