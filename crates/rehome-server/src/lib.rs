//! Rehome's reference marketplace API: axum over SQLite.
//!
//! Start it in-process with [`App::open`] and [`serve`] (or [`spawn`] in tests),
//! or run the `rehome-server` binary. The code map is in ARCHITECTURE.md
//! (`crates/rehome-server`); in short: `http/` is the HTTP surface (the router
//! in `http/mod.rs`), `sync/` the push/pull protocol, `uploads.rs` and
//! `photo_check.rs` what becomes of uploaded bytes, `storage/` all SQL.

#![forbid(unsafe_code)]

pub mod attempts;
pub mod auth;
pub mod blobs;
pub mod body;
pub mod cursor;
pub mod demo;
mod http;
pub mod limits;
pub mod notify;
pub mod photo_check;
pub mod photo_strip;
pub mod problem;
/// The demo shots, drawn by their own crate (optimised even in dev builds).
pub use rehome_demo_shots as render;
mod serving;
pub mod sign_in_limiter;
pub mod storage;
pub mod sync;
pub mod tls;
pub mod turns;
pub mod uploads;

pub use http::openapi;
pub use limits::{LimitFlags, Limits};
pub use serving::serve;

use crate::blobs::BlobStore;
use crate::cursor::CursorSigner;
use crate::storage::{Storage, StorageError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Where time comes from. Everything that expires, rate-limits or is quiet at
/// night asks this, so tests can move time by hand.
pub trait Clock: Send + Sync + 'static {
    /// Unix time in milliseconds.
    fn now_ms(&self) -> i64;
}

/// The wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to (tests).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(now_ms: i64) -> Self {
        Self(AtomicI64::new(now_ms))
    }
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// How to run a server.
#[derive(Clone)]
pub struct ServerConfig {
    pub data_dir: PathBuf,
    /// Seed the demo catalogue (idempotent).
    pub demo: bool,
    /// How many demo listings to seed (at least [`demo::DEMO_LISTINGS`]; more
    /// are added to a data dir seeded with fewer).
    pub demo_listings: usize,
    pub limits: Limits,
    pub clock: Arc<dyn Clock>,
    /// Draw the demo photos on a background thread after start-up (otherwise each
    /// is drawn when first requested). On by default; tests turn it off to spare CPU.
    pub warm_demo_photos: bool,
    pub password_cost: auth::PasswordCost,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl ServerConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            demo: false,
            demo_listings: demo::DEMO_LISTINGS,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            warm_demo_photos: true,
            password_cost: auth::PasswordCost::default(),
            trusted_proxies: Vec::new(),
        }
    }

    /// [`ServerConfig::new`] as every test wants it: cheap password hashing,
    /// demo photos drawn only when asked for (no background work), and room
    /// for the many accounts a test signs up from 127.0.0.1.
    pub fn for_tests(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            warm_demo_photos: false,
            password_cost: auth::PasswordCost::for_tests(),
            limits: Limits {
                max_sign_ups_per_address: 100_000,
                ..Limits::default()
            },
            ..Self::new(data_dir)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("no randomness available: {0}")]
    Random(String),
    #[error("TLS: {0}")]
    Tls(String),
}

/// Everything a request handler needs.
pub struct AppState {
    pub store: Storage,
    pub blobs: BlobStore,
    pub cursors: CursorSigner,
    pub clock: Arc<dyn Clock>,
    pub limits: Limits,
    pub data_dir: PathBuf,
    pub warm_demo_photos: bool,
    pub password_cost: auth::PasswordCost,
    pub sign_in_limiter: sign_in_limiter::SignInLimiter,
    /// See [`ServerConfig::trusted_proxies`].
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Turns at password hashing (at most `limits.max_password_hashes` at once).
    pub password_hashes: turns::Turns,
    /// Turns at decoding uploaded photos (at most `limits.max_photo_decodes`).
    pub photo_decodes: turns::Turns,
    /// Requests in flight (at most `limits.max_concurrent_requests`).
    pub requests: turns::Turns,
    /// Sign-ups per address within `limits.sign_up_window_ms`.
    pub sign_ups: std::sync::Mutex<attempts::AttemptLog<std::net::IpAddr>>,
    /// A hash to verify against for unknown handles (equal work either way).
    pub dummy_hash: String,
    /// Sessions already looked up (see [`auth::SessionCache`]).
    pub sessions: auth::SessionCache,
    /// Uploads with a PATCH in progress or waiting (one writer per upload).
    pub upload_writers: uploads::UploadWriters,
}

/// Addresses (or accounts) an in-memory attempt log remembers at most.
const ATTEMPT_KEYS_MAX: usize = 100_000;

/// An opened server: storage migrated, demo seeded, ready to route.
#[derive(Clone)]
pub struct App {
    pub state: Arc<AppState>,
}

/// Fills `buf` from the OS's secure random source.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), ServerError> {
    getrandom::fill(buf).map_err(|e| ServerError::Random(e.to_string()))
}

impl App {
    /// Opens the data dir (blocking: migrations, and demo seeding when asked).
    #[tracing::instrument(skip_all, fields(data_dir = %config.data_dir.display(), demo = config.demo))]
    pub fn open(config: ServerConfig) -> Result<App, ServerError> {
        let store = Storage::open_with_readers(&config.data_dir, config.limits.max_db_readers)?;
        let blobs = BlobStore::open(&config.data_dir)?;
        let mut fresh = [0u8; 32];
        random_bytes(&mut fresh)?;
        let stored = store.meta_or_insert("cursor_secret", || fresh.to_vec())?;
        let mut secret = [0u8; 32];
        if stored.len() == 32 {
            secret.copy_from_slice(&stored);
        } else {
            return Err(StorageError::Corrupt("cursor secret has the wrong length".into()).into());
        }
        if config.demo {
            let cost = config.password_cost;
            demo::seed(&store, config.clock.now_ms(), config.demo_listings, || {
                auth::hash_password(demo::DEMO_PASSWORD, cost).unwrap_or_else(|_| "!".into())
            })?;
        }
        let password_hashes = turns::Turns::new(
            config.limits.max_password_hashes,
            config.limits.password_hash_wait_ms,
            "max-password-hashes",
            "checking passwords",
        );
        let sign_in_limiter = sign_in_limiter::SignInLimiter::new(&config.limits);
        let requests = turns::Turns::new(
            config.limits.max_concurrent_requests,
            config.limits.request_wait_ms,
            "max-concurrent-requests",
            "answering",
        );
        let photo_decodes = turns::Turns::new(
            config.limits.max_photo_decodes,
            config.limits.photo_decode_wait_ms,
            "max-photo-decodes",
            "checking photos",
        );
        let sign_ups = std::sync::Mutex::new(attempts::AttemptLog::new(
            config.limits.sign_up_window_ms,
            ATTEMPT_KEYS_MAX,
        ));
        Ok(App {
            state: Arc::new(AppState {
                store,
                blobs,
                cursors: CursorSigner::new(secret),
                clock: config.clock,
                limits: config.limits,
                data_dir: config.data_dir,
                warm_demo_photos: config.warm_demo_photos,
                password_cost: config.password_cost,
                sign_in_limiter,
                trusted_proxies: config.trusted_proxies,
                password_hashes,
                photo_decodes,
                requests,
                sign_ups,
                dummy_hash: auth::hash_password("not a password", config.password_cost)
                    .unwrap_or_default(),
                upload_writers: Default::default(),
                sessions: Default::default(),
            }),
        })
    }

    /// Draws the demo photos not drawn yet, on a background thread (low priority:
    /// a request for one draws it on the spot).
    pub fn start_demo_warm_up(&self) {
        let state = self.state.clone();
        let spawned = std::thread::Builder::new()
            .name("demo-photos".into())
            .spawn(move || {
                let clock = state.clock.clone();
                if let Err(e) = demo::warm_up(&state.store, &state.blobs, || clock.now_ms()) {
                    tracing::warn!(error = %e, "drawing demo photos failed");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the demo photo thread");
        }
    }

    pub fn router(&self) -> axum::Router {
        http::router(self.state.clone())
    }
}

/// A server running in this process (tests and the E2E harness): the one way
/// a test starts a real server on 127.0.0.1.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub app: App,
    /// `http`, or `https` when it terminates TLS itself.
    scheme: &'static str,
    /// What it was opened with, to open it again on [`RunningServer::start_again`].
    config: ServerConfig,
    tls: Option<tokio_rustls::TlsAcceptor>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), ServerError>>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT` (`https://` with TLS)
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// Stops accepting, drains, and waits for the server to finish.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        self.stop_for_now().await
    }

    /// Stops serving but keeps the address and the data, so that
    /// [`RunningServer::start_again`] comes back on the same port: what a
    /// device sees as its server going away and returning.
    pub async fn stop_for_now(&mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task
                .await
                .map_err(|e| ServerError::Io(std::io::Error::other(e.to_string())))?,
            None => Ok(()),
        }
    }

    /// Opens the data again (a fresh process's state) and serves it on the
    /// same address. Does nothing while it is still serving.
    pub async fn start_again(&mut self) -> Result<(), ServerError> {
        if self.task.is_some() {
            return Ok(());
        }
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let (app, stop, task) = serve_on(self.config.clone(), self.tls.clone(), listener).await?;
        self.app = app;
        self.stop = Some(stop);
        self.task = Some(task);
        Ok(())
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Opens `config` and serves it on 127.0.0.1 at a free port, in this process.
pub async fn spawn(config: ServerConfig) -> Result<RunningServer, ServerError> {
    spawn_with(config, None).await
}

/// [`spawn`], terminating TLS with `tls`'s certificate and key.
pub async fn spawn_tls(
    config: ServerConfig,
    tls: &tls::TlsFiles,
) -> Result<RunningServer, ServerError> {
    spawn_with(config, Some(tls::acceptor(tls)?)).await
}

async fn spawn_with(
    config: ServerConfig,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> Result<RunningServer, ServerError> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let (app, stop, task) = serve_on(config.clone(), tls.clone(), listener).await?;
    Ok(RunningServer {
        addr,
        app,
        scheme,
        config,
        tls,
        stop: Some(stop),
        task: Some(task),
    })
}

/// The opened app, how to stop its serving task, and the task.
type Serving = (
    App,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), ServerError>>,
);

async fn serve_on(
    config: ServerConfig,
    tls: Option<tokio_rustls::TlsAcceptor>,
    listener: tokio::net::TcpListener,
) -> Result<Serving, ServerError> {
    let app = tokio::task::spawn_blocking(move || App::open(config))
        .await
        .map_err(|e| ServerError::Io(std::io::Error::other(e.to_string())))??;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let stopped = async move {
        let _ = stopped.await;
    };
    let task = match tls {
        None => tokio::spawn(serve(app.clone(), listener, stopped)),
        Some(acceptor) => {
            let listener = tls::TlsListener::new(listener, acceptor)?;
            tokio::spawn(serve(app.clone(), listener, stopped))
        }
    };
    Ok((app, stop, task))
}
