//! The Tauri shell: opens the window, wires the core facade into IPC commands
//! (generated from the command table, see `commands.rs`) and the photo URI
//! scheme, and nothing else. No SQL, HTTP or image code lives here; see
//! ARCHITECTURE.md.

#![forbid(unsafe_code)]

mod close_flush;
mod commands;
#[cfg(desktop)]
mod file_dialog;
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
            let core = App::open(config)?;
            #[cfg(desktop)]
            core.set_file_dialog(std::sync::Arc::new(file_dialog::NativeDialog));
            app.manage(core);
            sync_in_background(app.handle().clone());
            if let Some(window) = app.get_webview_window("main") {
                webview::enable_media_streams(&window)?;
            }
            Ok(())
        })
        .on_window_event(close_flush::on_window_event)
        .register_asynchronous_uri_scheme_protocol(photo_scheme::SCHEME, photo_scheme::handle)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the app stopped with an error");
        eprintln!("rehome: {e}");
        std::process::exit(1);
    }
}
