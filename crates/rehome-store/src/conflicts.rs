//! Conflicts on guarded fields (price, status, quantity): stored when the
//! server answers a mutation with one, shown to the seller, resolved by them.

// Row tuples straight from SQL read more plainly than a type per query.
#![allow(clippy::type_complexity)]

use crate::error::StoreError;
use crate::rows::parse_id;
use crate::store::Store;
use rehome_model::ListingId;
use rehome_model::sync::{GuardedField, MutationId};
use rusqlite::params;

/// A stored conflict on a guarded field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictRow {
    pub id: i64,
    pub listing_id: ListingId,
    pub field: GuardedField,
    /// JSON of the value this device sent.
    pub mine: String,
    /// JSON of the server's value.
    pub theirs: String,
    pub server_version: u64,
    pub mutation_seq: MutationId,
    pub created_at: u64,
}

impl Store {
    /// The server answered a mutation with a conflict: in one transaction the
    /// row leaves the outbox and the conflict is stored for the user. Their
    /// choice later becomes a new edit (a new mutation).
    pub fn record_conflict(
        &self,
        seq: MutationId,
        listing_id: ListingId,
        field: GuardedField,
        mine: &str,
        theirs: &str,
        server_version: u64,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let field = serde_json::to_value(field)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.write_tx("the conflict", |tx| {
            tx.execute("DELETE FROM outbox WHERE seq = ?1", [seq as i64])
                .map_err(StoreError::Sqlite)?;
            tx.execute(
                "INSERT INTO conflicts (listing_id, field, mine, theirs, server_version, mutation_seq, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    listing_id.to_string(),
                    field,
                    mine,
                    theirs,
                    server_version as i64,
                    seq as i64,
                    now as i64
                ],
            )
            .map_err(StoreError::Sqlite)?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Conflicts not yet resolved, oldest first.
    pub fn open_conflicts(&self) -> Result<Vec<ConflictRow>, StoreError> {
        self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT id, listing_id, field, mine, theirs, server_version, mutation_seq, created_at \
                     FROM conflicts WHERE resolved_at IS NULL ORDER BY id",
                )
                .map_err(StoreError::Sqlite)?;
            let raw: Vec<(i64, String, String, String, String, i64, i64, i64)> = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                })
                .map_err(StoreError::Sqlite)?
                .collect::<Result<_, _>>()
                .map_err(StoreError::Sqlite)?;
            raw.into_iter()
                .map(|(id, listing, field, mine, theirs, v, seq, at)| {
                    Ok(ConflictRow {
                        id,
                        listing_id: parse_id(&listing)?,
                        field: serde_json::from_value(serde_json::Value::String(field))
                            .map_err(|e| StoreError::Decode(e.to_string()))?,
                        mine,
                        theirs,
                        server_version: v as u64,
                        mutation_seq: seq as u64,
                        created_at: at as u64,
                    })
                })
                .collect()
        })
    }

    /// Marks conflict `id` resolved. The user's choice, when it changes
    /// anything, is a separate edit (a new mutation) made just before.
    pub fn resolve_conflict(&self, id: i64) -> Result<(), StoreError> {
        let now = self.now();
        self.write_tx("the conflict", |tx| {
            let n = tx
                .execute(
                    "UPDATE conflicts SET resolved_at = ?2 WHERE id = ?1 AND resolved_at IS NULL",
                    params![id, now as i64],
                )
                .map_err(StoreError::Sqlite)?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: format!("open conflict {id}"),
                });
            }
            Ok(())
        })
    }
}
