//! IPC commands: each is a one-line delegation to the core facade. Names and
//! types come from the command table in `rehome_model` (`ipc.rs`, `draft.rs`).
//! Commands that touch the local store are `async` so they run off the main
//! (UI) thread.

use rehome_app::App;
use rehome_model::draft::{
    CreateDraftRequest, DeleteDraftResponse, Draft, DraftCard, DraftIdRequest, ListDraftsRequest,
    PhotoRequest, ReorderPhotosRequest, SetFieldRequest, SetFieldResponse, UnsavedEdit,
};
use rehome_model::ipc::{
    AccountStatus, AddDraftPhotoCmd, AppInfo, Credentials, OpenConflict, ResolveConflictRequest,
};
use rehome_model::{ApiError, FeedPage, FeedQuery};
use tauri::State;

type Reply<T> = Result<T, ApiError>;

#[tauri::command]
pub fn app_info(app: State<'_, App>) -> AppInfo {
    app.info()
}

#[tauri::command]
pub async fn feed_page(app: State<'_, App>, req: FeedQuery) -> Reply<FeedPage> {
    app.feed_page(req).await.map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn create_draft(app: State<'_, App>, req: CreateDraftRequest) -> Reply<Draft> {
    app.create_draft(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn list_drafts(app: State<'_, App>, req: ListDraftsRequest) -> Reply<Vec<DraftCard>> {
    let ListDraftsRequest {} = req;
    app.list_drafts().map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn get_draft(app: State<'_, App>, req: DraftIdRequest) -> Reply<Draft> {
    app.get_draft(req.id).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn set_draft_field(app: State<'_, App>, req: SetFieldRequest) -> Reply<SetFieldResponse> {
    app.set_draft_field(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn duplicate_draft(app: State<'_, App>, req: DraftIdRequest) -> Reply<Draft> {
    app.duplicate_draft(req.id).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn delete_draft(app: State<'_, App>, req: DraftIdRequest) -> Reply<DeleteDraftResponse> {
    app.delete_draft(req.id).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn undo_delete_draft(app: State<'_, App>, req: DraftIdRequest) -> Reply<Draft> {
    app.undo_delete_draft(req.id).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn publish_draft(app: State<'_, App>, req: DraftIdRequest) -> Reply<Draft> {
    app.publish_draft(req.id).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn reorder_draft_photos(app: State<'_, App>, req: ReorderPhotosRequest) -> Reply<Draft> {
    app.reorder_draft_photos(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn set_draft_cover_photo(app: State<'_, App>, req: PhotoRequest) -> Reply<Draft> {
    app.set_draft_cover_photo(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn delete_draft_photo(app: State<'_, App>, req: PhotoRequest) -> Reply<Draft> {
    app.delete_draft_photo(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn unsaved_edits(app: State<'_, App>) -> Vec<UnsavedEdit> {
    app.unsaved_edits()
}

#[tauri::command(async)]
pub fn retry_unsaved_edits(app: State<'_, App>) -> Vec<UnsavedEdit> {
    app.retry_unsaved_edits()
}

#[tauri::command(async)]
pub fn rotate_draft_photo(app: State<'_, App>, req: PhotoRequest) -> Reply<Draft> {
    app.rotate_draft_photo(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn add_draft_photo(app: State<'_, App>, request: tauri::ipc::Request<'_>) -> Reply<Draft> {
    let (req, bytes) = crate::raw_ipc::parse::<AddDraftPhotoCmd>(&request)?;
    app.add_draft_photo(req.id, bytes).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn account(app: State<'_, App>) -> AccountStatus {
    app.account_status()
}

#[tauri::command]
pub async fn sign_up(app: State<'_, App>, req: Credentials) -> Reply<AccountStatus> {
    app.sign_up_here(req).await.map_err(ApiError::from)
}

#[tauri::command]
pub async fn sign_in(app: State<'_, App>, req: Credentials) -> Reply<AccountStatus> {
    app.sign_in_here(req).await.map_err(ApiError::from)
}

#[tauri::command]
pub async fn sign_out(app: State<'_, App>) -> Reply<AccountStatus> {
    app.sign_out_here().await.map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn list_conflicts(app: State<'_, App>) -> Reply<Vec<OpenConflict>> {
    app.open_conflicts().map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn resolve_conflict(
    app: State<'_, App>,
    req: ResolveConflictRequest,
) -> Reply<Vec<OpenConflict>> {
    app.settle_conflict(req).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn sync_status(app: State<'_, App>) -> Reply<rehome_model::ipc::SyncStatus> {
    app.sync_status().map_err(ApiError::from)
}

#[tauri::command]
pub fn sync_now(app: State<'_, App>) {
    app.sync_now()
}

#[tauri::command(async)]
pub fn retry_listing(
    app: State<'_, App>,
    req: DraftIdRequest,
) -> Reply<rehome_model::ipc::SyncStatus> {
    app.retry_listing(req.id).map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn device_settings(app: State<'_, App>) -> Reply<rehome_model::ipc::DeviceSettings> {
    app.device_settings().map_err(ApiError::from)
}

#[tauri::command(async)]
pub fn set_device_settings(
    app: State<'_, App>,
    req: rehome_model::ipc::DeviceSettings,
) -> Reply<rehome_model::ipc::DeviceSettings> {
    app.set_device_settings(req).map_err(ApiError::from)
}
