//! Tauri's build step. The config is read from the repo root (this package's
//! manifest dir). App commands get one `allow-<command>` permission each,
//! generated from the command table in rehome-model (`ALL_COMMANDS`), and the
//! build fails unless the main window's capability in tauri.conf.json grants
//! exactly those: a command the window may not call, or a grant for a command
//! that does not exist, is caught here rather than in the running app.

use std::collections::BTreeSet;

/// The capability of the app's one window.
const MAIN_CAPABILITY: &str = "main-window";
const CONFIG: &str = "tauri.conf.json";

fn main() {
    println!("cargo:rerun-if-changed={CONFIG}");
    if let Err(problem) = check_capability(rehome_model::ipc::ALL_COMMANDS) {
        panic!("{CONFIG}: {problem}");
    }
    let manifest = tauri_build::AppManifest::new().commands(rehome_model::ipc::ALL_COMMANDS);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri build step failed: {e:#}");
    }
}

/// The permission Tauri generates for `command` (`sign_in` → `allow-sign-in`).
fn allow(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// Compares the main window's granted permissions with one `allow-…` per command.
fn check_capability(commands: &[&str]) -> Result<(), String> {
    let text = std::fs::read_to_string(CONFIG).map_err(|e| format!("cannot read it: {e}"))?;
    let config: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    let capabilities = config["app"]["security"]["capabilities"]
        .as_array()
        .ok_or("app.security.capabilities is not a list")?;
    let main = capabilities
        .iter()
        .find(|c| c["identifier"] == MAIN_CAPABILITY)
        .ok_or_else(|| format!("no capability {MAIN_CAPABILITY:?}"))?;
    let granted = main["permissions"]
        .as_array()
        .ok_or_else(|| format!("capability {MAIN_CAPABILITY:?} has no permissions list"))?
        .iter()
        // A permission is a string, or an object with an identifier (and scopes).
        .map(|p| {
            p.as_str()
                .or_else(|| p["identifier"].as_str())
                .map(str::to_owned)
        })
        .collect::<Option<BTreeSet<String>>>()
        .ok_or_else(|| format!("capability {MAIN_CAPABILITY:?} has a permission without a name"))?;
    let wanted: BTreeSet<String> = commands.iter().map(|c| allow(c)).collect();
    let missing: Vec<&String> = wanted.difference(&granted).collect();
    let extra: Vec<&String> = granted.difference(&wanted).collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok(());
    }
    Err(format!(
        "capability {MAIN_CAPABILITY:?} must grant exactly one allow-<command> per command \
         of the table (rehome_model::for_each_command!). Missing: {missing:?}. \
         Not a command of the table: {extra:?}."
    ))
}
