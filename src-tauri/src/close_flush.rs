//! Closing the window never loses what was just typed. The editor sends every
//! change at once (ARCHITECTURE.md, "Departures"), so there is nothing to ask
//! the UI for; but a save may still be on its way through IPC when the window
//! is asked to close. We hold the close a moment, so that save reaches the
//! store before the process can end, then close.

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
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FLUSH_GRACE).await;
        // destroy() closes without asking again.
        if let Err(e) = window.destroy() {
            tracing::error!(error = %e, "could not close the window");
        }
    });
}
