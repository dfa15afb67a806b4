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
    RotatePhotoCmd::NAME,
    AddDraftPhotoCmd::NAME,
    DeviceSettingsCmd::NAME,
    SetDeviceSettingsCmd::NAME,
    AccountCmd::NAME,
    SignUpCmd::NAME,
    SignInCmd::NAME,
    SignOutCmd::NAME,
    ListConflictsCmd::NAME,
    ResolveConflictCmd::NAME,
    SyncStatusCmd::NAME,
    SyncNowCmd::NAME,
    RetryListingCmd::NAME,
];

/// For commands that carry bytes (photos): the typed request travels as JSON in
/// this header, and the bytes as the raw request body (no JSON number arrays).
pub const RAW_REQUEST_HEADER: &str = "rehome-request";

/// Turn one of a draft's photos 90° clockwise. The core re-encodes the stored
/// photo and puts the result in its place under a new photo id.
pub struct RotatePhotoCmd;
impl IpcCommand for RotatePhotoCmd {
    const NAME: &'static str = "rotate_draft_photo";
    type Request = draft::PhotoRequest;
    type Response = draft::Draft;
}

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

// ---- Device settings: choices the seller makes for this device (not synced) ----

/// This device's settings.
pub struct DeviceSettingsCmd;
impl IpcCommand for DeviceSettingsCmd {
    const NAME: &'static str = "device_settings";
    type Request = ();
    type Response = DeviceSettings;
}

/// Changes this device's settings; returns them as saved.
pub struct SetDeviceSettingsCmd;
impl IpcCommand for SetDeviceSettingsCmd {
    const NAME: &'static str = "set_device_settings";
    type Request = DeviceSettings;
    type Response = DeviceSettings;
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceSettings {
    /// Keep each photo's original file, as the camera or gallery gave it, in
    /// the device's originals folder. Off by default: only the compressed
    /// copy is kept.
    pub keep_originals: bool,
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

// Accounts. The webview never sees a token: requests carry the handle and the
// password (once, for that call), replies say who is signed in and nothing more.

/// Who is signed in on this device, if anyone.
pub struct AccountCmd;
impl IpcCommand for AccountCmd {
    const NAME: &'static str = "account";
    type Request = ();
    type Response = AccountStatus;
}

/// Create an account on the app's server and sign in.
pub struct SignUpCmd;
impl IpcCommand for SignUpCmd {
    const NAME: &'static str = "sign_up";
    type Request = Credentials;
    type Response = AccountStatus;
}

/// Sign in to the app's server.
pub struct SignInCmd;
impl IpcCommand for SignInCmd {
    const NAME: &'static str = "sign_in";
    type Request = Credentials;
    type Response = AccountStatus;
}

/// Revoke the session on the server and forget it on this device.
pub struct SignOutCmd;
impl IpcCommand for SignOutCmd {
    const NAME: &'static str = "sign_out";
    type Request = ();
    type Response = AccountStatus;
}

/// A handle and a password, sent once for a sign-up or sign-in.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub handle: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("handle", &self.handle)
            .field("password", &"…")
            .finish()
    }
}

/// The account as the Me tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountStatus {
    /// Who is signed in; `None` when signed out.
    pub account: Option<SignedInAccount>,
    /// The marketplace server this app signs up and signs in to.
    pub server: String,
    /// Why a sign-in kept on this device could not be used (for instance
    /// `no_keychain`: there is no keychain service, so sign in each launch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<crate::ApiError>,
    /// The handle whose session the server refused (revoked or expired
    /// elsewhere): the sign-in form starts with it. `account` is then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_handle: Option<String>,
}

/// The signed-in account: no secret in it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInAccount {
    pub server: String,
    pub handle: String,
    /// `false` when no keychain service exists: the session lasts until the
    /// app closes, and the next launch asks to sign in again.
    pub kept_in_keychain: bool,
}

// Conflicts on guarded fields (price, status, quantity), as the seller settles them.

/// Open conflicts, oldest first.
pub struct ListConflictsCmd;
impl IpcCommand for ListConflictsCmd {
    const NAME: &'static str = "list_conflicts";
    type Request = ();
    type Response = Vec<OpenConflict>;
}

/// Settle one conflict; the choice becomes a new edit, sent at the next sync.
/// Replies with the conflicts still open.
pub struct ResolveConflictCmd;
impl IpcCommand for ResolveConflictCmd {
    const NAME: &'static str = "resolve_conflict";
    type Request = ResolveConflictRequest;
    type Response = Vec<OpenConflict>;
}

/// One open conflict: this device's value and the server's, as the seller
/// would type them (`"40.00"`, `"live"`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenConflict {
    pub id: i64,
    pub listing_id: crate::ListingId,
    pub title: String,
    pub field: crate::sync::GuardedField,
    pub mine: String,
    pub theirs: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveConflictRequest {
    pub id: i64,
    pub choice: ConflictChoice,
}

/// What the seller chose.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", tag = "keep", content = "value")]
pub enum ConflictChoice {
    /// This device's value, sent again on top of the server's.
    Mine,
    /// The server's value.
    Theirs,
    /// A new value, as typed.
    Value(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sign-in puts on the IPC wire: who, where, and whether it was
    /// kept. A token field would show up here.
    #[test]
    fn a_sign_in_reply_carries_no_token() {
        let status = AccountStatus {
            account: Some(SignedInAccount {
                server: "http://127.0.0.1:8787".into(),
                handle: "mira".into(),
                kept_in_keychain: true,
            }),
            server: "http://127.0.0.1:8787".into(),
            notice: Some(crate::ApiError::new(
                crate::ErrorCode::NoKeychain,
                "no keychain here",
            )),
            expired_handle: None,
        };
        expect_test::expect![[r#"
            {
              "account": {
                "server": "http://127.0.0.1:8787",
                "handle": "mira",
                "keptInKeychain": true
              },
              "server": "http://127.0.0.1:8787",
              "notice": {
                "code": "no_keychain",
                "message": "no keychain here"
              }
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&status).unwrap());
        let reply: serde_json::Value = serde_json::to_value(&status).unwrap();
        assert!(!reply.to_string().to_lowercase().contains("token"));
    }

    #[test]
    fn credentials_never_print_the_password() {
        let c = Credentials {
            handle: "mira".into(),
            password: "hunter22".into(),
        };
        assert!(!format!("{c:?}").contains("hunter22"));
    }

    #[test]
    fn conflict_choices_on_the_wire() {
        let check = |choice: ConflictChoice, expected: &str| {
            let json = serde_json::to_string(&ResolveConflictRequest { id: 7, choice }).unwrap();
            assert_eq!(json, expected);
            let back: ResolveConflictRequest = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), expected);
        };
        check(ConflictChoice::Mine, r#"{"id":7,"choice":{"keep":"mine"}}"#);
        check(
            ConflictChoice::Theirs,
            r#"{"id":7,"choice":{"keep":"theirs"}}"#,
        );
        check(
            ConflictChoice::Value("42.50".into()),
            r#"{"id":7,"choice":{"keep":"value","value":"42.50"}}"#,
        );
    }
}

#[cfg(test)]
mod sync_status_wire {
    use super::*;

    /// What `sync_status` puts on the IPC wire (the UI's contract).
    #[test]
    fn a_sync_status_on_the_wire() {
        let id: crate::ListingId = "019b76da-a800-7e00-8000-000000000000".parse().unwrap();
        let status = SyncStatus {
            indicator: SyncIndicator::Syncing,
            pending: 3,
            needs_attention: 1,
            conflicts: 0,
            last_synced_at: Some(1_800_000_000_000),
            retry_at: None,
            last_error: None,
            listings: vec![
                ListingSync {
                    id,
                    stage: ListingSyncStage::Uploading,
                    on_market: false,
                    pending: 3,
                    photos_done: 1,
                    photos_total: 3,
                    bytes_sent: 700_000,
                    bytes_total: 1_500_000,
                },
                ListingSync {
                    id,
                    stage: ListingSyncStage::NeedsAttention {
                        reason: "A listing needs a size".into(),
                    },
                    on_market: true,
                    pending: 0,
                    photos_done: 0,
                    photos_total: 0,
                    bytes_sent: 0,
                    bytes_total: 0,
                },
            ],
        };
        let json = serde_json::to_string_pretty(&status).unwrap();
        expect_test::expect![[r#"
            {
              "indicator": "syncing",
              "pending": 3,
              "needsAttention": 1,
              "conflicts": 0,
              "lastSyncedAt": 1800000000000,
              "listings": [
                {
                  "id": "019b76da-a800-7e00-8000-000000000000",
                  "stage": {
                    "stage": "uploading"
                  },
                  "onMarket": false,
                  "pending": 3,
                  "photosDone": 1,
                  "photosTotal": 3,
                  "bytesSent": 700000,
                  "bytesTotal": 1500000
                },
                {
                  "id": "019b76da-a800-7e00-8000-000000000000",
                  "stage": {
                    "stage": "needs_attention",
                    "reason": "A listing needs a size"
                  },
                  "onMarket": true,
                  "pending": 0,
                  "photosDone": 0,
                  "photosTotal": 0,
                  "bytesSent": 0,
                  "bytesTotal": 0
                }
              ]
            }"#]]
        .assert_eq(&json);
        let back: SyncStatus = serde_json::from_str(&json).unwrap();
        assert_eq!(back, status);
    }
}
