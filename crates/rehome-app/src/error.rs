use rehome_model::{ApiError, ErrorCode};
use std::path::PathBuf;

/// Everything the facade can fail with. Each variant maps to one stable
/// [`ErrorCode`]; the UI and the CLI branch on that code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot reach the server at {server}: {reason}")]
    Offline { server: String, reason: String },
    #[error("the server at {server} sent a reply we cannot read: {reason}")]
    BadServerReply { server: String, reason: String },
    /// The server answered with an error of its own (problem+json).
    #[error("the server refused: {0}")]
    Server(ApiError),
    /// The HTTP client refused the address or could not be set up (plain
    /// http to another machine, a bad `REHOME_CA_FILE`), or the server's
    /// certificate is not trusted.
    #[error(transparent)]
    Client(rehome_client::ClientError),
    /// The OS keychain failed (none here, locked, refused, or no token in it).
    #[error(transparent)]
    Keychain(#[from] rehome_sync::keychain::KeychainError),
    /// No account is signed in on this device.
    #[error("not signed in on this device: run `rehome login --server URL --user NAME`")]
    NotSignedIn,
    /// A value the device itself checked and refused (a typed price).
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// A file of ours on the device that cannot be read (`account.json`).
    #[error("{}: {reason}", path.display())]
    DamagedFile { path: PathBuf, reason: String },
    /// The sync engine stopped (offline, sign in again, a store fault).
    #[error(transparent)]
    Sync(#[from] rehome_sync::SyncError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the server URL {0:?} is not an http(s) URL")]
    BadServerUrl(String),
    /// The on-device store refused (not found, invalid, not ready, or a
    /// device fault outside an edit).
    #[error(transparent)]
    Store(#[from] rehome_store::StoreError),
    /// An edit the device could not save. It is kept in memory (see
    /// `App::unsaved_edits`), never discarded.
    #[error(
        "{source}. Your change ({}) is kept in memory and was not lost; it will be saved when you retry",
        describe_unsaved(edit)
    )]
    NotSaved {
        edit: Box<rehome_model::ipc::UnsavedEdit>,
        source: rehome_store::StoreError,
    },
    #[error("{0}")]
    BadPhoto(String),
    /// The photo pipeline refused the input (format, size, damage).
    #[error(transparent)]
    Photo(#[from] rehome_photo::PhotoError),
}

impl From<rehome_client::ClientError> for AppError {
    /// Unreachable and unreadable keep the facade's own variants (the feed
    /// falls back to its copy on `Offline`); the rest say what the client refused.
    fn from(e: rehome_client::ClientError) -> Self {
        use rehome_client::ClientError as C;
        match e {
            C::Network { server, reason } => AppError::Offline { server, reason },
            C::BadReply { server, reason } => AppError::BadServerReply { server, reason },
            C::BadUrl(url) => AppError::BadServerUrl(url),
            other => AppError::Client(other),
        }
    }
}

fn describe_unsaved(edit: &rehome_model::ipc::UnsavedEdit) -> String {
    match (&edit.field, &edit.value) {
        (Some(field), Some(value)) => format!("{} {field} = {value:?}", edit.action),
        _ => edit.action.clone(),
    }
}

impl AppError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        AppError::Io {
            path: path.into(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Offline { .. } => ErrorCode::Offline,
            AppError::BadServerReply { .. } => ErrorCode::BadServerReply,
            AppError::Server(e) => e.code,
            AppError::Client(e) => e.code(),
            AppError::Keychain(e) => e.code(),
            AppError::NotSignedIn => ErrorCode::Unauthorized,
            AppError::Invalid { .. } => ErrorCode::Invalid,
            AppError::DamagedFile { .. } => ErrorCode::Corrupt,
            AppError::Sync(e) => e.code(),
            AppError::Io { source, .. } => io_code(source),
            AppError::BadServerUrl(_) => ErrorCode::Invalid,
            AppError::Store(e) => e.code(),
            AppError::NotSaved { source, .. } => source.code(),
            AppError::BadPhoto(_) => ErrorCode::BadPhoto,
            AppError::Photo(e) => e.error_code(),
        }
    }
}

/// Disk full and read-only folders get their own codes: the UI tells the user
/// what to do about them.
pub(crate) fn io_code(e: &std::io::Error) -> ErrorCode {
    match e.raw_os_error() {
        Some(28) => ErrorCode::DiskFull,            // ENOSPC
        Some(30) | Some(13) => ErrorCode::ReadOnly, // EROFS, EACCES
        _ => ErrorCode::Internal,
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Server(api) => api,
            AppError::Store(e) => {
                let api = ApiError::new(e.code(), e.to_string());
                match e.field() {
                    Some(f) => api.with_field(f),
                    None => api,
                }
            }
            AppError::Invalid { field, ref message } => {
                ApiError::new(ErrorCode::Invalid, message.clone()).with_field(field)
            }
            AppError::NotSaved { ref edit, .. } => {
                let field = edit.field;
                let api = ApiError::new(e.code(), e.to_string());
                match field {
                    Some(f) => api.with_field(f.as_str()),
                    None => api,
                }
            }
            other => ApiError::new(other.code(), other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehome_sync::keychain::KeychainError;

    fn check(e: AppError, code: ErrorCode, message: &str) {
        let api = ApiError::from(e);
        assert_eq!((api.code, api.message.as_str()), (code, message));
    }

    #[test]
    fn failures_on_this_device_are_not_reported_as_the_servers() {
        check(
            KeychainError::Unavailable("no D-Bus session".into()).into(),
            ErrorCode::NoKeychain,
            "no keychain is available here (no D-Bus session); sign in again each time you start",
        );
        check(
            KeychainError::Failed("the collection is locked".into()).into(),
            ErrorCode::KeychainFailed,
            "the keychain refused: the collection is locked",
        );
        check(
            KeychainError::NoToken.into(),
            ErrorCode::Unauthorized,
            "not signed in on this device",
        );
        check(
            AppError::NotSignedIn,
            ErrorCode::Unauthorized,
            "not signed in on this device: run `rehome login --server URL --user NAME`",
        );
        check(
            rehome_sync::SyncError::Offline {
                message: "connection refused".into(),
                retry_at: 0,
            }
            .into(),
            ErrorCode::Offline,
            "cannot reach the server (connection refused); retrying later",
        );
        check(
            rehome_client::ClientError::InsecureServer("http://example.com".into()).into(),
            ErrorCode::InsecureServer,
            "http://example.com: plain http is only for this machine (127.0.0.1, ::1, localhost); use an https:// address",
        );
        let price = ApiError::from(AppError::Invalid {
            field: "price",
            message: "Price must be at least 1.00".into(),
        });
        assert_eq!(
            price,
            ApiError::new(ErrorCode::Invalid, "Price must be at least 1.00").with_field("price")
        );
    }
}
