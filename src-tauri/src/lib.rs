//! The Tauri shell: opens the window, wires the core facade into IPC commands
//! and the photo URI scheme, and nothing else. No SQL, HTTP or image code lives
//! here; see ARCHITECTURE.md.

mod close_flush;
mod commands;
mod logging;
mod photo_scheme;
mod raw_ipc;
mod webview;

use rehome_app::{App, AppConfig};
use tauri::Manager;

/// Runs the core's background sync for as long as the app is open, on
/// Tauri's async runtime.
fn sync_in_background(handle: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let app = handle.state::<App>();
        rehome_app::SyncRunner::with_system_clock(&app).run().await;
    });
}

/// Starts the app. On phones this is the entry point the OS calls.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let paths = app.path();
            let log_guard = logging::init(&paths.app_log_dir()?);
            app.manage(log_guard);
            let config = AppConfig::new(paths.app_data_dir()?, paths.app_cache_dir()?, None);
            tracing::info!(data = %config.data_dir.display(), server = %config.server, "starting");
            app.manage(App::open(config)?);
            sync_in_background(app.handle().clone());
            if let Some(window) = app.get_webview_window("main") {
                webview::enable_media_streams(&window)?;
            }
            Ok(())
        })
        .on_window_event(close_flush::on_window_event)
        .register_asynchronous_uri_scheme_protocol(photo_scheme::SCHEME, photo_scheme::handle)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::feed_page,
            commands::create_draft,
            commands::list_drafts,
            commands::get_draft,
            commands::set_draft_field,
            commands::duplicate_draft,
            commands::delete_draft,
            commands::undo_delete_draft,
            commands::publish_draft,
            commands::reorder_draft_photos,
            commands::set_draft_cover_photo,
            commands::delete_draft_photo,
            commands::unsaved_edits,
            commands::retry_unsaved_edits,
            commands::rotate_draft_photo,
            commands::add_draft_photo,
            commands::device_settings,
            commands::set_device_settings,
            commands::account,
            commands::sign_up,
            commands::sign_in,
            commands::sign_out,
            commands::list_conflicts,
            commands::resolve_conflict,
            commands::sync_status,
            commands::sync_now,
            commands::retry_listing,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the app stopped with an error");
        eprintln!("rehome: {e}");
        std::process::exit(1);
    }
}
