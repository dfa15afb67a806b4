//! Platform webview settings.

use tauri::{Runtime, WebviewWindow};

/// The devices a media permission request asks for.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MediaAsked {
    pub video: bool,
    pub audio: bool,
}

/// Whether the webview grants a permission request: only a media request
/// for the camera alone (video, no microphone). `None` is any other kind of
/// request (geolocation, notifications, …).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn grants(media: Option<MediaAsked>) -> bool {
    matches!(
        media,
        Some(MediaAsked {
            video: true,
            audio: false
        })
    )
}

/// WebKitGTK exposes `navigator.mediaDevices` (the in-app camera) only when media
/// streams are enabled. `REHOME_MOCK_CAMERA=1` (tests) adds WebKit's fake camera.
pub fn enable_media_streams<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mock = std::env::var_os("REHOME_MOCK_CAMERA").is_some_and(|v| v == "1");
        window.with_webview(move |webview| {
            use webkit2gtk::glib::prelude::Cast;
            use webkit2gtk::{
                PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
                UserMediaPermissionRequestExt, WebViewExt,
            };
            let view = webview.inner();
            if let Some(settings) = view.settings() {
                settings.set_enable_media_stream(true);
                settings.set_enable_mock_capture_devices(mock);
            }
            // The app asks for the camera only when the seller taps "Camera"
            // (video, never audio): grant that, refuse every other permission.
            view.connect_permission_request(|_, request| {
                let media = request
                    .downcast_ref::<UserMediaPermissionRequest>()
                    .map(|m| MediaAsked {
                        video: m.is_for_video_device(),
                        audio: m.is_for_audio_device(),
                    });
                if grants(media) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_camera_only_media_requests_are_granted() {
        let ask = |video, audio| Some(MediaAsked { video, audio });
        for (request, granted) in [
            (ask(true, false), true),
            (ask(true, true), false),
            (ask(false, true), false),
            (ask(false, false), false),
            (None, false),
        ] {
            assert_eq!(grants(request), granted, "{request:?}");
        }
    }
}
