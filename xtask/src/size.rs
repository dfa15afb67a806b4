//! `cargo xtask size`: how big the app is to download and to run, and what the
//! UI's wasm is made of. `cargo xtask size ui` builds and measures the UI
//! alone (no shell, no .deb), which is what a UI change needs.

use crate::cmd::{Result, output, root, run, target_dir};
use crate::{tools, ui};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The UI's whole download (wasm, JS glue, styles, page), gzipped, must stay
/// under this, with the features still to come (issue 11).
const UI_BUDGET_GZIP: usize = 400_000;
/// How many of the wasm's largest items to list.
const TOP_ITEMS: usize = 20;
/// How many of the most copied generic functions to list.
const TOP_GENERICS: usize = 8;

pub fn report(args: &[String]) -> Result {
    match args {
        [] => {
            app()?;
            ui_report()
        }
        [only] if only == "ui" => {
            ui::build()?;
            ui_report()
        }
        _ => Err("usage: cargo xtask size [ui]".into()),
    }
}

/// The .deb and the shell binary (`tauri build` runs `cargo xtask ui` itself,
/// as its beforeBuildCommand).
fn app() -> Result {
    tools::ensure_all(tools::Purpose::Bundle)?;
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
    println!("{:<30} {:>10}", "what", "bytes");
    println!(
        "{:<30} {:>10}  ({})",
        ".deb",
        file_len(&deb)?,
        deb.display()
    );
    println!(
        "{:<30} {:>10}  (release profile strips symbols)",
        "shell binary, stripped",
        file_len(&binary)?
    );
    println!();
    Ok(())
}

/// The UI in src-ui/dist, file by file, against the budget; then twiggy's
/// view of the wasm.
fn ui_report() -> Result {
    tools::ensure_twiggy()?;
    let dist = ui::dist_dir();
    println!("{:<30} {:>10} {:>10}", "UI file", "bytes", "gzip -9");
    let (mut raw, mut gz) = (0, 0);
    let mut wasm_len = 0;
    for name in [
        "rehome_ui_bg.wasm",
        "rehome_ui.js",
        "styles.css",
        "index.html",
        "boot.js",
    ] {
        let bytes = std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))?;
        let packed = gzip_len(&bytes)?;
        println!("{name:<30} {:>10} {packed:>10}", bytes.len());
        if name.ends_with(".wasm") {
            wasm_len = bytes.len();
        }
        raw += bytes.len();
        gz += packed;
    }
    println!(
        "{:<30} {raw:>10} {gz:>10}  (budget {UI_BUDGET_GZIP} gzip: {}% used)",
        "in all",
        gz * 100 / UI_BUDGET_GZIP
    );

    // The shipped wasm has no names; build a copy that keeps them. wasm-opt
    // makes the same code either way (the totals below say so).
    let dir = target_dir().join("size");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    ui::bindgen(&ui::cargo_wasm(), &dir)?;
    let named = dir.join("rehome_ui_named.wasm");
    ui::optimise(&dir.join("rehome_ui_bg.wasm"), &named, ui::Names::Keep)?;

    let top = twiggy(&named, "top")?;
    let items: Vec<(usize, String)> = top
        .iter()
        .skip(1)
        .filter_map(|row| Some((row.get(1)?.parse().ok()?, row.first()?.clone())))
        // Name sections exist only in this copy.
        .filter(|(_, name)| !name.ends_with("subsection"))
        .collect();
    let code: usize = items.iter().map(|(bytes, _)| bytes).sum();
    println!();
    println!(
        "UI wasm, largest items (twiggy top; named copy without its names: {code} bytes, shipped: {wasm_len})"
    );
    println!("{:>8} {:>6}  item", "bytes", "%");
    for (bytes, name) in items.iter().take(TOP_ITEMS) {
        println!(
            "{bytes:>8} {:>5.1}%  {}",
            percent(*bytes, wasm_len),
            readable(name)
        );
    }

    let monos = twiggy(&named, "monos")?;
    println!();
    println!("UI wasm, generic functions compiled most often (twiggy monos)");
    println!("{:>8} {:>8}  generic", "all", "extra");
    for row in monos.iter().skip(1).take(TOP_GENERICS) {
        let (Some(generic), Some(extra), Some(all)) = (row.first(), row.get(1), row.get(3)) else {
            continue;
        };
        if generic.starts_with("... and") || generic.starts_with('Σ') {
            continue;
        }
        println!("{all:>8} {extra:>8}  {}", readable(generic));
    }
    Ok(())
}

/// Runs `twiggy <what> --format csv` on `wasm`, as rows of fields.
fn twiggy(wasm: &Path, what: &str) -> Result<Vec<Vec<String>>> {
    let csv = output(
        Command::new("twiggy")
            .args([what, "--format", "csv"])
            .arg(wasm),
    )
    .ok_or_else(|| format!("`twiggy {what} {}` failed", wasm.display()))?;
    Ok(csv.lines().map(csv_fields).collect())
}

/// The fields of one CSV line (quoted fields may hold commas and `""`).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// A symbol without its hash (`::h0123…`) and crate disambiguators (`[0123…]`).
fn readable(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find('[') {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        match tail.find(']') {
            Some(end) if tail[1..end].chars().all(|c| c.is_ascii_hexdigit()) && end > 1 => {
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('[');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    let hash = out.rfind("::h").filter(|&i| {
        let digits = &out[i + 3..];
        digits.len() == 16 && digits.chars().all(|c| c.is_ascii_hexdigit())
    });
    if let Some(i) = hash {
        out.truncate(i);
    }
    out
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn file_len(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
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
