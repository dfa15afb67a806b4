//! Drafts as the editor and the drafts list show them.

use super::{DraftValues, FieldError, Readiness};
use crate::{ListingId, Money, PhotoId};
use serde::{Deserialize, Serialize};

/// Where a draft stands, as its badge shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "stage")]
pub enum DraftStage {
    /// Being edited on this device.
    Draft,
    /// Publish was pressed; waiting for sync to take it.
    Queued,
    /// On the marketplace.
    Live,
    Delisted,
    Sold,
    /// Something keeps failing; `reason` says what, in plain words.
    NeedsAttention {
        reason: String,
    },
}

/// How the draft's edits stand against the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftSync {
    /// Edits saved on the device that the server has not confirmed yet.
    pub pending_changes: u32,
    /// Has the server confirmed this listing at least once?
    pub confirmed: bool,
}

/// A photo of a draft, in order (the first is the cover).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftPhoto {
    pub id: PhotoId,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    /// The file is gone from the device (found at start-up).
    pub missing: bool,
    /// `pending`, `uploading` or `done`.
    pub upload: String,
}

/// A draft as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub id: ListingId,
    pub values: DraftValues,
    pub photos: Vec<DraftPhoto>,
    pub stage: DraftStage,
    pub sync: DraftSync,
    pub errors: Vec<FieldError>,
    pub readiness: Readiness,
    /// Unix milliseconds.
    pub created_at: u64,
    pub updated_at: u64,
}

/// A draft as the drafts list shows it (one card).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftCard {
    pub id: ListingId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_photo: Option<PhotoId>,
    pub title: String,
    /// The price as typed (it may not validate yet).
    pub price: String,
    /// The parsed price, when the text is a valid price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_cents: Option<Money>,
    pub ready: bool,
    /// How many checklist items are still missing.
    pub missing: u32,
    pub stage: DraftStage,
    pub sync: DraftSync,
    pub updated_at: u64,
}
