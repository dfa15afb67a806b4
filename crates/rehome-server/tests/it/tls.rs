//! `--tls-cert FILE --tls-key FILE`: the real binary terminates TLS itself,
//! with a certificate from a CA made for this test, checked by curl.

use rehome_testkit::TestCa;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(["-s", "--max-time", "10"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_binary_serves_https_with_the_given_certificate_and_nothing_in_clear() {
    let ca = TestCa::new();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehome-server"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .arg("--tls-cert")
        .arg(ca.cert_file())
        .arg("--tls-key")
        .arg(ca.key_file())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim_end()
        .strip_prefix("listening on https://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let feed = format!("https://127.0.0.1:{port}/v1/feed?limit=1");
    let ca_file = ca.ca_file();
    let trusted = curl(&["-f", "--cacert", ca_file.to_str().unwrap(), &feed]);
    assert!(trusted.status.success(), "{trusted:?}");
    let page: serde_json::Value = serde_json::from_slice(&trusted.stdout).unwrap();
    assert!(page["items"].is_array(), "{page}");
    // curl's exit code 60: the certificate is not one it trusts.
    let untrusted = curl(&["-f", &feed]);
    assert_eq!(untrusted.status.code(), Some(60), "{untrusted:?}");
    let clear = curl(&["-f", &format!("http://127.0.0.1:{port}/v1/feed?limit=1")]);
    assert!(!clear.status.success(), "plain http answered: {clear:?}");
    // The server still answers after those refused handshakes.
    assert!(
        curl(&["-f", "--cacert", ca_file.to_str().unwrap(), &feed])
            .status
            .success()
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_key_that_is_not_a_key_stops_the_binary_naming_the_file() {
    let ca = TestCa::new();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rehome-server"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .arg("--tls-cert")
        .arg(ca.cert_file())
        .arg("--tls-key")
        .arg(ca.cert_file())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(ca.cert_file().to_str().unwrap()) && err.contains("(key)"),
        "{err}"
    );
}
