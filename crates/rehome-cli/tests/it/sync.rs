//! `rehome signup`, `draft …`, `sync --once --json`, `listing list --json`,
//! with the token in a real Secret Service (gnome-keyring-daemon on a private
//! D-Bus session bus, files in a temp HOME: rehome-testkit's `PrivateKeyring`).

use rehome_server::ServerConfig;
use rehome_testkit::PrivateKeyring;
use rehome_testkit::photos::camera_jpeg;
use std::process::Command;

/// Runs `rehome args…` on `keyring`'s bus with HOME in its temp HOME,
/// `stdin` piped in.
fn rehome_on_keyring(
    keyring: &PrivateKeyring,
    args: &[&str],
    stdin: &str,
) -> (bool, String, String) {
    crate::support::rehome_on_bus(keyring.bus_address(), keyring.home(), args, stdin, &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signup_keeps_the_token_in_the_keychain_and_sync_takes_a_draft_live() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = account_server(server_dir.path()).await;
    let url = server.base_url();
    let data = tempfile::tempdir().unwrap();
    let photo = data.path().join("shirt.jpg");
    std::fs::write(&photo, camera_jpeg(1, 640, 480)).unwrap();
    let d = data.path().to_str().unwrap().to_owned();
    let p = photo.to_str().unwrap().to_owned();

    let outcome = tokio::task::spawn_blocking(move || {
        let keyring = PrivateKeyring::start();
        let (ok, out, err) = rehome_on_keyring(
            &keyring,
            &[
                "--data",
                &d,
                "signup",
                "--server",
                &url,
                "--user",
                "cli_seller",
            ],
            "password1\n",
        );
        assert!(ok, "{out}{err}");
        let signed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(signed["keptInKeychain"], true, "{out}");
        // The token is in no file of the data folder.
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            if entry.path().is_file() {
                let text =
                    String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
                assert!(
                    !text.contains("token"),
                    "{}: {text}",
                    entry.path().display()
                );
            }
        }
        let new = [
            &["--data", &d, "draft", "new"],
            crate::support::READY_DRAFT,
            &["--photo", &p],
        ]
        .concat();
        let (ok, out, err) = rehome_on_keyring(&keyring, &new, "");
        assert!(ok, "{out}{err}");
        let draft: serde_json::Value = serde_json::from_str(&out).unwrap();
        let id = draft["id"].as_str().unwrap().to_owned();
        let (ok, out, err) =
            rehome_on_keyring(&keyring, &["--data", &d, "draft", "publish", &id], "");
        assert!(ok, "{out}{err}");
        let (ok, out, err) =
            rehome_on_keyring(&keyring, &["--data", &d, "listing", "list", "--json"], "");
        assert!(ok, "{out}{err}");
        let before: serde_json::Value = serde_json::from_str(&out).unwrap();
        let (ok, events, err) =
            rehome_on_keyring(&keyring, &["--data", &d, "sync", "--once", "--json"], "");
        assert!(ok, "{events}{err}");
        let (ok, out, err) =
            rehome_on_keyring(&keyring, &["--data", &d, "listing", "list", "--json"], "");
        assert!(ok, "{out}{err}");
        let after: serde_json::Value = serde_json::from_str(&out).unwrap();
        (before, events, after)
    })
    .await
    .unwrap();
    let (before, events, after) = outcome;
    assert_eq!(before[0]["sync"]["state"], "uploading", "{before}");
    assert_eq!(after[0]["sync"]["state"], "live", "{after}");
    let kinds: Vec<String> = events
        .lines()
        .filter(|l| l.starts_with('{') && !l.contains("\"report\""))
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["event"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    for expected in ["uploadProgress", "uploadDone", "pushed", "pulled", "done"] {
        assert!(
            kinds.iter().any(|k| k == expected),
            "{expected} missing from {kinds:?}"
        );
    }
}

#[tokio::test]
async fn sync_without_signing_in_says_so() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rehome"))
        .args([
            "--data",
            data.path().to_str().unwrap(),
            "sync",
            "--once",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stderr).lines().last().unwrap()).unwrap();
    assert_eq!(err["code"], "unauthorized", "{err}");
}

/// A real server in `dir`, with cheap password hashing.
async fn account_server(dir: &std::path::Path) -> rehome_server::RunningServer {
    rehome_server::spawn(ServerConfig::for_tests(dir))
        .await
        .unwrap()
}

/// Sessions of `handle` the server still honours, read from its own database.
fn live_sessions(server_dir: &std::path::Path, handle: &str) -> i64 {
    let db = rusqlite::Connection::open(server_dir.join("rehome.sqlite3")).unwrap();
    db.query_row(
        "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE u.handle = ?1 AND s.revoked_at IS NULL",
        [handle],
        |row| row.get(0),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_the_session_on_the_server_and_empties_the_keychain() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = account_server(server_dir.path()).await;
    let url = server.base_url();
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap().to_owned();
    let server_path = server_dir.path().to_owned();

    tokio::task::spawn_blocking(move || {
        let keyring = PrivateKeyring::start();
        let signup = ["--data", &d, "signup", "--server", &url, "--user", "leaver"];
        let (ok, out, err) = rehome_on_keyring(&keyring, &signup, "password1\n");
        assert!(ok, "{out}{err}");
        assert!(out.contains("\"keptInKeychain\": true"), "{out}");
        assert_eq!(live_sessions(&server_path, "leaver"), 1);
        let account_json = std::fs::read(data.path().join("account.json")).unwrap();

        let (ok, out, err) = rehome_on_keyring(&keyring, &["--data", &d, "logout"], "");
        assert!(ok, "{out}{err}");
        assert!(out.contains("\"signedOut\": \"leaver\""), "{out}");
        assert_eq!(
            live_sessions(&server_path, "leaver"),
            0,
            "revoked on the server"
        );
        assert!(!data.path().join("account.json").exists());

        // Put back which account was signed in: the keychain no longer holds
        // its token, so sync asks to sign in rather than using it.
        std::fs::write(data.path().join("account.json"), account_json).unwrap();
        let (ok, out, err) =
            rehome_on_keyring(&keyring, &["--data", &d, "sync", "--once", "--json"], "");
        assert!(!ok, "{out}{err}");
        assert!(err.contains("\"code\":\"unauthorized\""), "{err}");

        // Signing out again is harmless, and signing in again works.
        let (ok, out, err) = rehome_on_keyring(&keyring, &["--data", &d, "logout"], "");
        assert!(ok, "{out}{err}");
        let login = ["--data", &d, "login", "--server", &url, "--user", "leaver"];
        let (ok, out, err) = rehome_on_keyring(&keyring, &login, "password1\n");
        assert!(ok, "{out}{err}");
        assert_eq!(live_sessions(&server_path, "leaver"), 1);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_signup_says_so_and_logout_still_signs_out() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = account_server(server_dir.path()).await;
    let url = server.base_url();
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let d = data.to_str().unwrap().to_owned();
    let no_bus = format!("unix:path={}", home.path().join("no-bus").display());

    tokio::task::spawn_blocking(move || {
        let run = |args: &[&str], stdin: &str| {
            crate::support::rehome_on_bus(&no_bus, home.path(), args, stdin, &[])
        };
        let signup = [
            "--data", &d, "signup", "--server", &url, "--user", "no_keys",
        ];
        let (ok, out, err) = run(&signup, "password1\n");
        assert!(ok, "{out}{err}");
        assert!(out.contains("\"keptInKeychain\": false"), "{out}");
        assert!(err.contains("no_keychain"), "says so: {err}");
        // The token lived in that process only: the next one cannot sync.
        let (ok, out, err) = run(&["--data", &d, "sync", "--once", "--json"], "");
        assert!(!ok, "{out}{err}");
        assert!(err.contains("\"code\":\"no_keychain\""), "{err}");
        let (ok, out, err) = run(&["--data", &d, "logout"], "");
        assert!(ok, "{out}{err}");
        assert!(!data.join("account.json").exists());
    })
    .await
    .unwrap();
}

/// Runs `rehome args…` on a machine with no keychain service (no D-Bus
/// session), HOME in `home`, the environment `env` added.
fn rehome_headless(
    home: &std::path::Path,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> (bool, String, String) {
    let no_bus = format!("unix:path={}", home.join("no-bus").display());
    crate::support::rehome_on_bus(&no_bus, home, args, stdin, env)
}

/// A draft with one photo, published, in data folder `d`; its id.
pub(crate) fn publish_a_draft(home: &std::path::Path, d: &str, env: &[(&str, &str)]) -> String {
    let photo = home.join("shirt.jpg");
    std::fs::write(&photo, camera_jpeg(1, 640, 480)).unwrap();
    let new = [
        &["--data", d, "draft", "new"],
        crate::support::READY_DRAFT,
        &["--photo", photo.to_str().unwrap()],
    ]
    .concat();
    let (ok, out, err) = rehome_headless(home, &new, "", env);
    assert!(ok, "{out}{err}");
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (ok, out, err) = rehome_headless(home, &["--data", d, "draft", "publish", &id], "", env);
    assert!(ok, "{out}{err}");
    id
}

/// The `report` line of `rehome sync --once --json`.
fn sync_report(events: &str) -> serde_json::Value {
    let line = events.lines().last().unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(line).unwrap()["report"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_headless_machine_syncs_with_rehome_token_from_login_print_token_over_tls() {
    let ca = rehome_testkit::TestCa::new();
    let server_dir = tempfile::tempdir().unwrap();
    let config = ServerConfig::for_tests(server_dir.path());
    let files = rehome_server::tls::TlsFiles {
        cert: ca.cert_file(),
        key: ca.key_file(),
    };
    let server = rehome_server::spawn_tls(config, &files).await.unwrap();
    let url = server.base_url();
    let ca_file = ca.ca_file().to_str().unwrap().to_owned();
    let home = tempfile::tempdir().unwrap();
    let server_path = server_dir.path().to_owned();

    tokio::task::spawn_blocking(move || {
        let h = home.path();
        let with_ca = [("REHOME_CA_FILE", ca_file.as_str())];
        let d = h.join("data").to_str().unwrap().to_owned();
        let auth =
            |verb: &'static str| vec!["--data", &d, verb, "--server", &url, "--user", "headless"];
        let (ok, out, err) = rehome_headless(h, &auth("signup"), "password1\n", &with_ca);
        assert!(ok, "{out}{err}");
        let mut login = auth("login");
        login.push("--print-token");
        let (ok, token, err) = rehome_headless(h, &login, "password1\n", &with_ca);
        assert!(ok, "{token}{err}");
        let token = token.trim_end().to_owned();
        assert!(
            token.len() >= 32 && !token.contains(char::is_whitespace) && !token.starts_with('{'),
            "one bare token: {token:?}"
        );
        assert!(
            err.is_empty(),
            "no keychain notice for a printed token: {err}"
        );

        // Without it, no session (there is no keychain here).
        publish_a_draft(h, &d, &with_ca);
        let once = ["--data", d.as_str(), "sync", "--once", "--json"];
        let (ok, out, err) = rehome_headless(h, &once, "", &with_ca);
        assert!(!ok, "{out}{err}");
        // With it, the listing goes live.
        let env = [with_ca[0], ("REHOME_TOKEN", token.as_str())];
        let (ok, events, err) = rehome_headless(h, &once, "", &env);
        assert!(ok, "{events}{err}");
        let report = sync_report(&events);
        assert_eq!(
            (&report["uploaded"], &report["pending"], &report["parked"]),
            (&1.into(), &0.into(), &0.into()),
            "{events}"
        );
        // A fresh data folder needs only the token and the server.
        let fresh = h.join("fresh").to_str().unwrap().to_owned();
        let env = [
            with_ca[0],
            ("REHOME_TOKEN", token.as_str()),
            ("REHOME_SERVER", url.as_str()),
        ];
        let (ok, events, err) =
            rehome_headless(h, &["--data", &fresh, "sync", "--once", "--json"], "", &env);
        assert!(ok, "{events}{err}");
        assert_eq!(sync_report(&events)["pulledListings"], 1, "{events}");
        // The printed token was kept nowhere: two sessions, both live.
        assert_eq!(live_sessions(&server_path, "headless"), 2);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_file_is_kept_only_when_asked_with_mode_0600_and_goes_at_logout() {
    use std::os::unix::fs::PermissionsExt;
    let server_dir = tempfile::tempdir().unwrap();
    let server = account_server(server_dir.path()).await;
    let url = server.base_url();
    let home = tempfile::tempdir().unwrap();
    let server_path = server_dir.path().to_owned();

    tokio::task::spawn_blocking(move || {
        let h = home.path();
        let data = h.join("data");
        let d = data.to_str().unwrap().to_owned();
        let token_file = data.join("session-token.json");
        let signup = [
            "--data",
            &d,
            "signup",
            "--server",
            &url,
            "--user",
            "filer",
            "--token-store",
            "file",
        ];
        let (ok, out, err) = rehome_headless(h, &signup, "password1\n", &[]);
        assert!(ok, "{out}{err}");
        let warning: serde_json::Value = serde_json::from_str(err.trim_end()).unwrap();
        assert_eq!(warning["warning"], "token_in_file", "{err}");
        let signed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(signed["keptInKeychain"], false, "{out}");
        assert_eq!(signed["tokenFile"], token_file.to_str().unwrap(), "{out}");
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");

        // Later commands find it with no flag and no keychain.
        publish_a_draft(h, &d, &[]);
        let (ok, events, err) =
            rehome_headless(h, &["--data", &d, "sync", "--once", "--json"], "", &[]);
        assert!(ok, "{events}{err}");
        assert_eq!(sync_report(&events)["pending"], 0, "{events}");

        // Sign-out revokes it on the server and removes the file.
        assert_eq!(live_sessions(&server_path, "filer"), 1);
        let (ok, out, err) = rehome_headless(h, &["--data", &d, "logout"], "", &[]);
        assert!(ok, "{out}{err}");
        assert!(!token_file.exists());
        assert_eq!(live_sessions(&server_path, "filer"), 0);
    })
    .await
    .unwrap();
}
