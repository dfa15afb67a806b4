//! What the app says about itself (its version), for the Me tab.

use super::ipc;
use leptos::prelude::*;
use rehome_model::ApiError;
use rehome_model::ipc::{AppInfo, AppInfoCmd};

/// The app's version and server, loaded once when the view is created.
pub fn app_info() -> LocalResource<Result<AppInfo, ApiError>> {
    LocalResource::new(|| ipc::invoke::<AppInfoCmd>(&()))
}
