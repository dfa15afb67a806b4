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
    SyncStatusCmd::NAME,
    SyncNowCmd::NAME,
    RetryListingCmd::NAME,
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

// ---- Background sync: status, sync now, retry (issue 6, "What the seller sees") ----

/// Where sync stands for the whole device, and for each listing on it.
pub struct SyncStatusCmd;
impl IpcCommand for SyncStatusCmd {
    const NAME: &'static str = "sync_status";
    type Request = ();
    type Response = SyncStatus;
}

/// Sync now, skipping any backoff wait (the user asked).
pub struct SyncNowCmd;
impl IpcCommand for SyncNowCmd {
    const NAME: &'static str = "sync_now";
    type Request = ();
    type Response = ();
}

/// Puts a listing's parked ("needs attention") edits back in the queue and
/// syncs. Answers the listing's state afterwards.
pub struct RetryListingCmd;
impl IpcCommand for RetryListingCmd {
    const NAME: &'static str = "retry_listing";
    type Request = draft::DraftIdRequest;
    type Response = SyncStatus;
}

/// The global indicator: one of these at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncIndicator {
    /// No account on this device: nothing can sync until the seller signs in.
    SignedOut,
    /// The server refused the saved session (401): sign in again.
    SessionExpired,
    /// The last try could not reach the server; it retries with backoff.
    Offline,
    /// A sync is running or edits are waiting to be sent.
    Syncing,
    /// Nothing waiting.
    UpToDate,
}

/// The device's sync state, as the indicator and the draft cards show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub indicator: SyncIndicator,
    /// Edits waiting to reach the server (parked ones not counted).
    pub pending: u32,
    /// Listings with an edit the server refused, waiting for the seller.
    pub needs_attention: u32,
    /// Open conflicts waiting for the seller's choice.
    pub conflicts: u32,
    /// When the last sync finished without error (unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced_at: Option<u64>,
    /// When the next automatic try is due after a failure (unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<u64>,
    /// The reason of the last failure, for a tooltip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Every listing on the device that is not a plain draft at rest: the
    /// ones with a stage worth showing (drafts only appear while uploading).
    pub listings: Vec<ListingSync>,
}

impl SyncStatus {
    /// The state of listing `id`, if it has one.
    pub fn listing(&self, id: crate::ListingId) -> Option<&ListingSync> {
        self.listings.iter().find(|l| l.id == id)
    }
}

/// One listing's sync state with its photo upload progress.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingSync {
    pub id: crate::ListingId,
    pub stage: ListingSyncStage,
    /// The server lists it (live, delisted or sold), whatever is still queued.
    pub on_market: bool,
    /// Edits of this listing waiting to be sent.
    pub pending: u32,
    pub photos_done: u32,
    pub photos_total: u32,
    /// Bytes of this listing's photos sent in the current sync, of
    /// `bytes_total` (the photos that started uploading).
    pub bytes_sent: u64,
    pub bytes_total: u64,
}

/// Where one listing stands, in the seller's words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum ListingSyncStage {
    /// Only on this device, not published.
    Draft,
    /// Waiting to be sent (offline, signed out, or between syncs).
    Queued,
    /// A sync is sending its photos (`photos_done` of `photos_total`).
    Uploading,
    /// A sync is sending the publish (every photo is up).
    Publishing,
    /// A sync is sending edits of a listing already on the market.
    Updating,
    Live,
    Delisted,
    Sold,
    /// The server refused an edit; `reason` says why, in plain words.
    NeedsAttention {
        reason: String,
    },
}
