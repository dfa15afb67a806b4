//! What one edit writes, worked out in full before anything is written
//! ([`Effect`]), the new ids it may need ([`NewIds`]), and the one function
//! that writes it ([`persist`]).

use crate::error::StoreError;
use crate::outbox::queue;
use crate::rows::{DraftRow, PhotoRow};
use crate::store::Store;
use crate::{failpoint, photo_files};
use rehome_model::sync::{Mutation, MutationId};
use rehome_model::{ListingId, PhotoId};
use rusqlite::{Transaction, params};

/// What a committed edit did. Returned only after the commit is durable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditReceipt {
    /// The draft changed (the new one, for create and duplicate).
    pub id: ListingId,
    /// The draft's revision after the edit.
    pub rev: u64,
    /// The outbox row written (appended or coalesced into), if any.
    pub outbox_seq: Option<MutationId>,
    /// Whether the mutation was folded into a not-yet-sent row.
    pub coalesced: bool,
    /// The photo attached, for [`super::Edit::AttachPhoto`].
    pub photo_id: Option<PhotoId>,
    /// For [`super::Edit::DeleteDraft`]: undo possible until this time (unix ms).
    pub undo_until: Option<u64>,
}

pub(super) enum PhotoChange {
    Insert(PhotoRow),
    Delete(PhotoId),
    Position(PhotoId, u32),
}

/// Everything one edit writes, derived together from the same values. Only
/// [`persist`] writes it, in one transaction.
pub(super) struct Effect {
    pub draft: DraftRow,
    pub is_new: bool,
    pub photos: Vec<PhotoChange>,
    /// A photo file to write (name, bytes) before the rows.
    pub file: Option<(String, Vec<u8>)>,
    pub mutations: Vec<Mutation>,
    /// Files that may have lost their last row (removed after the commit).
    pub release_files: Vec<String>,
    pub photo_id: Option<PhotoId>,
}

impl Effect {
    pub fn update(draft: DraftRow) -> Self {
        Effect {
            draft,
            is_new: false,
            photos: Vec::new(),
            file: None,
            mutations: Vec::new(),
            release_files: Vec::new(),
            photo_id: None,
        }
    }
}

/// New ids for what an edit creates, drawn from the store's randomness only
/// when a planner asks (so an edit refused early draws none). The planners get
/// this, never the [`Store`]: they only read, through the snapshot.
pub(super) struct NewIds<'a> {
    store: &'a Store,
    now: u64,
}

impl<'a> NewIds<'a> {
    pub fn new(store: &'a Store, now: u64) -> Self {
        NewIds { store, now }
    }

    pub fn listing(&self) -> ListingId {
        ListingId::from_parts(self.now, self.store.random())
    }

    pub fn photo(&self) -> PhotoId {
        PhotoId::from_parts(self.now, self.store.random())
    }
}

/// Writes an [`Effect`]: the photo file (if any), the draft row, the photo rows
/// and the outbox rows, all inside `tx`. This is the only function that writes
/// drafts; it always writes the mutations with them. Returns the receipt and
/// the files to release after the commit.
pub(super) fn persist(
    tx: &Transaction<'_>,
    effect: Effect,
    store: &Store,
) -> Result<(EditReceipt, Vec<String>), StoreError> {
    let err = store.sqlite_err("your change");
    let Effect {
        mut draft,
        is_new,
        photos: photo_changes,
        file,
        mutations,
        release_files,
        photo_id,
    } = effect;
    if let Some((name, bytes)) = &file {
        photo_files::write_file(store.photos_dir(), name, bytes)?;
    }
    draft.rev += 1;
    draft.write(tx, is_new).map_err(&err)?;
    failpoint::hit("edit:after_draft_row");
    for change in photo_changes {
        match change {
            PhotoChange::Insert(p) => p.insert(tx).map_err(&err)?,
            PhotoChange::Delete(id) => {
                tx.execute("DELETE FROM photos WHERE id = ?1", [id.to_string()])
                    .map_err(&err)?;
            }
            PhotoChange::Position(id, pos) => {
                tx.execute(
                    "UPDATE photos SET position = ?2 WHERE id = ?1",
                    params![id.to_string(), pos],
                )
                .map_err(&err)?;
            }
        }
    }
    let mut outbox_seq = None;
    let mut coalesced = false;
    for m in mutations {
        let (seq, merged) = queue(tx, m, draft.rev, store.now()).map_err(&err)?;
        outbox_seq = Some(seq);
        coalesced = merged;
    }
    Ok((
        EditReceipt {
            id: draft.id,
            rev: draft.rev,
            outbox_seq,
            coalesced,
            photo_id,
            undo_until: draft.undo_until.filter(|_| draft.deleted_at.is_some()),
        },
        release_files,
    ))
}
