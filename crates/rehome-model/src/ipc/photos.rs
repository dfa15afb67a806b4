//! A draft's photos: adding one (its bytes as the raw body), turning, ordering,
//! choosing the cover, deleting.

use crate::{ListingId, PhotoId};
use serde::{Deserialize, Serialize};

/// For commands that carry bytes (photos): the typed request travels as JSON in
/// this header, and the bytes as the raw request body (no JSON number arrays).
pub const RAW_REQUEST_HEADER: &str = "rehome-request";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddDraftPhotoRequest {
    pub id: ListingId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReorderPhotosRequest {
    pub id: ListingId,
    /// The complete new order; the first is the cover.
    pub photo_ids: Vec<PhotoId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotoRequest {
    pub id: ListingId,
    pub photo_id: PhotoId,
}

/// A JPEG compressed somewhere else (not by this device's pipeline), for
/// `rehome_app::App::attach_draft_photo`, which checks its bytes and hash.
/// No IPC command takes it: the UI sends originals through `add_draft_photo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachPhotoRequest {
    pub id: ListingId,
    /// Already compressed JPEG bytes.
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Lower-case hex SHA-256 of `jpeg`.
    pub sha256: String,
}
