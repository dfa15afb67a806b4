//! Running `rehome` and a real demo server for the tests.

use rehome_server::{RunningServer, ServerConfig};
use std::io::Write;
use std::process::{Command, Stdio};

/// `draft new` fields that make a draft ready to publish (with a `--photo`).
pub const READY_DRAFT: &[&str] = &[
    "--title",
    "Linen shirt",
    "--price",
    "25",
    "--category",
    "tops",
    "--condition",
    "like_new",
    "--size",
    "M",
    "--parcel",
    "small",
];

/// What a `rehome` run printed and how it ended.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `code` of the JSON error on stderr.
    pub fn error_code(&self) -> String {
        let line = self.stderr.lines().last().unwrap_or_default();
        let error: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("stderr is not a JSON error ({e}): {}", self.stderr));
        error["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// Runs the real `rehome` binary with `args` (off the async runtime's threads).
pub async fn rehome(args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rehome"))
            .args(&args)
            .env_remove("REHOME_SERVER")
            .output()
            .expect("run rehome");
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .expect("the rehome run")
}

/// The real server, in-process on 127.0.0.1:0, seeded with the demo catalogue.
pub struct DemoServer {
    pub url: String,
    server: RunningServer,
    _dir: tempfile::TempDir,
}

impl DemoServer {
    pub async fn start() -> DemoServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServerConfig::for_tests(dir.path());
        config.demo = true;
        let server = rehome_server::spawn(config)
            .await
            .expect("start the server");
        DemoServer {
            url: server.base_url(),
            server,
            _dir: dir,
        }
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let http = rehome_client::Client::new()
            .unwrap()
            .server(&self.url)
            .unwrap();
        let reply = http
            .send(http.request(rehome_client::Method::GET, path), 32 << 20)
            .await
            .expect("GET");
        assert!(reply.is_success(), "GET {path}: {}", reply.status());
        reply.json().expect("JSON")
    }

    pub async fn stop(self) {
        self.server.stop().await.expect("stop the server");
    }

    /// Takes the server down, keeping its port and data (the device goes offline).
    pub async fn stop_for_now(&mut self) {
        self.server.stop_for_now().await.expect("stop the server");
    }

    /// Brings it back on the same port.
    pub async fn start_again(&mut self) {
        self.server
            .start_again()
            .await
            .expect("start the server again");
    }

    /// The server's own database, for checking what reached it.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self._dir.path().join("rehome.sqlite3")).unwrap()
    }
}

/// Runs `rehome args…` with the session bus at `bus`, HOME at `home`, none
/// of the `REHOME_*` variables of this process, and `env` added.
pub fn rehome_on_bus(
    bus: &str,
    home: &std::path::Path,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehome"))
        .args(args)
        .env_remove("REHOME_SERVER")
        .env_remove("REHOME_TOKEN")
        .env_remove("REHOME_CA_FILE")
        .envs(env.iter().copied())
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("share"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
