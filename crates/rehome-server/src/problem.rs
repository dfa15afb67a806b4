//! RFC 9457 problem details: every error the server sends.
//!
//! The body is `application/problem+json` with the standard members `type`,
//! `title`, `status` and `detail`, plus two extension members: `code` (the stable
//! [`ErrorCode`] wire name clients branch on) and `field` (the offending field,
//! where there is one).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehome_model::{ApiError, ErrorCode};
use serde::Serialize;

/// An error on its way to the client.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {detail}")]
pub struct Problem {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub detail: String,
    pub field: Option<String>,
    /// Sent as `Retry-After` (seconds) when set: a limit that lifts with time.
    pub retry_after_s: Option<u64>,
}

/// The JSON body of a problem, as sent.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ProblemBody {
    /// A URI naming the problem type: `urn:rehome:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The stable error code clients branch on.
    #[schema(value_type = ErrorCode)]
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            field: None,
            retry_after_s: None,
        }
    }

    /// Says when to come back (`Retry-After`, at least 1 s).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_s = Some(secs.max(1));
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, detail)
    }

    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Invalid, detail).with_field(field)
    }

    pub fn bad_cursor(field: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadCursor,
            "This cursor was not issued by this server for this list",
        )
        .with_field(field)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, detail)
    }

    pub fn too_large(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge, detail)
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            detail,
        )
    }

    /// The `{code, message, field}` shape, as stored in a rejected mutation's outcome.
    pub fn to_api_error(&self) -> ApiError {
        ApiError {
            code: self.code,
            message: self.detail.clone(),
            field: self.field.clone(),
        }
    }

    /// What the client reads. A server error's detail (SQLite's text, a
    /// path, an OS error) is for the log only: the client gets a fixed
    /// sentence.
    pub fn body(&self) -> ProblemBody {
        let detail = if self.status.is_server_error() && self.code == ErrorCode::Internal {
            "Something went wrong on the server; it has been logged".to_owned()
        } else {
            self.detail.clone()
        };
        ProblemBody {
            type_uri: format!("urn:rehome:problem:{}", self.code.as_str()),
            title: title_of(self.code).to_owned(),
            status: self.status.as_u16(),
            detail,
            code: self.code.as_str().to_owned(),
            field: self.field.clone(),
        }
    }
}

/// The short, human title of each problem type (RFC 9457 §3.1.3: it does not
/// change from occurrence to occurrence).
fn title_of(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BadRequest => "Malformed request",
        ErrorCode::Invalid => "Invalid value",
        ErrorCode::BadCursor => "Unknown cursor",
        ErrorCode::Unauthorized => "Not signed in",
        ErrorCode::Forbidden => "Not yours",
        ErrorCode::NotFound => "Not found",
        ErrorCode::Conflict => "Changed meanwhile",
        ErrorCode::RateLimited => "Too many attempts",
        ErrorCode::TooLarge => "Too large",
        ErrorCode::ChecksumMismatch => "Checksum mismatch",
        ErrorCode::BadPhoto => "Not a usable photo",
        _ => "Server error",
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        if self.retry_after_s.is_some() && self.status == StatusCode::SERVICE_UNAVAILABLE {
            // Busy (every turn taken): load shed on purpose, not a fault. At
            // error level a flood of requests was a flood of log lines.
            tracing::debug!(code = %self.code, detail = %self.detail, "busy");
        } else if self.status.is_server_error() {
            tracing::error!(code = %self.code, detail = %self.detail, "request failed");
        }
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after_s {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

impl From<crate::storage::StorageError> for Problem {
    fn from(err: crate::storage::StorageError) -> Self {
        Problem::internal(err.to_string())
    }
}
