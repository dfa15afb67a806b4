//! Likes and follows.

use super::db::{Result, Storage, WriteTx};
use rehome_model::{ListingId, UserId};
use rusqlite::{OptionalExtension, params};

impl Storage {
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
    /// True if the like is new.
    pub fn like(&self, user: &UserId, listing: &ListingId, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO likes (user_id, listing_id, created_at) VALUES (?1, ?2, ?3)",
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
}
