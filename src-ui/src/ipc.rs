//! The typed IPC client. Each call names an entry of `rehome_model::ipc`'s
//! command table; requests and responses are that entry's types, and failures
//! are [`ApiError`]s whose `code` the UI branches on.

use rehome_model::ipc::{IpcCommand, REQUEST_KEY};
use rehome_model::{ApiError, ErrorCode, PhotoId};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = convertFileSrc)]
    fn convert_file_src(path: &str, protocol: &str) -> Result<String, JsValue>;
}

/// Calls command `C` with `req`.
pub async fn invoke<C: IpcCommand>(req: &C::Request) -> Result<C::Response, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let req = req.serialize(&serializer).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot encode {}: {e}", C::NAME),
        )
    })?;
    let args = js_sys::Object::new();
    js_sys::Reflect::set(&args, &JsValue::from_str(REQUEST_KEY), &req)
        .map_err(|_| ApiError::new(ErrorCode::Internal, "cannot build the IPC arguments"))?;
    match tauri_invoke(C::NAME, args.into()).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("{}: unexpected reply: {e}", C::NAME),
            )
        }),
        Err(err) => Err(
            serde_wasm_bindgen::from_value::<ApiError>(err.clone()).unwrap_or_else(|_| {
                let text = err.as_string().unwrap_or_else(|| format!("{err:?}"));
                ApiError::new(ErrorCode::Internal, format!("{}: {text}", C::NAME))
            }),
        ),
    }
}

/// Which rendition of a photo to show.
#[derive(Clone, Copy)]
pub enum PhotoSize {
    Full,
    Thumb,
}

/// The URL of a photo, served by the core from the on-device cache.
pub fn photo_src(id: PhotoId, size: PhotoSize) -> String {
    let variant = match size {
        PhotoSize::Full => "full",
        PhotoSize::Thumb => "thumb",
    };
    let path = format!("{id}.{variant}");
    convert_file_src(&path, "rehome-photo")
        .unwrap_or_else(|_| format!("rehome-photo://localhost/{path}"))
}
