//! Platform webview settings.

use tauri::{Runtime, WebviewWindow};

/// WebKitGTK exposes `navigator.mediaDevices` (the in-app camera) only when media
/// streams are enabled. `REHOME_MOCK_CAMERA=1` (tests) adds WebKit's fake camera.
pub fn enable_media_streams<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mock = std::env::var_os("REHOME_MOCK_CAMERA").is_some_and(|v| v == "1");
        window.with_webview(move |webview| {
            use webkit2gtk::{SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_enable_media_stream(true);
                settings.set_enable_mock_capture_devices(mock);
            }
        })?;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}
