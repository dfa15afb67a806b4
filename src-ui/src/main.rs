//! Rehome's UI: Leptos CSR in the app's webview. It reaches the core only through
//! the data modules (`data/`, which alone hold the typed IPC client); photos
//! come through the `rehome-photo:` URI scheme.

#![forbid(unsafe_code)]

mod app;
mod components;
mod data;
mod icons;
mod labels;
mod nav;
mod pages;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
