//! The pipeline's one error type. Every variant has a stable `code()` string
//! (for logs, the CLI's JSON and tests) and maps to a [`rehome_model::ErrorCode`].

use rehome_model::{ApiError, ErrorCode};

/// Why a photo was refused. Messages are for people; branch on [`PhotoError::code`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhotoError {
    /// Zero bytes.
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// Not JPEG, PNG, WebP or HEIC/HEIF (judged by the magic bytes, never the name).
    #[error("unsupported format: {found}; expected JPEG, PNG, WebP or HEIC")]
    UnsupportedFormat { found: String },
    /// A supported container using a feature this pipeline does not decode
    /// (lossless or arithmetic-coded JPEG, 12-bit JPEG, HEIC without the `heic` feature).
    #[error("unsupported {format} variant: {detail}")]
    UnsupportedVariant {
        format: &'static str,
        detail: String,
    },
    /// More input bytes than [`crate::Limits::max_input_bytes`].
    #[error("the file is {bytes} bytes, over the limit of {limit} bytes")]
    TooManyBytes { bytes: usize, limit: usize },
    /// Width or height (read from the header) over the limits.
    #[error("the image is {width}x{height} pixels, over the limit ({limit})")]
    TooManyPixels {
        width: u64,
        height: u64,
        limit: String,
    },
    /// Decoding would need more memory than [`crate::Limits::max_decode_bytes`].
    #[error("decoding would need more memory than the limit of {limit} bytes")]
    MemoryLimit { limit: u64 },
    /// The data ends before the image does.
    #[error("truncated {format}: {detail}")]
    Truncated {
        format: &'static str,
        detail: String,
    },
    /// The data is damaged or not valid for its format.
    #[error("corrupt {format}: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    /// The caller's settings are out of range (edge 0, quality 0 or above 100...).
    #[error("invalid settings: {0}")]
    InvalidSettings(String),
    /// The encoder failed on pixels we produced: a bug on our side.
    #[error("encoding the output failed: {0}")]
    Encode(String),
}

impl PhotoError {
    /// Stable machine-readable code. Never change one once shipped; add new ones.
    pub fn code(&self) -> &'static str {
        match self {
            PhotoError::Empty => "empty",
            PhotoError::UnsupportedFormat { .. } => "unsupported_format",
            PhotoError::UnsupportedVariant { .. } => "unsupported_variant",
            PhotoError::TooManyBytes { .. } => "too_many_bytes",
            PhotoError::TooManyPixels { .. } => "too_many_pixels",
            PhotoError::MemoryLimit { .. } => "memory_limit",
            PhotoError::Truncated { .. } => "truncated",
            PhotoError::Corrupt { .. } => "corrupt",
            PhotoError::InvalidSettings(_) => "invalid_settings",
            PhotoError::Encode(_) => "encode_failed",
        }
    }

    /// The edge-facing code: `too_large` for inputs over a size limit,
    /// `invalid` for bad settings, `internal` for our own failures,
    /// `bad_photo` for everything wrong with the photo itself.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            PhotoError::TooManyBytes { .. }
            | PhotoError::TooManyPixels { .. }
            | PhotoError::MemoryLimit { .. } => ErrorCode::TooLarge,
            PhotoError::InvalidSettings(_) => ErrorCode::Invalid,
            PhotoError::Encode(_) => ErrorCode::Internal,
            PhotoError::Empty
            | PhotoError::UnsupportedFormat { .. }
            | PhotoError::UnsupportedVariant { .. }
            | PhotoError::Truncated { .. }
            | PhotoError::Corrupt { .. } => ErrorCode::BadPhoto,
        }
    }

    pub(crate) fn corrupt(format: &'static str, detail: impl Into<String>) -> Self {
        PhotoError::Corrupt {
            format,
            detail: detail.into(),
        }
    }

    pub(crate) fn truncated(format: &'static str, detail: impl Into<String>) -> Self {
        PhotoError::Truncated {
            format,
            detail: detail.into(),
        }
    }
}

impl From<PhotoError> for ApiError {
    fn from(err: PhotoError) -> Self {
        ApiError::new(err.error_code(), err.to_string())
    }
}
