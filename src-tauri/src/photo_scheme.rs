//! `rehome-photo://localhost/{photoId}.{full|thumb}`: photos for the webview,
//! served by the core from the on-device image cache (fetched from the server
//! on first use). The webview never talks to the server itself.

use rehome_app::{App, PhotoVariant};
use rehome_model::{ErrorCode, PhotoId};
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

pub const SCHEME: &str = "rehome-photo";

pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let path = request.uri().path().to_owned();
    tauri::async_runtime::spawn(async move {
        let response = match parse(&path) {
            Some((id, variant)) => match app.state::<App>().photo(id, variant).await {
                Ok(bytes) => Response::builder()
                    .header(header::CONTENT_TYPE, "image/jpeg")
                    .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
                    .body(bytes),
                Err(e) => {
                    let status = match e.code() {
                        ErrorCode::NotFound => StatusCode::NOT_FOUND,
                        ErrorCode::Offline => StatusCode::GATEWAY_TIMEOUT,
                        _ => StatusCode::BAD_GATEWAY,
                    };
                    tracing::warn!(%path, error = %e, "photo not served");
                    Response::builder().status(status).body(Vec::new())
                }
            },
            None => Response::builder()
                .status(StatusCode::BAD_REQUEST)
                .body(Vec::new()),
        };
        match response {
            Ok(response) => responder.respond(response),
            Err(e) => tracing::error!(error = %e, "could not build a photo response"),
        }
    });
}

/// `/{uuid}.{full|thumb}` → the photo and its variant.
fn parse(path: &str) -> Option<(PhotoId, PhotoVariant)> {
    let (id, variant) = path.trim_start_matches('/').split_once('.')?;
    Some((id.parse().ok()?, PhotoVariant::parse(variant)?))
}
