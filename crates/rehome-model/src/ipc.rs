//! The IPC command table: every command the UI may send to the core, with its
//! request and response types. The shell registers a handler per entry; the UI
//! calls [`IpcCommand::NAME`] with a typed request and gets a typed response or an
//! [`crate::ApiError`]. No untyped JSON crosses the boundary.

use crate::{FeedPage, FeedQuery, draft};
use serde::{Serialize, de::DeserializeOwned};

/// One entry of the command table.
pub trait IpcCommand {
    /// The Tauri command name (snake_case, as registered by the shell).
    const NAME: &'static str;
    /// The single argument, sent under the key `req`.
    type Request: Serialize + DeserializeOwned;
    type Response: Serialize + DeserializeOwned;
}

/// The key under which every command receives its request.
pub const REQUEST_KEY: &str = "req";

/// One page of the buyer's feed, from the server or, offline, from the cache.
pub struct FeedPageCmd;
impl IpcCommand for FeedPageCmd {
    const NAME: &'static str = "feed_page";
    type Request = FeedQuery;
    type Response = FeedPage;
}

/// Facts about the running app: version, which server it talks to.
pub struct AppInfoCmd;
impl IpcCommand for AppInfoCmd {
    const NAME: &'static str = "app_info";
    type Request = ();
    type Response = AppInfo;
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The marketplace server's base URL.
    pub server: String,
}

/// Every command's name. The shell's build script generates one `allow-…`
/// permission per entry, and the main window's capability grants exactly these.
pub const ALL_COMMANDS: &[&str] = &[
    AppInfoCmd::NAME,
    FeedPageCmd::NAME,
    draft::CreateDraftCmd::NAME,
    draft::ListDraftsCmd::NAME,
    draft::GetDraftCmd::NAME,
    draft::SetFieldCmd::NAME,
    draft::DuplicateDraftCmd::NAME,
    draft::DeleteDraftCmd::NAME,
    draft::UndoDeleteDraftCmd::NAME,
    draft::PublishDraftCmd::NAME,
    draft::ReorderPhotosCmd::NAME,
    draft::SetCoverPhotoCmd::NAME,
    draft::DeletePhotoCmd::NAME,
    draft::UnsavedEditsCmd::NAME,
    draft::RetryUnsavedCmd::NAME,
    AddDraftPhotoCmd::NAME,
];

/// For commands that carry bytes (photos): the typed request travels as JSON in
/// this header, and the bytes as the raw request body (no JSON number arrays).
pub const RAW_REQUEST_HEADER: &str = "rehome-request";

/// Add a photo to a draft: the body is the original image (JPEG, PNG, WebP or
/// HEIC, from the camera or the gallery). The core compresses it and keeps only
/// the result. Sent with [`RAW_REQUEST_HEADER`].
pub struct AddDraftPhotoCmd;
impl IpcCommand for AddDraftPhotoCmd {
    const NAME: &'static str = "add_draft_photo";
    type Request = AddDraftPhotoRequest;
    type Response = draft::Draft;
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddDraftPhotoRequest {
    pub id: crate::ListingId,
}
