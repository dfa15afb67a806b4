//! The pull: the server's copy of the seller's listings replaces the confirmed
//! rows, and each draft is rebased on it (fields with pending edits keep the
//! local text). Also the pull cookie, and drafts for listings made on another
//! device.

use crate::error::StoreError;
use crate::outbox::load_outbox;
use crate::rows::{DraftRow, load_draft, parse_id};
use crate::store::Store;
use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues, wire_text};
use rehome_model::sync::{ListingStatus, Mutation, PatchOp, PullResponse};
use rusqlite::params;
use std::collections::BTreeSet;

impl Store {
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
