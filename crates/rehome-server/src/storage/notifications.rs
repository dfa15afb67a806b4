//! Notifications: delivered, held back by a budget or quiet hours, and folded
//! into digests.

use super::db::{Result, Storage, WriteTx};
use rehome_model::api::{Notification, NotificationKind};
use rehome_model::{ListingId, Money, SellerRef, UserId};
use rusqlite::params;

pub fn kind_str(k: NotificationKind) -> &'static str {
    match k {
        NotificationKind::PriceDrop => "price_drop",
        NotificationKind::Offer => "offer",
        NotificationKind::OfferAccepted => "offer_accepted",
        NotificationKind::OfferDeclined => "offer_declined",
        NotificationKind::NewListing => "new_listing",
        NotificationKind::FirstSale => "first_sale",
        NotificationKind::Digest => "digest",
    }
}

fn parse_kind(s: &str) -> NotificationKind {
    match s {
        "price_drop" => NotificationKind::PriceDrop,
        "offer" => NotificationKind::Offer,
        "offer_accepted" => NotificationKind::OfferAccepted,
        "offer_declined" => NotificationKind::OfferDeclined,
        "new_listing" => NotificationKind::NewListing,
        "first_sale" => NotificationKind::FirstSale,
        _ => NotificationKind::Digest,
    }
}

/// A notification to store for a user.
#[derive(Clone, Debug)]
pub struct NewNotification {
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub listing_id: Option<ListingId>,
    pub actor_id: Option<UserId>,
    pub amount: Option<i64>,
    pub count: u32,
    pub created_at: i64,
    pub day: i64,
    /// delivered | held
    pub state: &'static str,
}

const HELD_COUNT: &str = "SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND state = 'held'";

impl Storage {
    /// How many notifications are held back for `user` (read only).
    pub fn held_notifications(&self, user: &UserId) -> Result<u32> {
        self.read(|c| {
            c.prepare_cached(HELD_COUNT)?
                .query_row([user.to_string()], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as u32)
        })
    }

    /// Delivered notifications for `user`, newest first, after id `before` (exclusive).
    pub fn notifications(
        &self,
        user: &UserId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT n.id, n.kind, n.listing_id, n.actor_id, u.handle, n.amount, n.count, n.created_at \
                 FROM notifications n LEFT JOIN users u ON u.id = n.actor_id \
                 WHERE n.user_id = ?1 AND n.state = 'delivered' AND n.id < ?2 \
                 ORDER BY n.id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![user.to_string(), before.unwrap_or(i64::MAX), limit], |r| {
                let listing: Option<String> = r.get(2)?;
                let actor: Option<String> = r.get(3)?;
                let handle: Option<String> = r.get(4)?;
                Ok(Notification {
                    id: r.get(0)?,
                    kind: parse_kind(&r.get::<_, String>(1)?),
                    listing_id: listing.and_then(|l| l.parse().ok()),
                    actor: match (actor.and_then(|a| a.parse().ok()), handle) {
                        (Some(id), Some(handle)) => Some(SellerRef { id, handle }),
                        _ => None,
                    },
                    amount: r.get::<_, Option<i64>>(5)?.map(Money),
                    count: r.get::<_, i64>(6)?.max(0) as u32,
                    created_at: r.get(7)?,
                })
            })?;
            rows.collect()
        })
    }
}

impl WriteTx<'_> {
    /// Notifications delivered to `user` on UTC day `day` (digests included).
    pub fn delivered_on_day(&self, user: &UserId, day: i64) -> Result<u32> {
        Ok(self.tx.query_row(
            "SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND day = ?2 AND state = 'delivered'",
            params![user.to_string(), day],
            |r| r.get::<_, i64>(0),
        )? as u32)
    }

    pub fn insert_notification(&self, n: &NewNotification) -> Result<()> {
        self.tx.execute(
            "INSERT INTO notifications (user_id, kind, listing_id, actor_id, amount, count, created_at, day, state) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                n.user_id.to_string(),
                kind_str(n.kind),
                n.listing_id.map(|l| l.to_string()),
                n.actor_id.map(|a| a.to_string()),
                n.amount,
                n.count,
                n.created_at,
                n.day,
                n.state
            ],
        )?;
        Ok(())
    }

    /// How many notifications are held back for `user`, and folds them (marks them folded).
    pub fn fold_held(&self, user: &UserId) -> Result<u32> {
        let n = self.tx.execute(
            "UPDATE notifications SET state = 'folded' WHERE user_id = ?1 AND state = 'held'",
            [user.to_string()],
        )?;
        Ok(n as u32)
    }

    pub fn held_count(&self, user: &UserId) -> Result<u32> {
        Ok(self
            .tx
            .query_row(HELD_COUNT, [user.to_string()], |r| r.get::<_, i64>(0))? as u32)
    }
}
