//! Opening the file, the migrations, the writer and the reader pool, and the
//! `meta`/`counters` tables every other table group leans on.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// The schema's history. Append only: never edit a shipped migration.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_2.sql")),
        M::up_with_hook(
            include_str!("schema_3.sql"),
            |tx: &rusqlite::Transaction| {
                let rows: Vec<(String, Option<String>, String)> = tx
                    .prepare("SELECT id, category, size FROM listings")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                let mut update =
                    tx.prepare("UPDATE listings SET size_tokens = ?2 WHERE id = ?1")?;
                for (id, category, size) in rows {
                    update.execute(rusqlite::params![
                        id,
                        rehome_model::size::listing_column(
                            category.as_deref().and_then(rehome_model::Category::parse),
                            &size
                        )
                    ])?;
                }
                Ok(())
            },
        ),
        M::up(include_str!("schema_4.sql")),
        M::up(include_str!("schema_5.sql")),
        M::up(include_str!("schema_6.sql")),
        M::up(include_str!("schema_7.sql")),
        M::up(include_str!("schema_8.sql")),
    ])
}

/// The number of the newest migration (what `user_version` reads after opening).
pub fn schema_version() -> usize {
    8
}

pub struct Storage {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Readers>,
    /// Signalled when a reader goes back to the pool.
    returned: Condvar,
}

/// The reader pool: at most `max` connections ever open; a read that finds
/// none idle waits for one (so a burst of requests cannot run the process
/// out of file descriptors).
struct Readers {
    idle: Vec<Connection>,
    opened: usize,
    max: usize,
}

/// Readers a [`Storage`] opens at most when not told otherwise.
pub const DEFAULT_READERS: usize = 8;

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

impl Storage {
    /// Opens (creating if needed) `dir/rehome.sqlite3` and migrates it to the latest schema.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with_readers(dir, DEFAULT_READERS)
    }

    /// [`Storage::open`] with at most `max_readers` reading connections.
    pub fn open_with_readers(dir: &Path, max_readers: usize) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("rehome.sqlite3");
        let mut conn = Connection::open(&path)?;
        configure(&conn)?;
        migrations().to_latest(&mut conn)?;
        Ok(Self {
            path,
            writer: Mutex::new(conn),
            readers: Mutex::new(Readers {
                idle: Vec::new(),
                opened: 0,
                max: max_readers.max(1),
            }),
            returned: Condvar::new(),
        })
    }

    /// How many reading connections are open (idle or in use).
    pub fn readers_open(&self) -> usize {
        self.readers.lock().map_or(0, |r| r.opened)
    }

    /// An idle reader, a new one while fewer than the most are open, or
    /// (waiting for one to come back) the next one returned.
    fn take_reader(&self) -> Result<Connection> {
        let poisoned = || StorageError::Corrupt("reader pool poisoned".into());
        let mut pool = self.readers.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(conn) = pool.idle.pop() {
                return Ok(conn);
            }
            if pool.opened < pool.max {
                pool.opened += 1;
                drop(pool);
                let opened = Connection::open(&self.path)
                    .map_err(StorageError::from)
                    .and_then(|c| configure(&c).map(|()| c).map_err(StorageError::from));
                if opened.is_err() {
                    self.forget_reader();
                }
                return opened;
            }
            pool = self.returned.wait(pool).map_err(|_| poisoned())?;
        }
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut pool) = self.readers.lock() {
            pool.idle.push(conn);
        }
        self.returned.notify_one();
    }

    /// A reader that could not be opened, or was lost: room for another.
    fn forget_reader(&self) {
        if let Ok(mut pool) = self.readers.lock() {
            pool.opened -= 1;
        }
        self.returned.notify_one();
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn user_version(&self) -> Result<i64> {
        self.read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
    }

    pub(super) fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let conn = self.take_reader()?;
        // Given back even if `f` panics (the pool must not shrink for ever).
        struct Back<'s>(&'s Storage, Option<Connection>);
        impl Drop for Back<'_> {
            fn drop(&mut self) {
                match self.1.take() {
                    Some(conn) => self.0.give_back(conn),
                    None => self.0.forget_reader(),
                }
            }
        }
        let back = Back(self, Some(conn));
        let out = f(back
            .1
            .as_ref()
            .ok_or_else(|| StorageError::Corrupt("no reader".into()))?);
        drop(back);
        Ok(out?)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits when it returns Ok.
    pub fn write<T, E: From<StorageError>>(
        &self,
        f: impl FnOnce(&WriteTx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self
            .writer
            .lock()
            .map_err(|_| StorageError::Corrupt("writer lock poisoned".into()))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StorageError::from)?;
        let wtx = WriteTx { tx };
        let out = f(&wtx)?;
        wtx.tx.commit().map_err(StorageError::from)?;
        Ok(out)
    }

    pub fn meta(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.read(|c| {
            c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
        })
    }

    /// The stored value of `key`, or `make()` stored and returned if there is none.
    pub fn meta_or_insert(&self, key: &str, make: impl FnOnce() -> Vec<u8>) -> Result<Vec<u8>> {
        self.write(|tx| {
            let found: Option<Vec<u8>> = tx
                .tx
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?;
            match found {
                Some(v) => Ok(v),
                None => {
                    let v = make();
                    tx.set_meta(key, &v)?;
                    Ok(v)
                }
            }
        })
    }
}

/// A write transaction. Every method is one narrow operation on the schema.
pub struct WriteTx<'c> {
    pub(super) tx: Transaction<'c>,
}

impl WriteTx<'_> {
    pub fn set_meta(&self, key: &str, value: &[u8]) -> Result<()> {
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn has_meta(&self, key: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_row("SELECT 1 FROM meta WHERE key = ?1", [key], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The next value of the global change sequence (pull cookies are positions in it).
    pub fn next_change_seq(&self) -> Result<i64> {
        Ok(self.tx.query_row(
            "UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value",
            [],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::NewUser;
    use rehome_model::UserId;

    #[test]
    fn version_2_records_who_holds_existing_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rehome.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, handle, password_hash, created_at) VALUES
                 ('u1', 'uploader', '!', 1), ('u2', 'attacher', '!', 1), ('u3', 'claimer', '!', 1);
             INSERT INTO blobs (sha256, bytes, width, height, thumb_sha256, created_at) VALUES
                 ('aa', 10, 1, 1, 'ta', 1), ('bb', 20, 1, 1, 'tb', 1);
             INSERT INTO uploads (id, owner_id, photo_id, length, offset, sha256, created_at, expires_at, completed_at)
                 VALUES ('up1', 'u1', NULL, 10, 10, 'aa', 1, 9, 2),
                        ('up2', 'u3', NULL, 20, 5, NULL, 1, 9, NULL);
             INSERT INTO photos (id, sha256, owner_id, created_at) VALUES ('p1', 'bb', 'u2', 1);",
        )
        .unwrap();
        drop(conn);
        let store = Storage::open(dir.path()).unwrap();
        let held = |sha: &str, user: &str| {
            store
                .read(|c| {
                    c.query_row(
                        "SELECT COUNT(*) FROM blob_holders WHERE sha256 = ?1 AND user_id = ?2",
                        [sha, user],
                        |r| r.get::<_, i64>(0),
                    )
                })
                .unwrap()
        };
        assert_eq!(
            [
                held("aa", "u1"),
                held("bb", "u2"),
                held("aa", "u2"),
                held("bb", "u3")
            ],
            [1, 1, 0, 0]
        );
    }

    #[test]
    fn version_3_reads_existing_size_labels_into_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("rehome.sqlite3")).unwrap();
        migrations().to_version(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, handle, password_hash, created_at) VALUES ('u1', 'seller', '!', 1);
             INSERT INTO listings (id, seller_id, category, size, price, quantity, status, created_at, change_seq)
                 VALUES ('l1', 'u1', 'tops', 'UK 10', 100, 1, 'live', 1, 1),
                        ('l2', 'u1', 'shoes', 'EU 42', 100, 1, 'live', 1, 2),
                        ('l3', 'u1', NULL, '', 100, 1, 'draft', 1, 3);",
        )
        .unwrap();
        drop(conn);
        let store = Storage::open(dir.path()).unwrap();
        let tokens: Vec<String> = store
            .read(|c| {
                c.prepare("SELECT size_tokens FROM listings ORDER BY id")?
                    .query_map([], |r| r.get(0))?
                    .collect()
            })
            .unwrap();
        assert_eq!(tokens, [" m ", " e83 e84 e85 ", " "]);
    }

    #[test]
    fn version_4_keeps_the_price_each_old_like_sees_at_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("rehome.sqlite3")).unwrap();
        migrations().to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, handle, password_hash, created_at) VALUES ('u1', 'buyer', '!', 1);
             INSERT INTO listings (id, seller_id, price, quantity, status, created_at, change_seq)
                 VALUES ('l1', 'u1', 1250, 1, 'live', 1, 1);
             INSERT INTO likes (user_id, listing_id, created_at) VALUES ('u1', 'l1', 5);",
        )
        .unwrap();
        drop(conn);
        let store = Storage::open(dir.path()).unwrap();
        let price: i64 = store
            .read(|c| c.query_row("SELECT price_at_like FROM likes", [], |r| r.get(0)))
            .unwrap();
        assert_eq!(price, 1250);
    }

    #[test]
    fn migrations_are_valid_and_reach_the_latest_version() {
        migrations().validate().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        assert_eq!(store.user_version().unwrap(), schema_version() as i64);
        drop(store);
        // Opening again is a no-op migration that keeps the rows.
        let store = Storage::open(dir.path()).unwrap();
        assert_eq!(store.user_version().unwrap(), schema_version() as i64);
        store
            .write(|tx| {
                tx.insert_user(
                    &NewUser {
                        id: UserId::from_parts(1, [1; 10]),
                        handle: "kept".into(),
                        password_hash: "!".into(),
                        sizes: vec!["M".into()],
                    },
                    5,
                )
            })
            .unwrap();
        drop(store);
        let store = Storage::open(dir.path()).unwrap();
        assert!(store.user_by_handle("kept").unwrap().is_some());
        drop(store);
        // A file from a newer server is refused, not silently used.
        let conn = Connection::open(dir.path().join("rehome.sqlite3")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            Storage::open(dir.path()),
            Err(StorageError::Migration(_))
        ));
    }

    /// What SQLite plans for `sql`: one line per step, the scans and index
    /// searches it will do.
    fn plan(store: &Storage, sql: &str) -> String {
        store
            .read(|c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
                let rows =
                    stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap()
            .join("; ")
    }

    #[test]
    fn what_runs_under_the_writer_lock_searches_indexes_instead_of_scanning() {
        use crate::storage::{photos, uploads};
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        let plans: Vec<String> = [
            ("expired uploads", uploads::EXPIRED_UPLOADS),
            ("photo sizes by content", uploads::SIZE_PHOTOS),
            ("unfinished upload bytes", uploads::UNFINISHED_BYTES),
            ("held photo bytes", uploads::HELD_BYTES),
            ("content in use", photos::BLOB_IN_USE),
            ("unshown photos of content", photos::DELETE_UNSHOWN_PHOTOS),
            ("file named by a blob", photos::FILE_NAMED),
        ]
        .into_iter()
        .map(|(name, sql)| format!("{name}: {}", plan(&store, sql)))
        .collect();
        for p in &plans {
            assert!(
                !p.contains("SCAN photos") && !p.contains("SCAN uploads"),
                "{p}"
            );
        }
        expect_test::expect![[r#"
            expired uploads: SEARCH uploads USING INDEX uploads_expires (expires_at<?)
            photo sizes by content: SEARCH photos USING INDEX photos_sha256 (sha256=?)
            unfinished upload bytes: SEARCH uploads USING INDEX uploads_owner_unfinished (owner_id=?)
            held photo bytes: SEARCH h USING COVERING INDEX blob_holders_user (user_id=?); SEARCH b USING INDEX sqlite_autoindex_blobs_1 (sha256=?)
            content in use: SCAN CONSTANT ROW; SCALAR SUBQUERY 1; SEARCH p USING INDEX photos_sha256 (sha256=?); SEARCH lp USING COVERING INDEX listing_photos_photo (photo_id=?); SCALAR SUBQUERY 2; SEARCH u USING COVERING INDEX uploads_sha256 (sha256=?)
            unshown photos of content: SEARCH photos USING INDEX photos_sha256 (sha256=?); USING INDEX listing_photos_photo FOR IN-OPERATOR; SEARCH demo_shots USING COVERING INDEX sqlite_autoindex_demo_shots_1 (photo_id=?); SEARCH listing_photos USING COVERING INDEX listing_photos_photo (photo_id=?)
            file named by a blob: SCAN CONSTANT ROW; SCALAR SUBQUERY 1; SEARCH blobs USING COVERING INDEX sqlite_autoindex_blobs_1 (sha256=?); SCALAR SUBQUERY 2; SEARCH blobs USING COVERING INDEX blobs_thumb (thumb_sha256=?)"#]].assert_eq(&plans.join("\n"));
    }

    #[test]
    fn a_burst_of_reads_waits_for_the_bounded_pool_instead_of_opening_more() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Storage::open_with_readers(dir.path(), 2).unwrap());
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (store, inside, most) = (store.clone(), inside.clone(), most.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let n: i64 = store
                            .read(|c| {
                                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                                most.fetch_max(now, Ordering::SeqCst);
                                std::thread::yield_now();
                                let n = c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0));
                                inside.fetch_sub(1, Ordering::SeqCst);
                                n
                            })
                            .unwrap();
                        assert_eq!(n, 0);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= 2);
        assert!(store.readers_open() <= 2, "{}", store.readers_open());
    }

    #[test]
    fn the_schema_is_in_wal_mode_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        let (mode, fk, sync): (String, i64, i64) = store
            .read(|c| {
                Ok((
                    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                    c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                    c.query_row("PRAGMA synchronous", [], |r| r.get(0))?,
                ))
            })
            .unwrap();
        assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2));
    }
}
