//! The facade's draft operations: what the editor, the drafts list and
//! `rehome draft …` call.
//!
//! Every edit goes to the store as one transaction (draft rows and outbox
//! mutation together). When the device refuses it (disk full, read-only
//! folder, damaged database), the edit is **kept in memory**: the error says
//! so and carries it ([`AppError::NotSaved`]), [`App::unsaved_edits`] lists
//! what is waiting, and [`App::retry_unsaved_edits`] tries again.

use crate::{App, AppError};
use rehome_model::draft::{Draft, DraftCard, validate_field};
use rehome_model::ipc::{
    AttachPhotoRequest, CreateDraftRequest, DeleteDraftResponse, DraftIdRequest, ListDraftsRequest,
    PhotoRequest, ReorderPhotosRequest, SetFieldRequest, SetFieldResponse, UnsavedEdit,
};
use rehome_model::{ListingId, PhotoId};
use rehome_store::{Edit, NewPhoto, Store, StoreError};
use std::sync::{Arc, Mutex};

/// Edits on the facade's one store, and the ones it could not save yet.
pub(crate) struct Drafts {
    store: Arc<crate::StoreHandle>,
    unsaved: Mutex<Vec<(UnsavedEdit, Edit)>>,
    /// Told after every saved edit that queued something to send.
    sync_trigger: crate::sync_runner::SyncTrigger,
}

impl Drafts {
    pub(crate) fn new(
        store: Arc<crate::StoreHandle>,
        sync_trigger: crate::sync_runner::SyncTrigger,
    ) -> Self {
        Drafts {
            store,
            unsaved: Mutex::new(Vec::new()),
            sync_trigger,
        }
    }

    fn store(&self) -> Result<Arc<Store>, StoreError> {
        self.store.get()
    }

    /// Applies an edit; on a device fault keeps it in memory and says so.
    pub(crate) fn apply(&self, edit: Edit) -> Result<rehome_store::EditReceipt, AppError> {
        let result = self.store().and_then(|s| s.apply_edit(edit.clone()));
        match result {
            Ok(receipt) => {
                if receipt.outbox_seq.is_some() {
                    self.sync_trigger.nudge();
                }
                Ok(receipt)
            }
            Err(e) if e.is_device_fault() => {
                let unsaved = describe(&edit, &e);
                let mut list = self.unsaved.lock().unwrap_or_else(|p| p.into_inner());
                // A newer value of the same field replaces the older one.
                list.retain(|(u, _)| {
                    !(u.field.is_some() && u.field == unsaved.field && u.id == unsaved.id)
                });
                list.push((unsaved.clone(), edit));
                tracing::warn!(error = %e, action = %unsaved.action, "edit kept in memory");
                Err(AppError::NotSaved {
                    edit: Box::new(unsaved),
                    source: e,
                })
            }
            Err(e) => Err(AppError::Store(e)),
        }
    }
}

fn describe(edit: &Edit, e: &StoreError) -> UnsavedEdit {
    let (action, field, value) = match edit {
        Edit::CreateDraft { .. } => ("create draft", None, None),
        Edit::SetField { field, text, .. } => ("set field", Some(*field), Some(text.clone())),
        Edit::DuplicateDraft { .. } => ("duplicate draft", None, None),
        Edit::Publish { .. } => ("publish", None, None),
        Edit::DeleteDraft { .. } => ("delete draft", None, None),
        Edit::UndoDelete { .. } => ("undo delete", None, None),
        Edit::Purge { .. } => ("delete for good", None, None),
        Edit::AttachPhoto { .. } => ("add photo", None, None),
        Edit::ReorderPhotos { .. } => ("reorder photos", None, None),
        Edit::SetCover { .. } => ("set cover photo", None, None),
        Edit::DeletePhoto { .. } => ("remove photo", None, None),
        Edit::Delist { .. } => ("delist", None, None),
        Edit::MarkSold { .. } => ("mark sold", None, None),
        Edit::Relist { .. } => ("relist", None, None),
        Edit::SetQuantity { quantity, .. } => ("set quantity", None, Some(quantity.to_string())),
        Edit::ReplacePhoto { .. } => ("rotate photo", None, None),
    };
    UnsavedEdit {
        id: edit.listing(),
        action: action.to_owned(),
        field,
        value,
        reason: e.to_string(),
    }
}

impl App {
    pub(crate) fn draft_after(&self, id: ListingId) -> Result<Draft, AppError> {
        Ok(self.store()?.get_draft(id)?)
    }

    /// A new draft, empty or pre-filled. Saved before this returns.
    #[tracing::instrument(skip_all)]
    pub fn create_draft(&self, req: CreateDraftRequest) -> Result<Draft, AppError> {
        let r = self
            .drafts
            .apply(Edit::CreateDraft { values: req.values })?;
        self.draft_after(r.id)
    }

    /// The drafts list, newest edit first. Drafts whose undo window has passed
    /// are deleted for good first.
    #[tracing::instrument(skip_all)]
    pub fn list_drafts(&self, req: ListDraftsRequest) -> Result<Vec<DraftCard>, AppError> {
        let ListDraftsRequest {} = req;
        let store = self.store()?;
        if let Err(e) = store.purge_expired_deletes() {
            tracing::warn!(error = %e, "could not purge expired deletes");
        }
        Ok(store.list_drafts()?)
    }

    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn get_draft(&self, req: DraftIdRequest) -> Result<Draft, AppError> {
        self.draft_after(req.id)
    }

    /// Saves one field exactly as typed, valid or not (nothing typed is
    /// lost), and returns the field's problems with the whole draft.
    #[tracing::instrument(skip(self, req), fields(id = %req.id, field = %req.field))]
    /// Saves carrying a `seq` apply in that order per field: one older than
    /// a save already applied is skipped (the editor sends each keystroke at
    /// once, without waiting for the previous save, so two may cross).
    pub fn set_draft_field(&self, req: SetFieldRequest) -> Result<SetFieldResponse, AppError> {
        let key = (req.id, req.field);
        if req.seq != 0 {
            // Seen before waiting for the write below: a newer save queued
            // behind a running one makes the older ones waiting skip their
            // write, so a burst of keystrokes costs two writes, not one each.
            let mut seen = self.field_seen.lock().unwrap_or_else(|p| p.into_inner());
            let newest = seen.entry(key).or_default();
            *newest = (*newest).max(req.seq);
        }
        {
            // Held across the write, so the check and the write are one step.
            let mut applied = self.field_saves.lock().unwrap_or_else(|p| p.into_inner());
            let newest_seen = self
                .field_seen
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&key)
                .copied()
                .unwrap_or_default();
            let last = applied.entry(key).or_default();
            let stale = req.seq != 0 && (req.seq <= *last || req.seq < newest_seen);
            if !stale {
                *last = (*last).max(req.seq);
                self.drafts.apply(Edit::SetField {
                    id: req.id,
                    field: req.field,
                    text: req.value,
                })?;
            }
        }
        let draft = self.draft_after(req.id)?;
        Ok(SetFieldResponse {
            field: req.field,
            errors: validate_field(&draft.values, req.field),
            draft,
        })
    }

    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn duplicate_draft(&self, req: DraftIdRequest) -> Result<Draft, AppError> {
        let id = req.id;
        let r = self.drafts.apply(Edit::DuplicateDraft { from: id })?;
        self.draft_after(r.id)
    }

    /// Soft delete: gone from the list now, back with [`App::undo_delete_draft`]
    /// until `undo_until`.
    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn delete_draft(&self, req: DraftIdRequest) -> Result<DeleteDraftResponse, AppError> {
        let id = req.id;
        let r = self.drafts.apply(Edit::DeleteDraft { id })?;
        Ok(DeleteDraftResponse {
            id,
            undo_until: r.undo_until.unwrap_or(0),
        })
    }

    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn undo_delete_draft(&self, req: DraftIdRequest) -> Result<Draft, AppError> {
        let id = req.id;
        self.drafts.apply(Edit::UndoDelete { id })?;
        self.draft_after(id)
    }

    /// Queues the draft for publishing (stage "queued" until sync takes it).
    /// Refused with `invalid`, naming the first missing field, until the
    /// readiness checklist is complete.
    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn publish_draft(&self, req: DraftIdRequest) -> Result<Draft, AppError> {
        let id = req.id;
        self.drafts.apply(Edit::Publish { id })?;
        self.draft_after(id)
    }

    /// Attaches a JPEG that was compressed elsewhere (bytes, size, hash), not
    /// by this device's pipeline. Its bytes are checked here, once: the
    /// pipeline's marker walk (a whole JPEG within its limits, or `bad_photo`
    /// naming what is wrong) and the claimed SHA-256 against the bytes'.
    #[tracing::instrument(skip(self, req), fields(id = %req.id, bytes = req.jpeg.len()))]
    pub fn attach_draft_photo(&self, req: AttachPhotoRequest) -> Result<Draft, AppError> {
        rehome_photo::check_jpeg(&req.jpeg, &rehome_photo::Limits::default())?;
        let photo = NewPhoto::checked(req.jpeg, req.width, req.height, &req.sha256)?;
        self.drafts.apply(Edit::AttachPhoto { id: req.id, photo })?;
        self.draft_after(req.id)
    }

    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn reorder_draft_photos(&self, req: ReorderPhotosRequest) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::ReorderPhotos {
            id: req.id,
            order: req.photo_ids,
        })?;
        self.draft_after(req.id)
    }

    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn set_draft_cover_photo(&self, req: PhotoRequest) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::SetCover {
            id: req.id,
            photo: req.photo_id,
        })?;
        self.draft_after(req.id)
    }

    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn delete_draft_photo(&self, req: PhotoRequest) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::DeletePhoto {
            id: req.id,
            photo: req.photo_id,
        })?;
        self.draft_after(req.id)
    }

    /// Edits the device refused, kept in memory, oldest first.
    pub fn unsaved_edits(&self) -> Vec<UnsavedEdit> {
        let list = self
            .drafts
            .unsaved
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        list.iter().map(|(u, _)| u.clone()).collect()
    }

    /// Tries every kept edit again, in order; returns those still unsaved.
    #[tracing::instrument(skip_all)]
    pub fn retry_unsaved_edits(&self) -> Vec<UnsavedEdit> {
        let pending: Vec<(UnsavedEdit, Edit)> = {
            let mut list = self
                .drafts
                .unsaved
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            std::mem::take(&mut *list)
        };
        for (old, edit) in pending {
            match self.drafts.apply(edit) {
                Ok(_) => {}
                Err(AppError::NotSaved { .. }) => {}
                Err(e) => {
                    tracing::warn!(error = %e, action = %old.action, "a kept edit no longer applies")
                }
            }
        }
        self.unsaved_edits()
    }

    /// Photo ids are parsed here so callers need no uuid crate.
    pub fn parse_photo_id(s: &str) -> Result<PhotoId, AppError> {
        s.parse().map_err(|e| {
            AppError::Store(StoreError::Invalid {
                field: Some("photoId".into()),
                message: format!("{s:?} is not a photo id: {e}"),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{App, AppConfig, AppError};
    use rehome_model::ErrorCode;
    use rehome_model::draft::DraftField;
    use rehome_model::ipc::{CreateDraftRequest, DraftIdRequest, SetFieldRequest};
    use std::process::Command;

    /// Saves that cross on their way in: one older than a save already
    /// applied to the field is skipped; `seq` 0 (the CLI) always applies.
    #[test]
    fn a_late_older_save_of_a_field_never_overwrites_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(AppConfig::offline_in(dir.path())).unwrap();
        let id = app.create_draft(CreateDraftRequest::default()).unwrap().id;
        let check = |seq: u64, value: &str, expected_title: &str| {
            let saved = app
                .set_draft_field(SetFieldRequest {
                    id,
                    field: DraftField::Title,
                    value: value.into(),
                    seq,
                })
                .unwrap();
            assert_eq!(
                saved.draft.values.title, expected_title,
                "seq {seq} {value:?}"
            );
        };
        check(5, "Linen shir", "Linen shir");
        check(7, "Linen shirt", "Linen shirt");
        check(6, "Linen shirt,", "Linen shirt"); // arrived late: skipped
        check(7, "Linen", "Linen shirt"); // the same seq again: skipped
        check(0, "From the CLI", "From the CLI");
        check(8, "Linen shirt, new", "Linen shirt, new");
    }

    /// A full disk for real: a 1 MiB tmpfs filled to the brim (needs root;
    /// skipped with the reason otherwise). The edit that hits it comes back as
    /// `NotSaved` carrying the edit, stays listed in memory, and is saved by a
    /// retry once space is back.
    #[test]
    fn an_edit_refused_by_a_full_disk_is_kept_in_memory_and_retried() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("small");
        std::fs::create_dir(&dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1024k", "tmpfs"])
            .arg(&dir)
            .output();
        match mounted {
            Ok(o) if o.status.success() => {}
            other => {
                println!("SKIPPED: cannot mount a small tmpfs ({other:?}); needs root");
                return;
            }
        }
        struct Unmount(std::path::PathBuf);
        impl Drop for Unmount {
            fn drop(&mut self) {
                let _ = Command::new("umount").arg("-l").arg(&self.0).status();
            }
        }
        let _unmount = Unmount(dir.clone());
        let app = App::open(AppConfig::offline_in(&dir)).unwrap();
        let id = app.create_draft(CreateDraftRequest::default()).unwrap().id;
        let filler = dir.join("filler");
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&filler).unwrap();
            while f.write_all(&[0u8; 4096]).is_ok() {}
            while f.write_all(&[0u8; 256]).is_ok() {}
        }
        let mut refused = None;
        for i in 0..100 {
            let value = format!("{i} {}", "x".repeat(60_000));
            let req = SetFieldRequest {
                id,
                field: DraftField::Description,
                value: value.clone(),
                seq: 0,
            };
            if let Err(e) = app.set_draft_field(req) {
                refused = Some((e, value));
                break;
            }
        }
        let (err, value) = refused.expect("the full disk refused nothing");
        assert_eq!(err.code(), ErrorCode::DiskFull, "{err:?}");
        match &err {
            AppError::NotSaved { edit, .. } => {
                assert_eq!(edit.field, Some(DraftField::Description));
                assert_eq!(edit.value.as_deref(), Some(value.as_str()));
            }
            other => panic!("{other:?}"),
        }
        let api = rehome_model::ApiError::from(err);
        assert_eq!(api.field.as_deref(), Some("description"));
        assert!(api.message.contains("kept in memory"), "{}", api.message);
        assert_eq!(app.unsaved_edits().len(), 1);
        // Still full: the retry keeps it.
        assert_eq!(app.retry_unsaved_edits().len(), 1);
        std::fs::remove_file(&filler).unwrap();
        assert!(app.retry_unsaved_edits().is_empty());
        assert_eq!(
            app.get_draft(DraftIdRequest { id })
                .unwrap()
                .values
                .description,
            value
        );
    }

    /// A JPEG from outside the pipeline is checked once, where it comes in:
    /// what is not a whole JPEG is refused as a bad photo (empty, a PNG, a
    /// frame header with no image data after it, an end marker with nothing
    /// before it), a hash that is not the bytes' is refused, and a good one is
    /// attached with the size it was sent with.
    #[test]
    fn a_jpeg_from_outside_the_pipeline_is_checked_where_it_comes_in() {
        use rehome_model::ipc::AttachPhotoRequest;
        use sha2::{Digest, Sha256};
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(AppConfig::offline_in(dir.path())).unwrap();
        let id = app.create_draft(CreateDraftRequest::default()).unwrap().id;
        let attach = |jpeg: &[u8], sha256: String| {
            app.attach_draft_photo(AttachPhotoRequest {
                id,
                jpeg: jpeg.to_vec(),
                width: 3,
                height: 2,
                sha256,
            })
        };
        let sha = |b: &[u8]| format!("{:x}", Sha256::digest(b));
        let refused: &[&[u8]] = &[
            b"",
            b"\x89PNG\r\n\x1a\n0000000000",
            // SOI, APP0 (len 4), SOF0 with 8-bit, h=2, w=3, and no scan
            &[
                0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
                0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00,
            ],
            &[0xFF, 0xD8, 0xFF, 0xD9, 0, 0, 0, 0, 0, 0, 0],
        ];
        for bytes in refused {
            let err = attach(bytes, sha(bytes)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::BadPhoto, "{bytes:x?}: {err}");
        }
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 80)
            .encode(&[128; 3 * 3 * 2], 3, 2, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        let err = attach(&jpeg, "00".repeat(32)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Invalid, "{err}");
        assert!(err.to_string().contains("SHA-256"), "{err}");
        let draft = attach(&jpeg, sha(&jpeg)).unwrap();
        assert_eq!(draft.photos.len(), 1);
        let photo = &draft.photos[0];
        assert_eq!((photo.width, photo.height), (3, 2));
        assert_eq!(photo.sha256, sha(&jpeg));
    }
}
