//! The one HTTP client the core uses to talk to a marketplace server: the
//! facade (`rehome-app`: feed, photos, sign-in) and the sync engine
//! (`rehome-sync`: push, pull, tus uploads) both go through it.
//!
//! - [`Client`] owns the `reqwest` client: TLS through rustls (ring), trusting
//!   the OS's roots plus an optional extra CA ([`TlsOptions`], from
//!   `REHOME_CA_FILE`), a connection pool, no redirects. Build one per process.
//! - [`ServerClient`] is that client pointed at one server. Plain `http://` is
//!   accepted only for this machine (loopback addresses and `localhost`);
//!   anything else must be `https://` ([`ClientError::InsecureServer`]).
//! - [`ServerClient::send`] reads every reply with a bound, whether or not it
//!   says how long it is, so a hostile or broken server (or a proxy in front
//!   of it) can never make us allocate without limit.
//! - [`Reply::problem`] is the one decoder of the server's RFC 9457
//!   problem+json: only a reply that *is* one, with a code we know, counts as
//!   the server's refusal. A captive portal's HTML page is not one.

#![forbid(unsafe_code)]

mod reply;
mod tls;

pub use reply::{MAX_PROBLEM_BYTES, Reply};
pub use reqwest::{Method, RequestBuilder, Url, header};
pub use tls::TlsOptions;

use rehome_model::ErrorCode;
use std::path::PathBuf;
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
    /// Plain `http://` to another machine: passwords and tokens would cross
    /// the network in clear.
    #[error(
        "{0}: plain http is only for this machine (127.0.0.1, ::1, localhost); use an https:// address"
    )]
    InsecureServer(String),
    /// `REHOME_CA_FILE` names a file we cannot use.
    #[error("the extra CA file {} (REHOME_CA_FILE): {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },
    #[error("setting up the HTTP client: {0}")]
    Setup(String),
    /// Refused, reset, timed out, cut: nothing useful came back.
    #[error("cannot reach the server at {server}: {reason}")]
    Network { server: String, reason: String },
    /// TLS worked but the server's certificate is not one we trust (expired,
    /// another name, an unknown CA: a captive portal or an interception).
    #[error("the server at {server} is not the one it claims to be: {reason}")]
    UntrustedServer { server: String, reason: String },
    #[error("the server at {server} sent a reply we cannot read: {reason}")]
    BadReply { server: String, reason: String },
}

impl ClientError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::BadUrl(_) | ClientError::CaFile { .. } => ErrorCode::Invalid,
            ClientError::InsecureServer(_) => ErrorCode::InsecureServer,
            ClientError::Setup(_) => ErrorCode::Internal,
            ClientError::Network { .. } => ErrorCode::Offline,
            ClientError::UntrustedServer { .. } => ErrorCode::UntrustedServer,
            ClientError::BadReply { .. } => ErrorCode::BadServerReply,
        }
    }
}

/// The HTTP client: TLS configuration and connection pool. Cheap to clone
/// (one pool behind an `Arc`).
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
}

impl Client {
    /// A client trusting the OS's roots only.
    pub fn new() -> Result<Client, ClientError> {
        Self::with_tls(&TlsOptions::default())
    }

    /// A client trusting the OS's roots and `tls`'s extra CA. Reads the CA
    /// file now: a bad one is reported here, not on the first request.
    pub fn with_tls(tls: &TlsOptions) -> Result<Client, ClientError> {
        tls::install_crypto_provider();
        let builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("rehome/", env!("CARGO_PKG_VERSION")))
            // Our server never redirects; a captive portal does. Following it
            // would turn a POST into a GET of someone's login page.
            .redirect(reqwest::redirect::Policy::none());
        let builder = builder.tls_certs_merge(tls.extra_roots()?);
        let http = builder
            .build()
            .map_err(|e| ClientError::Setup(innermost(&e)))?;
        Ok(Client { http })
    }

    /// This client pointed at `base` (`https://host[:port]`, or `http://` to
    /// this machine), without a trailing slash.
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

/// `https://` anywhere, `http://` only to a loopback address or `localhost`.
pub fn check_address(base: &str) -> Result<(), ClientError> {
    let url = Url::parse(base).map_err(|_| ClientError::BadUrl(base.to_owned()))?;
    if url.host().is_none() {
        return Err(ClientError::BadUrl(base.to_owned()));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_this_machine(&url) => Ok(()),
        "http" => Err(ClientError::InsecureServer(base.to_owned())),
        _ => Err(ClientError::BadUrl(base.to_owned())),
    }
}

fn is_this_machine(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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
        match untrusted(e) {
            Some(reason) => ClientError::UntrustedServer {
                server: self.base.clone(),
                reason,
            },
            None => ClientError::Network {
                server: self.base.clone(),
                reason: innermost(e),
            },
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

/// The certificate problem behind `e`, if a TLS handshake refused the server.
fn untrusted(e: &reqwest::Error) -> Option<String> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        if let Some(tls) = err.downcast_ref::<rustls::Error>()
            && matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            )
        {
            return Some(tls.to_string());
        }
        next = match err.downcast_ref::<std::io::Error>() {
            // `io::Error::source` skips the error it wraps (io errors nest
            // here: hyper's around tokio-rustls's): step into it instead.
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}
