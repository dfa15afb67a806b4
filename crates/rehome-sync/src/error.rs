//! The engine's errors, each mapped to an [`ErrorCode`] for the UI and the CLI.

use rehome_model::{ApiError, ErrorCode};
use rehome_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server said 401: the session is gone; the user must sign in again.
    #[error("sign in again: {0}")]
    NeedsSignIn(String),
    /// Network trouble or a 5xx: try again at `retry_at` (unix ms).
    #[error("cannot reach the server ({message}); retrying later")]
    Offline { message: String, retry_at: u64 },
    /// The server answered something we cannot use.
    #[error("the server's reply was not understood: {0}")]
    BadServerReply(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("reading a photo file: {0}")]
    PhotoFile(String),
}

impl SyncError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SyncError::NeedsSignIn(_) => ErrorCode::Unauthorized,
            SyncError::Offline { .. } => ErrorCode::Offline,
            SyncError::BadServerReply(_) => ErrorCode::BadServerReply,
            SyncError::Store(e) => e.code(),
            SyncError::PhotoFile(_) => ErrorCode::Internal,
        }
    }

    pub fn to_api_error(&self) -> ApiError {
        ApiError::new(self.code(), self.to_string())
    }
}
