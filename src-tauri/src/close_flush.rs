//! Closing the window never loses what was just typed. The editor sends every
//! change at once (ARCHITECTURE.md, "Departures"); when the window is asked to
//! close, we first ask the UI to send any edit not yet on its way
//! (`window.__rehomeFlush`), give those saves a moment to reach the store, then
//! close.

use std::time::Duration;
use tauri::{Runtime, Window, WindowEvent};

/// Longer than one store write (a few ms) by a wide margin; short enough that
/// closing still feels immediate.
const FLUSH_GRACE: Duration = Duration::from_millis(400);

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    api.prevent_close();
    if let Some(webview) = tauri::Manager::get_webview_window(window, window.label())
        && let Err(e) = webview.eval("window.__rehomeFlush && window.__rehomeFlush()")
    {
        tracing::warn!(error = %e, "could not ask the UI to save before closing");
    }
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FLUSH_GRACE).await;
        // destroy() closes without asking again.
        if let Err(e) = window.destroy() {
            tracing::error!(error = %e, "could not close the window");
        }
    });
}
