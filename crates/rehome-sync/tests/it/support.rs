//! The parts every sync test uses: a real server on 127.0.0.1, real stores in
//! temp dirs, generated camera-sized JPEGs, and read-only looks into the
//! server's SQLite file for the invariants.

use rehome_client::{Method, ServerClient};
use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_server::{RunningServer, ServerConfig};
use rehome_store::{Edit, NewPhoto, SeededEntropy, Store, SystemClock};
use rehome_sync::{Backoff, ServerSession, SyncConfig, SyncEngine, SyncError, SyncReport};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct TestServer {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server whose config `tune` changed first.
    pub async fn start_with(tune: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServerConfig::for_tests(dir.path());
        tune(&mut config);
        let server = rehome_server::spawn(config).await.unwrap();
        TestServer { server, dir }
    }

    pub fn url(&self) -> String {
        self.server.base_url()
    }

    /// Signs up `handle` and returns its bearer token.
    pub async fn sign_up(&self, handle: &str) -> String {
        let server = client(&self.url());
        let request = server
            .request(Method::POST, "/v1/auth/sign-up")
            .json(&serde_json::json!({"handle": handle, "password": "password1"}));
        let reply = server.send(request, 1 << 20).await.unwrap();
        assert_eq!(reply.status(), 201);
        let body: serde_json::Value = reply.json().unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// A read-only connection to the server's database file.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(
            self.dir.path().join("rehome.sqlite3"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap()
    }

    /// Runs the server's garbage collection of uploads as if `days` had passed.
    pub fn collect_uploads_after_days(&self, days: i64) -> usize {
        let state = &self.server.app.state;
        let now = state.clock.now_ms() + days * 24 * 3_600_000;
        rehome_server::uploads::collect_expired(state, now).unwrap()
    }
}

/// The HTTP client every device of a test would use, pointed at `url`.
pub fn client(url: &str) -> ServerClient {
    rehome_client::Client::new().unwrap().server(url).unwrap()
}

/// Fast retries for tests (the default is 1 s to 5 min).
pub fn test_config() -> SyncConfig {
    SyncConfig {
        batch: 25,
        chunk_bytes: 256 * 1024,
        upload_concurrency: 3,
        backoff: Backoff {
            base_ms: 5,
            cap_ms: 80,
        },
        upload_retries: 12,
    }
}

/// One device: a store in its own folder and an engine talking to `base_url`.
pub struct Device {
    pub dir: PathBuf,
    pub store: Arc<Store>,
    pub engine: SyncEngine,
}

impl Device {
    pub fn open(dir: &Path, base_url: &str, token: &str, seed: u64) -> Device {
        Self::open_with(dir, base_url, token, seed, test_config())
    }

    /// [`Device::open`] with the engine tuned by `config`.
    pub fn open_with(
        dir: &Path,
        base_url: &str,
        token: &str,
        seed: u64,
        config: SyncConfig,
    ) -> Device {
        let store = Arc::new(
            Store::open(
                dir,
                Arc::new(SystemClock),
                Arc::new(SeededEntropy::new(seed)),
            )
            .unwrap(),
        );
        let engine = SyncEngine::new(
            store.clone(),
            ServerSession::new(client(base_url), token),
            Arc::new(SystemClock),
            Arc::new(SeededEntropy::new(seed ^ 0xabcdef)),
            config,
        )
        .unwrap();
        Device {
            dir: dir.to_owned(),
            store,
            engine,
        }
    }

    /// Syncs until the outbox is empty and every photo is up, riding out
    /// faults (each failed round waits for its backoff, a few ms in tests).
    /// Returns what this settling did, failed rounds included.
    pub async fn settle(&self) -> SyncReport {
        let before = self.engine.totals();
        let mut errors = Vec::new();
        for _ in 0..400 {
            match self.engine.sync_once().await {
                Ok(r) => {
                    let uploads_left = self.store.photos_to_upload().unwrap().len();
                    if r.pending == 0 && uploads_left == 0 {
                        return since(&before, &self.engine.totals());
                    }
                }
                Err(SyncError::Offline { retry_at, message }) => {
                    errors.push(message);
                    let now = rehome_store::Clock::now_millis(&SystemClock);
                    let wait = retry_at.saturating_sub(now).min(200);
                    tokio::time::sleep(std::time::Duration::from_millis(wait + 1)).await;
                }
                Err(e) => panic!("sync failed: {e}"),
            }
        }
        panic!(
            "did not settle; outbox {:?}; last errors {:?}",
            self.store.outbox().unwrap().len(),
            &errors[errors.len().saturating_sub(5)..]
        );
    }
}

fn since(before: &SyncReport, after: &SyncReport) -> SyncReport {
    SyncReport {
        pushes: after.pushes - before.pushes,
        applied: after.applied - before.applied,
        conflicts: after.conflicts - before.conflicts,
        rejected: after.rejected - before.rejected,
        uploaded: after.uploaded - before.uploaded,
        deduped: after.deduped - before.deduped,
        upload_bytes_sent: after.upload_bytes_sent - before.upload_bytes_sent,
        upload_bytes_resent: after.upload_bytes_resent - before.upload_bytes_resent,
        pulled_listings: after.pulled_listings - before.pulled_listings,
        pending: after.pending,
        parked: after.parked,
    }
}

pub use rehome_testkit::photos::{camera_jpeg, camera_photo};

pub fn new_photo(jpeg: &[u8], w: u32, h: u32) -> NewPhoto {
    let sha256 = format!("{:x}", Sha256::digest(jpeg));
    NewPhoto::checked(jpeg.to_vec(), w, h, &sha256).unwrap()
}

pub fn values(title: &str, price: &str) -> DraftValues {
    DraftValues {
        title: title.into(),
        description: "Worn twice, no marks".into(),
        category: "tops".into(),
        brand: "Acme".into(),
        size: "M".into(),
        condition: "like_new".into(),
        colour: "blue".into(),
        price: price.into(),
        original_price: String::new(),
        parcel: "small".into(),
        ..Default::default()
    }
}

/// A draft with `photos`, queued for publishing. Returns its id.
pub fn queue_listing(store: &Store, title: &str, price: &str, photos: &[NewPhoto]) -> ListingId {
    let id = store
        .apply_edit(Edit::CreateDraft {
            values: values(title, price),
        })
        .unwrap()
        .id;
    for p in photos {
        store
            .apply_edit(Edit::AttachPhoto {
                id,
                photo: p.clone(),
            })
            .unwrap();
    }
    store.apply_edit(Edit::Publish { id }).unwrap();
    id
}

pub fn set_field(store: &Store, id: ListingId, field: DraftField, text: &str) {
    store
        .apply_edit(Edit::SetField {
            id,
            field,
            text: text.into(),
        })
        .unwrap();
}

/// The server's view, for the invariants.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ServerFacts {
    pub listings: usize,
    pub live: usize,
    /// Listings whose status changed more than once (published twice).
    pub status_changed_twice: usize,
    /// Mutations recorded per client, and how many were `applied`.
    pub recorded: usize,
    pub applied: usize,
    /// Photos attached across all listings.
    pub attached: usize,
    /// Blobs (not thumbnails) that no listing uses.
    pub unattached_blobs: usize,
    pub uploads_left: usize,
}

pub fn server_facts(server: &TestServer) -> ServerFacts {
    let db = server.db();
    let one =
        |sql: &str| -> usize { db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize };
    ServerFacts {
        listings: one("SELECT COUNT(*) FROM listings"),
        live: one("SELECT COUNT(*) FROM listings WHERE status = 'live'"),
        status_changed_twice: one("SELECT COUNT(*) FROM listings WHERE status_version > 1"),
        recorded: one("SELECT COUNT(*) FROM mutation_results"),
        applied: one("SELECT COUNT(*) FROM mutation_results WHERE outcome LIKE '%\"applied\"%'"),
        attached: one("SELECT COUNT(*) FROM listing_photos"),
        unattached_blobs: one("SELECT COUNT(*) FROM blobs b WHERE NOT EXISTS \
             (SELECT 1 FROM photos p JOIN listing_photos lp ON lp.photo_id = p.id WHERE p.sha256 = b.sha256) \
             AND NOT EXISTS (SELECT 1 FROM blobs t WHERE t.thumb_sha256 = b.sha256)"),
        uploads_left: one("SELECT COUNT(*) FROM uploads"),
    }
}

/// Every (photo id, sha256) the server has attached, fetched and hashed.
pub async fn fetched_photo_hashes(server: &TestServer) -> Vec<(String, String, String)> {
    let ids: Vec<(String, String)> = {
        let db = server.db();
        let mut stmt = db
            .prepare("SELECT p.id, p.sha256 FROM photos p JOIN listing_photos lp ON lp.photo_id = p.id ORDER BY p.id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let http = client(&server.url());
    let mut out = Vec::new();
    for (id, sha) in ids {
        let reply = http
            .send(
                http.request(Method::GET, &format!("/v1/photos/{id}")),
                64 << 20,
            )
            .await
            .unwrap();
        out.push((id, sha, format!("{:x}", Sha256::digest(reply.body()))));
    }
    out
}
