//! One open draft: its values as typed, the problems the core found, and whether
//! everything is saved. An edit the core could not save stays on screen with
//! the reason; it is never dropped.
//!
//! Saving: every change is sent at once, even while an earlier save of the
//! same field is on its way, so no keystroke ever waits in the page, where a
//! kill would lose it. Each save carries a rising `seq`; the core skips one
//! that arrives after a later one, and the editor shows only the answer to a
//! field's latest save. That sequence is plain data in
//! [`rehome_model::draft::saves`], tested there without a webview; this
//! module holds it in a signal and sends what it says. (A fixed 300 ms
//! debounce lost the last 300 ms of typing on every kill, and holding a
//! keystroke until the previous save returned lost the last letter about one
//! run in five; our E2E test showed both.)
//!
//! The photo half (adding, moving, turning) is in [`photos`].

mod photos;

pub use photos::{PendingPhoto, PhotoStage};

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::draft::saves::{FieldSaves, SaveSeq};
use rehome_model::draft::{Draft, DraftField, DraftValues, FieldError, Problem};
use rehome_model::ipc::{
    DraftIdRequest, GetDraftCmd, PublishDraftCmd, RetryUnsavedCmd, SetFieldCmd, SetFieldRequest,
};
use rehome_model::{ApiError, ListingId, PhotoId};
use std::cell::Cell;
use std::collections::BTreeSet;

#[derive(Clone, Copy)]
pub struct Editor {
    pub id: ListingId,
    /// The draft as the core last returned it (stage, photos, checklist).
    pub draft: RwSignal<Option<Draft>>,
    /// The text of every field as typed here (the source of what inputs show).
    pub values: RwSignal<DraftValues>,
    /// Problems per field, as the core last reported them.
    pub errors: RwSignal<Vec<FieldError>>,
    /// Fields the seller has edited here; "required" shows next to them.
    pub touched: RwSignal<BTreeSet<DraftField>>,
    /// After a publish attempt every problem shows next to its field.
    pub show_all: RwSignal<bool>,
    /// Field saves on their way to the core.
    saves: RwSignal<FieldSaves>,
    /// The last save that failed (disk full, read-only, damaged store).
    pub unsaved: RwSignal<Option<ApiError>>,
    /// Anything else that went wrong (publish refused, photo refused).
    pub error: RwSignal<Option<ApiError>>,
    /// Photos being added, in order, each with its own stage (a tile each).
    pub pending_photos: RwSignal<Vec<PendingPhoto>>,
    /// Files left out of the last add because the draft was full.
    pub left_out: RwSignal<usize>,
    /// Photos being turned by the core (their rotate button waits).
    pub rotating: RwSignal<BTreeSet<PhotoId>>,
    /// Files waiting for their turn.
    queue: StoredValue<photos::PhotoQueue, LocalStorage>,
}

/// What the save indicator shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    NotSaved,
}

thread_local! {
    /// Numbers every field save of this page, across the drafts opened in it.
    static SAVE_SEQ: Cell<SaveSeq> = const { Cell::new(SaveSeq::new()) };
}

impl Editor {
    /// Loads draft `id` from the device.
    pub fn load(id: ListingId) -> Editor {
        let editor = Editor {
            id,
            draft: RwSignal::new(None),
            values: RwSignal::new(DraftValues::default()),
            errors: RwSignal::new(Vec::new()),
            touched: RwSignal::new(BTreeSet::new()),
            show_all: RwSignal::new(false),
            saves: RwSignal::new(FieldSaves::new()),
            unsaved: RwSignal::new(None),
            error: RwSignal::new(None),
            pending_photos: RwSignal::new(Vec::new()),
            left_out: RwSignal::new(0),
            queue: StoredValue::new_local(Default::default()),
            rotating: RwSignal::new(BTreeSet::new()),
        };
        spawn_local(async move {
            match ipc::invoke::<GetDraftCmd>(&DraftIdRequest { id }).await {
                Ok(draft) => {
                    editor.values.set(draft.values.clone());
                    editor.show(draft);
                }
                Err(e) => editor.error.set(Some(e)),
            }
        });
        editor
    }

    pub fn save_state(self) -> SaveState {
        if self.unsaved.get().is_some() {
            SaveState::NotSaved
        } else if self.saves.with(FieldSaves::saving) {
            SaveState::Saving
        } else {
            SaveState::Saved
        }
    }

    /// The problems to show next to `field` now.
    pub fn field_errors(self, field: DraftField) -> Vec<FieldError> {
        let show_required = self.show_all.get() || self.touched.with(|t| t.contains(&field));
        self.errors.with(|errors| {
            errors
                .iter()
                .filter(|e| e.field == field && (show_required || e.problem != Problem::Required))
                .cloned()
                .collect()
        })
    }

    /// The seller typed `text` into `field`: show it and send it to the core.
    pub fn input(self, field: DraftField, text: String) {
        self.values.update(|v| v.set(field, text.clone()));
        // The core re-checks on save; until then old problems would be stale.
        self.errors
            .update(|errors| errors.retain(|e| e.field != field));
        self.touched.update(|t| {
            t.insert(field);
        });
        let now_ms = js_sys::Date::now() as u64;
        let save = SAVE_SEQ.with(|cell| {
            let mut seqs = cell.get();
            let save = self
                .saves
                .try_update(|saves| saves.send(field, text, &mut seqs, now_ms));
            cell.set(seqs);
            save
        });
        // `None`: the editor was closed meanwhile; nothing is left to show it.
        let Some(save) = save else { return };
        let req = SetFieldRequest {
            id: self.id,
            field,
            value: save.value,
            seq: save.seq,
        };
        spawn_local(async move {
            let result = ipc::invoke::<SetFieldCmd>(&req).await;
            // `None`: the editor was closed meanwhile. `Some(false)`: a later
            // save of this field is on its way and will answer.
            if self.saves.try_update(|s| s.answered(field, save.seq)) != Some(true) {
                return;
            }
            match result {
                Ok(saved) => {
                    self.unsaved.set(None);
                    self.show(saved.draft);
                }
                Err(e) => self.unsaved.set(Some(e)),
            }
        });
    }

    /// The draft as the core now has it, with its problems.
    fn show(self, draft: Draft) {
        self.errors.set(draft.errors.clone());
        self.draft.set(Some(draft));
    }

    /// Try the edits the core kept in memory again.
    pub fn retry_unsaved(self) {
        spawn_local(async move {
            let still = ipc::invoke::<RetryUnsavedCmd>(&()).await;
            match still {
                Ok(left) if left.is_empty() => {
                    self.unsaved.set(None);
                    self.reload();
                }
                Ok(left) => {
                    let reason = left.first().map(|u| u.reason.clone()).unwrap_or_default();
                    self.unsaved.set(Some(ApiError::new(
                        rehome_model::ErrorCode::Internal,
                        reason,
                    )));
                }
                Err(e) => self.unsaved.set(Some(e)),
            }
        });
    }

    fn reload(self) {
        let id = self.id;
        spawn_local(async move {
            if let Ok(draft) = ipc::invoke::<GetDraftCmd>(&DraftIdRequest { id }).await {
                self.show(draft);
            }
        });
    }

    /// After a conflict's choice changed the draft under the editor: show its
    /// new price and stage (other fields, perhaps being typed, are left alone).
    pub fn reload_price(self) {
        let id = self.id;
        spawn_local(async move {
            if let Ok(draft) = ipc::invoke::<GetDraftCmd>(&DraftIdRequest { id }).await {
                let price = draft.values.get(DraftField::Price).to_owned();
                self.values
                    .update(|v| *v.get_mut(DraftField::Price) = price);
                self.draft.set(Some(draft));
            }
        });
    }

    /// Queue for publishing, or show everything still missing.
    pub fn publish(self) {
        let ready = self
            .draft
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.readiness.ready));
        if !ready {
            self.show_all.set(true);
            return;
        }
        let id = self.id;
        spawn_local(async move {
            match ipc::invoke::<PublishDraftCmd>(&DraftIdRequest { id }).await {
                Ok(draft) => {
                    self.error.set(None);
                    self.draft.set(Some(draft));
                }
                Err(e) => {
                    self.show_all.set(true);
                    self.error.set(Some(e));
                }
            }
        });
    }
}
