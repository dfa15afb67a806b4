//! The CLI's session token in a plain file, for machines with no keychain (a
//! server, a container, CI), kept only when the user asks for it (`rehome
//! login --token-store file`): mode 0600, rewritten whole, removed at
//! sign-out. The app never uses it; it keeps the keychain only.

use crate::{Account, AppError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the file holds: the token and the account it belongs to.
#[derive(Serialize, Deserialize)]
struct Kept {
    server: String,
    handle: String,
    token: String,
}

pub(crate) fn save(path: &Path, account: &Account, token: &str) -> Result<(), AppError> {
    let kept = Kept {
        server: account.server.clone(),
        handle: account.handle.clone(),
        token: token.to_owned(),
    };
    let json = serde_json::to_vec_pretty(&kept).unwrap_or_default();
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(AppError::io(path, std::io::Error::other("not a file path")));
    };
    crate::atomic_file::write_private(dir, &name.to_string_lossy(), &json)
}

/// The token kept for `account`; `None` when there is no file, or it is
/// another account's.
pub(crate) fn load(path: &Path, account: &Account) -> Result<Option<String>, AppError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(AppError::io(path, e)),
    };
    let kept: Kept = serde_json::from_slice(&bytes).map_err(|e| AppError::DamagedFile {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    Ok((kept.server == account.server && kept.handle == account.handle).then_some(kept.token))
}

pub(crate) fn forget(path: &Path) -> Result<(), AppError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::io(path, e)),
    }
}
