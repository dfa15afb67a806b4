//! User edits: the only way to change a draft. See the crate docs, "The one rule".

use crate::error::StoreError;
use crate::outbox::queue;
use crate::rows::{DraftRow, PhotoRow};
use crate::snapshot::Snapshot;
use crate::store::Store;
use crate::{UNDO_WINDOW_MS, failpoint, photo_files};
use rehome_model::draft::{
    DraftField, DraftValues, parse_draft, parse_field, parse_price, readiness,
};
use rehome_model::sync::{ListingFields, Mutation, MutationId};
use rehome_model::{ListingId, Money, PhotoId};
use rusqlite::{Transaction, TransactionBehavior, params};

mod lifecycle;
pub use lifecycle::QUANTITY_MAX;

mod photo_edits;

/// The most text one field may hold (far above any validation limit: this only
/// stops a runaway paste from filling the disk).
pub const FIELD_BYTES_MAX: usize = 64 * 1024;
/// The largest photo file the store accepts (already compressed by the pipeline).
pub const PHOTO_BYTES_MAX: usize = 16 * 1024 * 1024;

/// A photo to attach: JPEG bytes as the photo pipeline produced them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Lower-case hex SHA-256 of `jpeg` (checked).
    pub sha256: String,
}

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
    /// The photo attached, for [`Edit::AttachPhoto`].
    pub photo_id: Option<PhotoId>,
    /// For [`Edit::DeleteDraft`]: undo possible until this time (unix ms).
    pub undo_until: Option<u64>,
}

enum PhotoChange {
    Insert(PhotoRow),
    Delete(PhotoId),
    Position(PhotoId, u32),
}

/// Everything one edit writes, derived together from the same values. Only
/// [`persist`] writes it, in one transaction.
struct Effect {
    draft: DraftRow,
    is_new: bool,
    photos: Vec<PhotoChange>,
    /// A photo file to write (name, bytes) before the rows.
    file: Option<(String, Vec<u8>)>,
    mutations: Vec<Mutation>,
    /// Files that may have lost their last row (removed after the commit).
    release_files: Vec<String>,
    photo_id: Option<PhotoId>,
}

impl Effect {
    fn update(draft: DraftRow) -> Self {
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

impl Store {
    /// Applies one user edit: the draft rows and the outbox mutation together,
    /// in one `BEGIN IMMEDIATE` transaction, durable (`synchronous=FULL`) when
    /// this returns `Ok`.
    #[tracing::instrument(skip(self, edit), fields(edit = edit_name(&edit), listing = ?edit.listing()))]
    pub fn apply_edit(&self, edit: Edit) -> Result<EditReceipt, StoreError> {
        let now = self.now();
        let mut conn = self.writer();
        let err = self.sqlite_err("your change");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        failpoint::hit("edit:begun");
        let listing = edit.listing();
        let snapshot = Snapshot::new(&tx);
        let effect = match self.plan(&snapshot, edit, now)? {
            Some(effect) => effect,
            None => {
                // Nothing changes (e.g. publishing what is already queued):
                // nothing is written, and that is not an error.
                let id = listing.ok_or_else(|| StoreError::invalid(None, "nothing to change"))?;
                let rev = snapshot.draft(id)?.rev;
                return Ok(EditReceipt {
                    id,
                    rev,
                    outbox_seq: None,
                    coalesced: false,
                    photo_id: None,
                    undo_until: None,
                });
            }
        };
        let receipt = persist(&tx, effect, self)?;
        failpoint::hit("edit:before_commit");
        tx.commit().map_err(&err)?;
        failpoint::hit("edit:after_commit");
        for file in &receipt.1 {
            photo_files::release_file(&conn, self.photos_dir(), file);
        }
        Ok(receipt.0)
    }

    fn new_listing_id(&self, now: u64) -> ListingId {
        ListingId::from_parts(now, self.random())
    }

    fn new_photo_id(&self, now: u64) -> PhotoId {
        PhotoId::from_parts(now, self.random())
    }

    /// Works out what an edit writes. Reads only: it gets a [`Snapshot`], which
    /// offers no way to write.
    fn plan(&self, db: &Snapshot<'_>, edit: Edit, now: u64) -> Result<Option<Effect>, StoreError> {
        let effect = match edit {
            Edit::CreateDraft { values } => {
                check_sizes(&values)?;
                let id = self.new_listing_id(now);
                let draft = DraftRow::new(id, values, now);
                let mut effect = Effect::update(draft);
                effect.is_new = true;
                effect.mutations.push(create_mutation(&effect.draft));
                effect
            }
            Edit::SetField { id, field, text } => {
                if text.len() > FIELD_BYTES_MAX {
                    return Err(StoreError::invalid(
                        Some(field.as_str()),
                        format!("{field} is far too long to keep ({} bytes)", text.len()),
                    ));
                }
                let mut draft = db.live_draft(id)?;
                draft.values.set(field, text.clone());
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                if field == DraftField::Price {
                    if let Ok(price) = parse_price(&text) {
                        effect.mutations.push(Mutation::SetPrice {
                            listing_id: id,
                            price,
                            base_version: db.versions(id)?.price,
                        });
                    }
                } else if let Some(fields) = parse_field(field, &text) {
                    effect.mutations.push(Mutation::UpdateListing {
                        listing_id: id,
                        fields,
                    });
                }
                // Text that does not parse to a wire value (price "abc") stays
                // on the device: the draft row has it, the server keeps its last
                // valid value, and publish is refused until it is fixed.
                effect
            }
            Edit::DuplicateDraft { from } => {
                let source = db.live_draft(from)?;
                let id = self.new_listing_id(now);
                let draft = DraftRow::new(id, source.values.clone(), now);
                let mut effect = Effect::update(draft);
                effect.is_new = true;
                effect.mutations.push(create_mutation(&effect.draft));
                for (position, p) in db.photos(from)?.into_iter().enumerate() {
                    let photo_id = self.new_photo_id(now);
                    effect.mutations.push(Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id,
                        sha256: p.sha256.clone(),
                        position: position as u32,
                    });
                    effect.photos.push(PhotoChange::Insert(PhotoRow {
                        id: photo_id,
                        listing_id: id,
                        position: position as u32,
                        upload_offset: 0,
                        upload_state: "pending".into(),
                        created_at: now,
                        ..p
                    }));
                }
                effect
            }
            Edit::Publish { id } => {
                let mut draft = db.live_draft(id)?;
                match draft.status.as_str() {
                    "draft" | "delisted" => {}
                    "queued" | "live" => return Ok(None),
                    other => {
                        return Err(StoreError::invalid(
                            None,
                            format!("a {other} listing cannot be published"),
                        ));
                    }
                }
                let photos = db.photos(id)?;
                let missing = photos.iter().filter(|p| p.file_missing).count();
                let ready = readiness(&draft.values, photos.len(), missing);
                if !ready.ready {
                    return Err(StoreError::NotReady(ready));
                }
                let base_version = db.versions(id)?.status;
                let relist = draft.status == "delisted";
                draft.status = "queued".into();
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                effect.mutations.push(if relist {
                    Mutation::Relist {
                        listing_id: id,
                        base_version,
                    }
                } else {
                    Mutation::Publish {
                        listing_id: id,
                        base_version,
                    }
                });
                effect
            }
            Edit::DeleteDraft { id } => {
                let mut draft = db.live_draft(id)?;
                draft.deleted_at = Some(now);
                draft.undo_until = Some(now + UNDO_WINDOW_MS);
                draft.updated_at = now;
                // Local only while it can be undone: the server hears of it
                // in `Purge`, when the window has passed.
                Effect::update(draft)
            }
            Edit::UndoDelete { id } => {
                let mut draft = db.draft(id)?;
                match (draft.deleted_at, draft.undo_until) {
                    (None, _) => return Ok(None),
                    (Some(_), Some(until)) if until >= now && draft.status != "deleted" => {}
                    _ => {
                        return Err(StoreError::invalid(
                            None,
                            "too late to undo: the draft is deleted for good",
                        ));
                    }
                }
                draft.deleted_at = None;
                draft.undo_until = None;
                draft.updated_at = now;
                Effect::update(draft)
            }
            Edit::Purge { id } => {
                let mut draft = db.draft(id)?;
                if draft.status == "deleted" {
                    return Ok(None);
                }
                draft.status = "deleted".into();
                draft.deleted_at = draft.deleted_at.or(Some(now));
                draft.undo_until = None;
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                for p in db.photos(id)? {
                    effect.photos.push(PhotoChange::Delete(p.id));
                    effect.release_files.push(p.file);
                }
                effect
                    .mutations
                    .push(Mutation::DeleteListing { listing_id: id });
                effect
            }
            Edit::AttachPhoto { id, photo } => {
                let mut draft = db.live_draft(id)?;
                let sha = photo_edits::checked_sha256(&photo)?;
                let existing = db.photos(id)?;
                photo_edits::check_room(&existing)?;
                let photo_id = self.new_photo_id(now);
                let file = format!("{sha}.jpg");
                let position = existing.len() as u32;
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                effect.photos.push(PhotoChange::Insert(PhotoRow {
                    id: photo_id,
                    listing_id: id,
                    file: file.clone(),
                    sha256: sha.clone(),
                    byte_len: photo.jpeg.len() as u64,
                    width: photo.width,
                    height: photo.height,
                    position,
                    upload_offset: 0,
                    upload_state: "pending".into(),
                    file_missing: false,
                    created_at: now,
                }));
                effect.file = Some((file, photo.jpeg));
                effect.mutations.push(Mutation::AttachPhoto {
                    listing_id: id,
                    photo_id,
                    sha256: sha,
                    position,
                });
                effect.photo_id = Some(photo_id);
                effect
            }
            Edit::Delist { id } => {
                let mut draft = db.live_draft(id)?;
                match draft.status.as_str() {
                    "live" | "queued" => {}
                    "delisted" => return Ok(None),
                    other => {
                        return Err(StoreError::invalid(
                            None,
                            format!("a {other} listing cannot be delisted"),
                        ));
                    }
                }
                let base_version = db.versions(id)?.status;
                draft.status = "delisted".into();
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                effect.mutations.push(Mutation::Delist {
                    listing_id: id,
                    base_version,
                });
                effect
            }
            Edit::MarkSold { id } => {
                let mut draft = db.live_draft(id)?;
                if draft.status == "sold" {
                    return Ok(None);
                }
                draft.status = "sold".into();
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                effect.mutations.push(Mutation::MarkSold { listing_id: id });
                effect
            }
            Edit::Relist { id } => {
                lifecycle::check_relist(db, id)?;
                return self.plan(db, Edit::Publish { id }, now);
            }
            Edit::SetQuantity { id, quantity } => {
                return lifecycle::set_quantity(db, id, quantity, now);
            }
            Edit::ReorderPhotos { id, order } => reorder(db, id, order, now)?,
            Edit::ReplacePhoto {
                id,
                photo,
                replaced_sha256,
                with,
            } => photo_edits::replace(
                db,
                id,
                photo,
                &replaced_sha256,
                with,
                self.new_photo_id(now),
                now,
            )?,
            Edit::SetCover { id, photo } => {
                let mut order: Vec<PhotoId> = db.photos(id)?.into_iter().map(|p| p.id).collect();
                let Some(i) = order.iter().position(|p| *p == photo) else {
                    return Err(StoreError::not_found(format!("photo {photo}")));
                };
                let cover = order.remove(i);
                order.insert(0, cover);
                reorder(db, id, order, now)?
            }
            Edit::DeletePhoto { id, photo } => {
                let mut draft = db.live_draft(id)?;
                let photos = db.photos(id)?;
                let Some(gone) = photos.iter().find(|p| p.id == photo) else {
                    return Err(StoreError::not_found(format!("photo {photo}")));
                };
                draft.updated_at = now;
                let mut effect = Effect::update(draft);
                effect.photos.push(PhotoChange::Delete(photo));
                effect.release_files.push(gone.file.clone());
                for (i, p) in photos.iter().filter(|p| p.id != photo).enumerate() {
                    if p.position != i as u32 {
                        effect.photos.push(PhotoChange::Position(p.id, i as u32));
                    }
                }
                effect.mutations.push(Mutation::DetachPhoto {
                    listing_id: id,
                    photo_id: photo,
                });
                effect
            }
        };
        Ok(Some(effect))
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

fn reorder(
    db: &Snapshot<'_>,
    id: ListingId,
    order: Vec<PhotoId>,
    now: u64,
) -> Result<Effect, StoreError> {
    let mut draft = db.live_draft(id)?;
    let photos = db.photos(id)?;
    let mut current: Vec<PhotoId> = photos.iter().map(|p| p.id).collect();
    let mut wanted = order.clone();
    current.sort();
    wanted.sort();
    if current != wanted {
        return Err(StoreError::invalid(
            Some("photos"),
            "the new order must list every photo of the draft exactly once",
        ));
    }
    draft.updated_at = now;
    let mut effect = Effect::update(draft);
    for (i, pid) in order.iter().enumerate() {
        if let Some(p) = photos.iter().find(|p| p.id == *pid)
            && p.position != i as u32
        {
            effect.photos.push(PhotoChange::Position(*pid, i as u32));
        }
    }
    effect.mutations.push(Mutation::ReorderPhotos {
        listing_id: id,
        photo_ids: order,
    });
    Ok(effect)
}

fn check_sizes(values: &DraftValues) -> Result<(), StoreError> {
    for field in DraftField::ALL {
        if values.get(*field).len() > FIELD_BYTES_MAX {
            return Err(StoreError::invalid(
                Some(field.as_str()),
                format!("{field} is far too long to keep"),
            ));
        }
    }
    Ok(())
}

/// The create mutation for a new draft: every field whose text parses. A draft
/// with no valid price yet is created with price 0 (a server draft is
/// incomplete by nature; Publish is what validates).
fn create_mutation(draft: &DraftRow) -> Mutation {
    let parsed = parse_draft(&draft.values);
    Mutation::CreateListing {
        listing_id: draft.id,
        fields: without_empty_text(parsed.fields),
        price: parsed.price.unwrap_or(Money(0)),
        quantity: 1,
    }
}

fn without_empty_text(mut f: ListingFields) -> ListingFields {
    for slot in [
        &mut f.title,
        &mut f.description,
        &mut f.brand,
        &mut f.size,
        &mut f.colour,
    ] {
        if slot.as_deref() == Some("") {
            *slot = None;
        }
    }
    f
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

/// Writes an [`Effect`]: the photo file (if any), the draft row, the photo rows
/// and the outbox rows, all inside `tx`. This is the only function that writes
/// drafts; it always writes the mutations with them.
fn persist(
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
