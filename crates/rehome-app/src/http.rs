//! The marketplace server, as the core talks to it. Every reply is bounded in
//! size and checked before use: a hostile or broken server gets a clear
//! [`AppError::BadServerReply`], never a panic or an unbounded allocation.

use crate::AppError;
use rehome_model::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Largest JSON reply we read (a feed page is a few KiB).
const MAX_JSON_BYTES: usize = 4 << 20;
/// Largest photo we read (the server caps uploads well below this).
pub(crate) const MAX_PHOTO_BYTES: usize = 24 << 20;

pub(crate) struct ServerClient {
    base: String,
    http: reqwest::Client,
}

impl ServerClient {
    pub(crate) fn new(base: &str) -> Result<Self, AppError> {
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(AppError::BadServerUrl(base.to_owned()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("rehome/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AppError::BadServerUrl(format!("{base}: {e}")))?;
        Ok(Self {
            base: base.to_owned(),
            http,
        })
    }

    /// GET a JSON document.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, AppError> {
        let body = self.get_bytes(path_and_query, MAX_JSON_BYTES).await?;
        serde_json::from_slice(&body)
            .map_err(|e| self.bad_reply(format!("GET {path_and_query}: {e}")))
    }

    /// GET raw bytes, at most `limit` of them.
    pub(crate) async fn get_bytes(
        &self,
        path_and_query: &str,
        limit: usize,
    ) -> Result<Vec<u8>, AppError> {
        let url = format!("{}{}", self.base, path_and_query);
        let mut response = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| self.offline(&e))?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.offline(&e))? {
            if body.len() + chunk.len() > limit {
                return Err(self.bad_reply(format!(
                    "GET {path_and_query}: reply larger than {limit} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        if status.is_success() {
            Ok(body)
        } else {
            Err(self.problem(status.as_u16(), &body))
        }
    }

    fn offline(&self, e: &reqwest::Error) -> AppError {
        // Show the root cause ("Connection refused"), not reqwest's wrapper text.
        let mut reason = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            reason = s.to_string();
            source = s.source();
        }
        AppError::Offline {
            server: self.base.clone(),
            reason,
        }
    }

    pub(crate) fn bad_reply(&self, reason: String) -> AppError {
        AppError::BadServerReply {
            server: self.base.clone(),
            reason,
        }
    }

    /// Turns an RFC 9457 problem+json body into an [`ApiError`]. An error reply
    /// that is not one (a proxy's HTML page, say) is reported as such.
    fn problem(&self, status: u16, body: &[u8]) -> AppError {
        #[derive(serde::Deserialize)]
        struct Problem {
            code: String,
            #[serde(default)]
            detail: Option<String>,
            #[serde(default)]
            title: Option<String>,
            #[serde(default)]
            field: Option<String>,
        }
        let Ok(p) = serde_json::from_slice::<Problem>(body) else {
            return self.bad_reply(format!("HTTP {status} without a problem+json body"));
        };
        let code = serde_json::from_value::<ErrorCode>(serde_json::Value::String(p.code.clone()))
            .unwrap_or(ErrorCode::BadServerReply);
        let message = p
            .detail
            .or(p.title)
            .unwrap_or_else(|| format!("HTTP {status} ({})", p.code));
        AppError::Server(ApiError {
            code,
            message,
            field: p.field,
        })
    }
}
