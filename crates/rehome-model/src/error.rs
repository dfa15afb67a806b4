//! The error shape that crosses every edge: `{code, message, field}`.
//!
//! At the IPC edge the UI receives an [`ApiError`]; at the HTTP edge the server
//! sends the same fields inside an RFC 9457 problem+json body. Callers branch on
//! [`ErrorCode`], never on the message text, which is for people.

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. The wire form is snake_case and must
/// never change once shipped; add new codes instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The server could not be reached (offline, refused, timed out).
    Offline,
    /// The server answered with something we could not understand.
    BadServerReply,
    /// The request was malformed (bad JSON, wrong type, unknown field).
    BadRequest,
    /// A field failed validation; `field` names it.
    Invalid,
    /// A cursor was not one this server issued.
    BadCursor,
    /// Not signed in, or the session expired or was revoked.
    Unauthorized,
    /// Signed in, but this belongs to someone else.
    Forbidden,
    NotFound,
    /// A guarded field changed since the edit's base version.
    Conflict,
    /// Too many attempts; try later.
    RateLimited,
    /// A body or upload over the configured limit.
    TooLarge,
    /// An upload's checksum did not match its bytes.
    ChecksumMismatch,
    /// A photo that is not a supported image, or is beyond the limits.
    BadPhoto,
    /// The device's disk is full; the edit is kept in memory.
    DiskFull,
    /// The data folder cannot be written; the edit is kept in memory.
    ReadOnly,
    /// The local database is damaged.
    Corrupt,
    /// The OS keychain is unavailable.
    NoKeychain,
    /// A bug on our side. The message says what, for the log.
    Internal,
    /// A listing already has the most photos it can hold
    /// (`draft::PHOTOS_MAX`); the message names the limit.
    TooManyPhotos,
    /// The OS keychain is there but refused (locked, access denied).
    KeychainFailed,
    /// A plain `http://` server address that is not this machine: passwords
    /// and tokens would cross the network in clear. Use `https://`.
    InsecureServer,
    /// The server's TLS certificate is not one we trust (expired, another
    /// name, an unknown CA: a captive portal or an interception).
    UntrustedServer,
    /// The listing sold while this was on its way (an offer, a counter or
    /// an answer to one that is now stale).
    Sold,
    /// The offer expired before it was answered.
    OfferExpired,
}

impl ErrorCode {
    /// The wire name, e.g. `"bad_cursor"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Offline => "offline",
            ErrorCode::BadServerReply => "bad_server_reply",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Invalid => "invalid",
            ErrorCode::BadCursor => "bad_cursor",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::ChecksumMismatch => "checksum_mismatch",
            ErrorCode::BadPhoto => "bad_photo",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::NoKeychain => "no_keychain",
            ErrorCode::Internal => "internal",
            ErrorCode::TooManyPhotos => "too_many_photos",
            ErrorCode::KeychainFailed => "keychain_failed",
            ErrorCode::InsecureServer => "insecure_server",
            ErrorCode::UntrustedServer => "untrusted_server",
            ErrorCode::Sold => "sold",
            ErrorCode::OfferExpired => "offer_expired",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as the UI and the CLI see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[error("{code}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The offending field, where there is one (`"price"`, `"cursor"`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_as_str() {
        for code in [
            ErrorCode::Offline,
            ErrorCode::BadServerReply,
            ErrorCode::BadRequest,
            ErrorCode::Invalid,
            ErrorCode::BadCursor,
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::RateLimited,
            ErrorCode::TooLarge,
            ErrorCode::ChecksumMismatch,
            ErrorCode::BadPhoto,
            ErrorCode::DiskFull,
            ErrorCode::ReadOnly,
            ErrorCode::Corrupt,
            ErrorCode::NoKeychain,
            ErrorCode::TooManyPhotos,
            ErrorCode::Internal,
            ErrorCode::KeychainFailed,
            ErrorCode::InsecureServer,
            ErrorCode::UntrustedServer,
            ErrorCode::Sold,
            ErrorCode::OfferExpired,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn error_shape_on_the_wire() {
        let err =
            ApiError::new(ErrorCode::Invalid, "Price must be at least 1.00").with_field("price");
        expect_test::expect![[
            r#"{"code":"invalid","message":"Price must be at least 1.00","field":"price"}"#
        ]]
        .assert_eq(&serde_json::to_string(&err).unwrap());
    }
}
