//! Opening the file, the migrations, the writer and the reader pool, and the
//! `meta`/`counters` tables every other table group leans on.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    ])
}

/// The number of the newest migration (what `user_version` reads after opening).
pub fn schema_version() -> usize {
    5
}

pub struct Storage {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

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
        std::fs::create_dir_all(dir)?;
        let path = dir.join("rehome.sqlite3");
        let mut conn = Connection::open(&path)?;
        configure(&conn)?;
        migrations().to_latest(&mut conn)?;
        Ok(Self {
            path,
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn user_version(&self) -> Result<i64> {
        self.read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
    }

    pub(super) fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let pooled = self
            .readers
            .lock()
            .map(|mut pool| pool.pop())
            .unwrap_or(None);
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = Connection::open(&self.path)?;
                configure(&conn)?;
                conn
            }
        };
        let out = f(&conn);
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < 8
        {
            pool.push(conn);
        }
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
