//! A reply read with a bound, and the one decoder of the server's
//! problem+json.

use crate::{ClientError, ServerClient};
use rehome_model::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;

/// The most of an error reply we read. Our problem+json bodies are a few
/// hundred bytes; anything longer is someone else's page and is cut.
pub const MAX_PROBLEM_BYTES: usize = 64 * 1024;

/// A reply: its status, headers and (bounded) body.
#[derive(Debug)]
pub struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
    /// An error body longer than [`MAX_PROBLEM_BYTES`] was cut.
    cut: bool,
    server: String,
}

pub(crate) async fn read(
    server: &ServerClient,
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Reply, ClientError> {
    let status = response.status();
    let success = status.is_success();
    let bound = if success { limit } else { MAX_PROBLEM_BYTES };
    if success && response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(server.bad_reply(format!("a reply larger than {limit} bytes")));
    }
    let mut body = Vec::new();
    let mut cut = false;
    // Chunk by chunk, whether or not the reply said its length: a body
    // without Content-Length (chunked, or until close) is bounded too.
    while let Some(chunk) = response.chunk().await.map_err(|e| server.failed(&e))? {
        if body.len() + chunk.len() > bound {
            if success {
                return Err(server.bad_reply(format!("a reply larger than {limit} bytes")));
            }
            let room = bound - body.len();
            body.extend_from_slice(&chunk[..room]);
            cut = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply {
        status: status.as_u16(),
        headers: response.headers().clone(),
        body,
        cut,
        server: server.base_url().to_owned(),
    })
}

impl Reply {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as `T`; a body that is not one is the server's fault.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        serde_json::from_slice(&self.body).map_err(|e| ClientError::BadReply {
            server: self.server.clone(),
            reason: format!("HTTP {}: {e}", self.status),
        })
    }

    /// The server's refusal: `Some` only for an error reply that is an RFC
    /// 9457 problem+json body (by its content type and its shape) whose
    /// `code` is one we know. A proxy's or captive portal's page, a cut body,
    /// or a code from a newer server is `None`: the caller must not treat it
    /// as the server's considered answer.
    pub fn problem(&self) -> Option<ApiError> {
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
        if self.is_success() || self.cut || !self.is_problem_json() {
            return None;
        }
        let p: Problem = serde_json::from_slice(&self.body).ok()?;
        let code: ErrorCode = serde_json::from_value(serde_json::Value::String(p.code)).ok()?;
        let message = p
            .detail
            .or(p.title)
            .unwrap_or_else(|| format!("HTTP {} ({code})", self.status));
        let error = ApiError::new(code, message);
        Some(match p.field {
            Some(f) => error.with_field(f),
            None => error,
        })
    }

    fn is_problem_json(&self) -> bool {
        self.header("content-type").is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/problem+json"))
        })
    }

    /// What came back, for a message: status, content type and the start of
    /// the body (`HTTP 403 (text/html): <html>…`).
    pub fn describe(&self) -> String {
        let kind = self.header("content-type").unwrap_or("no content type");
        let text: String = String::from_utf8_lossy(&self.body)
            .chars()
            .take(120)
            .collect();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            format!("HTTP {} ({kind})", self.status)
        } else {
            format!("HTTP {} ({kind}): {text}", self.status)
        }
    }
}
