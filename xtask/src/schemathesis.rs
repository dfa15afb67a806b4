//! `cargo xtask schemathesis`: the API checked against its own OpenAPI
//! document by schemathesis (property-based: it generates requests from the
//! document, valid and invalid, and checks every answer against it), on a
//! real `rehome-server` on 127.0.0.1 with a fresh demo data dir. Twice:
//! anonymous, and signed in as a new account. Any failure fails the step.
//!
//! Installed into a venv under `.tools/` (pinned below), skipped when that
//! version is already there. `cargo xtask test` runs it beside the tests.

use crate::cmd::{Result, cargo, output, root, run, target_dir};
use crate::run::{Guarded, start_server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Test cases per operation and phase: about a minute for both runs here.
const MAX_EXAMPLES: &str = "30";
/// A fixed seed: the same requests every run, so a failure reproduces (pass
/// `--seed N` after `cargo xtask schemathesis` to explore others).
const SEED: &str = "1";

fn venv() -> PathBuf {
    crate::tools::tools_dir().join("schemathesis")
}

fn st() -> PathBuf {
    venv().join("bin/st")
}

/// Installs schemathesis into `.tools/schemathesis` unless that version is there.
pub fn ensure() -> Result {
    let have = output(Command::new(st()).arg("--version")).unwrap_or_default();
    if have.split_whitespace().last() == Some(SCHEMATHESIS_VERSION) {
        return Ok(());
    }
    let python = venv().join("bin/python");
    if !python.exists() {
        std::fs::create_dir_all(crate::tools::tools_dir())
            .map_err(|e| format!("cannot create .tools: {e}"))?;
        // Debian's python3 needs python3-venv for this (in tools' APT_TEST).
        run(Command::new("python3").args(["-m", "venv"]).arg(venv()))?;
    }
    run(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}

/// `cargo xtask schemathesis [st run options]`: installs schemathesis, builds
/// the server, then [`check`]. `--built` first skips both (`cargo xtask test`
/// has done them).
pub fn standalone(args: &[String]) -> Result {
    let extra = match args.split_first() {
        Some((first, rest)) if first == "--built" => rest,
        _ => {
            ensure()?;
            run(cargo().args(["build", "-p", "rehome-server", "--bin", "rehome-server"]))?;
            args
        }
    };
    check(&target_dir().join("debug/rehome-server"), extra)
}

/// Runs schemathesis against `server` (a built `rehome-server`), anonymous
/// and signed in; `extra` goes to `st run` (e.g. `--seed 7`, `-n 200`).
pub fn check(server: &Path, extra: &[String]) -> Result {
    let data = target_dir().join(format!("schemathesis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let result = check_in(server, &data, extra);
    let _ = std::fs::remove_dir_all(&data);
    result
}

fn check_in(server: &Path, data: &Path, extra: &[String]) -> Result {
    let (child, url) = start_server(server, data, &["--lazy-photos"])?;
    let _server = Guarded(child, "the server");
    let address = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("the server is not on plain http: {url}"))?;
    let token = sign_up(address)?;
    let document = format!("{url}/v1/openapi.json");
    // What the document cannot say (tus' 412, opaque cursors): see the comments there.
    let settings = root().join("crates/rehome-server/schemathesis");
    let st_run = |auth: Option<&str>| {
        let mut cmd = Command::new(st());
        cmd.arg("--config-file")
            .arg(settings.join("schemathesis.toml"))
            .args(["run", &document, "--checks", "all"])
            .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
            .env("PYTHONPATH", &settings)
            .env("SCHEMATHESIS_HOOKS", "hooks")
            // Its own files (reports, Hypothesis' example database) stay in target/.
            .current_dir(target_dir())
            .env("NO_COLOR", "1");
        if let Some(token) = auth {
            cmd.args(["--header", &format!("Authorization: Bearer {token}")]);
            // Signing out would revoke the very token this run uses, and every
            // later request would be a 401. Its signed-in answers are in
            // tests/it/openapi_truth/; the anonymous run covers it here.
            cmd.args(["--exclude-path", "/v1/auth/sign-out"]);
        }
        cmd.args(extra);
        cmd
    };
    eprintln!("xtask: schemathesis, anonymous");
    let anonymous = run(&mut st_run(None));
    eprintln!("xtask: schemathesis, signed in");
    let signed_in = run(&mut st_run(Some(&token)));
    anonymous.and(signed_in)
}

/// Signs up a new account on the server at `address` (`127.0.0.1:PORT`) and
/// returns its session token.
fn sign_up(address: &str) -> Result<String> {
    let body = r#"{"handle":"schemathesis","password":"schemathesis-pw","sizes":["M"]}"#;
    let request = format!(
        "POST /v1/auth/sign-up HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream =
        TcpStream::connect(address).map_err(|e| format!("cannot reach {address}: {e}"))?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("sign-up: {e}"))?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| format!("sign-up: {e}"))?;
    let token = reply
        .split_once("\"token\":\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("sign-up gave no token: {reply}"))?;
    Ok(token.to_owned())
}
