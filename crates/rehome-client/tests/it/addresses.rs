//! Which addresses and CA files the client accepts, before any connection.

use rehome_client::{Client, ClientError, TlsOptions, check_address};
use rehome_model::ErrorCode;

#[test]
fn plain_http_is_for_this_machine_only() {
    let check = |url: &str| check_address(url).err().map(|e| e.code());
    let cases = [
        ("https://shop.example", None),
        ("https://203.0.113.7:8443", None),
        ("http://127.0.0.1:8787", None),
        ("http://127.1.2.3", None),
        ("http://[::1]:8787", None),
        ("http://LOCALHOST:8787", None),
        ("http://203.0.113.7:8787", Some(ErrorCode::InsecureServer)),
        ("http://shop.example", Some(ErrorCode::InsecureServer)),
        (
            "http://localhost.shop.example",
            Some(ErrorCode::InsecureServer),
        ),
        ("http://[2001:db8::1]", Some(ErrorCode::InsecureServer)),
        ("ftp://127.0.0.1", Some(ErrorCode::Invalid)),
        ("127.0.0.1:8787", Some(ErrorCode::Invalid)),
        ("https://", Some(ErrorCode::Invalid)),
    ];
    for (url, expected) in cases {
        assert_eq!(check(url), expected, "{url}");
    }
}

#[test]
fn an_extra_ca_file_that_cannot_be_used_is_refused_when_the_client_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("notes.txt");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    for (path, reason) in [
        (dir.path().join("missing.pem"), "No such file"),
        (not_pem, "no PEM certificate in it"),
    ] {
        let built = Client::with_tls(&TlsOptions {
            extra_ca: Some(path.clone()),
        });
        match built {
            Err(e @ ClientError::CaFile { .. }) => {
                assert_eq!(e.code(), ErrorCode::Invalid);
                let text = e.to_string();
                assert!(
                    text.contains(path.to_str().unwrap())
                        && text.contains("REHOME_CA_FILE")
                        && text.contains(reason),
                    "{text}"
                );
            }
            other => panic!("{}: {other:?}", path.display()),
        }
    }
}
