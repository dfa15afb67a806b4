//! Sync bookkeeping: each client's `lastMutationId` and the stored outcome of
//! every processed mutation.

use super::db::{Result, Storage, WriteTx};
use rehome_model::UserId;
use rusqlite::{OptionalExtension, params};

impl Storage {
    pub fn last_mutation_id(&self, user: &UserId, client: &str) -> Result<u64> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT last_mutation_id FROM clients WHERE user_id = ?1 AND client_id = ?2",
                [user.to_string(), client.to_owned()],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
        })
    }
}

impl WriteTx<'_> {
    pub fn last_mutation_id(&self, user: &UserId, client: &str) -> Result<u64> {
        Ok(self
            .tx
            .query_row(
                "SELECT last_mutation_id FROM clients WHERE user_id = ?1 AND client_id = ?2",
                [user.to_string(), client.to_owned()],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
    }

    /// The outcome stored for an already processed mutation (JSON).
    pub fn stored_outcome(&self, user: &UserId, client: &str, id: u64) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row(
                "SELECT outcome FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id = ?3",
                params![user.to_string(), client, id as i64],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Forgets the stored outcomes of `client`'s mutations below `id`: a
    /// client pushes ids in order and resends only those it has no answer
    /// for, so pushing `id` acknowledges every outcome before it.
    pub fn prune_outcomes_before(&self, user: &UserId, client: &str, id: u64) -> Result<usize> {
        Ok(self.tx.execute(
            "DELETE FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id < ?3",
            params![user.to_string(), client, id.min(i64::MAX as u64) as i64],
        )?)
    }

    /// Records a processed mutation and moves the client's `lastMutationId` to it.
    pub fn record_mutation(
        &self,
        user: &UserId,
        client: &str,
        id: u64,
        outcome: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO mutation_results (user_id, client_id, mutation_id, outcome) VALUES (?1, ?2, ?3, ?4)",
            params![user.to_string(), client, id as i64, outcome],
        )?;
        self.tx.execute(
            "INSERT INTO clients (user_id, client_id, last_mutation_id) VALUES (?1, ?2, ?3) \
             ON CONFLICT (user_id, client_id) DO UPDATE SET last_mutation_id = MAX(last_mutation_id, excluded.last_mutation_id)",
            params![user.to_string(), client, id as i64],
        )?;
        Ok(())
    }
}
