//! Commands that carry bytes: the typed request in a header, the bytes as the body.

use rehome_model::ipc::{IpcCommand, RAW_REQUEST_HEADER};
use rehome_model::{ApiError, ErrorCode};
use tauri::ipc::{InvokeBody, Request};

/// Splits a raw-body request into `C`'s typed request and the body bytes.
pub fn parse<'a, C: IpcCommand>(
    request: &'a Request<'_>,
) -> Result<(C::Request, &'a [u8]), ApiError> {
    let bad = |what: String| ApiError::new(ErrorCode::BadRequest, format!("{}: {what}", C::NAME));
    let header = request
        .headers()
        .get(RAW_REQUEST_HEADER)
        .ok_or_else(|| bad(format!("the {RAW_REQUEST_HEADER} header is missing")))?;
    let typed = serde_json::from_slice(header.as_bytes())
        .map_err(|e| bad(format!("bad {RAW_REQUEST_HEADER}: {e}")))?;
    match request.body() {
        InvokeBody::Raw(bytes) => Ok((typed, bytes.as_slice())),
        InvokeBody::Json(_) => Err(bad("the body must be raw bytes, not JSON".into())),
    }
}
