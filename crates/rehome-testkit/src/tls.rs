//! [`TestCa`]: a certificate authority made for one test, and a server
//! certificate it signed for this machine (`127.0.0.1`, `::1`, `localhost`),
//! by the `openssl` command (Debian's `openssl` package), in a temp folder
//! that goes when dropped. Nothing outside the test trusts it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A CA and a server certificate for loopback, as PEM files.
pub struct TestCa {
    dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (Debian package `openssl`)");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestCa {
    /// Makes the CA (ECDSA P-256, valid two days) and the server certificate.
    pub fn new() -> TestCa {
        let dir = tempfile::tempdir().expect("a temp folder for the test CA");
        let d = dir.path();
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
        let ca = [
            &["req", "-x509", "-nodes", "-days", "2"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-subj",
                "/CN=Rehome test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat();
        openssl(d, &ca);
        let csr = [
            &["req", "-nodes"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat();
        openssl(d, &csr);
        std::fs::write(
            d.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n\
             basicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature\n\
             extendedKeyUsage=serverAuth\n",
        )
        .expect("write the extensions file");
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.pem",
            ],
        );
        TestCa { dir }
    }

    /// The CA's certificate: what a client must trust (`REHOME_CA_FILE`).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The server's certificate, signed by the CA (`--tls-cert`).
    pub fn cert_file(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    /// The server's private key (`--tls-key`).
    pub fn key_file(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}
