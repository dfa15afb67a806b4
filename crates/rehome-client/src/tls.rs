//! Which servers we trust: the OS's root certificates (through
//! rustls-platform-verifier, which reqwest uses) plus, for self-hosters with
//! their own CA, the certificates in `REHOME_CA_FILE`.

use crate::ClientError;
use std::path::PathBuf;

/// The environment variable naming an extra CA file (PEM, one or more certificates).
pub const CA_FILE_VAR: &str = "REHOME_CA_FILE";

/// What to trust beyond the OS's roots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// A PEM file of extra CA certificates, trusted with the OS's roots.
    pub extra_ca: Option<PathBuf>,
}

impl TlsOptions {
    /// From `REHOME_CA_FILE` (unset or empty: the OS's roots only).
    pub fn from_env() -> Self {
        Self {
            extra_ca: std::env::var_os(CA_FILE_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        }
    }

    pub(crate) fn extra_roots(&self) -> Result<Vec<reqwest::Certificate>, ClientError> {
        let Some(path) = &self.extra_ca else {
            return Ok(Vec::new());
        };
        let fail = |reason: String| ClientError::CaFile {
            path: path.clone(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| fail(e.to_string()))?;
        if certs.is_empty() {
            return Err(fail("no PEM certificate in it".into()));
        }
        Ok(certs)
    }
}

/// reqwest's `rustls-no-provider` wants a process-wide crypto provider before
/// the first client is built. Ours is ring; if the process already chose one
/// (another library did), that one stays.
pub(crate) fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
