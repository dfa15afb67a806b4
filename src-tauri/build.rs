//! Tauri's build step. The config is read from the repo root (this package's
//! manifest dir). App commands get permissions generated from the command table
//! in rehome-model, so the capability in tauri.conf.json can grant exactly them.
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(rehome_model::ipc::ALL_COMMANDS);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri build step failed: {e:#}");
    }
}
