//! `cargo xtask test`: every gate and every test, in the order that fails fastest.
//!
//! CI time matters (a cold run must stay under 40 minutes on 2 cores), so every
//! cargo step below that builds code uses the *same* package set
//! (`--workspace --exclude rehome-ui`): a different set unifies features
//! differently and rebuilds Tauri and GTK from scratch. The binaries and the test
//! binaries are built once, then the fuzz smoke run (its own sanitizer build)
//! and schemathesis (the server against its OpenAPI document) go on beside the
//! test run, which spends most of its time waiting on the real window and the
//! real servers.

use crate::cmd::{Result, cargo, describe, root, run};
use crate::{tools, ui};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Every cargo step that builds: one package set, so one feature resolution.
const PACKAGES: [&str; 3] = ["--workspace", "--exclude", "rehome-ui"];

pub fn test(args: &[String]) -> Result {
    let mut steps = Steps::default();
    let result = run_all(args, &mut steps);
    steps.print();
    result
}

fn run_all(args: &[String], steps: &mut Steps) -> Result {
    steps.time("tools", ensure_tools)?;
    steps.time("fmt", || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    // The shell embeds the UI at compile time, so the UI comes first.
    steps.time("ui", ui::build)?;
    steps.time("clippy", || {
        run(cargo()
            .arg("clippy")
            .args(PACKAGES)
            .args(["--all-targets", "--", "-D", "warnings"]))
    })?;
    steps.time("clippy wasm", || {
        run(cargo().args([
            "clippy",
            "-p",
            "rehome-ui",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The E2E suite drives the binaries; `cargo test` also builds the examples.
    // With all of them built here, nextest finds nothing left to compile.
    steps.time("build", || {
        run(cargo()
            .arg("build")
            .args(PACKAGES)
            .args(["--bins", "--tests", "--examples"]))
    })?;
    // The photo decoder's fuzz target, briefly: a smoke run (longer by hand,
    // see crates/rehome-photo/README.md). A crash or sanitizer report fails.
    // Its output goes to a log, shown when it ends, so it does not interleave.
    let fuzz_started = Instant::now();
    let fuzz_log = crate::cmd::target_dir().join("fuzz-smoke.log");
    let mut fuzz = Background::spawn(
        Command::new("bash")
            .args(["crates/rehome-photo/fuzz/run.sh", "30"])
            .current_dir(root()),
        &fuzz_log,
    )?;
    // The server against its OpenAPI document (schemathesis, anonymous and
    // signed in), on the server binary just built: beside the tests too.
    let schemathesis_started = Instant::now();
    let schemathesis_log = crate::cmd::target_dir().join("schemathesis.log");
    let exe = std::env::current_exe().map_err(|e| format!("where is xtask? {e}"))?;
    let mut schemathesis = Background::spawn(
        Command::new(exe)
            .args(["schemathesis", "--built"])
            .current_dir(root()),
        &schemathesis_log,
    )?;
    let tests = steps.time("tests", || {
        let mut nextest = cargo();
        nextest
            .args(["nextest", "run"])
            .args(PACKAGES)
            .arg("--no-fail-fast")
            .args(args);
        run(&mut nextest)?;
        run(cargo().args(["test", "--doc"]).args(PACKAGES))
    });
    let fuzzed = fuzz.wait();
    steps.record("fuzz smoke (beside the tests)", fuzz_started.elapsed());
    let contract = schemathesis.wait();
    steps.record(
        "schemathesis (beside the tests)",
        schemathesis_started.elapsed(),
    );
    tests.and(fuzzed).and(contract)
}

/// Wall-clock time per step, printed at the end whether or not a step failed.
#[derive(Default)]
struct Steps(Vec<(&'static str, Duration)>);

impl Steps {
    fn time<T>(&mut self, name: &'static str, step: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = step();
        self.record(name, started.elapsed());
        out
    }

    fn record(&mut self, name: &'static str, took: Duration) {
        self.0.push((name, took));
    }

    fn print(&self) {
        eprintln!("\nxtask test, wall time per step:");
        for (name, took) in &self.0 {
            eprintln!("  {name:<32} {:>6.1} s", took.as_secs_f64());
        }
    }
}

/// A command running beside the others; dropped unwaited, it is killed.
struct Background {
    child: Option<Child>,
    line: String,
    log: PathBuf,
}

impl Background {
    fn spawn(cmd: &mut Command, log: &Path) -> Result<Self> {
        let line = describe(cmd);
        eprintln!("$ {line} > {} &", log.display());
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let out = File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
        let child = cmd
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start `{line}`: {e}"))?;
        Ok(Self {
            child: Some(child),
            line,
            log: log.to_path_buf(),
        })
    }

    fn wait(&mut self) -> Result {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let status = child
            .wait()
            .map_err(|e| format!("`{}` could not be waited for: {e}", self.line))?;
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        eprintln!(
            "$ {} (ended; the last lines of {}):",
            self.line,
            self.log.display()
        );
        for line in &lines[lines.len().saturating_sub(25)..] {
            eprintln!("  {line}");
        }
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.line))
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
/// `cargo xtask bench [photo|store|server|sync|abuse]`: the benchmarks, each reporting
/// a ratio against a peer measured in the same run. Not tests: nothing asserts time.
pub fn bench(args: &[String]) -> Result {
    ensure_tools()?;
    let all = ["photo", "store", "server", "sync", "abuse", "grid"];
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
            "abuse" => "crates/rehome-server/bench/abuse.sh",
            "grid" => "tests/e2e/bench/grid.sh",
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

/// Everything the tests need: the tools (apt, wasm, tauri-driver, nextest)
/// and schemathesis's venv. Kept here so that `tools` never reaches up into
/// `schemathesis` (which starts the server through `run`, which uses `tools`).
pub fn ensure_tools() -> Result {
    tools::ensure_all(tools::Purpose::Test)?;
    crate::schemathesis::ensure()
}
