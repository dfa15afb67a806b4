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
        edit: Box<rehome_model::draft::UnsavedEdit>,
        source: rehome_store::StoreError,
    },
    #[error("{0}")]
    BadPhoto(String),
    /// The photo pipeline refused the input (format, size, damage).
    #[error(transparent)]
    Photo(#[from] rehome_photo::PhotoError),
}

fn describe_unsaved(edit: &rehome_model::draft::UnsavedEdit) -> String {
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
