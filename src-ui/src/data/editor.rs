//! One open draft: its values as typed, the problems the core found, and whether
//! everything is saved. An edit the core could not save stays on screen with
//! the reason; it is never dropped.
//!
//! Saving: a change is sent at once, with at most one save in flight per field;
//! keystrokes typed meanwhile coalesce into the next save. The store sets the
//! pace (a write takes milliseconds), so a fast typist produces a few writes a
//! second, and a killed app loses at most the one write in flight. A fixed
//! 300 ms debounce lost the last 300 ms of typing on every kill (our E2E test
//! showed it), which the product cannot accept.

use crate::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::draft::PHOTOS_MAX;
use rehome_model::draft::{
    DeletePhotoCmd, Draft, DraftField, DraftIdRequest, DraftValues, FieldError, GetDraftCmd,
    PhotoRequest, Problem, PublishDraftCmd, ReorderPhotosCmd, ReorderPhotosRequest,
    RetryUnsavedCmd, SetCoverPhotoCmd, SetFieldCmd, SetFieldRequest,
};
use rehome_model::ipc::{AddDraftPhotoCmd, AddDraftPhotoRequest, RotatePhotoCmd};
use rehome_model::{ApiError, ListingId, PhotoId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

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
    /// Fields changed here and not yet sent.
    pending: RwSignal<BTreeSet<DraftField>>,
    /// Fields with a save on its way to the core: the `seq` of the latest.
    in_flight: RwSignal<BTreeMap<DraftField, u64>>,
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
    queue: StoredValue<PhotoQueue, LocalStorage>,
}

/// Files waiting to be added (key, name, bytes), and whether a task is
/// working through them.
type PhotoQueue = (VecDeque<(u64, String, web_sys::Blob)>, bool);

/// A photo on its way into the draft: the seller sees a tile for it at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingPhoto {
    /// Unique per editor (keys the tile).
    pub key: u64,
    pub name: String,
    pub stage: PhotoStage,
}

/// Where a pending photo is. Saved photos leave the pending list and show
/// as thumbnails from the draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoStage {
    /// Behind other photos (they are compressed one at a time).
    Waiting,
    /// The webview is reading the file.
    Reading,
    /// The core is compressing it (off the UI thread) and saving it.
    Compressing,
}

impl PhotoStage {
    /// Steps done out of [`PhotoStage::STEPS`], for the tile's progress bar.
    pub fn step(self) -> u32 {
        match self {
            PhotoStage::Waiting => 0,
            PhotoStage::Reading => 1,
            PhotoStage::Compressing => 2,
        }
    }

    /// Waiting, read, compressed and saved.
    pub const STEPS: u32 = 3;

    /// Stable name (the tile's `data-stage`, and the key for its label).
    pub fn name(self) -> &'static str {
        match self {
            PhotoStage::Waiting => "waiting",
            PhotoStage::Reading => "reading",
            PhotoStage::Compressing => "compressing",
        }
    }
}

/// What the save indicator shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    NotSaved,
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
            pending: RwSignal::new(BTreeSet::new()),
            in_flight: RwSignal::new(BTreeMap::new()),
            unsaved: RwSignal::new(None),
            error: RwSignal::new(None),
            pending_photos: RwSignal::new(Vec::new()),
            left_out: RwSignal::new(0),
            queue: StoredValue::new_local((VecDeque::new(), false)),
            rotating: RwSignal::new(BTreeSet::new()),
        };
        register_flush_on_close(editor);
        spawn_local(async move {
            match ipc::invoke::<GetDraftCmd>(&DraftIdRequest { id }).await {
                Ok(draft) => {
                    editor.values.set(draft.values.clone());
                    editor.errors.set(draft.errors.clone());
                    editor.draft.set(Some(draft));
                }
                Err(e) => editor.error.set(Some(e)),
            }
        });
        editor
    }

    pub fn save_state(self) -> SaveState {
        if self.unsaved.get().is_some() {
            SaveState::NotSaved
        } else if !self.in_flight.with(BTreeMap::is_empty) || !self.pending.with(BTreeSet::is_empty)
        {
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

    /// The seller typed `text` into `field`: show it and save it.
    pub fn input(self, field: DraftField, text: String) {
        self.values.update(|v| v.set(field, text));
        // The core re-checks on save; until then old problems would be stale.
        self.errors
            .update(|errors| errors.retain(|e| e.field != field));
        self.touched.update(|t| {
            t.insert(field);
        });
        self.pending.update(|p| {
            p.insert(field);
        });
        self.flush(field);
    }

    /// Sends `field` now, even while an earlier save of it is on its way: a
    /// keystroke never waits in the page, where a kill would lose it. Each
    /// save carries a rising `seq`, so the core skips one that arrives after
    /// a later one.
    pub fn flush(self, field: DraftField) {
        // `try_`: the shell's close hook may call an editor already closed.
        if self.pending.try_with_untracked(|p| p.contains(&field)) == Some(true) {
            self.save(field);
        }
    }

    /// Sends every field still waiting.
    pub fn flush_all(self) {
        for field in self.pending.try_get_untracked().unwrap_or_default() {
            self.flush(field);
        }
    }

    fn save(self, field: DraftField) {
        self.pending.update(|p| {
            p.remove(&field);
        });
        let seq = next_save_seq();
        self.in_flight.update(|f| {
            f.insert(field, seq);
        });
        let value = self.values.with_untracked(|v| v.get(field).to_owned());
        let req = SetFieldRequest {
            id: self.id,
            field,
            value,
            seq,
        };
        spawn_local(async move {
            let result = ipc::invoke::<SetFieldCmd>(&req).await;
            let latest = self.in_flight.try_update(|f| {
                let latest = f.get(&field) == Some(&seq);
                if latest {
                    f.remove(&field);
                }
                latest
            });
            // `None`: the editor was closed meanwhile. `Some(false)`: a later
            // save of this field is on its way and will answer.
            if latest != Some(true) {
                return;
            }
            match result {
                Ok(saved) => {
                    self.unsaved.set(None);
                    // Problems of fields still being typed would be stale.
                    let busy = self.pending.get_untracked();
                    self.errors.set(
                        saved
                            .draft
                            .errors
                            .iter()
                            .filter(|e| !busy.contains(&e.field))
                            .cloned()
                            .collect(),
                    );
                    self.draft.set(Some(saved.draft));
                }
                Err(e) => self.unsaved.set(Some(e)),
            }
        });
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
                self.errors.set(draft.errors.clone());
                self.draft.set(Some(draft));
            }
        });
    }

    /// Queue for publishing, or show everything still missing.
    pub fn publish(self) {
        self.flush_all();
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

    /// Adds picked or dropped files one by one (each compressed by the core).
    pub fn add_files(self, files: Vec<web_sys::File>) {
        self.add_images(
            files
                .into_iter()
                .map(|f| (f.name(), web_sys::Blob::from(f)))
                .collect(),
        );
    }

    /// How many more photos fit: the cap less those saved and on their way.
    pub fn room(self) -> usize {
        let saved = self
            .draft
            .with(|d| d.as_ref().map_or(0, |d| d.photos.len()));
        PHOTOS_MAX.saturating_sub(saved + self.pending_photos.with(Vec::len))
    }

    /// Adds images (named for messages), each compressed by the core, one at
    /// a time, each with its own tile and stage. Beyond the photo cap the
    /// rest are left out and [`Editor::left_out`] says how many.
    pub fn add_images(self, mut files: Vec<(String, web_sys::Blob)>) {
        let room = self.room();
        let dropped = files.len().saturating_sub(room);
        files.truncate(room);
        self.left_out.set(dropped);
        if files.is_empty() {
            return;
        }
        let first_key = self
            .pending_photos
            .with_untracked(|p| p.last().map_or(0, |p| p.key + 1));
        let batch: Vec<(u64, String, web_sys::Blob)> = files
            .into_iter()
            .enumerate()
            .map(|(i, (name, blob))| (first_key + i as u64, name, blob))
            .collect();
        self.pending_photos.update(|p| {
            p.extend(batch.iter().map(|(key, name, _)| PendingPhoto {
                key: *key,
                name: name.clone(),
                stage: PhotoStage::Waiting,
            }))
        });
        // One photo at a time, in order, also across batches: one task works
        // through the queue; a batch added meanwhile joins its end.
        let start = self.queue.try_update_value(|(queue, running)| {
            queue.extend(batch);
            !std::mem::replace(running, true)
        });
        if start == Some(true) {
            spawn_local(async move {
                while let Some(Some((key, name, file))) =
                    self.queue.try_update_value(|(q, running)| {
                        let next = q.pop_front();
                        *running = next.is_some();
                        next
                    })
                {
                    self.add_one(key, name, file).await;
                }
            });
        }
    }

    async fn add_one(self, key: u64, name: String, file: web_sys::Blob) {
        let stage = |stage| {
            self.pending_photos.try_update(|p| {
                if let Some(x) = p.iter_mut().find(|x| x.key == key) {
                    x.stage = stage;
                }
            })
        };
        stage(PhotoStage::Reading);
        let result = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(bytes) => {
                stage(PhotoStage::Compressing);
                ipc::invoke_bytes::<AddDraftPhotoCmd>(&AddDraftPhotoRequest { id: self.id }, &bytes)
                    .await
            }
            Err(_) => Err(ApiError::new(
                rehome_model::ErrorCode::BadPhoto,
                "could not be read",
            )),
        };
        // Saved (its thumbnail comes with the draft) or refused: the tile goes.
        if self
            .pending_photos
            .try_update(|p| p.retain(|x| x.key != key))
            .is_none()
        {
            return; // the editor was closed meanwhile
        }
        match result {
            Ok(draft) => {
                self.errors.set(draft.errors.clone());
                self.draft.set(Some(draft));
            }
            Err(e) => self.error.set(Some(ApiError {
                message: format!("{name}: {}", e.message),
                ..e
            })),
        }
    }

    /// Moves photo `photo` by `delta` places (−1 earlier, +1 later).
    pub fn move_photo(self, photo: PhotoId, delta: isize) {
        let Some(mut order) = self.photo_order() else {
            return;
        };
        let Some(from) = order.iter().position(|p| *p == photo) else {
            return;
        };
        let to = from as isize + delta;
        if to < 0 || to >= order.len() as isize {
            return;
        }
        order.swap(from, to as usize);
        self.send_order(order);
    }

    /// Moves `photo` into the place of `onto` (a drag dropped on its tile);
    /// the photos between shift by one.
    pub fn move_photo_onto(self, photo: PhotoId, onto: PhotoId) {
        let Some(mut order) = self.photo_order() else {
            return;
        };
        let (Some(from), Some(to)) = (
            order.iter().position(|p| *p == photo),
            order.iter().position(|p| *p == onto),
        ) else {
            return;
        };
        let moved = order.remove(from);
        order.insert(to, moved);
        self.send_order(order);
    }

    /// The saved photos' ids, cover first.
    fn photo_order(self) -> Option<Vec<PhotoId>> {
        self.draft.with_untracked(|d| {
            d.as_ref()
                .map(|d| d.photos.iter().map(|p| p.id).collect::<Vec<_>>())
        })
    }

    fn send_order(self, order: Vec<PhotoId>) {
        self.photo_command::<ReorderPhotosCmd>(ReorderPhotosRequest {
            id: self.id,
            photo_ids: order,
        });
    }

    pub fn make_cover(self, photo: PhotoId) {
        self.photo_command::<SetCoverPhotoCmd>(PhotoRequest {
            id: self.id,
            photo_id: photo,
        });
    }

    /// Turns `photo` 90° clockwise (the core re-encodes it; it gets a new id).
    /// A second tap while it turns is ignored: the old id is gone after.
    pub fn rotate_photo(self, photo: PhotoId) {
        if self.rotating.with_untracked(|r| r.contains(&photo)) {
            return;
        }
        self.rotating.update(|r| {
            r.insert(photo);
        });
        let req = PhotoRequest {
            id: self.id,
            photo_id: photo,
        };
        spawn_local(async move {
            let result = ipc::invoke::<RotatePhotoCmd>(&req).await;
            if self.rotating.try_update(|r| r.remove(&photo)).is_none() {
                return; // the editor was closed meanwhile
            }
            match result {
                Ok(draft) => {
                    self.errors.set(draft.errors.clone());
                    self.draft.set(Some(draft));
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub fn remove_photo(self, photo: PhotoId) {
        self.photo_command::<DeletePhotoCmd>(PhotoRequest {
            id: self.id,
            photo_id: photo,
        });
    }

    fn photo_command<C>(self, req: C::Request)
    where
        C: rehome_model::ipc::IpcCommand<Response = Draft> + 'static,
    {
        spawn_local(async move {
            match ipc::invoke::<C>(&req).await {
                Ok(draft) => {
                    self.errors.set(draft.errors.clone());
                    self.draft.set(Some(draft));
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

/// Lets the shell ask the open editor to save everything still waiting when the
/// window is about to close (see the shell's `close_flush`), and does the same
/// when the page is hidden (a phone's app switcher).
fn register_flush_on_close(editor: Editor) {
    use wasm_bindgen::prelude::*;
    let Some(window) = web_sys::window() else {
        return;
    };
    let flush = Closure::<dyn Fn()>::new(move || editor.flush_all());
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str("__rehomeFlush"), flush.as_ref());
    let _ = window.add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
    // One editor at a time; the next one replaces the hook. Its closure lives on
    // with the page (a few bytes per opened draft).
    flush.forget();
}

/// A rising number for each field save from this page, also across reloads
/// of the page (it starts from the clock), so the core can tell a late,
/// older save from the latest one.
fn next_save_seq() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let floor = (js_sys::Date::now() as u64).saturating_mul(1_000);
    let next = LAST.load(Ordering::Relaxed).max(floor) + 1;
    LAST.store(next, Ordering::Relaxed);
    next
}
