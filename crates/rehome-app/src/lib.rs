//! The facade every caller uses: the Tauri shell, the `rehome` CLI and the tests.
//!
//! Each method is one user-level operation ("the next page of the feed", "the bytes
//! of this photo"). Callers never touch SQL, HTTP or files themselves: they call
//! [`App`], get typed results from `rehome_model`, and errors that carry an
//! [`ErrorCode`](rehome_model::ErrorCode).
//!
//! Every IPC command of `rehome_model::for_each_command!` has exactly one
//! method here, named like the command, taking the command's request (nothing
//! for `()`) and returning its response (or `Result<response, AppError>`):
//! the shell's generated command calls it in one line. Methods no command has
//! (the CLI's `sign_in_at`, `sync_once`, the listing lifecycle, `photo`) take
//! names no command uses.

#![forbid(unsafe_code)]

mod atomic_file;
mod browse;
mod bulk;
mod config;
mod csv_file;
mod device_settings;
mod drafts;
mod error;
mod feed;
mod file_pick;
mod grid;
mod http;
mod image_cache;
mod listing_lifecycle;
mod offers;
mod photos;
mod read_cache;
mod recent_searches;
mod social;
mod sync;
mod sync_runner;
mod sync_status;
mod token_file;
mod url_query;

pub use config::{APP_IDENTIFIER, AppConfig, DEFAULT_SERVER, SessionToken};
pub use csv_file::CsvImportOptions;
pub use error::AppError;
pub use file_pick::{E2E_PICK_ENV, E2E_SAVE_ENV, FileDialog};
pub use image_cache::PhotoVariant;
pub use sync::{Account, KeepToken, SignedIn};
pub use sync_runner::{SyncOutcome, SyncRunner, SyncSchedule, Tick};

use rehome_model::ipc::AppInfo;
use rehome_model::{FeedPage, FeedQuery, PhotoId};
use rehome_store::{Store, StoreError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The core of a running app: one per process.
pub struct App {
    config: AppConfig,
    /// The one HTTP client (TLS, connection pool) for every server call.
    client: rehome_client::Client,
    /// That client pointed at the configured server.
    server: http::ServerClient,
    /// The on-device store, opened once and shared by drafts, photos, sync
    /// state and conflicts.
    store: Arc<StoreHandle>,
    images: image_cache::ImageCache,
    /// Feed pages, listing pages, searches, closets and likes seen, per account.
    reads: read_cache::ReadCache,
    drafts: drafts::Drafts,
    sync_trigger: sync_runner::SyncTrigger,
    /// Per draft field, the highest editor `seq` applied (see
    /// [`App::set_draft_field`]).
    field_saves: std::sync::Mutex<FieldSeqs>,
    /// Per draft field, the highest editor `seq` received so far.
    field_seen: std::sync::Mutex<FieldSeqs>,
    /// The native file dialog, and the files picked in it (by token).
    picks: file_pick::Picks,
}

type FieldSeqs =
    std::collections::HashMap<(rehome_model::ListingId, rehome_model::draft::DraftField), u64>;

impl App {
    /// Opens the app's folders (creating them), the store, and prepares the
    /// server client. Does no network IO.
    #[tracing::instrument(skip_all, fields(data = %config.data_dir.display(), server = %config.server))]
    pub fn open(config: AppConfig) -> Result<Self, AppError> {
        let client = rehome_client::Client::with_tls(&config.tls)?;
        let server = http::ServerClient::new(&client, &config.server)?;
        let images = image_cache::ImageCache::open(config.cache_dir.join("photos"))?;
        let reads = read_cache::ReadCache::open(config.cache_dir.join("reads"))?;
        let sync_trigger = sync_runner::SyncTrigger::default();
        let store = Arc::new(StoreHandle::open(config.data_dir.clone()));
        let drafts = drafts::Drafts::new(store.clone(), sync_trigger.clone());
        Ok(Self {
            config,
            client,
            server,
            store,
            images,
            reads,
            drafts,
            sync_trigger,
            field_saves: Default::default(),
            field_seen: Default::default(),
            picks: Default::default(),
        })
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// Unix milliseconds, for what the caches record (when a page was fetched).
    pub(crate) fn now_millis(&self) -> u64 {
        use rehome_store::Clock as _;
        rehome_store::SystemClock.now_millis()
    }

    /// The on-device store (opened at start-up, or again now if that failed).
    pub(crate) fn store(&self) -> Result<Arc<Store>, AppError> {
        Ok(self.store.get()?)
    }

    /// The HTTP client pointed at `base` (an account's server may not be
    /// the configured one).
    pub(crate) fn server_at(&self, base: &str) -> Result<http::ServerClient, AppError> {
        if base.trim_end_matches('/') == self.config.server {
            return Ok(self.server.clone());
        }
        http::ServerClient::new(&self.client, base)
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            server: self.config.server.clone(),
        }
    }

    /// One page of the buyer's feed. From the server when it answers; when it
    /// cannot be reached (or something with a certificate we do not trust
    /// answers in its place: a network intercepting TLS), the copy of that
    /// page seen last (so a feed seen once still reads offline); otherwise
    /// [`ErrorCode::Offline`](rehome_model::ErrorCode::Offline) (or `untrusted_server`).
    #[tracing::instrument(skip(self))]
    ///
    /// Signed in, it is the buyer's For You feed (or, with `following`, the
    /// newest from the sellers they follow, which needs a sign-in).
    pub async fn feed_page(&self, query: FeedQuery) -> Result<FeedPage, AppError> {
        let reader = if query.following {
            self.signed_in_reader()?
        } else {
            self.reader()
        };
        self.read_through(&reader, "feed", &feed::feed_path(&query))
            .await
    }

    /// The JPEG bytes of a photo: the seller's own from the device store; others'
    /// from the on-device cache, or fetched from the server and cached on first use.
    #[tracing::instrument(skip(self))]
    pub async fn photo(&self, id: PhotoId, variant: PhotoVariant) -> Result<Vec<u8>, AppError> {
        if let Some(bytes) = self.own_photo(id)? {
            return Ok(bytes);
        }
        self.images.get_or_fetch(&self.server, id, variant).await
    }
}

/// The store, opened once (quick check, migrations, photo reconcile) and
/// shared; opened again on the next use if that failed, so freeing disk
/// space or fixing permissions recovers without a restart.
pub(crate) struct StoreHandle {
    dir: PathBuf,
    slot: Mutex<Option<Arc<Store>>>,
}

impl StoreHandle {
    fn open(dir: PathBuf) -> Self {
        let handle = StoreHandle {
            dir,
            slot: Mutex::new(None),
        };
        if let Err(e) = handle.get() {
            tracing::error!(error = %e, "the store could not be opened");
        }
        handle
    }

    pub(crate) fn get(&self) -> Result<Arc<Store>, StoreError> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let store = Arc::new(Store::open_default(&self.dir)?);
        *slot = Some(store.clone());
        Ok(store)
    }
}
