//! Offers: a buyer's to a seller, a counter to either, or a seller's to
//! everyone who liked a listing; the listing's offer floor and its buyer.

use super::db::{Result, Storage, WriteTx};
use rehome_model::{ListingId, UserId};
use rusqlite::{OptionalExtension, Row, params};

/// An offer, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferRow {
    pub id: String,
    pub listing_id: ListingId,
    pub seller_id: UserId,
    /// `None`: an offer to everyone who liked the listing.
    pub buyer_id: Option<UserId>,
    /// The seller made it (a counter, or an offer to likers).
    pub by_seller: bool,
    /// The offer this one counters.
    pub reply_to: Option<String>,
    pub amount: i64,
    /// `open | accepted | declined | countered | expired`.
    pub status: String,
    /// Why a closed offer closed when nobody answered it (`sold`).
    pub closed_reason: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

impl OfferRow {
    /// Who answers it: the buyer for the seller's counter, the seller for a
    /// buyer's offer, `None` for an offer to likers (its recipients do).
    pub fn receiver(&self) -> Option<UserId> {
        match (self.by_seller, self.buyer_id) {
            (true, buyer) => buyer,
            (false, _) => Some(self.seller_id),
        }
    }
}

/// Which side of the offers a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferSide {
    /// Offers made to the caller (and offers to likers they may take).
    Received,
    /// Offers the caller made.
    Sent,
}

const COLUMNS: &str = "o.id, o.listing_id, o.seller_id, o.buyer_id, o.by_seller, o.reply_to, \
     o.amount, o.status, o.closed_reason, o.created_at, o.expires_at";

fn offer_row(r: &Row<'_>) -> rusqlite::Result<Option<OfferRow>> {
    let listing: String = r.get(1)?;
    let seller: String = r.get(2)?;
    let buyer: Option<String> = r.get(3)?;
    let (Ok(listing_id), Ok(seller_id)) = (listing.parse(), seller.parse()) else {
        return Ok(None);
    };
    Ok(Some(OfferRow {
        id: r.get(0)?,
        listing_id,
        seller_id,
        buyer_id: buyer.and_then(|b| b.parse().ok()),
        by_seller: r.get(4)?,
        reply_to: r.get(5)?,
        amount: r.get(6)?,
        status: r.get(7)?,
        closed_reason: r.get(8)?,
        created_at: r.get(9)?,
        expires_at: r.get(10)?,
    }))
}

impl Storage {
    /// `user`'s offers on `side`, newest first, with each one's listing
    /// title and the buyer it sold to (if it sold), at most `limit`.
    pub fn offers_of(
        &self,
        user: &UserId,
        side: OfferSide,
        limit: u32,
    ) -> Result<Vec<(OfferRow, String, Option<UserId>)>> {
        let mine = match side {
            OfferSide::Received => {
                "(o.by_seller = 0 AND o.seller_id = ?1) \
                 OR (o.by_seller = 1 AND o.buyer_id = ?1) \
                 OR (o.buyer_id IS NULL AND EXISTS (SELECT 1 FROM offer_recipients r \
                     WHERE r.offer_id = o.id AND r.user_id = ?1))"
            }
            OfferSide::Sent => {
                "(o.by_seller = 1 AND o.seller_id = ?1) OR (o.by_seller = 0 AND o.buyer_id = ?1)"
            }
        };
        let sql = format!(
            "SELECT {COLUMNS}, l.title, l.buyer_id FROM offers o JOIN listings l ON l.id = o.listing_id \
             WHERE {mine} ORDER BY o.created_at DESC, o.id DESC LIMIT ?2"
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![user.to_string(), limit], |r| {
                Ok(offer_row(r)?.map(|o| {
                    let title: String = r.get(11).unwrap_or_default();
                    let sold_to: Option<String> = r.get(12).unwrap_or_default();
                    (o, title, sold_to.and_then(|b| b.parse().ok()))
                }))
            })?;
            let mut out = Vec::new();
            for row in rows {
                out.extend(row?);
            }
            Ok(out)
        })
    }
}

impl WriteTx<'_> {
    pub fn offer(&self, id: &str) -> Result<Option<OfferRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM offers o WHERE o.id = ?1"),
                [id],
                offer_row,
            )
            .optional()?
            .flatten())
    }

    /// The open offer (either side's) between `buyer` and the seller of
    /// `listing`, if there is one: a negotiation.
    pub fn open_negotiation(
        &self,
        listing: &ListingId,
        buyer: &UserId,
    ) -> Result<Option<OfferRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM offers o WHERE o.listing_id = ?1 AND o.buyer_id = ?2 \
                     AND o.status = 'open' ORDER BY o.created_at DESC LIMIT 1"
                ),
                [listing.to_string(), buyer.to_string()],
                offer_row,
            )
            .optional()?
            .flatten())
    }

    pub fn insert_offer(&self, o: &OfferRow) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO offers (id, listing_id, seller_id, buyer_id, by_seller, reply_to, \
             amount, status, closed_reason, created_at, expires_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)",
            params![
                o.id,
                o.listing_id.to_string(),
                o.seller_id.to_string(),
                o.buyer_id.map(|b| b.to_string()),
                o.by_seller,
                o.reply_to,
                o.amount,
                o.status,
                o.closed_reason,
                o.created_at,
                o.expires_at,
            ],
        )?;
        Ok(n > 0)
    }

    pub fn set_offer_status(
        &self,
        id: &str,
        status: &str,
        reason: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE offers SET status = ?2, closed_reason = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, status, reason, now],
        )?;
        Ok(())
    }

    /// Declines every open offer on `listing` with `reason`; returns them.
    pub fn close_open_offers(
        &self,
        listing: &ListingId,
        reason: &str,
        now: i64,
    ) -> Result<Vec<OfferRow>> {
        let open = {
            let mut stmt = self.tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM offers o WHERE o.listing_id = ?1 AND o.status = 'open'"
            ))?;
            let rows = stmt.query_map([listing.to_string()], offer_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.extend(row?);
            }
            out
        };
        for o in &open {
            self.set_offer_status(&o.id, "declined", Some(reason), now)?;
        }
        Ok(open)
    }

    /// Keeps who may take an offer to likers: those who liked it when sent.
    pub fn add_offer_recipients(&self, offer: &str, users: &[UserId]) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO offer_recipients (offer_id, user_id) VALUES (?1, ?2)",
        )?;
        for u in users {
            stmt.execute([offer.to_owned(), u.to_string()])?;
        }
        Ok(())
    }

    pub fn is_offer_recipient(&self, offer: &str, user: &UserId) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM offer_recipients WHERE offer_id = ?1 AND user_id = ?2",
                [offer.to_owned(), user.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    pub fn offer_floor(&self, listing: &ListingId) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_row(
                "SELECT offer_floor FROM listings WHERE id = ?1",
                [listing.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn set_offer_floor(&self, listing: &ListingId, floor: Option<i64>) -> Result<()> {
        self.tx.execute(
            "UPDATE listings SET offer_floor = ?2 WHERE id = ?1",
            params![listing.to_string(), floor],
        )?;
        Ok(())
    }

    /// Records who bought `listing`.
    pub fn set_listing_buyer(&self, listing: &ListingId, buyer: &UserId) -> Result<()> {
        self.tx.execute(
            "UPDATE listings SET buyer_id = ?2 WHERE id = ?1",
            [listing.to_string(), buyer.to_string()],
        )?;
        Ok(())
    }
}
