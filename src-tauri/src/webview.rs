//! Platform webview settings.

use tauri::{Runtime, WebviewWindow};

/// WebKitGTK exposes `navigator.mediaDevices` (the in-app camera) only when media
/// streams are enabled. `REHOME_MOCK_CAMERA=1` (tests) adds WebKit's fake camera.
pub fn enable_media_streams<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mock = std::env::var_os("REHOME_MOCK_CAMERA").is_some_and(|v| v == "1");
        window.with_webview(move |webview| {
            use webkit2gtk::glib::prelude::Cast;
            use webkit2gtk::{
                PermissionRequestExt, SettingsExt, UserMediaPermissionRequest, WebViewExt,
            };
            let view = webview.inner();
            if let Some(settings) = view.settings() {
                settings.set_enable_media_stream(true);
                settings.set_enable_mock_capture_devices(mock);
            }
            // The app asks for the camera only when the seller taps "Camera"
            // (video, never audio): grant that, refuse every other permission.
            view.connect_permission_request(|_, request| {
                if request
                    .downcast_ref::<UserMediaPermissionRequest>()
                    .is_some()
                {
                    request.allow();
                } else {
                    request.deny();
                }
                true
            });
        })?;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}
