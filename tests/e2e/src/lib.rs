//! The E2E harness: a real rehome-server on a free loopback port with a temp data
//! dir, tauri-driver + WebKitWebDriver driving the real app window (under Xvfb
//! when there is no display), each session with its own XDG folders.
//!
//! Processes are stopped with SIGTERM, never SIGKILL: killed hard, tauri-driver
//! orphans WebKitWebDriver, which keeps the test's output open and hangs the run.

use fantoccini::{Client, ClientBuilder};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private D-Bus session bus with an unlocked gnome-keyring (a real Secret
/// Service) in a temp HOME, for tests that sign in: the session token goes to
/// this keychain, never to the user's. `set_in_this_process` before
/// [`AppSession::start`] makes the app and the `rehome` CLI use it; dropped,
/// nothing of it is left running.
pub use rehome_testkit::PrivateKeyring;

/// The Cargo target directory holding the built binaries.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// A built binary of the workspace; panics with how to build it when missing.
pub fn binary(name: &str) -> PathBuf {
    let path = target_dir().join("debug").join(name);
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo xtask test` does, or `cargo xtask ui && cargo build -p rehome-shell -p rehome-server`)",
        path.display()
    );
    path
}

/// A process stopped with SIGTERM (then waited for) when dropped.
pub struct Process {
    child: Child,
    name: &'static str,
}

impl Process {
    pub fn new(child: Child, name: &'static str) -> Self {
        Self { child, name }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait up to 10 s; SIGKILL only as a last resort (and say so).
    pub fn terminate(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("e2e: {} ignored SIGTERM for 10 s; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// A free TCP port on loopback (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

/// A real rehome-server in demo mode on a free port.
pub struct Server {
    pub process: Process,
    pub url: String,
}

impl Server {
    pub fn start_demo(data: &Path) -> Server {
        Self::start_demo_on(data, "127.0.0.1:0")
    }

    /// A demo server on `listen` (`127.0.0.1:PORT`): to start one again on
    /// the port and data of one stopped before (the app keeps its address).
    pub fn start_demo_on(data: &Path, listen: &str) -> Server {
        Self::start_demo_with(data, listen, &[])
    }

    /// A demo server on `listen` with more flags (`--demo-listings 10000`).
    pub fn start_demo_with(data: &Path, listen: &str, more: &[&str]) -> Server {
        let mut child = Command::new(binary("rehome-server"))
            .args(["--listen", listen, "--demo"])
            .args(more)
            .arg("--data")
            .arg(data)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start rehome-server");
        let stdout = child.stdout.take().expect("server stdout");
        let mut process = Process::new(child, "rehome-server");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("listening on ") {
                        break url.trim().to_owned();
                    }
                }
                _ => {
                    process.terminate();
                    panic!("rehome-server exited before it was listening");
                }
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Server { process, url }
    }

    /// GET a JSON document from the server (a tiny HTTP/1.1 client, so the test
    /// checks the app against what the server itself says).
    pub fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let authority = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(authority).expect("connect to the server");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        let text = String::from_utf8(response).expect("utf-8 reply");
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP reply");
        assert!(head.starts_with("HTTP/1.1 200"), "GET {path}: {head}");
        assert!(
            !head
                .to_ascii_lowercase()
                .contains("transfer-encoding: chunked"),
            "GET {path}: chunked replies are not handled by this tiny client"
        );
        serde_json::from_str(body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }
}

/// An X display for the app: the caller's, or a private Xvfb.
pub struct Display {
    pub name: String,
    _xvfb: Option<Process>,
}

impl Display {
    pub fn get() -> Display {
        if let Ok(name) = std::env::var("DISPLAY") {
            return Display { name, _xvfb: None };
        }
        for n in 100..400u32 {
            if Path::new(&format!("/tmp/.X{n}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            {
                continue;
            }
            let child = Command::new("Xvfb")
                .arg(format!(":{n}"))
                .args(["-screen", "0", "1400x1000x24", "-nolisten", "tcp"])
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb (apt package xvfb)");
            let mut xvfb = Process::new(child, "Xvfb");
            let socket = format!("/tmp/.X11-unix/X{n}");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&socket).exists() {
                    return Display {
                        name: format!(":{n}"),
                        _xvfb: Some(xvfb),
                    };
                }
                if !matches!(xvfb.child.try_wait(), Ok(None)) {
                    break; // lost a race for this number; try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            xvfb.terminate();
        }
        panic!("could not start Xvfb on any display");
    }
}

/// The app window, driven through WebDriver, with its own server and folders.
pub struct AppSession {
    pub client: Client,
    pub server: Server,
    driver: Process,
    display: Display,
    pub home: tempfile::TempDir,
    /// More environment for the app (e.g. `REHOME_E2E_PICK_FILE`).
    env: Vec<(String, PathBuf)>,
}

impl AppSession {
    /// Starts a demo server, then the app against it at `width`×`height`.
    pub async fn start(width: u32, height: u32) -> AppSession {
        let home = tempfile::tempdir().expect("temp dir");
        let server = Server::start_demo(&home.path().join("server"));
        Self::start_in(home, server, width, height).await
    }

    /// Starts the app on the device folders under `home` (its data in
    /// `home/data/app.rehome`) against `server`, both prepared by the caller:
    /// for a test that makes the device's data with the CLI first.
    pub async fn start_in(
        home: tempfile::TempDir,
        server: Server,
        width: u32,
        height: u32,
    ) -> AppSession {
        Self::start_in_env(home, server, width, height, Vec::new()).await
    }

    /// [`AppSession::start_in`] with more environment for the app: a path
    /// the core takes instead of its file dialog (`REHOME_E2E_PICK_FILE`),
    /// since WebDriver cannot drive a native dialog.
    pub async fn start_in_env(
        home: tempfile::TempDir,
        server: Server,
        width: u32,
        height: u32,
        env: Vec<(String, PathBuf)>,
    ) -> AppSession {
        let display = Display::get();
        let (client, driver) = open_app(home.path(), &server, &display, width, height, &env).await;
        AppSession {
            client,
            server,
            driver,
            display,
            home,
            env,
        }
    }

    /// Closes the app window, as a user would, and opens the app again on the
    /// same device folders and server.
    pub async fn restart(&mut self, width: u32, height: u32) {
        let _ = self.client.clone().close().await;
        self.driver.terminate();
        let (client, driver) = open_app(
            self.home.path(),
            &self.server,
            &self.display,
            width,
            height,
            &self.env,
        )
        .await;
        self.client = client;
        self.driver = driver;
    }

    /// Starts a listing from the Sell tab, waits for its editor, and returns
    /// the new draft's id.
    pub async fn new_listing(&self) -> String {
        self.click("button[data-tab=sell]").await;
        self.click("[data-action=new-listing]").await;
        let id = self
            .wait_for(
                "the editor of a new draft",
                "return document.querySelector('section.editor #title') \
                 ? document.querySelector('section.editor').dataset.draft : ''",
                Duration::from_secs(30),
            )
            .await;
        id.as_str().expect("the draft's id").to_owned()
    }

    /// The app's data folder (its store), as the CLI's `--data` takes it.
    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join("data/app.rehome")
    }

    /// Runs the CLI on the app's data folder (`rehome --data DIR args…`) and
    /// returns its JSON output; panics with its stderr when it fails.
    pub fn rehome(&self, args: &[&str]) -> serde_json::Value {
        rehome_cli(&self.data_dir(), args, "")
    }

    /// Runs `script` in the page until it returns a truthy value, or panics
    /// with `what` after `timeout`.
    pub async fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> serde_json::Value {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self
                .client
                .execute(script, vec![])
                .await
                .unwrap_or(serde_json::Value::Null);
            let truthy = match &value {
                serde_json::Value::Null => false,
                serde_json::Value::Bool(b) => *b,
                serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
                serde_json::Value::String(s) => !s.is_empty(),
                serde_json::Value::Array(a) => !a.is_empty(),
                serde_json::Value::Object(_) => true,
            };
            if truthy {
                return value;
            }
            if Instant::now() > deadline {
                let html = self.client.source().await.unwrap_or_default();
                let excerpt: String = html.chars().take(3000).collect();
                panic!("timed out waiting for {what}; page starts: {excerpt}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs `script` once and returns its value.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Clicks the element matching a CSS selector.
    pub async fn click(&self, css: &str) {
        self.client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Picks `value` among a field's choice chips in the editor. The chip is
    /// first brought to the middle of the page: WebDriver clicks a chip that
    /// is partly under the editor's sticky bar without scrolling it, and the
    /// bar takes the click, where a person would have scrolled first.
    pub async fn choose(&self, field: &str, value: &str) {
        let css = format!("[data-field={field}] [data-choice={value}]");
        let shown = self
            .eval(&format!(
                "const e = document.querySelector({css:?}); \
                 if (!e) return false; e.scrollIntoView({{block: 'center'}}); return true"
            ))
            .await;
        assert_eq!(shown, true, "no chip {css}");
        self.click(&css).await;
        self.wait_for(
            &format!("{field} = {value}"),
            &format!(
                "return !!document.querySelector({:?})",
                format!("{css} input:checked")
            ),
            Duration::from_secs(30),
        )
        .await;
    }

    /// Types `text` into the element matching a CSS selector, key by key.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
    }

    /// Saves a screenshot under target/e2e/, for people to look at (no test
    /// reads it). WebKitWebDriver sometimes never answers a screenshot of a
    /// wide window, so this gives up after a while and says so.
    pub async fn screenshot(&self, name: &str) -> Option<PathBuf> {
        let png =
            match tokio::time::timeout(Duration::from_secs(20), self.client.screenshot()).await {
                Ok(Ok(png)) => png,
                Ok(Err(e)) => {
                    eprintln!("e2e: no screenshot {name}: {e}");
                    return None;
                }
                Err(_) => {
                    eprintln!("e2e: no screenshot {name}: WebKitWebDriver did not answer in 20 s");
                    return None;
                }
            };
        let dir = target_dir().join("e2e");
        std::fs::create_dir_all(&dir).expect("target/e2e");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        Some(path)
    }

    /// Closes the window, then stops tauri-driver and the server with SIGTERM.
    pub async fn stop(mut self) {
        // A stuck WebKitWebDriver must not hang the test: the processes are
        // stopped below either way.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        self.driver.terminate();
        self.server.process.terminate();
    }
}

/// Starts tauri-driver (which starts WebKitWebDriver and the app) with the
/// device folders under `home`, and opens a WebDriver session on the app.
async fn open_app(
    home: &Path,
    server: &Server,
    display: &Display,
    width: u32,
    height: u32,
    env: &[(String, PathBuf)],
) -> (Client, Process) {
    let port = free_port();
    let native_port = free_port();
    let mut cmd = Command::new(tauri_driver());
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native_port.to_string(),
    ])
    .env("DISPLAY", &display.name)
    .env("XDG_DATA_HOME", home.join("data"))
    .env("XDG_CACHE_HOME", home.join("cache"))
    .env("XDG_CONFIG_HOME", home.join("config"))
    .env("REHOME_SERVER", &server.url)
    .env("REHOME_MOCK_CAMERA", "1")
    // Keep the software renderer quiet and predictable under Xvfb.
    .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
    // Paint on the web process's main thread, not a pool of Skia workers:
    // under load a worker once failed to load Skia's shader module ("Unable
    // to load module sksl_shared") and the web process died mid-test.
    .env("WEBKIT_SKIA_CPU_PAINTING_THREADS", "0")
    .envs(env.iter().map(|(k, v)| (k, v)))
    .stdout(Stdio::null());
    let driver = Process::new(cmd.spawn().expect("start tauri-driver"), "tauri-driver");
    wait_for_port(port);

    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": binary("rehome-shell") }),
    );
    caps.insert("browserName".into(), "wry".into());
    // tauri-driver listens before WebKitWebDriver does: retry the first connect briefly.
    let mut attempt = 0;
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(e) if attempt < 20 => {
                attempt += 1;
                eprintln!("e2e: WebDriver session not ready yet ({e}); retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("no WebDriver session with the app: {e}"),
        }
    };
    client
        .set_window_size(width, height)
        .await
        .expect("resize the window");
    // The UI has mounted once its tab bar is there.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = client
            .execute("return !!document.querySelector('nav.tabs')", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ready {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the app's UI did not start within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (client, driver)
}

/// Runs the `rehome` CLI on data folder `data` (`rehome --data DIR args…`)
/// with `stdin` piped in (a password), and returns its JSON output; panics with
/// its stderr when it fails. Its session token goes to the keychain on the
/// test process's `DBUS_SESSION_BUS_ADDRESS`.
pub fn rehome_cli(data: &Path, args: &[&str], stdin: &str) -> serde_json::Value {
    let mut child = Command::new(binary("rehome"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rehome");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("write rehome's stdin");
    }
    let out = child.wait_with_output().expect("wait for rehome");
    assert!(
        out.status.success(),
        "rehome {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // `sync --once` prints JSON lines: the last one is the report.
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty());
    serde_json::from_str(&stdout)
        .or_else(|e| last.map_or(Err(e), serde_json::from_str))
        .unwrap_or_else(|e| panic!("rehome {args:?} printed no JSON ({e}): {stdout}"))
}

fn tauri_driver() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let installed = cargo_home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tauri-driver did not listen on port {port}");
}
