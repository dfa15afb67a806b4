//! The open draft's photos: files added one at a time (each with a tile and
//! its stage while the core compresses it), and moving, turning, making the
//! cover and removing the saved ones.

use super::Editor;
use crate::data::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::draft::{Draft, PHOTOS_MAX};
use rehome_model::ipc::{
    AddDraftPhotoCmd, AddDraftPhotoRequest, DeletePhotoCmd, IpcCommand, PhotoRequest,
    ReorderPhotosCmd, ReorderPhotosRequest, RotatePhotoCmd, SetCoverPhotoCmd,
};
use rehome_model::{ApiError, PhotoId};
use std::collections::VecDeque;

/// Files waiting to be added (key, name, bytes), and whether a task is
/// working through them.
pub(super) type PhotoQueue = (VecDeque<(u64, String, web_sys::Blob)>, bool);

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

impl Editor {
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
            Ok(draft) => self.show(draft),
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
                Ok(draft) => self.show(draft),
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
        C: IpcCommand<Response = Draft> + 'static,
    {
        spawn_local(async move {
            match ipc::invoke::<C>(&req).await {
                Ok(draft) => self.show(draft),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
