//! Where a photo is shown from: the core serves every picture (the seller's
//! own and those of the feed) from the device through the `rehome-photo:`
//! URI scheme, by photo id and rendition. Nothing here is IPC.

use rehome_model::PhotoId;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = convertFileSrc)]
    fn convert_file_src(path: &str, protocol: &str) -> Result<String, JsValue>;
}

/// Which rendition of a photo to show.
#[derive(Clone, Copy)]
pub enum PhotoSize {
    /// The small rendition (cards). The full photo comes with the listing page.
    Thumb,
    /// The full photo: only the listing page (and its zoom) shows it.
    Full,
}

/// The URL of a photo, served by the core from the device.
pub fn photo_src(id: PhotoId, size: PhotoSize) -> String {
    let variant = match size {
        PhotoSize::Thumb => "thumb",
        PhotoSize::Full => "full",
    };
    let path = format!("{id}.{variant}");
    convert_file_src(&path, "rehome-photo")
        .unwrap_or_else(|_| format!("rehome-photo://localhost/{path}"))
}
