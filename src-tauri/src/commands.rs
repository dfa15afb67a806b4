//! IPC commands: each is a one-line delegation to the core facade. Names and
//! types come from `rehome_model::ipc`'s command table.

use rehome_app::App;
use rehome_model::ipc::AppInfo;
use rehome_model::{ApiError, FeedPage, FeedQuery};
use tauri::State;

#[tauri::command]
pub fn app_info(app: State<'_, App>) -> AppInfo {
    app.info()
}

#[tauri::command]
pub async fn feed_page(app: State<'_, App>, req: FeedQuery) -> Result<FeedPage, ApiError> {
    app.feed_page(req).await.map_err(ApiError::from)
}
