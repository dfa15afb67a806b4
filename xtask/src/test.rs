//! `cargo xtask test`: every gate and every test, in the order that fails fastest.

use crate::cmd::{Result, cargo, root, run};
use crate::{tools, ui};
use std::process::Command;

pub fn test(args: &[String]) -> Result {
    tools::ensure_all(tools::Purpose::Test)?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    // The shell embeds the UI at compile time, so the UI comes first.
    ui::build()?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        "rehome-ui",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().args([
        "clippy",
        "-p",
        "rehome-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The E2E suite drives these binaries.
    run(cargo().args([
        "build",
        "-p",
        "rehome-shell",
        "-p",
        "rehome-server",
        "-p",
        "rehome-cli",
        "--bins",
    ]))?;
    let mut nextest = cargo();
    nextest
        .args([
            "nextest",
            "run",
            "--workspace",
            "--exclude",
            "rehome-ui",
            "--no-fail-fast",
        ])
        .args(args);
    run(&mut nextest)?;
    run(cargo().args([
        "test",
        "--doc",
        "--workspace",
        "--exclude",
        "rehome-ui",
        "--exclude",
        "rehome-shell",
    ]))?;
    // The photo decoder's fuzz target, briefly: a smoke run (longer by hand,
    // see crates/rehome-photo/README.md). A crash or sanitizer report fails.
    run(Command::new("bash")
        .args(["crates/rehome-photo/fuzz/run.sh", "30"])
        .current_dir(root()))?;
    Ok(())
}

/// `cargo xtask bench [photo|store|server|sync]`: the benchmarks, each reporting
/// a ratio against a peer measured in the same run. Not tests: nothing asserts time.
pub fn bench(args: &[String]) -> Result {
    tools::ensure_all(tools::Purpose::Test)?;
    let all = ["photo", "store", "server", "sync"];
    let which: Vec<&str> = if args.is_empty() {
        all.to_vec()
    } else {
        args.iter().map(String::as_str).collect()
    };
    for name in which {
        let script = match name {
            "photo" => "crates/rehome-photo/bench/run.sh",
            "server" => "crates/rehome-server/bench/feed-load.sh",
            "store" => "crates/rehome-store/bench/run.sh",
            "sync" => "crates/rehome-sync/bench/run.sh",
            other => {
                return Err(format!(
                    "no benchmark named {other:?} (try: {})",
                    all.join(", ")
                ));
            }
        };
        let path = root().join(script);
        if !path.exists() {
            return Err(format!("{script} is missing"));
        }
        run(Command::new("bash").arg(path).current_dir(root()))?;
    }
    Ok(())
}
