//! The server as the sync engine talks to it: JSON posts for push and pull, and
//! the tus 1.0 calls for uploads. Every failure is sorted into what the engine
//! does about it ([`Failure`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rehome_model::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Largest JSON reply read (a pull of thousands of listings stays far below).
const MAX_JSON_BYTES: usize = 32 << 20;

/// Where the server is and who we are to it.
#[derive(Clone)]
pub struct ServerSession {
    /// `http://host:port`, no trailing slash.
    pub base_url: String,
    /// The bearer token (from the keychain; never logged).
    pub token: String,
}

impl std::fmt::Debug for ServerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSession")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Why a call failed, sorted by what to do next.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// Network error, cut connection, 5xx, 423 or 429: back off and retry.
    Transient(String),
    /// 401: the session is gone.
    Unauthorized(String),
    /// Any other 4xx: retrying the same request cannot help.
    Permanent { status: u16, error: ApiError },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Transient(m) | Failure::Unauthorized(m) => f.write_str(m),
            Failure::Permanent { status, error } => write!(f, "{status}: {}", error.message),
        }
    }
}

/// What a PATCH did.
pub(crate) enum Patched {
    /// Accepted; the server's offset now.
    To(u64),
    /// 409: the server is at another offset (given when it said).
    OffsetMismatch(Option<u64>),
    /// 460: the bytes arrived damaged; nothing was kept.
    ChecksumMismatch,
}

pub(crate) struct SyncHttp {
    session: ServerSession,
    client: reqwest::Client,
}

fn transient(e: reqwest::Error) -> Failure {
    // The innermost cause says what really happened (reset, refused, EOF).
    let mut message = format!("network: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    Failure::Transient(message)
}

async fn problem_of(res: reqwest::Response) -> Failure {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(str::to_owned))
        .unwrap_or_else(|| text.chars().take(200).collect());
    match status {
        401 => Failure::Unauthorized(message),
        423 | 429 | 500..=599 => Failure::Transient(format!("HTTP {status}: {message}")),
        _ => {
            let problem: Option<ApiError> = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| {
                    let code: ErrorCode = serde_json::from_value(v.get("code")?.clone()).ok()?;
                    let mut e = ApiError::new(code, message.clone());
                    if let Some(f) = v.get("field").and_then(|f| f.as_str()) {
                        e = e.with_field(f);
                    }
                    Some(e)
                });
            Failure::Permanent {
                status,
                error: problem.unwrap_or_else(|| ApiError::new(ErrorCode::BadServerReply, message)),
            }
        }
    }
}

fn offset_header(res: &reqwest::Response) -> Option<u64> {
    res.headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

impl SyncHttp {
    pub(crate) fn new(session: ServerSession) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("rehome-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { session, client })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.session.base_url.trim_end_matches('/'))
    }

    fn auth(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        req.bearer_auth(&self.session.token)
    }

    pub(crate) async fn post_json<Req: Serialize, Res: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
    ) -> Result<Res, Failure> {
        let res = self
            .auth(self.client.post(self.url(path)))
            .json(body)
            .send()
            .await
            .map_err(transient)?;
        if !res.status().is_success() {
            return Err(problem_of(res).await);
        }
        if res
            .content_length()
            .is_some_and(|n| n as usize > MAX_JSON_BYTES)
        {
            return Err(Failure::Transient(format!("{path}: reply too large")));
        }
        // A cut reply shows up here as a body error: transient.
        let bytes = res.bytes().await.map_err(transient)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Transient(format!("{path}: unreadable reply: {e}")))
    }

    /// tus creation. Returns the upload's path (as the server named it in
    /// `Location`) and its offset (the full length when the content deduped).
    pub(crate) async fn upload_create(
        &self,
        length: u64,
        photo_id: &str,
        sha256: &str,
    ) -> Result<(String, u64), Failure> {
        let meta = format!(
            "photoId {},sha256 {}",
            STANDARD.encode(photo_id),
            STANDARD.encode(sha256)
        );
        let res = self
            .auth(self.client.post(self.url("/v1/uploads")))
            .header("tus-resumable", "1.0.0")
            .header("upload-length", length.to_string())
            .header("upload-metadata", meta)
            .header("content-length", "0")
            .send()
            .await
            .map_err(transient)?;
        if res.status().as_u16() != 201 {
            return Err(problem_of(res).await);
        }
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(|l| match l.find("/v1/") {
                // Keep only the path: the base URL may change between runs.
                Some(i) => l[i..].to_owned(),
                None => l.to_owned(),
            })
            .ok_or_else(|| Failure::Transient("upload created without a Location".into()))?;
        let offset = offset_header(&res).unwrap_or(0);
        Ok((location, offset))
    }

    /// tus HEAD: the server's offset, or `None` when the upload is gone
    /// (expired or never existed there).
    pub(crate) async fn upload_offset(&self, path: &str) -> Result<Option<u64>, Failure> {
        let res = self
            .auth(self.client.head(self.url(path)))
            .header("tus-resumable", "1.0.0")
            .send()
            .await
            .map_err(transient)?;
        match res.status().as_u16() {
            200 | 204 => offset_header(&res)
                .map(Some)
                .ok_or_else(|| Failure::Transient("HEAD without Upload-Offset".into())),
            404 | 410 => Ok(None),
            401 => Err(Failure::Unauthorized("session expired".into())),
            s => Err(Failure::Transient(format!("HEAD: HTTP {s}"))),
        }
    }

    /// tus PATCH of `chunk` at `offset`, with its SHA-256 in `Upload-Checksum`.
    pub(crate) async fn upload_patch(
        &self,
        path: &str,
        offset: u64,
        chunk: Vec<u8>,
    ) -> Result<Patched, Failure> {
        let digest = STANDARD.encode(Sha256::digest(&chunk));
        let res = self
            .auth(self.client.patch(self.url(path)))
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset.to_string())
            .header("content-type", "application/offset+octet-stream")
            .header("upload-checksum", format!("sha256 {digest}"))
            .body(chunk)
            .send()
            .await
            .map_err(transient)?;
        match res.status().as_u16() {
            204 | 200 => offset_header(&res)
                .map(Patched::To)
                .ok_or_else(|| Failure::Transient("PATCH without Upload-Offset".into())),
            409 => Ok(Patched::OffsetMismatch(offset_header(&res))),
            460 => Ok(Patched::ChecksumMismatch),
            _ => Err(problem_of(res).await),
        }
    }
}
