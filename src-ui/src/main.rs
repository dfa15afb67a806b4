//! Rehome's UI: Leptos CSR in the app's webview. It reaches the core only through
//! the typed IPC module; photos come through the `rehome-photo:` URI scheme.

mod app;
mod components;
mod data;
mod icons;
mod ipc;
mod labels;
mod pages;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
