//! Likes, follows, the seller summary (counts) and what buyers have seen.

use super::db::{Result, Storage, WriteTx};
use rehome_model::api::SellerSummary;
use rehome_model::{ListingId, UserId};
use rusqlite::{OptionalExtension, params};

impl Storage {
    /// The seller card of `seller` as `viewer` sees it (`None`: no such user).
    pub fn seller_summary(
        &self,
        seller: &UserId,
        viewer: Option<&UserId>,
    ) -> Result<Option<SellerSummary>> {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        self.read(|c| {
            c.prepare_cached(
                "SELECT u.handle, \
                    (SELECT COUNT(*) FROM listings l WHERE l.seller_id = u.id AND l.status = 'live'), \
                    (SELECT COUNT(*) FROM listings l WHERE l.seller_id = u.id AND l.status = 'sold'), \
                    (SELECT COUNT(*) FROM follows f WHERE f.seller_id = u.id), \
                    EXISTS (SELECT 1 FROM follows f WHERE f.seller_id = u.id AND f.follower_id = ?2) \
                 FROM users u WHERE u.id = ?1",
            )?
            .query_row(
                params![seller.to_string(), viewer.map(|v| v.to_string())],
                |r| {
                    Ok(SellerSummary {
                        id: *seller,
                        handle: r.get(0)?,
                        live_listings: count(r.get(1)?),
                        sold: count(r.get(2)?),
                        followers: count(r.get(3)?),
                        followed: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    pub fn has_liked(&self, user: &UserId, listing: &ListingId) -> Result<bool> {
        self.read(|c| {
            Ok(
                c.prepare_cached("SELECT 1 FROM likes WHERE user_id = ?1 AND listing_id = ?2")?
                    .query_row([user.to_string(), listing.to_string()], |_| Ok(()))
                    .optional()?
                    .is_some(),
            )
        })
    }
}

impl WriteTx<'_> {
    /// True if the like is new. It keeps the listing's price at this moment
    /// (the Likes tab shows drops since).
    pub fn like(&self, user: &UserId, listing: &ListingId, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO likes (user_id, listing_id, created_at, price_at_like) \
             SELECT ?1, l.id, ?3, l.price FROM listings l WHERE l.id = ?2",
            params![user.to_string(), listing.to_string(), now],
        )?;
        if n > 0 {
            self.tx.execute(
                "UPDATE listings SET like_count = like_count + 1 WHERE id = ?1",
                [listing.to_string()],
            )?;
        }
        Ok(n > 0)
    }

    pub fn unlike(&self, user: &UserId, listing: &ListingId) -> Result<bool> {
        let n = self.tx.execute(
            "DELETE FROM likes WHERE user_id = ?1 AND listing_id = ?2",
            params![user.to_string(), listing.to_string()],
        )?;
        if n > 0 {
            self.tx.execute(
                "UPDATE listings SET like_count = MAX(like_count - 1, 0) WHERE id = ?1",
                [listing.to_string()],
            )?;
        }
        Ok(n > 0)
    }

    pub fn has_liked(&self, user: &UserId, listing: &ListingId) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM likes WHERE user_id = ?1 AND listing_id = ?2",
                [user.to_string(), listing.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn user_list(&self, sql: &str, key: String) -> Result<Vec<UserId>> {
        let mut stmt = self.tx.prepare_cached(sql)?;
        let rows = stmt.query_map([key], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            if let Ok(id) = r?.parse() {
                out.push(id);
            }
        }
        Ok(out)
    }

    pub fn likers(&self, listing: &ListingId) -> Result<Vec<UserId>> {
        self.user_list(
            "SELECT user_id FROM likes WHERE listing_id = ?1 ORDER BY created_at",
            listing.to_string(),
        )
    }

    pub fn followers(&self, seller: &UserId) -> Result<Vec<UserId>> {
        self.user_list(
            "SELECT follower_id FROM follows WHERE seller_id = ?1 ORDER BY created_at",
            seller.to_string(),
        )
    }

    pub fn follow(&self, follower: &UserId, seller: &UserId, now: i64) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO follows (follower_id, seller_id, created_at) VALUES (?1, ?2, ?3)",
            params![follower.to_string(), seller.to_string(), now],
        )?;
        Ok(())
    }

    pub fn unfollow(&self, follower: &UserId, seller: &UserId) -> Result<()> {
        self.tx.execute(
            "DELETE FROM follows WHERE follower_id = ?1 AND seller_id = ?2",
            params![follower.to_string(), seller.to_string()],
        )?;
        Ok(())
    }

    /// Records that `user` has had these listings on screen (first time
    /// kept; ids of no listing skipped). Returns how many were new.
    pub fn mark_seen(&self, user: &UserId, listings: &[ListingId], now: i64) -> Result<usize> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO seen (user_id, listing_id, seen_at) \
             SELECT ?1, l.id, ?3 FROM listings l WHERE l.id = ?2",
        )?;
        let user = user.to_string();
        let mut new = 0;
        for id in listings {
            new += stmt.execute(params![user, id.to_string(), now])?;
        }
        Ok(new)
    }
}
