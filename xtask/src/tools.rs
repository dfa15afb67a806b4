//! Installs what the build and the tests need, skipping what is already there
//! at the right version. Every version is pinned here or read from Cargo.lock.

use crate::cmd::{self, Result, cargo, output, root, run};
use std::path::PathBuf;
use std::process::Command;

/// Debian packages: the Tauri/WebKitGTK build, the E2E run (Xvfb, WebKitWebDriver),
/// HEIC decoding, the photo fixtures and benchmarks, the keychain tests.
const APT_BUILD: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libheif-dev",
    // JPEG decode at a reduced DCT scale and encode (rehome-photo's src/turbo.rs).
    "libturbojpeg0-dev",
    // keyring's Secret Service backend (the session token in the OS keychain).
    "libdbus-1-dev",
];
const APT_TEST: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "libheif-examples",
    "libimage-exiftool-perl",
    "mate-backgrounds",
    "libvips-tools",
    "wrk",
    "gnome-keyring",
    "dbus",
    "dbus-x11",
    // rehome-testkit's TestCa: a CA and a loopback certificate for the TLS tests.
    "openssl",
    // The photo and upload benchmarks.
    "time",
    "bc",
    "curl",
    // schemathesis' venv (`cargo xtask schemathesis`): Debian's python3 has
    // no `-m venv` without it.
    "python3",
    "python3-venv",
];

const BINARYEN_VERSION: &str = "132.0.0";
const TAURI_DRIVER_VERSION: &str = "2.1.0";
const TAURI_CLI_VERSION: &str = "2.12.5";
/// The wasm size profiler behind `cargo xtask size`.
const TWIGGY_VERSION: &str = "0.8.0";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
    Bundle,
}

/// Where npm-installed tools live (gitignored).
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

pub fn wasm_opt() -> PathBuf {
    tools_dir().join("node_modules/.bin/wasm-opt")
}

pub fn tauri_cli() -> PathBuf {
    tools_dir().join("node_modules/.bin/tauri")
}

pub fn ensure_all(purpose: Purpose) -> Result {
    let mut packages: Vec<&str> = APT_BUILD.to_vec();
    if purpose != Purpose::Bundle {
        packages.extend(APT_TEST);
    }
    ensure_apt(&packages)?;
    ensure_ui_tools()?;
    match purpose {
        Purpose::Test => {
            ensure_cargo_tool("tauri-driver", TAURI_DRIVER_VERSION, &["--locked"])?;
            ensure_nextest()?;
        }
        Purpose::Bundle => {
            ensure_npm_tool("@tauri-apps/cli", TAURI_CLI_VERSION, &tauri_cli(), "tauri")?
        }
        Purpose::Run => {}
    }
    Ok(())
}

/// What `cargo xtask ui` needs: the wasm target, wasm-bindgen, wasm-opt.
pub fn ensure_ui_tools() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_npm_tool("binaryen", BINARYEN_VERSION, &wasm_opt(), "wasm-opt")
}

/// twiggy, which says what the UI's wasm is made of (`cargo xtask size`).
pub fn ensure_twiggy() -> Result {
    ensure_cargo_tool("twiggy", TWIGGY_VERSION, &["--locked"])
}

fn ensure_apt(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            !output(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]))
                .is_some_and(|s| s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    let sudo = |args: &[&str]| {
        let mut c = if cmd::is_root() {
            Command::new(args[0])
        } else {
            Command::new("sudo")
        };
        if cmd::is_root() {
            c.args(&args[1..]);
        } else {
            c.args(args);
        }
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut sudo(&["apt-get", "update", "-qq"]))?;
    let mut install = sudo(&["apt-get", "install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    run(&mut install)
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}

fn ensure_wasm_bindgen() -> Result {
    let want = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    // Not --locked: its lockfile pins a crate version the registry no longer has.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &want]))
}

fn ensure_cargo_tool(name: &str, version: &str, extra: &[&str]) -> Result {
    let list = output(cargo().args(["install", "--list"])).unwrap_or_default();
    if list
        .lines()
        .any(|l| l.starts_with(&format!("{name} v{version}")))
    {
        return Ok(());
    }
    run(cargo()
        .args(["install", name, "--version", version])
        .args(extra))
}

fn ensure_nextest() -> Result {
    if output(cargo().args(["nextest", "--version"])).is_some() {
        return Ok(());
    }
    run(cargo().args(["install", "cargo-nextest", "--locked"]))
}

/// npm packages that ship prebuilt binaries (binaryen's wasm-opt: Debian's
/// binaryen 108 emits modules WebKit cannot run; the Tauri CLI for bundling).
fn ensure_npm_tool(package: &str, version: &str, bin: &std::path::Path, bin_name: &str) -> Result {
    let have = output(Command::new(bin).arg("--version")).unwrap_or_default();
    let major = version.split('.').next().unwrap_or(version);
    if !have.is_empty() && (have.contains(version) || have.contains(&format!("version {major}"))) {
        return Ok(());
    }
    std::fs::create_dir_all(tools_dir()).map_err(|e| format!("{}: {e}", tools_dir().display()))?;
    run(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(tools_dir())
        .arg(format!("{package}@{version}")))?;
    if output(Command::new(bin).arg("--version")).is_none() {
        return Err(format!(
            "{bin_name} from npm {package}@{version} does not run"
        ));
    }
    Ok(())
}
