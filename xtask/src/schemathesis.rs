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
    // The run signs up thousands of accounts from 127.0.0.1: lift the
    // per-address sign-up limit so sign-up's own logic is what gets checked
    // (the limit has its own tests, and its 429 is in the document).
    let (child, url) = start_server(
        server,
        data,
        &["--lazy-photos", "--max-sign-ups-per-address", "1000000"],
    )?;
    let _server = Guarded(child, "the server");
    let address = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("the server is not on plain http: {url}"))?;
    let token = sign_up(address)?;
    let ids = real_ids(address, &token)?;
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
            .envs(ids.iter().map(|(k, v)| (*k, v.as_str())))
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

/// One HTTP/1.1 request to `address` (`127.0.0.1:PORT`); the whole reply,
/// headers and body, as text.
fn request(address: &str, head: &str, body: &str) -> Result<String> {
    let request = format!(
        "{head}\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let what = head.lines().next().unwrap_or(head).to_owned();
    let mut stream =
        TcpStream::connect(address).map_err(|e| format!("cannot reach {address}: {e}"))?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("{what}: {e}"))?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| format!("{what}: {e}"))?;
    Ok(reply)
}

/// The text after the first `marker` in `text`, up to the next `"` (or line end).
fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(marker)?;
    rest.split(['"', '\r', '\n'])
        .next()
        .filter(|v| !v.is_empty())
}

/// Signs up a new account on the server at `address` and returns its
/// session token.
fn sign_up(address: &str) -> Result<String> {
    let body = r#"{"handle":"schemathesis","password":"schemathesis-pw","sizes":["M"]}"#;
    let reply = request(
        address,
        "POST /v1/auth/sign-up HTTP/1.1\r\nContent-Type: application/json",
        body,
    )?;
    after(&reply, "\"token\":\"")
        .map(str::to_owned)
        .ok_or_else(|| format!("sign-up gave no token: {reply}"))
}

/// Real ids for the path parameters (the demo's first listing, its seller and
/// cover photo, and an upload of the account's), as the environment
/// variables `schemathesis.toml` reads: so the routes' 200s are checked
/// against the document too, not only their 404s.
fn real_ids(address: &str, token: &str) -> Result<Vec<(&'static str, String)>> {
    let feed = request(address, "GET /v1/feed?limit=1 HTTP/1.1", "")?;
    let id = |marker: &str| {
        after(&feed, marker)
            .map(str::to_owned)
            .ok_or_else(|| format!("the demo feed has no {marker}: {feed}"))
    };
    let upload = request(
        address,
        &format!(
            "POST /v1/uploads HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\
             Tus-Resumable: 1.0.0\r\nUpload-Length: 100"
        ),
        "",
    )?;
    let upload = after(&upload, "location: /v1/uploads/")
        .map(str::to_owned)
        .ok_or_else(|| format!("no upload was created: {upload}"))?;
    Ok(vec![
        ("REHOME_ST_LISTING", id("\"items\":[{\"id\":\"")?),
        ("REHOME_ST_SELLER", id("\"seller\":{\"id\":\"")?),
        ("REHOME_ST_PHOTO", id("\"cover\":{\"id\":\"")?),
        ("REHOME_ST_UPLOAD", upload),
    ])
}
