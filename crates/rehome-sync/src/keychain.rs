//! The session token in the OS keychain (Secret Service on Linux, through the
//! `keyring` crate). Never in a plain file: when no keychain service answers,
//! [`KeychainError::Unavailable`] says so and the caller asks for the password
//! again on each launch, keeping the token in memory only.

use rehome_model::ErrorCode;

/// The keychain "service" our entries live under.
pub const SERVICE: &str = "app.rehome.session";

#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// No keychain service on this machine (no Secret Service on D-Bus, or it
    /// is locked and cannot be unlocked).
    #[error("no keychain is available here ({0}); sign in again each time you start")]
    Unavailable(String),
    /// The keychain works but holds no token for this account.
    #[error("not signed in on this device")]
    NoToken,
    #[error("the keychain refused: {0}")]
    Failed(String),
}

impl KeychainError {
    pub fn code(&self) -> ErrorCode {
        match self {
            KeychainError::Unavailable(_) => ErrorCode::NoKeychain,
            KeychainError::NoToken => ErrorCode::Unauthorized,
            KeychainError::Failed(_) => ErrorCode::KeychainFailed,
        }
    }
}

/// The keychain entry name for one account on one server.
pub fn account_key(server: &str, handle: &str) -> String {
    format!("{handle}@{}", server.trim_end_matches('/'))
}

fn sorted(e: keyring::Error) -> KeychainError {
    match e {
        keyring::Error::NoEntry => KeychainError::NoToken,
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
            KeychainError::Unavailable(inner.to_string())
        }
        other => KeychainError::Failed(other.to_string()),
    }
}

fn entry(server: &str, handle: &str) -> Result<keyring::Entry, KeychainError> {
    keyring::Entry::new(SERVICE, &account_key(server, handle)).map_err(sorted)
}

/// Keeps `token` for this account.
pub fn save_token(server: &str, handle: &str, token: &str) -> Result<(), KeychainError> {
    entry(server, handle)?.set_password(token).map_err(sorted)
}

/// The kept token for this account.
pub fn load_token(server: &str, handle: &str) -> Result<String, KeychainError> {
    entry(server, handle)?.get_password().map_err(sorted)
}

/// Forgets the token (sign-out, or a 401).
pub fn forget_token(server: &str, handle: &str) -> Result<(), KeychainError> {
    match entry(server, handle)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(sorted(e)),
    }
}
