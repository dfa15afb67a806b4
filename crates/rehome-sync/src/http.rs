//! The server as the sync engine talks to it: JSON posts for push and pull, and
//! the tus 1.0 calls for uploads. Every failure is sorted into what the engine
//! does about it ([`Failure`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rehome_client::{ClientError, Method, Reply, RequestBuilder, ServerClient};
use rehome_model::ApiError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Largest JSON reply read (a pull of thousands of listings stays far below).
const MAX_JSON_BYTES: usize = 32 << 20;
/// Largest body read from a tus reply (they carry none we use).
const MAX_TUS_BYTES: usize = 64 * 1024;
/// How long one call may take, reply included (a 1 MiB PATCH on a slow line).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the server is and who we are to it.
#[derive(Clone)]
pub struct ServerSession {
    /// The shared HTTP client, pointed at the account's server.
    pub server: ServerClient,
    /// The bearer token (from the keychain; never logged).
    pub token: String,
}

impl ServerSession {
    pub fn new(server: ServerClient, token: impl Into<String>) -> Self {
        Self {
            server,
            token: token.into(),
        }
    }

    /// `https://host:port`, no trailing slash.
    pub fn base_url(&self) -> &str {
        self.server.base_url()
    }
}

impl std::fmt::Debug for ServerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSession")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

/// Why a call failed, sorted by what to do next.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// Network error, cut or oversized reply, 5xx, 423 or 429, and any error
    /// reply that is not our server's problem+json: back off and retry.
    Transient(String),
    /// 401 from our server: the session is gone.
    Unauthorized(String),
    /// Any other 4xx our server explained with a code we know: retrying the
    /// same request cannot help.
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
    server: ServerClient,
    token: String,
}

fn transient(e: ClientError) -> Failure {
    Failure::Transient(e.to_string())
}

/// What an error reply means for the engine. Only our server's problem+json
/// with a code we know may end a session or refuse a row for good: anything
/// else (a proxy's or a captive portal's page, a cut body, a code from a
/// newer server) is passing trouble, retried with backoff.
fn failure_of(reply: &Reply) -> Failure {
    let status = reply.status();
    match (status, reply.problem()) {
        (423 | 429 | 500..=599, problem) => Failure::Transient(format!(
            "HTTP {status}: {}",
            problem.map_or_else(|| reply.describe(), |p| p.message)
        )),
        (401, Some(problem)) => Failure::Unauthorized(problem.message),
        (400..=499, Some(error)) => Failure::Permanent { status, error },
        _ => Failure::Transient(format!(
            "{}: not an answer from a Rehome server (a proxy, or this network's sign-in page?)",
            reply.describe()
        )),
    }
}

fn offset_header(reply: &Reply) -> Option<u64> {
    reply
        .header("upload-offset")
        .and_then(|v| v.trim().parse().ok())
}

impl SyncHttp {
    pub(crate) fn new(session: ServerSession) -> Self {
        Self {
            server: session.server.with_timeout(CALL_TIMEOUT),
            token: session.token,
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.server.request(method, path).bearer_auth(&self.token)
    }

    async fn send(&self, request: RequestBuilder, limit: usize) -> Result<Reply, Failure> {
        self.server.send(request, limit).await.map_err(transient)
    }

    pub(crate) async fn post_json<Req: Serialize, Res: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
    ) -> Result<Res, Failure> {
        let request = self.request(Method::POST, path).json(body);
        // A cut or oversized reply shows up here as a client error: transient.
        let reply = self.send(request, MAX_JSON_BYTES).await?;
        if !reply.is_success() {
            return Err(failure_of(&reply));
        }
        reply
            .json()
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
        let request = self
            .request(Method::POST, "/v1/uploads")
            .header("tus-resumable", "1.0.0")
            .header("upload-length", length.to_string())
            .header("upload-metadata", meta)
            .header("content-length", "0");
        let reply = self.send(request, MAX_TUS_BYTES).await?;
        if reply.status() != 201 {
            return Err(failure_of(&reply));
        }
        let location = reply
            .header("location")
            .map(|l| match l.find("/v1/") {
                // Keep only the path: the base URL may change between runs.
                Some(i) => l[i..].to_owned(),
                None => l.to_owned(),
            })
            .ok_or_else(|| Failure::Transient("upload created without a Location".into()))?;
        let offset = offset_header(&reply).unwrap_or(0);
        Ok((location, offset))
    }

    /// tus HEAD: the server's offset, or `None` when the upload is gone
    /// (expired or never existed there).
    pub(crate) async fn upload_offset(&self, path: &str) -> Result<Option<u64>, Failure> {
        let request = self
            .request(Method::HEAD, path)
            .header("tus-resumable", "1.0.0");
        let reply = self.send(request, MAX_TUS_BYTES).await?;
        match reply.status() {
            200 | 204 => offset_header(&reply)
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
        let request = self
            .request(Method::PATCH, path)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset.to_string())
            .header("content-type", "application/offset+octet-stream")
            .header("upload-checksum", format!("sha256 {digest}"))
            .body(chunk);
        let reply = self.send(request, MAX_TUS_BYTES).await?;
        match reply.status() {
            204 | 200 => offset_header(&reply)
                .map(Patched::To)
                .ok_or_else(|| Failure::Transient("PATCH without Upload-Offset".into())),
            409 => Ok(Patched::OffsetMismatch(offset_header(&reply))),
            460 => Ok(Patched::ChecksumMismatch),
            _ => Err(failure_of(&reply)),
        }
    }
}
