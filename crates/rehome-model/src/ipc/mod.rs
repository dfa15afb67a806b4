//! The IPC command table: every command the UI may send to the core, with its
//! request and response types. The UI calls [`IpcCommand::NAME`] with a typed
//! request and gets a typed response or an [`crate::ApiError`]. No untyped JSON
//! crosses the boundary.
//!
//! Each command is written once, as a row of [`for_each_command!`]. From that
//! one table this module defines the command types and [`ALL_COMMANDS`], and the
//! shell (`src-tauri/src/commands.rs`) generates its one-line command functions
//! and the handler list; its build script checks the capability against
//! [`ALL_COMMANDS`]. The wire types live in one module per area, re-exported
//! here.

mod account;
mod app;
mod bulk;
mod buyer;
mod conflicts;
mod csv;
mod drafts;
mod grid;
mod photos;
mod settings;
mod sync;

pub use account::{AccountStatus, Credentials, SignedInAccount};
pub use app::AppInfo;
pub use bulk::{
    BulkChange, BulkField, BulkOp, BulkRefusal, BulkReport, BulkRequest, BulkStatus, BulkStep,
    PriceChange, ReplaceField, Rounding, UndoReport,
};
pub use buyer::{
    ClosetQuery, FollowChange, LikeChange, LikesQuery, ListingPage, ListingRequest,
    MAY_HAVE_SOLD_AFTER_MS, OfflineCopy, SearchQuery, SellerRequest, Sizes,
};
pub use conflicts::{ConflictChoice, OpenConflict, ResolveConflictRequest};
pub use csv::{
    CsvCellError, CsvColumn, CsvEncoding, CsvExported, CsvImportReport, CsvImportRequest,
    CsvRowResult, CsvRowStatus, PickedFile, check_cell, normalise,
};
pub use drafts::{
    CreateDraftRequest, DeleteDraftResponse, DraftIdRequest, ListDraftsRequest, SetFieldRequest,
    SetFieldResponse, UnsavedEdit,
};
pub use grid::{
    GRID_PAGE_MAX, GridColumn, GridCount, GridFilter, GridFilterRequest, GridOp, GridPage,
    GridQuery, GridRow, GridSort, GridStatus, GridSyncState,
};
pub use photos::{
    AddDraftPhotoRequest, AttachPhotoRequest, PhotoRequest, RAW_REQUEST_HEADER,
    ReorderPhotosRequest,
};
pub use settings::{DeviceSettings, Theme};
pub use sync::{ListingSync, ListingSyncStage, ParkedChange, SyncIndicator, SyncStatus};

use crate::api::{ClosetPage, LikedListing, SellerSummary};
use crate::draft::{Draft, DraftCard};
use crate::{FeedPage, FeedQuery};
use serde::{Serialize, de::DeserializeOwned};

/// One entry of the command table. Only [`for_each_command!`] implements it
/// (the trait is sealed), so no command exists outside the table.
pub trait IpcCommand: sealed::Sealed {
    /// The Tauri command name: the row's function name, which is also the
    /// shell's command function and the `rehome_app::App` method.
    const NAME: &'static str;
    /// The single argument, sent under the key [`REQUEST_KEY`] (or, for a
    /// command with a raw body, in the [`RAW_REQUEST_HEADER`] header).
    type Request: Serialize + DeserializeOwned;
    type Response: Serialize + DeserializeOwned;
}

mod sealed {
    pub trait Sealed {}
}

/// The key under which every command receives its request.
pub const REQUEST_KEY: &str = "req";

/// The command table, the one place a command is written. It calls
/// `$then! { rows }`, so each consumer turns the same rows into what it needs:
/// this module the command types and [`ALL_COMMANDS`], the shell its command
/// functions and handler list.
///
/// A row reads like the signature of the `rehome_app::App` method that serves
/// the command:
///
/// ```text
/// /// Docs for the command.
/// GetDraftCmd = blocking fn get_draft(DraftIdRequest) -> Draft;
/// ```
///
/// - `GetDraftCmd`: the command's type (what the UI names in `invoke::<C>`).
/// - `blocking` or `async`: `blocking` runs the facade method on a worker
///   thread (it touches the store or the disk), `async` awaits it.
/// - `get_draft`: the command name, the shell's function and the facade
///   method, all the same word.
/// - `(DraftIdRequest)`: the request; `()` for none (the facade method then
///   takes no argument); `(Request, bytes)` for a command whose body is raw
///   bytes, with the typed request in the [`RAW_REQUEST_HEADER`] header.
/// - `-> Draft`: the response. The facade method returns it, or
///   `Result<it, AppError>`.
///
/// To add a command: a row here, its request and response types in the area
/// module, the `App` method, and a call in the UI's data module. The shell's
/// function, the handler list and the permission follow from the row; the
/// capability in `tauri.conf.json` must then grant `allow-<name>` (the build
/// says so until it does).
#[macro_export]
macro_rules! for_each_command {
    ($then:ident) => {
        $then! {
            // ---- The app and the buyer's feed ----
            /// Facts about the running app: version, which server it talks to.
            AppInfoCmd = blocking fn app_info() -> AppInfo;
            /// One page of the buyer's feed, from the server or, offline, from the cache.
            FeedPageCmd = async fn feed_page(FeedQuery) -> FeedPage;

            // ---- Buying: listing pages, closets, search, likes, follows, sizes ----
            /// Anyone's listing as its page shows it, seller card included
            /// (offline: as seen last, marked "may have sold" after a day).
            ListingPageCmd = async fn listing_page(ListingRequest) -> ListingPage;
            /// A seller's card: counts, and whether the buyer follows them.
            SellerCmd = async fn seller(SellerRequest) -> SellerSummary;
            /// One page of a seller's closet, under their card.
            ClosetCmd = async fn closet(ClosetQuery) -> ClosetPage;
            /// One page of search results (the buyer's sizes applied unless
            /// `mySize` is off).
            SearchCmd = async fn search(SearchQuery) -> FeedPage;
            /// The searches run on this device, newest first (ten at most).
            RecentSearchesCmd = blocking fn recent_searches() -> Vec<SearchQuery>;
            /// Put a search first in the recent ones; replies with them.
            RememberSearchCmd = blocking fn remember_search(SearchQuery) -> Vec<SearchQuery>;
            /// Forget this device's recent searches.
            ForgetSearchesCmd = blocking fn forget_searches() -> Vec<SearchQuery>;
            /// One page of the Likes tab: latest like first, with price drops
            /// and sold items.
            LikesCmd = async fn likes(LikesQuery) -> FeedPage<LikedListing>;
            /// Like a listing: saved on the device at once, sent at the next sync.
            LikeCmd = blocking fn like(ListingRequest) -> LikeChange;
            /// Take a like back: saved on the device at once, sent at the next sync.
            UnlikeCmd = blocking fn unlike(ListingRequest) -> LikeChange;
            /// Follow a seller (handle or id): saved at once, sent at the next sync.
            FollowCmd = async fn follow(SellerRequest) -> FollowChange;
            /// Stop following a seller: saved at once, sent at the next sync.
            UnfollowCmd = async fn unfollow(SellerRequest) -> FollowChange;
            /// The sizes the buyer wears, from their account.
            MySizesCmd = async fn my_sizes() -> Sizes;
            /// Set the buyer's sizes on their account; replies with them as saved.
            SetMySizesCmd = async fn set_my_sizes(Sizes) -> Sizes;

            // ---- Drafts ----
            /// A new, empty (or pre-filled) draft.
            CreateDraftCmd = blocking fn create_draft(CreateDraftRequest) -> Draft;
            /// The drafts list: one card per draft, newest edit first.
            ListDraftsCmd = blocking fn list_drafts(ListDraftsRequest) -> Vec<DraftCard>;
            /// One draft as the editor shows it.
            GetDraftCmd = blocking fn get_draft(DraftIdRequest) -> Draft;
            /// Save one field exactly as typed, valid or not. The editor sends
            /// every change at once, each with a rising `seq` per field; the
            /// core skips a save that arrives after a newer one of that field.
            SetFieldCmd = blocking fn set_draft_field(SetFieldRequest) -> SetFieldResponse;
            DuplicateDraftCmd = blocking fn duplicate_draft(DraftIdRequest) -> Draft;
            /// Soft delete: hidden at once, gone for good when the undo window ends.
            DeleteDraftCmd = blocking fn delete_draft(DraftIdRequest) -> DeleteDraftResponse;
            UndoDeleteDraftCmd = blocking fn undo_delete_draft(DraftIdRequest) -> Draft;
            /// Queue for publishing; refused with `invalid` (naming the first missing
            /// field) until the checklist is complete.
            PublishDraftCmd = blocking fn publish_draft(DraftIdRequest) -> Draft;
            /// Edits kept in memory because the store could not save them.
            UnsavedEditsCmd = blocking fn unsaved_edits() -> Vec<UnsavedEdit>;
            /// Try to save the in-memory edits again; returns those still unsaved.
            RetryUnsavedCmd = blocking fn retry_unsaved_edits() -> Vec<UnsavedEdit>;

            // ---- The seller's grid (desktop) ----
            /// One page of the grid: every listing and draft, filtered and
            /// sorted on any column, with the count of all the rows that match.
            GridPageCmd = blocking fn grid_page(GridQuery) -> GridPage;
            /// How many rows the filters match.
            GridCountCmd = blocking fn grid_count(GridFilterRequest) -> GridCount;

            // ---- Bulk edits, their undo steps, CSV files (desktop grid) ----
            /// Preview (`dryRun`) or commit a bulk edit on the filtered rows (or
            /// the selection, `ids`): one transaction and one undo step.
            BulkEditCmd = blocking fn bulk_edit(BulkRequest) -> BulkReport;
            /// Undo the last bulk edit or import; rows changed since are reported, not overwritten.
            BulkUndoCmd = blocking fn bulk_undo() -> UndoReport;
            /// Redo what was undone last.
            BulkRedoCmd = blocking fn bulk_redo() -> UndoReport;
            /// The undo steps, newest first.
            BulkHistoryCmd = blocking fn bulk_history() -> Vec<BulkStep>;
            /// Open the native file dialog (in the core) for a CSV to import. Replies
            /// with a token and the file's name, never a path; `None` if cancelled.
            CsvImportPickCmd = blocking fn csv_import_pick() -> Option<PickedFile>;
            /// Preview (`dryRun`) or import the picked file: every row accounted for.
            CsvImportCmd = blocking fn csv_import_file(CsvImportRequest) -> CsvImportReport;
            /// Open the native save dialog (in the core) and write the filtered rows
            /// there as CSV; `None` if cancelled.
            CsvExportCmd = blocking fn csv_export_save(GridFilterRequest) -> Option<CsvExported>;

            // ---- A draft's photos ----
            /// Add a photo to a draft: the body is the original image (JPEG, PNG,
            /// WebP or HEIC, from the camera or the gallery). The core compresses
            /// it and keeps the result (the original too only when the seller
            /// turned on "Keep originals"). Sent with [`RAW_REQUEST_HEADER`].
            AddDraftPhotoCmd = blocking fn add_draft_photo(AddDraftPhotoRequest, bytes) -> Draft;
            /// Turn one of a draft's photos 90° clockwise. The core re-encodes the
            /// stored photo and puts the result in its place under a new photo id.
            RotatePhotoCmd = blocking fn rotate_draft_photo(PhotoRequest) -> Draft;
            /// Put the photos in a new order; the first is the cover.
            ReorderPhotosCmd = blocking fn reorder_draft_photos(ReorderPhotosRequest) -> Draft;
            SetCoverPhotoCmd = blocking fn set_draft_cover_photo(PhotoRequest) -> Draft;
            DeletePhotoCmd = blocking fn delete_draft_photo(PhotoRequest) -> Draft;

            // ---- Device settings ----
            /// This device's settings.
            DeviceSettingsCmd = blocking fn device_settings() -> DeviceSettings;
            /// Changes this device's settings; returns them as saved.
            SetDeviceSettingsCmd = blocking fn set_device_settings(DeviceSettings) -> DeviceSettings;

            // ---- Accounts ----
            /// Who is signed in on this device, if anyone.
            AccountCmd = blocking fn account() -> AccountStatus;
            /// Create an account on the app's server and sign in.
            SignUpCmd = async fn sign_up(Credentials) -> AccountStatus;
            /// Sign in to the app's server.
            SignInCmd = async fn sign_in(Credentials) -> AccountStatus;
            /// Revoke the session on the server and forget it on this device.
            SignOutCmd = async fn sign_out() -> AccountStatus;

            // ---- Conflicts ----
            /// Open conflicts, oldest first.
            ListConflictsCmd = blocking fn list_conflicts() -> Vec<OpenConflict>;
            /// Settle one conflict; the choice becomes a new edit, sent at the next
            /// sync. Replies with the conflicts still open.
            ResolveConflictCmd = blocking fn resolve_conflict(ResolveConflictRequest) -> Vec<OpenConflict>;

            // ---- Background sync ----
            /// Where sync stands for the whole device, and for each listing on it.
            SyncStatusCmd = blocking fn sync_status() -> SyncStatus;
            /// Sync now, skipping any backoff wait (the user asked).
            SyncNowCmd = blocking fn sync_now() -> ();
            /// Puts a listing's parked ("needs attention") edits back in the queue
            /// and syncs. Answers the listing's state afterwards.
            RetryListingCmd = blocking fn retry_listing(DraftIdRequest) -> SyncStatus;
        }
    };
}

/// The request type of a row: `()` when the row has none.
macro_rules! request_type {
    () => {
        ()
    };
    ($req:ty) => {
        $req
    };
}

/// A row's kind and body marker, refused at compile time unless known.
macro_rules! check_row {
    (blocking) => {};
    (async) => {};
    (blocking bytes) => {};
}

/// This module's reading of the table: one type per command, and the list of
/// names.
macro_rules! define_commands {
    ($(
        $(#[$doc:meta])*
        $cmd:ident = $kind:ident fn $name:ident ($($req:ty)? $(, $body:ident)?) -> $resp:ty;
    )*) => {
        $(
            check_row!($kind $($body)?);

            $(#[$doc])*
            pub struct $cmd;
            impl sealed::Sealed for $cmd {}
            impl IpcCommand for $cmd {
                const NAME: &'static str = stringify!($name);
                type Request = request_type!($($req)?);
                type Response = $resp;
            }
        )*

        /// Every command's name, in table order. The shell's build script
        /// generates one `allow-…` permission per entry and fails unless the
        /// main window's capability grants exactly these.
        pub const ALL_COMMANDS: &[&str] = &[$(<$cmd as IpcCommand>::NAME),*];
    };
}

for_each_command!(define_commands);

#[cfg(test)]
mod tests {
    use super::*;

    /// Names are what Tauri and the permission names expect: snake_case
    /// words, each once.
    #[test]
    fn command_names_are_snake_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for name in ALL_COMMANDS {
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    && !name.starts_with('_')
                    && !name.ends_with('_')
                    && !name.contains("__"),
                "{name:?} is not a snake_case command name"
            );
            assert!(seen.insert(*name), "{name:?} is in the table twice");
        }
    }
}
