//! Builds the UI: wasm (size profile) → wasm-bindgen → wasm-opt → src-ui/dist,
//! which tauri.conf.json's `frontendDist` names (whatever CARGO_TARGET_DIR is).

use crate::cmd::{Result, cargo, root, run, target_dir};
use crate::tools;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn dist_dir() -> PathBuf {
    root().join("src-ui/dist")
}

/// The size profile in the root Cargo.toml.
const PROFILE: &str = "wasm-release";

/// What cargo builds, before wasm-bindgen.
pub fn cargo_wasm() -> PathBuf {
    target_dir()
        .join("wasm32-unknown-unknown")
        .join(PROFILE)
        .join("rehome-ui.wasm")
}

pub fn build() -> Result {
    tools::ensure_ui_tools()?;
    run(cargo().args([
        "build",
        "-p",
        "rehome-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ]))?;
    let wasm = cargo_wasm();
    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    bindgen(&wasm, &dist)?;
    let bg = dist.join("rehome_ui_bg.wasm");
    optimise(&bg, &bg, Names::Strip)?;
    for file in ["index.html", "boot.js", "styles.css"] {
        let from = root().join("src-ui/static").join(file);
        std::fs::copy(&from, dist.join(file)).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    eprintln!("xtask: UI built into {}", dist.display());
    Ok(())
}

/// wasm-bindgen's JS glue and wasm into `out_dir`.
pub fn bindgen(wasm: &Path, out_dir: &Path) -> Result {
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "rehome_ui",
            "--out-dir",
        ])
        .arg(out_dir)
        .arg(wasm))
}

/// Whether wasm-opt keeps the function names (for `cargo xtask size`; the
/// code is the same either way).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Strip,
    Keep,
}

pub fn optimise(from: &Path, to: &Path, names: Names) -> Result {
    let mut cmd = Command::new(tools::wasm_opt());
    cmd.arg("-Oz");
    match names {
        Names::Strip => cmd.arg("--strip-debug"),
        Names::Keep => cmd.arg("-g"),
    };
    cmd.arg("--strip-producers")
        // Rust's wasm32 target enables these post-MVP features by default.
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(from)
        .arg("-o")
        .arg(to);
    run(&mut cmd)
}
