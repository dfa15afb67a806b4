//! The sync engine's side of the store: the outbox, the confirmed copy, sync
//! state, conflicts and upload progress. The engine itself (push, pull,
//! backoff) lives in rehome-sync; these are the operations it needs.

// Row tuples straight from SQL read more plainly than a type per query.
#![allow(clippy::type_complexity)]

use crate::error::StoreError;
use crate::rows::{DraftRow, load_draft, parse_id};
use crate::store::Store;
use rehome_model::draft::{DraftField, DraftValues, wire_text};
use rehome_model::sync::{
    GuardedField, ListingStatus, Mutation, MutationId, PatchOp, PullResponse,
};
use rehome_model::{ListingId, PhotoId};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::BTreeSet;

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

/// The fields a mutation sets (for the rebase: those stay local while it is pending).
fn touched_fields(m: &Mutation, out: &mut BTreeSet<DraftField>) {
    let fields = match m {
        Mutation::CreateListing { fields, .. } => {
            out.insert(DraftField::Price);
            fields
        }
        Mutation::UpdateListing { fields, .. } => fields,
        Mutation::SetPrice { .. } => {
            out.insert(DraftField::Price);
            return;
        }
        _ => return,
    };
    for f in DraftField::ALL {
        if wire_text(fields, None, *f).is_some() {
            out.insert(*f);
        }
    }
}

fn changes_status(m: &Mutation) -> bool {
    matches!(
        m,
        Mutation::Publish { .. }
            | Mutation::Delist { .. }
            | Mutation::Relist { .. }
            | Mutation::MarkSold { .. }
            | Mutation::DeleteListing { .. }
    )
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

pub(crate) fn load_outbox(c: &Connection, filter: &str) -> Result<Vec<OutboxRow>, StoreError> {
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
    raw.into_iter()
        .map(|(seq, name, args, state, attempts, next, err, rev)| {
            Ok(OutboxRow {
                seq: seq as u64,
                mutation: decode_mutation(&name, &args)?,
                state: OutboxState::parse(&state)?,
                attempts: attempts as u32,
                next_attempt_at: next as u64,
                last_error: err,
                draft_rev: rev.map(|r| r as u64),
            })
        })
        .collect()
}

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

/// A photo the sync engine has to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoUpload {
    pub photo_id: PhotoId,
    pub listing_id: ListingId,
    pub sha256: String,
    pub byte_len: u64,
    pub upload_offset: u64,
    pub upload_url: Option<String>,
    /// Where the bytes are.
    pub path: std::path::PathBuf,
}

impl Store {
    fn write_tx<T>(
        &self,
        context: &str,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer();
        let err = self.sqlite_err(context);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let out = f(&tx)?;
        tx.commit().map_err(&err)?;
        Ok(out)
    }

    /// The whole outbox in order, parked rows included (for status screens).
    pub fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        self.read(|c| load_outbox(c, ""))
    }

    /// Up to `limit` rows to push, in order: the head of the queue, skipping
    /// parked rows (they never block the rows behind them). Stops at the first
    /// row whose `next_attempt_at` is in the future, so order is kept. Returned
    /// rows are marked `sent`: from now on no edit folds into them, because the
    /// server may apply them at any moment.
    pub fn pending_outbox(&self, limit: usize) -> Result<Vec<OutboxRow>, StoreError> {
        let now = self.now();
        self.write_tx("the outbox", |tx| {
            let rows = load_outbox(tx, "WHERE state != 'parked'")?;
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

    /// The pull cookie (`None` before the first pull).
    pub fn cookie(&self) -> Result<Option<String>, StoreError> {
        self.read(|c| {
            c.query_row("SELECT cookie FROM sync_state WHERE one = 1", [], |r| {
                r.get(0)
            })
            .map_err(StoreError::Sqlite)
        })
    }

    /// Applies a pull, in one transaction: the new cookie; outbox rows up to
    /// `last_mutation_id` dropped; each patched listing's confirmed copy
    /// replaced; and the rebase of the drafts: every field that no remaining
    /// outbox row touches takes the server's value, and the status follows the
    /// server's unless a status change is still pending. Fields with pending
    /// edits keep the local text (the replay of those edits on top).
    pub fn apply_pull(&self, pull: &PullResponse) -> Result<(), StoreError> {
        self.write_tx("the pull", |tx| {
            tx.execute(
                "UPDATE sync_state SET cookie = ?1 WHERE one = 1",
                [&pull.cookie],
            )
            .map_err(StoreError::Sqlite)?;
            tx.execute(
                "DELETE FROM outbox WHERE seq <= ?1",
                [pull.last_mutation_id as i64],
            )
            .map_err(StoreError::Sqlite)?;
            for op in &pull.patch {
                match op {
                    PatchOp::Put { listing } => {
                        let key = listing.id.to_string();
                        let json = |v: &dyn erased::Json| v.json();
                        tx.execute(
                            "INSERT INTO confirmed_listings (id, seller_id, fields, price, price_version, \
                             quantity, quantity_version, status, status_version, photos) \
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                             ON CONFLICT (id) DO UPDATE SET seller_id = ?2, fields = ?3, price = ?4, \
                             price_version = ?5, quantity = ?6, quantity_version = ?7, status = ?8, \
                             status_version = ?9, photos = ?10",
                            params![
                                key,
                                listing.seller_id.to_string(),
                                json(&listing.fields),
                                listing.price.0,
                                listing.price_version as i64,
                                listing.quantity,
                                listing.quantity_version as i64,
                                status_name(listing.status),
                                listing.status_version as i64,
                                json(&listing.photos),
                            ],
                        )
                        .map_err(StoreError::Sqlite)?;
                        rebase(tx, listing.id, Some((&listing.fields, listing.price, listing.status)))?;
                    }
                    PatchOp::Del { id } => {
                        tx.execute("DELETE FROM confirmed_listings WHERE id = ?1", [id.to_string()])
                            .map_err(StoreError::Sqlite)?;
                        rebase(tx, *id, None)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Photos whose upload is not finished, oldest first.
    pub fn photos_to_upload(&self) -> Result<Vec<PhotoUpload>, StoreError> {
        let dir = self.photos_dir().to_owned();
        self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT p.id, p.listing_id, p.sha256, p.byte_len, p.upload_offset, p.upload_url, p.file \
                     FROM photos p JOIN drafts d ON d.id = p.listing_id \
                     WHERE p.upload_state != 'done' AND p.file_missing = 0 AND d.status != 'deleted' \
                     ORDER BY p.created_at, p.id",
                )
                .map_err(StoreError::Sqlite)?;
            let raw: Vec<(String, String, String, i64, i64, Option<String>, String)> = stmt
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
                })
                .map_err(StoreError::Sqlite)?
                .collect::<Result<_, _>>()
                .map_err(StoreError::Sqlite)?;
            raw.into_iter()
                .map(|(id, listing, sha, len, offset, url, file)| {
                    Ok(PhotoUpload {
                        photo_id: id
                            .parse()
                            .map_err(|e| StoreError::Decode(format!("photo id: {e}")))?,
                        listing_id: parse_id(&listing)?,
                        sha256: sha,
                        byte_len: len as u64,
                        upload_offset: offset as u64,
                        upload_url: url,
                        path: dir.join(file),
                    })
                })
                .collect()
        })
    }

    /// Records upload progress (`done` when `offset == byte_len`).
    pub fn set_upload_progress(
        &self,
        photo: PhotoId,
        upload_url: Option<&str>,
        offset: u64,
    ) -> Result<(), StoreError> {
        self.write_tx("the upload progress", |tx| {
            let n = tx
                .execute(
                    "UPDATE photos SET upload_offset = ?2, upload_url = COALESCE(?3, upload_url), \
                     upload_state = CASE WHEN ?2 >= byte_len THEN 'done' ELSE 'uploading' END \
                     WHERE id = ?1",
                    params![photo.to_string(), offset as i64, upload_url],
                )
                .map_err(StoreError::Sqlite)?;
            if n == 0 {
                return Err(StoreError::not_found(format!("photo {photo}")));
            }
            Ok(())
        })
    }
}

mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

fn status_name(s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => "draft",
        ListingStatus::Live => "live",
        ListingStatus::Delisted => "delisted",
        ListingStatus::Sold => "sold",
        ListingStatus::Deleted => "deleted",
    }
}

/// The rebase of one draft after its confirmed copy changed (or went away).
fn rebase(
    tx: &rusqlite::Transaction<'_>,
    id: ListingId,
    server: Option<(
        &rehome_model::sync::ListingFields,
        rehome_model::Money,
        ListingStatus,
    )>,
) -> Result<(), StoreError> {
    let Some(mut draft) = load_draft(tx, id)? else {
        return Ok(());
    };
    let pending = load_outbox(tx, &format!("WHERE listing_id = '{id}'"))?;
    let mut touched = BTreeSet::new();
    let mut status_pending = false;
    for row in &pending {
        touched_fields(&row.mutation, &mut touched);
        status_pending |= changes_status(&row.mutation);
    }
    let before = (draft.values.clone(), draft.status.clone());
    match server {
        Some((fields, price, status)) => {
            let theirs = DraftValues::from_wire(fields, Some(price));
            for f in DraftField::ALL {
                if !touched.contains(f) && wire_text(fields, Some(price), *f).is_some() {
                    draft.values.set(*f, theirs.get(*f));
                }
            }
            if !status_pending {
                draft.status = match status {
                    // A draft the user queued stays queued until the server
                    // answers the Publish (then the status is live, or the
                    // outbox row is parked with the reason).
                    ListingStatus::Draft if draft.status == "queued" => "draft".into(),
                    other => status_name(other).into(),
                };
            }
        }
        None => {
            if !status_pending && pending.is_empty() {
                draft.status = "deleted".into();
            }
        }
    }
    if (draft.values.clone(), draft.status.clone()) != before {
        // Not a user edit: no outbox row; the values came from the server.
        draft.write(tx, false).map_err(StoreError::Sqlite)?;
    }
    Ok(())
}

// ---- Added by the rehome-sync engine (additive) ----------------------------------

impl Store {
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
}

// ---- Added by the rehome-sync engine (additive): other devices' listings, conflict resolution

impl Store {
    /// Gives every server-confirmed listing this device has no draft for (one
    /// made on another device) a draft row with the server's values and
    /// status, and no outbox row: nothing new to send. Returns how many.
    pub fn adopt_confirmed_listings(&self) -> Result<usize, StoreError> {
        let now = self.now();
        self.write_tx("the pull", |tx| {
            let rows: Vec<(String, String, i64, String)> = tx
                .prepare(
                    "SELECT c.id, c.fields, c.price, c.status FROM confirmed_listings c \
                     WHERE NOT EXISTS (SELECT 1 FROM drafts d WHERE d.id = c.id)",
                )
                .and_then(|mut s| {
                    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                        .collect::<Result<_, _>>()
                })
                .map_err(StoreError::Sqlite)?;
            for (id, fields, price, status) in &rows {
                let fields: rehome_model::sync::ListingFields = serde_json::from_str(fields)
                    .map_err(|e| StoreError::Decode(format!("confirmed fields: {e}")))?;
                let values = DraftValues::from_wire(&fields, Some(rehome_model::Money(*price)));
                let mut row = DraftRow::new(parse_id(id)?, values, now);
                row.status = status.clone();
                row.write(tx, true).map_err(StoreError::Sqlite)?;
            }
            Ok(rows.len())
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

// ---- Added by the rehome-sync engine (additive): retrying a parked row

impl Store {
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
}
