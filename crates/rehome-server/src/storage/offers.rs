//! Offers: a buyer's to a seller, or a seller's to everyone who liked a listing.

use super::db::{Result, WriteTx};
use rehome_model::{ListingId, UserId};
use rusqlite::{OptionalExtension, params};

/// An offer, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferRow {
    pub id: String,
    pub listing_id: ListingId,
    pub seller_id: UserId,
    /// `None`: an offer to everyone who liked the listing.
    pub buyer_id: Option<UserId>,
    pub amount: i64,
    pub status: String,
}

impl WriteTx<'_> {
    pub fn offer(&self, id: &str) -> Result<Option<OfferRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, listing_id, seller_id, buyer_id, amount, status FROM offers WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(id, l, s, b, amount, status)| {
                Some(OfferRow {
                    id,
                    listing_id: l.parse().ok()?,
                    seller_id: s.parse().ok()?,
                    buyer_id: b.and_then(|b| b.parse().ok()),
                    amount,
                    status,
                })
            }))
    }

    pub fn insert_offer(&self, o: &OfferRow, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO offers (id, listing_id, seller_id, buyer_id, amount, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                o.id,
                o.listing_id.to_string(),
                o.seller_id.to_string(),
                o.buyer_id.map(|b| b.to_string()),
                o.amount,
                o.status,
                now
            ],
        )?;
        Ok(n > 0)
    }

    pub fn set_offer_status(&self, id: &str, status: &str) -> Result<()> {
        self.tx
            .execute("UPDATE offers SET status = ?2 WHERE id = ?1", [id, status])?;
        Ok(())
    }
}
