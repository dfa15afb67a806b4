//! The drafts list and the editor's fields: requests and replies of the draft
//! commands, and the edits the device could not save.

use crate::ListingId;
use crate::draft::{Draft, DraftField, DraftValues, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDraftRequest {
    /// Initial text of any fields (all optional; an empty draft is fine).
    #[serde(default)]
    pub values: DraftValues,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftIdRequest {
    pub id: ListingId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetFieldRequest {
    pub id: ListingId,
    pub field: DraftField,
    /// The text as typed.
    pub value: String,
    /// The order of this field's saves from one editor: a save that arrives
    /// after one with a higher `seq` for the same field is stale and skipped,
    /// so saves can be sent without waiting for each other. 0: unordered
    /// (always applied), as the CLI sends.
    #[serde(default)]
    pub seq: u64,
}

/// The field was saved (even when it does not validate): its problems, and the
/// whole draft as it now stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetFieldResponse {
    pub field: DraftField,
    /// Problems of this field only (empty when valid).
    pub errors: Vec<FieldError>,
    pub draft: Draft,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDraftResponse {
    pub id: ListingId,
    /// Unix milliseconds until which `undo_delete` brings it back.
    pub undo_until: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDraftsRequest {}

/// An edit the store could not save (disk full, read-only folder, damaged
/// database). The app keeps it in memory and shows it; `retry_unsaved_edits` tries again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsavedEdit {
    /// The draft, when the edit is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ListingId>,
    /// What the user did, e.g. `set title`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<DraftField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Why it was not saved.
    pub reason: String,
}
