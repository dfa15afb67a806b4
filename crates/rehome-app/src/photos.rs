//! The seller's photos: compressed on the device, then attached to a draft.

use crate::{App, AppError};
use rehome_model::draft::{AttachPhotoRequest, Draft};
use rehome_model::{ListingId, PhotoId};

impl App {
    /// Compresses `original` (any supported camera or gallery image) with the
    /// product settings and attaches the result to draft `id`. The original is
    /// not kept. Errors name what is wrong with the file.
    #[tracing::instrument(skip(self, original), fields(bytes = original.len()))]
    pub fn add_draft_photo(&self, id: ListingId, original: &[u8]) -> Result<Draft, AppError> {
        let compressed = rehome_photo::compress(
            original,
            &rehome_photo::Settings::default(),
            &rehome_photo::Limits::default(),
        )?;
        let photo = compressed.photo;
        let sha256 = photo.sha256_hex();
        self.attach_draft_photo(AttachPhotoRequest {
            id,
            width: photo.width,
            height: photo.height,
            sha256,
            jpeg: photo.jpeg,
        })
    }

    /// One of this device's own photos (a draft's), if it is one.
    pub(crate) fn own_photo(&self, id: PhotoId) -> Result<Option<Vec<u8>>, AppError> {
        match self.draft_store() {
            Ok(store) => Ok(store.photo_bytes(id)?),
            // No store (a damaged or unwritable folder): the feed still works.
            Err(_) => Ok(None),
        }
    }
}
