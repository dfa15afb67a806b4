//! The one HTTP client the core uses to talk to a marketplace server: the
//! facade (`rehome-app`: feed, photos, sign-in) and the sync engine
//! (`rehome-sync`: push, pull, tus uploads) both go through it.
//!
//! - [`Client`] owns the `reqwest` client: a connection pool, no redirects.
//!   Build one per process.
//! - [`ServerClient`] is that client pointed at one server.
//! - [`ServerClient::send`] reads every reply with a bound, whether or not it
//!   says how long it is, so a hostile or broken server (or a proxy in front
//!   of it) can never make us allocate without limit.
//! - [`Reply::problem`] is the one decoder of the server's RFC 9457
//!   problem+json: only a reply that *is* one, with a code we know, counts as
//!   the server's refusal. A captive portal's HTML page is not one.

#![forbid(unsafe_code)]

mod reply;

pub use reply::{MAX_PROBLEM_BYTES, Reply};
pub use reqwest::{Method, RequestBuilder, Url, header};

use rehome_model::ErrorCode;
use std::time::Duration;

/// How long to wait for a TCP (and TLS) connection before calling the server
/// unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A request's whole time, reply included, unless [`ServerClient::with_timeout`] says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything this crate can fail with, each mapped to an [`ErrorCode`].
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    #[error("the server URL {0:?} is not an http(s) URL")]
    BadUrl(String),
    #[error("setting up the HTTP client: {0}")]
    Setup(String),
    /// Refused, reset, timed out, cut: nothing useful came back.
    #[error("cannot reach the server at {server}: {reason}")]
    Network { server: String, reason: String },
    #[error("the server at {server} sent a reply we cannot read: {reason}")]
    BadReply { server: String, reason: String },
}

impl ClientError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::BadUrl(_) => ErrorCode::Invalid,
            ClientError::Setup(_) => ErrorCode::Internal,
            ClientError::Network { .. } => ErrorCode::Offline,
            ClientError::BadReply { .. } => ErrorCode::BadServerReply,
        }
    }
}

/// The HTTP client and its connection pool. Cheap to clone (one pool behind
/// an `Arc`).
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
}

impl Client {
    pub fn new() -> Result<Client, ClientError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("rehome/", env!("CARGO_PKG_VERSION")))
            // Our server never redirects; a captive portal does. Following it
            // would turn a POST into a GET of someone's login page.
            .redirect(reqwest::redirect::Policy::none());
        let http = builder
            .build()
            .map_err(|e| ClientError::Setup(innermost(&e)))?;
        Ok(Client { http })
    }

    /// This client pointed at `base` (`http(s)://host[:port]`), without a
    /// trailing slash.
    pub fn server(&self, base: &str) -> Result<ServerClient, ClientError> {
        let base = base.trim_end_matches('/');
        check_address(base)?;
        Ok(ServerClient {
            http: self.http.clone(),
            base: base.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        })
    }
}

/// An `http(s)://` URL with a host.
pub fn check_address(base: &str) -> Result<(), ClientError> {
    let url = Url::parse(base).map_err(|_| ClientError::BadUrl(base.to_owned()))?;
    if url.host().is_none() || !matches!(url.scheme(), "http" | "https") {
        return Err(ClientError::BadUrl(base.to_owned()));
    }
    Ok(())
}

/// The host and port `base` names (for a bare TCP reachability probe).
pub fn host_and_port(base: &str) -> Option<(String, u16)> {
    let url = Url::parse(base).ok()?;
    let port = url.port_or_known_default()?;
    let host = url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    Some((host, port))
}

/// The client pointed at one server. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ServerClient {
    http: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl ServerClient {
    /// `https://host:port`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Each request may take up to `timeout`, reply included.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A request to `path` (`/v1/...`, with any query) on this server.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .timeout(self.timeout)
    }

    /// Sends `request` and reads the reply: a success body of at most
    /// `limit` bytes (more is [`ClientError::BadReply`], whether or not the
    /// reply said its length), an error body of at most
    /// [`MAX_PROBLEM_BYTES`] (more is cut and is then no problem of ours).
    pub async fn send(&self, request: RequestBuilder, limit: usize) -> Result<Reply, ClientError> {
        let response = request.send().await.map_err(|e| self.failed(&e))?;
        reply::read(self, response, limit).await
    }

    pub(crate) fn failed(&self, e: &reqwest::Error) -> ClientError {
        ClientError::Network {
            server: self.base.clone(),
            reason: innermost(e),
        }
    }

    pub(crate) fn bad_reply(&self, reason: String) -> ClientError {
        ClientError::BadReply {
            server: self.base.clone(),
            reason,
        }
    }
}

/// The root cause ("Connection refused"), not reqwest's wrapper text.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut reason = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        reason = s.to_string();
        source = s.source();
    }
    reason
}
