//! Users, their sizes and notification settings, and sessions.

use super::db::{Result, Storage, WriteTx};
use rehome_model::UserId;
use rehome_model::api::NotificationSettings;
use rusqlite::{Connection, OptionalExtension, params};

/// A user, as the demo seeds it or sign-up creates it.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: UserId,
    pub handle: String,
    pub password_hash: String,
    pub sizes: Vec<String>,
}

fn query_settings(c: &Connection, user: &str) -> rusqlite::Result<Option<NotificationSettings>> {
    c.query_row(
        "SELECT daily_budget, quiet_start, quiet_end FROM users WHERE id = ?1",
        [user],
        |r| {
            Ok(NotificationSettings {
                daily_budget: r.get::<_, i64>(0)?.max(0) as u32,
                quiet_start: r.get(1)?,
                quiet_end: r.get(2)?,
            })
        },
    )
    .optional()
}

impl Storage {
    pub fn handle_of(&self, user: &UserId) -> Result<Option<String>> {
        self.read(|c| {
            c.prepare_cached("SELECT handle FROM users WHERE id = ?1")?
                .query_row([user.to_string()], |r| r.get(0))
                .optional()
        })
    }

    /// (id, handle, password hash) of the account with this handle.
    pub fn user_by_handle(&self, handle: &str) -> Result<Option<(UserId, String, String)>> {
        self.read(|c| {
            c.query_row(
                "SELECT id, handle, password_hash FROM users WHERE handle = ?1 COLLATE NOCASE",
                [handle],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })
        .map(|o| o.and_then(|(id, h, p)| Some((id.parse().ok()?, h, p))))
    }

    /// The user a live (unexpired, unrevoked) session belongs to, and its expiry.
    pub fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(UserId, String, i64)>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT u.id, u.handle, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
            )?
            .query_row(params![token_hash, now], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })
            .optional()
        })
        .map(|o| o.and_then(|(id, h, e)| Some((id.parse().ok()?, h, e))))
    }

    pub fn sizes(&self, user: &UserId) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT size FROM user_sizes WHERE user_id = ?1 ORDER BY size")?;
            let rows = stmt.query_map([user.to_string()], |r| r.get(0))?;
            rows.collect()
        })
    }

    pub fn notification_settings(&self, user: &UserId) -> Result<Option<NotificationSettings>> {
        self.read(|c| query_settings(c, &user.to_string()))
    }
}

impl WriteTx<'_> {
    /// Inserts a user unless one with that id exists. False when the handle is taken.
    pub fn insert_user(&self, user: &NewUser, now: i64) -> Result<bool> {
        let taken: Option<String> = self
            .tx
            .query_row(
                "SELECT id FROM users WHERE handle = ?1 COLLATE NOCASE",
                [&user.handle],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = taken {
            return Ok(id == user.id.to_string());
        }
        self.tx.execute(
            "INSERT OR IGNORE INTO users (id, handle, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![user.id.to_string(), user.handle, user.password_hash, now],
        )?;
        for size in &user.sizes {
            self.tx.execute(
                "INSERT OR IGNORE INTO user_sizes (user_id, size) VALUES (?1, ?2)",
                params![user.id.to_string(), size],
            )?;
        }
        Ok(true)
    }

    pub fn user_exists(&self, user: &UserId) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM users WHERE id = ?1",
                [user.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Records the seller's first sale; false if they had sold before.
    pub fn mark_first_sale(&self, seller: &UserId, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE users SET first_sale_at = ?2 WHERE id = ?1 AND first_sale_at IS NULL",
            params![seller.to_string(), now],
        )?;
        Ok(n > 0)
    }

    pub fn insert_session(
        &self,
        token_hash: &str,
        user: &UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user.to_string(), now, expires_at],
        )?;
        Ok(())
    }

    pub fn revoke_session(&self, token_hash: &str, now: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
            params![token_hash, now],
        )?;
        Ok(())
    }

    /// Deletes sessions that expired or were revoked before `before`.
    pub fn delete_dead_sessions(&self, before: i64) -> Result<usize> {
        Ok(self.tx.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1 OR revoked_at <= ?1",
            [before],
        )?)
    }

    pub fn set_sizes(&self, user: &UserId, sizes: &[String]) -> Result<()> {
        self.tx.execute(
            "DELETE FROM user_sizes WHERE user_id = ?1",
            [user.to_string()],
        )?;
        for size in sizes {
            self.tx.execute(
                "INSERT OR IGNORE INTO user_sizes (user_id, size) VALUES (?1, ?2)",
                params![user.to_string(), size],
            )?;
        }
        Ok(())
    }

    pub fn notification_settings(&self, user: &UserId) -> Result<Option<NotificationSettings>> {
        Ok(query_settings(&self.tx, &user.to_string())?)
    }

    pub fn set_notification_settings(&self, user: &UserId, s: &NotificationSettings) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET daily_budget = ?2, quiet_start = ?3, quiet_end = ?4 WHERE id = ?1",
            params![user.to_string(), s.daily_budget, s.quiet_start, s.quiet_end],
        )?;
        Ok(())
    }
}
