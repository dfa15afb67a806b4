//! The outbox: the queue of mutations for the sync engine, how a mutation is
//! stored (its wire name and args), and everything the engine does to the
//! queue (claim, retry, park, requeue, confirm). Edits append to it through
//! `queue`, inside their own transaction; every other write of an outbox row
//! (a social mutation, a requeued row) is in this file too.

// Row tuples straight from SQL read more plainly than a type per query.
#![allow(clippy::type_complexity)]

use crate::error::StoreError;
use crate::store::Store;
use rehome_model::ListingId;
use rehome_model::sync::{Mutation, MutationId};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

mod coalesce;
use coalesce::coalesce;

/// The mutation's wire name and its args JSON, as the outbox stores them.
pub(crate) fn encode_mutation(m: &Mutation) -> (String, String) {
    // Serialising our own enum to a JSON value cannot fail.
    let value = serde_json::to_value(m).unwrap_or_default();
    let name = value["name"].as_str().unwrap_or_default().to_owned();
    let args = value.get("args").map(|a| a.to_string()).unwrap_or_default();
    (name, args)
}

pub(crate) fn decode_mutation(name: &str, args: &str) -> Result<Mutation, StoreError> {
    let args: serde_json::Value =
        serde_json::from_str(args).map_err(|e| StoreError::Decode(format!("{name}: {e}")))?;
    serde_json::from_value(serde_json::json!({ "name": name, "args": args }))
        .map_err(|e| StoreError::Decode(format!("{name}: {e}")))
}

/// The seller's own listing a mutation changes (none for likes, follows, offers).
pub fn mutation_listing(m: &Mutation) -> Option<ListingId> {
    use Mutation as M;
    match m {
        M::CreateListing { listing_id, .. }
        | M::UpdateListing { listing_id, .. }
        | M::SetPrice { listing_id, .. }
        | M::SetQuantity { listing_id, .. }
        | M::AttachPhoto { listing_id, .. }
        | M::DetachPhoto { listing_id, .. }
        | M::ReorderPhotos { listing_id, .. }
        | M::Publish { listing_id, .. }
        | M::Delist { listing_id, .. }
        | M::Relist { listing_id, .. }
        | M::MarkSold { listing_id }
        | M::DeleteListing { listing_id } => Some(*listing_id),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    /// Never handed to the sync engine: a new edit may still fold into it.
    New,
    /// Handed out at least once; it may have reached the server.
    Sent,
    /// Failing over and over: shown to the user, skipped by `pending_outbox`.
    Parked,
}

impl OutboxState {
    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "new" => OutboxState::New,
            "sent" => OutboxState::Sent,
            "parked" => OutboxState::Parked,
            other => return Err(StoreError::Decode(format!("outbox state {other:?}"))),
        })
    }
}

/// One outbox row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    /// The mutation id.
    pub seq: MutationId,
    pub mutation: Mutation,
    pub state: OutboxState,
    pub attempts: u32,
    /// Unix ms before which it should not be retried.
    pub next_attempt_at: u64,
    pub last_error: Option<String>,
    pub(crate) draft_rev: Option<u64>,
}

/// The outbox rows `filter` selects, in order, each decoded or with the
/// reason it cannot be (a damaged row, or one written by a newer app).
pub(crate) fn load_outbox_all(
    c: &Connection,
    filter: &str,
) -> Result<Vec<(MutationId, Result<OutboxRow, StoreError>)>, StoreError> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT seq, name, args, state, attempts, next_attempt_at, last_error, draft_rev \
             FROM outbox {filter} ORDER BY seq"
        ))
        .map_err(StoreError::Sqlite)?;
    let raw: Vec<(
        i64,
        String,
        String,
        String,
        i64,
        i64,
        Option<String>,
        Option<i64>,
    )> = stmt
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
    Ok(raw
        .into_iter()
        .map(|(seq, name, args, state, attempts, next, err, rev)| {
            let row = (|| {
                Ok(OutboxRow {
                    seq: seq as u64,
                    mutation: decode_mutation(&name, &args)?,
                    state: OutboxState::parse(&state)?,
                    attempts: attempts as u32,
                    next_attempt_at: next as u64,
                    last_error: err,
                    draft_rev: rev.map(|r| r as u64),
                })
            })();
            (seq as u64, row)
        })
        .collect())
}

/// The rows of [`load_outbox_all`] that decode. One that does not is never
/// a reason to fail: [`Store::pending_outbox`] parks it with its reason, so it
/// is kept (and shown on its draft) and every other row still syncs.
pub(crate) fn load_outbox(c: &Connection, filter: &str) -> Result<Vec<OutboxRow>, StoreError> {
    Ok(load_outbox_all(c, filter)?
        .into_iter()
        .filter_map(|(_, row)| row.ok())
        .collect())
}

/// An outbox row this device cannot read back (damaged, or written by a
/// newer app): kept, never sent, counted as parked and shown with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableRow {
    pub seq: MutationId,
    /// The mutation's wire name as stored (`createListing`, `like`, …).
    pub name: String,
    /// The listing it is about (the outbox's own column), if any.
    pub listing: Option<ListingId>,
    /// Why it cannot be sent, for the seller.
    pub reason: String,
}

/// The whole outbox read once: the rows that decode, and every row that
/// does not with whether it is parked already.
type SplitOutbox = (Vec<OutboxRow>, Vec<(UnreadableRow, bool)>);

fn load_split(c: &Connection) -> Result<SplitOutbox, StoreError> {
    let mut rows = Vec::new();
    let mut unreadable = Vec::new();
    for (seq, row) in load_outbox_all(c, "")? {
        let e = match row {
            Ok(row) => {
                rows.push(row);
                continue;
            }
            Err(e) => e,
        };
        let (name, listing, state): (String, Option<String>, String) = c
            .query_row(
                "SELECT name, listing_id, state FROM outbox WHERE seq = ?1",
                [seq as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(StoreError::Sqlite)?;
        let row = UnreadableRow {
            seq,
            name,
            listing: listing.and_then(|l| l.parse().ok()),
            reason: unreadable_reason(&e),
        };
        unreadable.push((row, state == "parked"));
    }
    Ok((rows, unreadable))
}

/// What a parked row that cannot be decoded says.
fn unreadable_reason(e: &StoreError) -> String {
    format!(
        "This change cannot be read back from this device's database ({e}); it is kept, but cannot be sent"
    )
}

impl Store {
    /// The whole outbox in order, parked rows included (for status screens).
    pub fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        self.read(|c| load_outbox(c, ""))
    }

    /// The outbox rows that cannot be read back (which [`Store::outbox`]
    /// leaves out), in order, each with its reason. Each is parked first
    /// (if a push has not parked it yet), so it can be retried.
    pub fn unreadable_outbox(&self) -> Result<Vec<UnreadableRow>, StoreError> {
        Ok(self.outbox_with_unreadable()?.1)
    }

    /// [`Store::outbox`] and [`Store::unreadable_outbox`] from one read of
    /// the outbox (the status screen asks for both every second).
    pub fn outbox_with_unreadable(
        &self,
    ) -> Result<(Vec<OutboxRow>, Vec<UnreadableRow>), StoreError> {
        // Read; the writer is taken only to park one not parked yet (rare:
        // once per damaged row, not at every status poll).
        let (rows, unreadable) = self.read(load_split)?;
        if unreadable.iter().any(|(_, parked)| !parked) {
            self.write_tx("the outbox", |tx| {
                for (row, parked) in &unreadable {
                    if !parked {
                        tx.execute(
                            "UPDATE outbox SET state = 'parked', last_error = ?2 WHERE seq = ?1",
                            params![row.seq as i64, row.reason],
                        )
                        .map_err(StoreError::Sqlite)?;
                    }
                }
                Ok(())
            })?;
        }
        Ok((rows, unreadable.into_iter().map(|(r, _)| r).collect()))
    }

    /// Up to `limit` rows to push, in order: the head of the queue, skipping
    /// parked rows (they never block the rows behind them). Stops at the first
    /// row whose `next_attempt_at` is in the future, so order is kept. Returned
    /// rows are marked `sent`: from now on no edit folds into them, because the
    /// server may apply them at any moment. A row that cannot be decoded is
    /// parked with the reason instead of failing every sync.
    pub fn pending_outbox(&self, limit: usize) -> Result<Vec<OutboxRow>, StoreError> {
        let now = self.now();
        self.write_tx("the outbox", |tx| {
            let mut rows = Vec::new();
            for (seq, row) in load_outbox_all(tx, "WHERE state != 'parked'")? {
                match row {
                    Ok(row) => rows.push(row),
                    Err(e) => {
                        tracing::warn!(seq, error = %e, "parking an outbox row that cannot be decoded");
                        tx.execute(
                            "UPDATE outbox SET state = 'parked', last_error = ?2 WHERE seq = ?1",
                            params![seq as i64, unreadable_reason(&e)],
                        )
                        .map_err(StoreError::Sqlite)?;
                    }
                }
            }
            let batch: Vec<OutboxRow> = rows
                .into_iter()
                .take_while(|r| r.next_attempt_at <= now)
                .take(limit)
                .collect();
            for r in &batch {
                tx.execute(
                    "UPDATE outbox SET state = 'sent' WHERE seq = ?1",
                    [r.seq as i64],
                )
                .map_err(StoreError::Sqlite)?;
            }
            Ok(batch
                .into_iter()
                .map(|mut r| {
                    r.state = OutboxState::Sent;
                    r
                })
                .collect())
        })
    }

    /// A push of `seq` failed: count the attempt, remember why, and wait until
    /// `next_attempt_at` (the engine computes the backoff with its own clock
    /// and randomness).
    pub fn mark_attempt(
        &self,
        seq: MutationId,
        error: &str,
        next_attempt_at: u64,
    ) -> Result<(), StoreError> {
        self.write_tx("the outbox", |tx| {
            let n = tx
                .execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, \
                     next_attempt_at = ?3, state = CASE state WHEN 'parked' THEN 'parked' ELSE 'sent' END \
                     WHERE seq = ?1",
                    params![seq as i64, error, next_attempt_at as i64],
                )
                .map_err(StoreError::Sqlite)?;
            if n == 0 {
                return Err(StoreError::not_found(format!("outbox row {seq}")));
            }
            Ok(())
        })
    }

    /// Parks `seq` with a reason the user will read. It stays (never dropped)
    /// and is shown on its draft; [`Store::unpark`] retries it.
    pub fn park(&self, seq: MutationId, reason: &str) -> Result<(), StoreError> {
        self.write_tx("the outbox", |tx| {
            let n = tx
                .execute(
                    "UPDATE outbox SET state = 'parked', last_error = ?2 WHERE seq = ?1",
                    params![seq as i64, reason],
                )
                .map_err(StoreError::Sqlite)?;
            if n == 0 {
                return Err(StoreError::not_found(format!("outbox row {seq}")));
            }
            Ok(())
        })
    }

    /// The user pressed retry: back in the queue, due now.
    pub fn unpark(&self, seq: MutationId) -> Result<(), StoreError> {
        self.write_tx("the outbox", |tx| {
            tx.execute(
                "UPDATE outbox SET state = 'sent', next_attempt_at = 0 WHERE seq = ?1 AND state = 'parked'",
                [seq as i64],
            )
            .map_err(StoreError::Sqlite)?;
            Ok(())
        })
    }

    /// The server has processed every mutation up to `last_mutation_id`: those
    /// rows are deleted (the only way an outbox row goes away). Returns how many.
    pub fn confirm_up_to(&self, last_mutation_id: MutationId) -> Result<usize, StoreError> {
        self.write_tx("the outbox", |tx| {
            tx.execute(
                "DELETE FROM outbox WHERE seq <= ?1",
                [last_mutation_id as i64],
            )
            .map_err(StoreError::Sqlite)
        })
    }

    /// Like [`Store::confirm_up_to`], but keeps parked rows: a mutation the
    /// server rejected is processed there (at or below `lastMutationId`) yet
    /// stays here, parked with its reason, until the user deals with it.
    pub fn confirm_processed_up_to(
        &self,
        last_mutation_id: MutationId,
    ) -> Result<usize, StoreError> {
        self.write_tx("the outbox", |tx| {
            tx.execute(
                "DELETE FROM outbox WHERE seq <= ?1 AND state != 'parked'",
                [last_mutation_id as i64],
            )
            .map_err(StoreError::Sqlite)
        })
    }

    /// The user pressed "retry" on a parked row: it goes back in the queue
    /// under a **new** mutation id (the server has recorded the old id as
    /// processed and would only answer a resend with the stored rejection),
    /// at the end of the queue, due now, with its attempts reset. With
    /// `replacement`, the new row carries that mutation instead (the caller's
    /// refreshed copy, e.g. with the fields' current values); it must be about
    /// the same listing. One transaction: the old row goes and the new one
    /// comes together. Returns the new id; `NotFound` if `seq` is not parked.
    pub fn requeue_parked(
        &self,
        seq: MutationId,
        replacement: Option<&Mutation>,
    ) -> Result<MutationId, StoreError> {
        let now = self.now();
        self.write_tx("the outbox", |tx| {
            let row: Option<(String, String, Option<String>, Option<i64>)> = tx
                .query_row(
                    "SELECT name, args, listing_id, draft_rev FROM outbox \
                     WHERE seq = ?1 AND state = 'parked'",
                    [seq as i64],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(StoreError::Sqlite)?;
            let Some((mut name, mut args, listing, draft_rev)) = row else {
                return Err(StoreError::not_found(format!("parked outbox row {seq}")));
            };
            if let Some(m) = replacement {
                let about = mutation_listing(m).map(|l| l.to_string());
                if about != listing {
                    return Err(StoreError::invalid(
                        None,
                        "a retried edit must stay about the same listing",
                    ));
                }
                (name, args) = encode_mutation(m);
            }
            tx.execute(
                "INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'new', ?5)",
                params![name, args, listing, draft_rev, now as i64],
            )
            .map_err(StoreError::Sqlite)?;
            let new_seq = tx.last_insert_rowid() as u64;
            tx.execute("DELETE FROM outbox WHERE seq = ?1", [seq as i64])
                .map_err(StoreError::Sqlite)?;
            Ok(new_seq)
        })
    }

    /// Makes every waiting (not parked) row due now: the app's sync runner
    /// keeps one backoff of its own and, when it decides to try (its wait is
    /// over, or the user asked), the rows' own waits must not hold the push.
    /// Returns how many rows were waiting.
    pub fn make_outbox_due_now(&self) -> Result<usize, StoreError> {
        self.write_tx("the outbox", |tx| {
            tx.execute(
                "UPDATE outbox SET next_attempt_at = 0 WHERE state != 'parked' AND next_attempt_at > 0",
                [],
            )
            .map_err(StoreError::Sqlite)
        })
    }

    /// Queues a mutation that changes none of this device's listings (like,
    /// unlike, follow, unfollow, offers): one transaction, one outbox row.
    /// Mutations on the seller's own listings are refused here: they go
    /// through [`Store::apply_edit`], which writes the listing with them.
    pub fn queue_social(&self, mutation: Mutation) -> Result<MutationId, StoreError> {
        if mutation_listing(&mutation).is_some() {
            return Err(StoreError::invalid(
                None,
                "a change to your own listing is an edit: use apply_edit",
            ));
        }
        let now = self.now();
        let mut conn = self.writer();
        let err = self.sqlite_err("your change");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let (name, args) = encode_mutation(&mutation);
        tx.execute(
            "INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) \
             VALUES (?1, ?2, NULL, NULL, 'new', ?3)",
            params![name, args, now as i64],
        )
        .map_err(&err)?;
        let seq = tx.last_insert_rowid() as u64;
        tx.commit().map_err(&err)?;
        Ok(seq)
    }
}

/// Appends `m` to the outbox, or folds it into the last row when that row is
/// still `new` and about the same listing (see the crate docs, "Coalescing").
pub(crate) fn queue(
    tx: &Transaction<'_>,
    m: Mutation,
    draft_rev: u64,
    now: u64,
) -> Result<(MutationId, bool), rusqlite::Error> {
    let listing = mutation_listing(&m);
    let listing_key = listing.map(|l| l.to_string());
    let tail: Option<(i64, String, String, String, Option<String>)> = tx
        .prepare_cached(
            "SELECT seq, name, args, state, listing_id FROM outbox ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    if let Some((seq, name, args, state, tail_listing)) = tail
        && state == "new"
        // Rows about another listing never fold (a bulk edit appends one
        // row per listing): no need to decode them.
        && !(tail_listing.is_some() && listing_key.is_some() && tail_listing != listing_key)
        && let Ok(prev) = decode_mutation(&name, &args)
        && let Some(merged) = coalesce(&prev, &m)
    {
        let (name, args) = encode_mutation(&merged);
        tx.prepare_cached("UPDATE outbox SET name = ?2, args = ?3, draft_rev = ?4 WHERE seq = ?1")?
            .execute(params![seq, name, args, draft_rev as i64])?;
        return Ok((seq as u64, true));
    }
    let (name, args) = encode_mutation(&m);
    tx.prepare_cached(
        "INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) \
         VALUES (?1, ?2, ?3, ?4, 'new', ?5)",
    )?
    .execute(params![
        name,
        args,
        listing_key,
        draft_rev as i64,
        now as i64
    ])?;
    Ok((tx.last_insert_rowid() as u64, false))
}
