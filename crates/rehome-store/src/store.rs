//! The store handle: the database file (one writer, a pool of readers), the
//! photo folder, the clock and randomness it was given, and opening it all
//! (upgrade, check, reconcile).

use crate::clock::{Clock, SystemClock};
use crate::entropy::{Entropy, OsEntropy};
use crate::error::{self, StoreError};
use crate::photo_files::{self, ReconcileReport};
use crate::schema;
use rehome_model::sync::ClientId;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "rehome.sqlite3";
/// The photo folder's name inside the data folder.
pub const PHOTOS_DIR: &str = "photos";

/// The store. Cheap to share behind `&`: every method takes `&self`.
pub struct Store {
    db_path: PathBuf,
    photos_dir: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    client_id: ClientId,
    reconcile: ReconcileReport,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("db_path", &self.db_path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir`: upgrades the schema,
    /// checks the file, and reconciles photo files against rows.
    #[tracing::instrument(skip(clock, entropy), fields(dir = %dir.display()))]
    pub fn open(
        dir: &Path,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
    ) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| error::from_io(dir, e, "the data folder"))?;
        let db_path = dir.join(DB_FILE);
        let photos_dir = dir.join(PHOTOS_DIR);
        let mut writer = open_writer(&db_path)?;
        check_not_corrupt(&writer, &db_path)?;
        migrate(&mut writer, &db_path)?;
        std::fs::create_dir_all(&photos_dir)
            .map_err(|e| error::from_io(&photos_dir, e, "the photo folder"))?;
        let client_id = ensure_client_id(&mut writer, &db_path, entropy.as_ref())?;
        let reconcile = photo_files::reconcile(&mut writer, &db_path, &photos_dir)?;
        if !reconcile.is_clean() {
            tracing::warn!(?reconcile, "photo files reconciled");
        }
        Ok(Store {
            db_path,
            photos_dir,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            clock,
            entropy,
            client_id,
            reconcile,
        })
    }

    /// Opens with the system clock and OS randomness.
    pub fn open_default(dir: &Path) -> Result<Store, StoreError> {
        Self::open(dir, Arc::new(SystemClock), Arc::new(OsEntropy::default()))
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn photos_dir(&self) -> &Path {
        &self.photos_dir
    }

    /// This installation's client id (generated on first open).
    pub fn client_id(&self) -> ClientId {
        self.client_id
    }

    /// What the start-up reconciliation of photo files found.
    pub fn reconcile_report(&self) -> &ReconcileReport {
        &self.reconcile
    }

    pub fn now(&self) -> u64 {
        self.clock.now_millis()
    }

    /// A fresh random (version 4) id from the store's entropy: an offer's.
    pub fn new_uuid(&self) -> uuid::Uuid {
        uuid::Builder::from_random_bytes(self.random()).into_uuid()
    }

    pub(crate) fn random<const N: usize>(&self) -> [u8; N] {
        let mut b = [0u8; N];
        self.entropy.fill(&mut b);
        b
    }

    pub(crate) fn writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no half transaction behind
        // (rusqlite rolls back on drop), so a poisoned lock is still usable.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer, committed
    /// when it returns `Ok`.
    pub(crate) fn write_tx<T>(
        &self,
        context: &str,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer();
        let err = self.sqlite_err(context);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let out = f(&tx)?;
        tx.commit().map_err(&err)?;
        Ok(out)
    }

    /// Runs `f` on a read-only connection from the pool (never blocked by the
    /// writer in WAL mode).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = {
            let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
            pool.pop()
        };
        let conn = match conn {
            Some(c) => c,
            None => open_reader(&self.db_path)?,
        };
        let result = f(&conn);
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 4 {
            pool.push(conn);
        }
        result
    }

    pub(crate) fn sqlite_err(&self, context: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        let context = context.to_owned();
        move |e| error::from_sqlite(&self.db_path, e, &context)
    }
}

fn open_writer(db: &Path) -> Result<Connection, StoreError> {
    let err = |e| error::from_sqlite(db, e, "the database");
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    // SQLite quietly falls back to read-only when the file or folder cannot be
    // written; an edit would then fail late. Say so now, with the reason.
    if conn.is_readonly(rusqlite::MAIN_DB).map_err(err)? {
        error::probe_writable(db)?;
        return Err(StoreError::ReadOnly {
            path: db.to_owned(),
            reason: "the database file is read-only".into(),
        });
    }
    error::probe_writable(db)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
    // journal_mode answers with the mode now in force.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        // A read-only file cannot switch to WAL: say why, rather than run without it.
        error::probe_writable(db)?;
        return Err(StoreError::Invalid {
            field: None,
            message: format!("the database would not switch to WAL (mode {mode})"),
        });
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(err)?;
    Ok(conn)
}

fn open_reader(db: &Path) -> Result<Connection, StoreError> {
    let err = |e| error::from_sqlite(db, e, "the database");
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
    Ok(conn)
}

/// `PRAGMA quick_check` at open: a damaged file is reported at once, with a
/// clear error, instead of failing somewhere in the middle of an edit.
fn check_not_corrupt(conn: &Connection, db: &Path) -> Result<(), StoreError> {
    let result: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| error::from_sqlite(db, e, "the database check"))?;
    if result != "ok" {
        return Err(StoreError::Corrupt {
            path: db.to_owned(),
            reason: result,
        });
    }
    Ok(())
}

fn migrate(conn: &mut Connection, db: &Path) -> Result<(), StoreError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| error::from_sqlite(db, e, "the schema version"))?;
    if version > schema::LATEST {
        return Err(StoreError::TooNew {
            path: db.to_owned(),
            found: version,
            known: schema::LATEST,
        });
    }
    if version < schema::LATEST {
        tracing::info!(from = version, to = schema::LATEST, "upgrading the store");
        schema::migrations()
            .to_latest(conn)
            .map_err(|e| error::migration_error(db, e))?;
    }
    Ok(())
}

/// This installation's client id, generated (from `entropy`) on first open.
fn ensure_client_id(
    conn: &mut Connection,
    db: &Path,
    entropy: &dyn Entropy,
) -> Result<ClientId, StoreError> {
    let err = |e| error::from_sqlite(db, e, "the client id");
    let existing: Option<String> = conn
        .query_row("SELECT client_id FROM sync_state WHERE one = 1", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(err)?;
    let text = match existing {
        Some(t) => t,
        None => {
            let mut bytes = [0u8; 16];
            entropy.fill(&mut bytes);
            let id = uuid::Builder::from_random_bytes(bytes)
                .into_uuid()
                .to_string();
            conn.execute(
                "INSERT OR IGNORE INTO sync_state (one, client_id) VALUES (1, ?1)",
                [&id],
            )
            .map_err(err)?;
            conn.query_row("SELECT client_id FROM sync_state WHERE one = 1", [], |r| {
                r.get(0)
            })
            .map_err(err)?
        }
    };
    text.parse()
        .map(ClientId)
        .map_err(|e| StoreError::Decode(format!("client id: {e}")))
}

/// Runs `PRAGMA integrity_check` on the database file (tests, diagnostics).
pub fn integrity_check(db: &Path) -> Result<String, StoreError> {
    let conn = open_reader(db)?;
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<_, _>>()
        })
        .map_err(|e| error::from_sqlite(db, e, "the integrity check"))?;
    Ok(rows.join("\n"))
}
