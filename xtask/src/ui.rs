//! Builds the UI: wasm (size profile) → wasm-bindgen → wasm-opt → src-ui/dist,
//! which tauri.conf.json's `frontendDist` names (whatever CARGO_TARGET_DIR is).

use crate::cmd::{Result, cargo, root, run, target_dir};
use crate::tools;
use std::process::Command;

pub fn dist_dir() -> std::path::PathBuf {
    root().join("src-ui/dist")
}

pub fn build() -> Result {
    tools::ensure_ui_tools()?;
    let profile = "wasm-release";
    run(cargo().args([
        "build",
        "-p",
        "rehome-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ]))?;
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("rehome-ui.wasm");
    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "rehome_ui",
            "--out-dir",
        ])
        .arg(&dist)
        .arg(&wasm))?;
    let bg = dist.join("rehome_ui_bg.wasm");
    // Rust's wasm32 target enables these post-MVP features by default.
    run(Command::new(tools::wasm_opt())
        .args(["-Oz", "--strip-debug", "--strip-producers"])
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    for file in ["index.html", "boot.js", "styles.css"] {
        let from = root().join("src-ui/static").join(file);
        std::fs::copy(&from, dist.join(file)).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    eprintln!("xtask: UI built into {}", dist.display());
    Ok(())
}
