//! `cargo xtask size`: how big the app is to download and to run.

use crate::cmd::{Result, root, run, target_dir};
use crate::{tools, ui};
use std::io::Write;
use std::process::Command;

pub fn report() -> Result {
    tools::ensure_all(tools::Purpose::Bundle)?;
    // `tauri build` runs `cargo xtask ui` itself (beforeBuildCommand).
    run(Command::new(tools::tauri_cli())
        .args(["build", "--bundles", "deb"])
        .current_dir(root()))?;
    let release = target_dir().join("release");
    let deb = std::fs::read_dir(release.join("bundle/deb"))
        .map_err(|e| format!("no .deb was built: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .ok_or("no .deb was built")?;
    let binary = release.join("rehome-shell");
    let wasm = ui::dist_dir().join("rehome_ui_bg.wasm");
    let wasm_bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let gz = gzip_len(&wasm_bytes)?;
    let size = |p: &std::path::Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    println!("{:<28} {:>12}", "what", "bytes");
    println!("{:<28} {:>12}  ({})", ".deb", size(&deb)?, deb.display());
    println!(
        "{:<28} {:>12}  (release profile strips symbols)",
        "shell binary, stripped",
        size(&binary)?
    );
    println!("{:<28} {:>12}", "UI wasm, raw", wasm_bytes.len());
    println!("{:<28} {:>12}", "UI wasm, gzip -9", gz);
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("gzip: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("gzip has no stdin")?;
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().map_err(|e| format!("gzip: {e}"))?;
    writer
        .join()
        .map_err(|_| "gzip writer panicked")?
        .map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len())
}
