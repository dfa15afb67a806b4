//! User edits: the only way to change a draft. See the crate docs, "The one rule".
//!
//! [`Store::apply_edit`] plans an edit on a read-only [`Snapshot`] (the
//! planners live in `draft_edits`, `lifecycle` and `photo_edits`, and each
//! returns an `Effect`: every row and the mutation, derived together), then
//! `effect::persist` writes it, all in one transaction.

mod draft_edits;
mod effect;
mod lifecycle;
mod photo_edits;

pub use draft_edits::UNDO_WINDOW_MS;
pub use effect::EditReceipt;
pub use lifecycle::QUANTITY_MAX;

use crate::error::StoreError;
use crate::new_photo::NewPhoto;
use crate::snapshot::Snapshot;
use crate::store::Store;
use crate::{failpoint, photo_files};
use effect::{Effect, NewIds, persist};
use rehome_model::draft::{DraftField, DraftValues};
use rehome_model::{ListingId, PhotoId};
use rusqlite::TransactionBehavior;

/// One user-level change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// A new draft, with any fields already filled in.
    CreateDraft {
        values: DraftValues,
    },
    /// One field, exactly as typed (saved even when it does not validate).
    SetField {
        id: ListingId,
        field: DraftField,
        text: String,
    },
    DuplicateDraft {
        from: ListingId,
    },
    /// Queue for publishing (refused until the checklist is complete).
    Publish {
        id: ListingId,
    },
    /// Soft delete: hidden now; [`Edit::UndoDelete`] until the window ends.
    DeleteDraft {
        id: ListingId,
    },
    UndoDelete {
        id: ListingId,
    },
    /// The undo window has passed: the listing is deleted for good, and the
    /// server is told.
    Purge {
        id: ListingId,
    },
    AttachPhoto {
        id: ListingId,
        photo: NewPhoto,
    },
    /// The complete new order; the first is the cover.
    ReorderPhotos {
        id: ListingId,
        order: Vec<PhotoId>,
    },
    SetCover {
        id: ListingId,
        photo: PhotoId,
    },
    DeletePhoto {
        id: ListingId,
        photo: PhotoId,
    },
    /// Take a live listing off the marketplace (publish again to relist).
    Delist {
        id: ListingId,
    },
    /// Sold: always wins over concurrent edits.
    MarkSold {
        id: ListingId,
    },
    /// Put a delisted listing back on the marketplace (queued until the
    /// server confirms it live). Only a delisted listing can be relisted.
    Relist {
        id: ListingId,
    },
    /// How many units are for sale (1 to [`QUANTITY_MAX`]); compare-and-set
    /// on the server against the confirmed quantity's version.
    SetQuantity {
        id: ListingId,
        quantity: u32,
    },
    /// New pixels for a photo (e.g. turned by 90°): the new bytes become a new
    /// photo in the same place, the old one goes. Refused if the photo's
    /// SHA-256 is no longer `replaced_sha256` (changed since it was read).
    ReplacePhoto {
        id: ListingId,
        photo: PhotoId,
        replaced_sha256: String,
        with: NewPhoto,
    },
}

impl Edit {
    /// The draft the edit is about (none for a create).
    pub fn listing(&self) -> Option<ListingId> {
        match self {
            Edit::CreateDraft { .. } => None,
            Edit::DuplicateDraft { from } => Some(*from),
            Edit::SetField { id, .. }
            | Edit::Publish { id }
            | Edit::DeleteDraft { id }
            | Edit::UndoDelete { id }
            | Edit::Purge { id }
            | Edit::AttachPhoto { id, .. }
            | Edit::ReorderPhotos { id, .. }
            | Edit::SetCover { id, .. }
            | Edit::DeletePhoto { id, .. }
            | Edit::Delist { id }
            | Edit::MarkSold { id }
            | Edit::Relist { id }
            | Edit::SetQuantity { id, .. } => Some(*id),
            Edit::ReplacePhoto { id, .. } => Some(*id),
        }
    }
}

impl Store {
    /// Applies one user edit: the draft rows and the outbox mutation together,
    /// in one `BEGIN IMMEDIATE` transaction, durable (`synchronous=FULL`) when
    /// this returns `Ok`.
    #[tracing::instrument(skip(self, edit), fields(edit = edit_name(&edit), listing = ?edit.listing()))]
    pub fn apply_edit(&self, edit: Edit) -> Result<EditReceipt, StoreError> {
        let mut conn = self.writer();
        let err = self.sqlite_err("your change");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        failpoint::hit("edit:begun");
        let (receipt, release) = self.apply_in(&tx, edit)?;
        failpoint::hit("edit:before_commit");
        tx.commit().map_err(&err)?;
        failpoint::hit("edit:after_commit");
        for file in &release {
            photo_files::release_file(&conn, self.photos_dir(), file);
        }
        Ok(receipt)
    }

    /// Plans `edit` on `tx` and writes it there (the caller commits): the
    /// receipt, and the photo files to release once committed. Bulk edits
    /// apply many edits in one transaction this way.
    pub(crate) fn apply_in(
        &self,
        tx: &rusqlite::Transaction<'_>,
        edit: Edit,
    ) -> Result<(EditReceipt, Vec<String>), StoreError> {
        let now = self.now();
        let listing = edit.listing();
        let snapshot = Snapshot::new(tx);
        let effect = match plan(&snapshot, edit, &NewIds::new(self, now), now)? {
            Some(effect) => effect,
            None => {
                // Nothing changes (e.g. publishing what is already queued):
                // nothing is written, and that is not an error.
                let id = listing.ok_or_else(|| StoreError::invalid(None, "nothing to change"))?;
                let rev = snapshot.draft(id)?.rev;
                return Ok((
                    EditReceipt {
                        id,
                        rev,
                        outbox_seq: None,
                        coalesced: false,
                        photo_id: None,
                        undo_until: None,
                    },
                    Vec::new(),
                ));
            }
        };
        persist(tx, effect, self)
    }

    /// Queues the DeleteListing of every draft whose undo window has passed
    /// (one edit per draft). Returns how many were purged.
    pub fn purge_expired_deletes(&self) -> Result<usize, StoreError> {
        let now = self.now();
        let due: Vec<ListingId> = self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT id FROM drafts WHERE deleted_at IS NOT NULL AND status != 'deleted' \
                     AND undo_until < ?1",
                )
                .map_err(StoreError::Sqlite)?;
            let ids = stmt
                .query_map([now as i64], |r| r.get::<_, String>(0))
                .map_err(StoreError::Sqlite)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(StoreError::Sqlite)?;
            ids.iter().map(|s| crate::rows::parse_id(s)).collect()
        })?;
        let mut n = 0;
        for id in due {
            match self.apply_edit(Edit::Purge { id }) {
                Ok(_) => n += 1,
                Err(StoreError::Invalid { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }
}

/// Works out what an edit writes. Reads only: it gets a [`Snapshot`], which
/// offers no way to write, and [`NewIds`], which only makes ids. `None`: the
/// edit changes nothing.
fn plan(
    db: &Snapshot<'_>,
    edit: Edit,
    ids: &NewIds<'_>,
    now: u64,
) -> Result<Option<Effect>, StoreError> {
    let effect = match edit {
        Edit::CreateDraft { values } => draft_edits::create(values, ids, now)?,
        Edit::SetField { id, field, text } => draft_edits::set_field(db, id, field, text, now)?,
        Edit::DuplicateDraft { from } => draft_edits::duplicate(db, from, ids, now)?,
        Edit::DeleteDraft { id } => draft_edits::delete(db, id, now)?,
        Edit::UndoDelete { id } => return draft_edits::undo_delete(db, id, now),
        Edit::Purge { id } => return draft_edits::purge(db, id, now),
        Edit::Publish { id } => return lifecycle::publish(db, id, now),
        Edit::Delist { id } => return lifecycle::delist(db, id, now),
        Edit::MarkSold { id } => return lifecycle::mark_sold(db, id, now),
        Edit::Relist { id } => return lifecycle::relist(db, id, now),
        Edit::SetQuantity { id, quantity } => {
            return lifecycle::set_quantity(db, id, quantity, now);
        }
        Edit::AttachPhoto { id, photo } => photo_edits::attach(db, id, photo, ids, now)?,
        Edit::ReorderPhotos { id, order } => photo_edits::reorder(db, id, order, now)?,
        Edit::SetCover { id, photo } => photo_edits::set_cover(db, id, photo, now)?,
        Edit::DeletePhoto { id, photo } => photo_edits::delete(db, id, photo, now)?,
        Edit::ReplacePhoto {
            id,
            photo,
            replaced_sha256,
            with,
        } => photo_edits::replace(db, id, photo, &replaced_sha256, with, ids.photo(), now)?,
    };
    Ok(Some(effect))
}

fn edit_name(edit: &Edit) -> &'static str {
    match edit {
        Edit::CreateDraft { .. } => "create",
        Edit::SetField { .. } => "set_field",
        Edit::DuplicateDraft { .. } => "duplicate",
        Edit::Publish { .. } => "publish",
        Edit::DeleteDraft { .. } => "delete",
        Edit::UndoDelete { .. } => "undo_delete",
        Edit::Purge { .. } => "purge",
        Edit::AttachPhoto { .. } => "attach_photo",
        Edit::ReorderPhotos { .. } => "reorder_photos",
        Edit::SetCover { .. } => "set_cover",
        Edit::DeletePhoto { .. } => "delete_photo",
        Edit::Delist { .. } => "delist",
        Edit::MarkSold { .. } => "mark_sold",
        Edit::Relist { .. } => "relist",
        Edit::SetQuantity { .. } => "set_quantity",
        Edit::ReplacePhoto { .. } => "replace_photo",
    }
}
