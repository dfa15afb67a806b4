//! `cargo xtask run`: the app against a local demo server.

use crate::cmd::{Result, cargo, run as run_cmd, target_dir};
use crate::{tools, ui};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A child process that is stopped (SIGTERM, then waited for) when dropped.
pub struct Guarded(pub Child, pub &'static str);

impl Drop for Guarded {
    fn drop(&mut self) {
        terminate(&mut self.0, self.1);
    }
}

pub fn terminate(child: &mut Child, what: &str) {
    if matches!(child.try_wait(), Ok(None)) {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        for _ in 0..50 {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        eprintln!("xtask: {what} ignored SIGTERM for 5 s; killing it");
        let _ = child.kill();
        let _ = child.wait();
    }
}

pub fn run(args: &[String]) -> Result {
    tools::ensure_all(tools::Purpose::Run)?;
    ui::build()?;
    run_cmd(cargo().args(["build", "-p", "rehome-shell", "-p", "rehome-server"]))?;
    let debug = target_dir().join("debug");

    let data = match args.iter().position(|a| a == "--server-data") {
        Some(i) => args
            .get(i + 1)
            .map(Into::into)
            .ok_or("--server-data needs a folder")?,
        None => target_dir().join("demo-server"),
    };
    let (server, url) = start_server(&debug.join("rehome-server"), &data, &[])?;
    let _server = Guarded(server, "the server");
    let _display = ensure_display()?;

    eprintln!("xtask: opening Rehome against {url}");
    let status = Command::new(debug.join("rehome-shell"))
        .env("REHOME_SERVER", &url)
        .status()
        .map_err(|e| format!("cannot start the app: {e}"))?;
    eprintln!("xtask: the window closed ({status}); stopping the server");
    Ok(())
}

/// Starts `rehome-server --demo` (and `extra`) on a free loopback port;
/// returns it and its URL.
pub fn start_server(
    bin: &std::path::Path,
    data: &std::path::Path,
    extra: &[&str],
) -> Result<(Child, String)> {
    let mut child = Command::new(bin)
        .args(["--listen", "127.0.0.1:0", "--demo", "--data"])
        .arg(data)
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or("the server has no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("listening on ") {
                    break url.trim().to_owned();
                }
            }
            _ => {
                terminate(&mut child, "the server");
                return Err("the server exited before it was listening".into());
            }
        }
    };
    // Keep draining its stdout so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Ok((child, url))
}

/// Starts Xvfb on a free display when there is no display; stopped on drop.
pub fn ensure_display() -> Result<Option<Guarded>> {
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return Ok(None);
    }
    let display = (90..200)
        .find(|n| {
            !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .ok_or("no free X display number")?;
    let child = Command::new("Xvfb")
        .arg(format!(":{display}"))
        .args(["-screen", "0", "1280x900x24", "-nolisten", "tcp"])
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    for _ in 0..100 {
        if std::path::Path::new(&format!("/tmp/.X11-unix/X{display}")).exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: single-threaded at this point; nothing else reads the environment concurrently.
    unsafe { std::env::set_var("DISPLAY", format!(":{display}")) };
    eprintln!("xtask: no display; using Xvfb :{display} (nothing will be visible)");
    Ok(Some(Guarded(child, "Xvfb")))
}
