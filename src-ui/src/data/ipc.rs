//! The typed IPC client. Each call names an entry of `rehome_model`'s command
//! table; requests and responses are that entry's types, and failures are
//! [`ApiError`]s whose `code` the UI branches on.
//!
//! Private to `data`: pages and components cannot call the core themselves.
//!
//! One serialiser, serde-wasm-bindgen, turns requests into JS values and
//! replies back (the raw-bytes call's header is that value as JSON text). Only
//! the typed ends are generic; the calls themselves are compiled once.

use rehome_model::ipc::{IpcCommand, RAW_REQUEST_HEADER, REQUEST_KEY};
use rehome_model::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
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

fn internal(command: &str, what: &str, detail: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{command}: {what}{detail}"))
}

/// Calls command `C` with `req`.
pub async fn invoke<C: IpcCommand>(req: &C::Request) -> Result<C::Response, ApiError> {
    let req = encode(C::NAME, req)?;
    decode(C::NAME, call(C::NAME, req).await)
}

/// Calls command `C` with `req` and a body of raw bytes (an `ArrayBuffer` or
/// `Uint8Array`, handed over without copying through wasm memory or JSON).
pub async fn invoke_bytes<C: IpcCommand>(
    req: &C::Request,
    body: &JsValue,
) -> Result<C::Response, ApiError> {
    let req = encode(C::NAME, req)?;
    decode(C::NAME, call_bytes(C::NAME, req, body).await)
}

fn encode<T: Serialize + ?Sized>(command: &str, req: &T) -> Result<JsValue, ApiError> {
    req.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| internal(command, "cannot encode the request: ", &e))
}

async fn call(command: &str, req: JsValue) -> Result<JsValue, ApiError> {
    let args = js_sys::Object::new();
    js_sys::Reflect::set(&args, &JsValue::from_str(REQUEST_KEY), &req)
        .map_err(|_| internal(command, "cannot build the arguments", &""))?;
    tauri_invoke(command, args.into())
        .await
        .map_err(|e| failure(command, e))
}

async fn call_bytes(command: &str, req: JsValue, body: &JsValue) -> Result<JsValue, ApiError> {
    let header = js_sys::JSON::stringify(&req)
        .map(String::from)
        .map_err(|_| internal(command, "cannot encode the request", &""))?;
    let headers = js_sys::Object::new();
    let options = js_sys::Object::new();
    let set = |target: &js_sys::Object, key: &str, value: &JsValue| {
        js_sys::Reflect::set(target, &JsValue::from_str(key), value)
            .map(drop)
            .map_err(|_| internal(command, "cannot build the options", &""))
    };
    set(&headers, RAW_REQUEST_HEADER, &JsValue::from_str(&header))?;
    set(&options, "headers", &headers)?;
    tauri_invoke_with_options(command, body.clone(), options.into())
        .await
        .map_err(|e| failure(command, e))
}

fn decode<T: DeserializeOwned>(
    command: &str,
    reply: Result<JsValue, ApiError>,
) -> Result<T, ApiError> {
    serde_wasm_bindgen::from_value(reply?).map_err(|e| internal(command, "unexpected reply: ", &e))
}

/// The core's `{code, message, field}`, or what the webview threw instead.
fn failure(command: &str, err: JsValue) -> ApiError {
    serde_wasm_bindgen::from_value::<ApiError>(err.clone()).unwrap_or_else(|_| {
        let text = err.as_string().unwrap_or_else(|| format!("{err:?}"));
        internal(command, "", &text)
    })
}
