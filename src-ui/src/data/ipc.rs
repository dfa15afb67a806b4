//! The typed IPC client. Each call names an entry of `rehome_model`'s command
//! table; requests and responses are that entry's types, and failures are
//! [`ApiError`]s whose `code` the UI branches on.
//!
//! Private to `data`: pages and components cannot call the core themselves.

use rehome_model::ipc::{IpcCommand, RAW_REQUEST_HEADER, REQUEST_KEY};
use rehome_model::{ApiError, ErrorCode};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke_with_options(
        cmd: &str,
        args: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue>;
}

fn internal(command: &str, what: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{command}: {what}"))
}

/// Calls command `C` with `req`.
pub async fn invoke<C: IpcCommand>(req: &C::Request) -> Result<C::Response, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let req = req
        .serialize(&serializer)
        .map_err(|e| internal(C::NAME, format!("cannot encode the request: {e}")))?;
    let args = js_sys::Object::new();
    js_sys::Reflect::set(&args, &JsValue::from_str(REQUEST_KEY), &req)
        .map_err(|_| internal(C::NAME, "cannot build the arguments"))?;
    decode::<C>(tauri_invoke(C::NAME, args.into()).await)
}

/// Calls command `C` with `req` and a body of raw bytes (an `ArrayBuffer` or
/// `Uint8Array`, handed over without copying through wasm memory or JSON).
pub async fn invoke_bytes<C: IpcCommand>(
    req: &C::Request,
    body: &JsValue,
) -> Result<C::Response, ApiError> {
    let header = serde_json::to_string(req)
        .map_err(|e| internal(C::NAME, format!("cannot encode the request: {e}")))?;
    let headers = js_sys::Object::new();
    let options = js_sys::Object::new();
    let set = |target: &js_sys::Object, key: &str, value: &JsValue| {
        js_sys::Reflect::set(target, &JsValue::from_str(key), value)
            .map(drop)
            .map_err(|_| internal(C::NAME, "cannot build the options"))
    };
    set(&headers, RAW_REQUEST_HEADER, &JsValue::from_str(&header))?;
    set(&options, "headers", &headers)?;
    decode::<C>(tauri_invoke_with_options(C::NAME, body.clone(), options.into()).await)
}

fn decode<C: IpcCommand>(reply: Result<JsValue, JsValue>) -> Result<C::Response, ApiError> {
    match reply {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| internal(C::NAME, format!("unexpected reply: {e}"))),
        Err(err) => Err(
            serde_wasm_bindgen::from_value::<ApiError>(err.clone()).unwrap_or_else(|_| {
                internal(
                    C::NAME,
                    err.as_string().unwrap_or_else(|| format!("{err:?}")),
                )
            }),
        ),
    }
}
