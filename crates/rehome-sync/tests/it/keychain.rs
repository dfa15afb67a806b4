//! The token in a real Secret Service: a private gnome-keyring on its own
//! session bus, with its files in a temp HOME (rehome-testkit's
//! `PrivateKeyring`). The test re-runs this test binary on that bus for the
//! part that talks to the keychain (the bus is read from the environment,
//! which a test must not change under the other tests' threads).

use rehome_sync::keychain::{self, KeychainError};
use rehome_testkit::PrivateKeyring;
use std::process::Command;

const INSIDE: &str = "REHOME_KEYCHAIN_INSIDE_SESSION";

fn run_inside_session(test: &str) -> std::process::Output {
    let keyring = PrivateKeyring::start();
    let out = keyring
        .apply_to(&mut Command::new(std::env::current_exe().unwrap()))
        .args(["--exact", test, "--ignored", "--nocapture"])
        .env(INSIDE, "1")
        .env("HOME", keyring.home())
        .output()
        .unwrap();
    drop(keyring);
    out
}

#[test]
fn a_token_is_kept_in_a_real_secret_service_and_forgotten_on_sign_out() {
    let out = run_inside_session("keychain::inside_a_secret_service_session");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("1 passed"), "the inner test ran: {stdout}");
}

#[test]
#[ignore = "run by a_token_is_kept_in_a_real_secret_service… on a private keyring's bus"]
fn inside_a_secret_service_session() {
    assert_eq!(
        std::env::var(INSIDE).as_deref(),
        Ok("1"),
        "run only inside the session"
    );
    let server = "http://127.0.0.1:9";
    let first = keychain::load_token(server, "ana");
    assert!(matches!(first, Err(KeychainError::NoToken)), "{first:?}");
    keychain::save_token(server, "ana", "secret-token-1").unwrap();
    keychain::save_token(server, "bob", "secret-token-2").unwrap();
    assert_eq!(
        keychain::load_token(server, "ana").unwrap(),
        "secret-token-1"
    );
    assert_eq!(
        keychain::load_token(server, "bob").unwrap(),
        "secret-token-2"
    );
    keychain::save_token(server, "ana", "secret-token-3").unwrap();
    assert_eq!(
        keychain::load_token(server, "ana").unwrap(),
        "secret-token-3"
    );
    keychain::forget_token(server, "ana").unwrap();
    assert!(matches!(
        keychain::load_token(server, "ana"),
        Err(KeychainError::NoToken)
    ));
    keychain::forget_token(server, "ana").unwrap();
    // Nothing of the token in a plain file under HOME (the keyring file is
    // encrypted by gnome-keyring).
    let home = std::env::var("HOME").unwrap();
    let mut stack = vec![std::path::PathBuf::from(home)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                assert!(
                    !bytes.windows(14).any(|w| w == b"secret-token-2"),
                    "token in plain text in {}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn without_a_keychain_service_the_error_says_so() {
    // A bus address where nothing listens: no Secret Service at all.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "keychain::no_service_here",
            "--ignored",
            "--nocapture",
        ])
        .env(INSIDE, "none")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/rehome-bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

#[test]
#[ignore = "run by without_a_keychain_service_the_error_says_so"]
fn no_service_here() {
    assert_eq!(std::env::var(INSIDE).as_deref(), Ok("none"));
    let err = keychain::save_token("http://x", "ana", "t").unwrap_err();
    assert!(matches!(err, KeychainError::Unavailable(_)), "{err:?}");
    assert_eq!(err.code(), rehome_model::ErrorCode::NoKeychain);
    assert!(matches!(
        keychain::load_token("http://x", "ana"),
        Err(KeychainError::Unavailable(_))
    ));
}
