//! What several crates' tests share. Only ever a dev-dependency (and a
//! dependency of tests/e2e), never part of a shipped build.
//!
//! [`PrivateKeyring`]: a real Secret Service for tests that keep a session
//! token. `gnome-keyring-daemon`, unlocked, on a private D-Bus session bus
//! (`dbus-run-session`), with its files in a temp HOME, so the `keyring`
//! crate stores and reads secrets for real and never touches the user's
//! keychain. Needs the `dbus` and `gnome-keyring` apt packages (Linux only).
//!
//! [`TestCa`]: a CA and a loopback server certificate made for one test by
//! the `openssl` command (apt package `openssl`).
//!
//! [`photos`]: generated JPEGs (camera-like, or a tinted checkerboard), so no
//! test depends on a real photo file.

pub mod photos;
mod tls;

pub use tls::TestCa;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The shell run inside the session. gnome-keyring creates (and unlocks) the
/// default `login` collection only when given a non-empty password on stdin.
/// `--unlock` returns before the forked daemon owns `org.freedesktop.secrets`
/// on the bus (a keychain call in between would make the bus start a second,
/// locked daemon), so the script waits for that name (up to 10 s). It prints
/// the bus address, then `exec cat` holds the session open until its stdin
/// closes: when the keyring is dropped, or when the test process exits
/// without dropping it (the kernel closes the pipe). Then dbus-run-session
/// stops its bus, and the keyring daemon leaves with it.
const SESSION_SCRIPT: &str = "printf 'rehome-test-login' | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 97\n\
                              tries=0\n\
                              until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                                org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do\n\
                                tries=$((tries + 1)); [ \"$tries\" -gt 200 ] && exit 98; sleep 0.05\n\
                              done\n\
                              echo \"$DBUS_SESSION_BUS_ADDRESS\"\n\
                              exec cat >/dev/null";

/// How long a drop waits for the session, then for the daemon, to leave.
const SHUTDOWN: Duration = Duration::from_secs(5);

/// A private D-Bus session bus with an unlocked gnome-keyring in a temp
/// HOME. Dropping it ends the session and waits until no process of it is
/// left (the session's shell, the bus, the keyring daemon).
pub struct PrivateKeyring {
    session: Child,
    /// Closing it ends the session (see [`SESSION_SCRIPT`]).
    stdin: Option<ChildStdin>,
    bus: String,
    home: tempfile::TempDir,
}

impl PrivateKeyring {
    /// Starts the session and returns once the keyring is unlocked and the
    /// bus address is known. Panics, saying why, when it cannot start.
    pub fn start() -> PrivateKeyring {
        let home = tempfile::tempdir().expect("a temp HOME for the keyring");
        let mut session = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", SESSION_SCRIPT])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("share"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-run-session (apt packages dbus, gnome-keyring)");
        let stdin = session.stdin.take();
        let mut line = String::new();
        if let Some(stdout) = session.stdout.take() {
            // A read error leaves `line` empty: reported just below.
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        if !line.starts_with("unix:") {
            drop(stdin);
            let status = session.wait();
            panic!(
                "the private keyring did not start (exit 97: gnome-keyring-daemon failed, 98: it never took org.freedesktop.secrets): {status:?}, printed {line:?}"
            );
        }
        PrivateKeyring {
            session,
            stdin,
            bus: line.trim().to_owned(),
            home,
        }
    }

    /// The keyring shared by every test of this process, started on first
    /// use, with `DBUS_SESSION_BUS_ADDRESS` of this process pointing at it
    /// (for code under test that reaches the keychain in-process). Never
    /// dropped: its session ends when the process exits.
    ///
    /// # Safety
    /// The first call sets an environment variable of this process: make it
    /// before the test starts any thread that could read or write the
    /// environment meanwhile (nextest runs each test in its own process).
    pub unsafe fn for_this_process() -> &'static PrivateKeyring {
        static SHARED: OnceLock<PrivateKeyring> = OnceLock::new();
        SHARED.get_or_init(|| {
            let keyring = PrivateKeyring::start();
            // SAFETY: passed on to the caller (see above).
            unsafe { keyring.set_in_this_process() };
            keyring
        })
    }

    /// The bus address, as `DBUS_SESSION_BUS_ADDRESS` takes it.
    pub fn bus_address(&self) -> &str {
        &self.bus
    }

    /// The keyring's temp HOME (its files are under `share/keyrings`).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Makes `command` use this keyring (sets its `DBUS_SESSION_BUS_ADDRESS`).
    pub fn apply_to<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
    }

    /// Makes this process, and every process it starts from now on, use
    /// this keyring (sets its `DBUS_SESSION_BUS_ADDRESS`).
    ///
    /// # Safety
    /// Sets an environment variable of this process: call it before the
    /// test starts any thread that could read or write the environment
    /// meanwhile (nextest runs each test in its own process).
    pub unsafe fn set_in_this_process(&self) {
        // SAFETY: passed on to the caller (see above).
        unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &self.bus) };
    }

    /// The processes running with this keyring's HOME: the session's
    /// shell, its bus and the keyring daemon (and any process a test started
    /// with that HOME).
    pub fn processes(&self) -> Vec<u32> {
        processes_with_home(self.home())
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        // End of input ends `cat`, so dbus-run-session stops its bus, and the
        // keyring daemon leaves with it (killing the session would orphan
        // both: the kill below is a last resort).
        drop(self.stdin.take());
        let session = &mut self.session;
        if !wait_until(|| !matches!(session.try_wait(), Ok(None))) {
            let _ = session.kill();
            let _ = session.wait();
        }
        let home = self.home.path().to_owned();
        if !wait_until(|| processes_with_home(&home).is_empty()) {
            for pid in processes_with_home(&home) {
                eprintln!(
                    "rehome-testkit: process {pid} outlived its keyring session; stopping it"
                );
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
        }
    }
}

/// Polls `done` until it holds (true) or [`SHUTDOWN`] has passed (false).
fn wait_until(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + SHUTDOWN;
    loop {
        if done() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The processes (of this user) whose environment has `HOME=home`.
pub fn processes_with_home(home: &Path) -> Vec<u32> {
    let mut wanted = b"HOME=".to_vec();
    wanted.extend_from_slice(home.as_os_str().as_encoded_bytes());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut pids: Vec<u32> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // Unreadable (another user's, or gone meanwhile): not ours.
            std::fs::read(PathBuf::from(format!("/proc/{pid}/environ")))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == wanted))
        })
        .collect();
    pids.sort_unstable();
    pids
}
