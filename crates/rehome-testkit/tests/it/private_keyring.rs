//! A private keyring is a Secret Service on its own bus, a second one is
//! another bus, and once dropped nothing of it is left running.

use rehome_testkit::{PrivateKeyring, processes_with_home};
use std::process::Command;

/// Whether `name` has an owner on `keyring`'s bus.
fn has_owner(keyring: &PrivateKeyring, name: &str) -> bool {
    let out = keyring
        .apply_to(&mut Command::new("dbus-send"))
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
        ])
        .arg(format!("string:{name}"))
        .output()
        .expect("run dbus-send (apt package dbus-bin)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.contains("boolean true")
}

fn command_name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[test]
fn each_keyring_is_a_secret_service_on_a_bus_of_its_own() {
    let first = PrivateKeyring::start();
    let second = PrivateKeyring::start();
    assert!(first.bus_address().starts_with("unix:"));
    assert_ne!(first.bus_address(), second.bus_address());
    assert_ne!(first.home(), second.home());
    for keyring in [&first, &second] {
        assert!(has_owner(keyring, "org.freedesktop.secrets"));
        assert!(!has_owner(keyring, "org.example.nobody"));
    }
    // The daemon and bus of the first are not those of the second.
    let first_processes = first.processes();
    assert_eq!(first_processes.len(), 4, "{first_processes:?}");
    assert!(
        second
            .processes()
            .iter()
            .all(|p| !first_processes.contains(p)),
        "no process shared"
    );
}

#[test]
fn after_a_drop_no_process_of_the_session_is_left() {
    let keyring = PrivateKeyring::start();
    let home = keyring.home().to_owned();
    let names: Vec<String> = keyring.processes().into_iter().map(command_name).collect();
    // The session's shell may not have become `cat` yet: check the processes
    // that matter (/proc/PID/comm keeps 15 bytes).
    for name in ["dbus-daemon", "dbus-run-sessio", "gnome-keyring-d"] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is among the session's processes, found by its HOME: {names:?}"
        );
    }
    assert_eq!(names.len(), 4, "{names:?}");
    drop(keyring);
    assert_eq!(processes_with_home(&home), Vec::<u32>::new());
    assert!(!home.exists(), "the temp HOME is removed");
}
