//! All SQL lives here, behind a narrow interface: the rest of the server speaks
//! in domain types and never sees a statement. A PostgreSQL backend would replace
//! this module (see ARCHITECTURE-server.md).
//!
//! SQLite in WAL mode with `synchronous=FULL` (a confirmed push must survive a
//! power cut: the client deletes its outbox row on our word), foreign keys on,
//! one writer connection taking `BEGIN IMMEDIATE`, and a small pool of readers.

use rehome_model::{ListingCard, ListingId, Money, PhotoRef, SellerRef, UserId};
use rusqlite::types::Value;
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
    Migrations::new(vec![M::up(include_str!("schema.sql"))])
}

/// The number of the newest migration (what `user_version` reads after opening).
pub fn schema_version() -> usize {
    1
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

/// A card's position in a list: the sort score (newest first) and the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyset {
    pub score: i64,
    pub id: String,
}

/// Which cards a list shows, and in what order.
#[derive(Clone, Debug)]
pub enum CardList {
    /// Live listings, newest first; for a signed-in viewer boosted by the sellers
    /// they follow, the brands they liked and their sizes.
    Feed {
        viewer: Option<UserId>,
    },
    Search(SearchFilter),
    /// A seller's live listings.
    Closet {
        seller: UserId,
    },
    /// What a user liked, most recent like first.
    Likes {
        user: UserId,
    },
}

/// Search filters; every one present must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFilter {
    pub text: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub size: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub condition: Option<String>,
}

/// What a photo id names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoState {
    Ready(BlobInfo),
    /// A demo shot to draw from this spec before it can be served.
    DemoPending(String),
    Missing,
}

/// A stored photo's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobInfo {
    pub sha256: String,
    pub thumb_sha256: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// Boosts of the personalised feed, in milliseconds of freshness.
pub const BOOST_FOLLOWED_MS: i64 = 48 * 3_600_000;
pub const BOOST_LIKED_BRAND_MS: i64 = 24 * 3_600_000;
pub const BOOST_SIZE_MS: i64 = 12 * 3_600_000;

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

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
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

    /// One page of cards after `after` (exclusive), with each card's keyset.
    pub fn cards(
        &self,
        list: &CardList,
        after: Option<&Keyset>,
        limit: u32,
    ) -> Result<Vec<(ListingCard, Keyset)>> {
        let mut values: Vec<Value> = Vec::new();
        let mut wheres: Vec<String> = Vec::new();
        let mut from = String::from("listings l JOIN users u ON u.id = l.seller_id");
        let score = match list {
            CardList::Feed { viewer: None } => "l.published_at".to_owned(),
            CardList::Feed { viewer: Some(v) } => {
                let v = v.to_string();
                wheres.push("l.seller_id <> ?1".into());
                values.push(Value::Text(v));
                format!(
                    "l.published_at \
                     + CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ?1 AND f.seller_id = l.seller_id) THEN {BOOST_FOLLOWED_MS} ELSE 0 END \
                     + CASE WHEN l.brand <> '' AND EXISTS (SELECT 1 FROM likes k JOIN listings lb ON lb.id = k.listing_id WHERE k.user_id = ?1 AND lb.brand = l.brand COLLATE NOCASE) THEN {BOOST_LIKED_BRAND_MS} ELSE 0 END \
                     + CASE WHEN EXISTS (SELECT 1 FROM user_sizes s WHERE s.user_id = ?1 AND s.size = l.size COLLATE NOCASE) THEN {BOOST_SIZE_MS} ELSE 0 END"
                )
            }
            CardList::Search(_) | CardList::Closet { .. } => "l.published_at".to_owned(),
            CardList::Likes { user } => {
                from.push_str(" JOIN likes k ON k.listing_id = l.id AND k.user_id = ?1");
                values.push(Value::Text(user.to_string()));
                "k.created_at".to_owned()
            }
        };
        // Every placeholder is numbered: ?1 is the viewer or user where the list has one.
        let status = match list {
            CardList::Likes { .. } => "l.status IN ('live', 'sold', 'delisted')",
            _ => "l.status = 'live'",
        };
        wheres.insert(0, status.to_owned());
        match list {
            CardList::Closet { seller } => {
                wheres.push(format!("l.seller_id = ?{}", values.len() + 1));
                values.push(Value::Text(seller.to_string()));
            }
            CardList::Search(filter) => push_search(filter, &mut wheres, &mut values),
            _ => {}
        }
        let mut outer_where = String::new();
        if let Some(after) = after {
            let a = values.len() + 1;
            outer_where = format!("WHERE score < ?{a} OR (score = ?{a} AND id < ?{})", a + 1);
            values.push(Value::Integer(after.score));
            values.push(Value::Text(after.id.clone()));
        }
        let lim = values.len() + 1;
        values.push(Value::Integer(i64::from(limit)));
        let sql = format!(
            "SELECT * FROM (SELECT l.id AS id, l.title, l.price, l.original_price, l.brand, l.size, \
                l.seller_id, u.handle, l.like_count, {score} AS score \
             FROM {from} WHERE {}) {outer_where} \
             ORDER BY score DESC, id DESC LIMIT ?{lim}",
            wheres.join(" AND ")
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                ))
            })?;
            let mut out = Vec::new();
            let mut cover = c.prepare_cached(
                "SELECT p.id, p.width, p.height FROM listing_photos lp \
                 JOIN photos p ON p.id = lp.photo_id \
                 WHERE lp.listing_id = ?1 ORDER BY lp.position LIMIT 1",
            )?;
            for row in rows {
                let (id, title, price, original, brand, size, seller_id, handle, likes, score) =
                    row?;
                let cover = cover
                    .query_row([&id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, u32>(1)?,
                            r.get::<_, u32>(2)?,
                        ))
                    })
                    .optional()?
                    .and_then(|(pid, width, height)| {
                        Some(PhotoRef {
                            id: pid.parse().ok()?,
                            width,
                            height,
                        })
                    });
                let (Ok(listing_id), Ok(seller)) =
                    (id.parse::<ListingId>(), seller_id.parse::<UserId>())
                else {
                    continue;
                };
                out.push((
                    ListingCard {
                        id: listing_id,
                        title,
                        price: Money(price),
                        original_price: original.map(Money),
                        brand,
                        size,
                        seller: SellerRef { id: seller, handle },
                        cover,
                        like_count: u32::try_from(likes).unwrap_or(0),
                    },
                    Keyset {
                        score: score.unwrap_or(0),
                        id,
                    },
                ));
            }
            Ok(out)
        })
    }

    /// What a photo id names: complete bytes, a demo shot still to draw, or nothing.
    pub fn photo(&self, photo_id: &str) -> Result<PhotoState> {
        self.read(|c| {
            let ready = c
                .prepare_cached(
                    "SELECT b.sha256, b.thumb_sha256, b.width, b.height, b.bytes \
                     FROM photos p JOIN blobs b ON b.sha256 = p.sha256 WHERE p.id = ?1",
                )?
                .query_row([photo_id], blob_row)
                .optional()?;
            if let Some(blob) = ready {
                return Ok(PhotoState::Ready(blob));
            }
            let spec: Option<String> = c
                .prepare_cached(
                    "SELECT d.spec FROM demo_shots d JOIN photos p ON p.id = d.photo_id \
                     WHERE d.photo_id = ?1 AND p.sha256 IS NULL",
                )?
                .query_row([photo_id], |r| r.get(0))
                .optional()?;
            Ok(spec.map_or(PhotoState::Missing, PhotoState::DemoPending))
        })
    }

    /// Demo shots not drawn yet, in feed order (newest listing first).
    pub fn pending_demo_shots(&self) -> Result<Vec<(String, String)>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT d.photo_id, d.spec FROM demo_shots d JOIN photos p ON p.id = d.photo_id \
                 WHERE p.sha256 IS NULL ORDER BY d.photo_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
    }

    pub fn blob(&self, sha256: &str) -> Result<Option<BlobInfo>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT sha256, thumb_sha256, width, height, bytes FROM blobs WHERE sha256 = ?1",
            )?
            .query_row([sha256], blob_row)
            .optional()
        })
    }

    /// How many listings have each status (for tests and the demo check).
    pub fn count_listings(&self, status: &str) -> Result<i64> {
        self.read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM listings WHERE status = ?1",
                [status],
                |r| r.get(0),
            )
        })
    }
}

fn blob_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BlobInfo> {
    Ok(BlobInfo {
        sha256: r.get(0)?,
        thumb_sha256: r.get(1)?,
        width: r.get(2)?,
        height: r.get(3)?,
        bytes: r.get::<_, i64>(4)?.max(0) as u64,
    })
}

fn like_pattern(word: &str) -> String {
    let mut p = String::from("%");
    for ch in word.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn push_search(filter: &SearchFilter, wheres: &mut Vec<String>, values: &mut Vec<Value>) {
    let next = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        values.len()
    };
    if let Some(text) = &filter.text {
        for word in text.split_whitespace().take(8) {
            let n = next(values, Value::Text(like_pattern(word)));
            wheres.push(format!(
                "(l.title LIKE ?{n} ESCAPE '\\' OR l.brand LIKE ?{n} ESCAPE '\\' OR l.description LIKE ?{n} ESCAPE '\\' OR l.colour LIKE ?{n} ESCAPE '\\')"
            ));
        }
    }
    if let Some(v) = &filter.category {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.category = ?{n}"));
    }
    if let Some(v) = &filter.brand {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.brand = ?{n} COLLATE NOCASE"));
    }
    if let Some(v) = &filter.size {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.size = ?{n} COLLATE NOCASE"));
    }
    if let Some(v) = filter.min_price {
        let n = next(values, Value::Integer(v));
        wheres.push(format!("l.price >= ?{n}"));
    }
    if let Some(v) = filter.max_price {
        let n = next(values, Value::Integer(v));
        wheres.push(format!("l.price <= ?{n}"));
    }
    if let Some(v) = &filter.condition {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.condition = ?{n}"));
    }
}

/// A write transaction. Every method is one narrow operation on the schema.
pub struct WriteTx<'c> {
    tx: Transaction<'c>,
}

/// A user, as the demo seeds it or sign-up creates it.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: UserId,
    pub handle: String,
    pub password_hash: String,
    pub sizes: Vec<String>,
}

/// A listing row, as the demo seeds it.
#[derive(Clone, Debug)]
pub struct SeedListing {
    pub id: ListingId,
    pub seller_id: UserId,
    pub title: String,
    pub description: String,
    pub category: String,
    pub brand: String,
    pub size: String,
    pub condition: String,
    pub colour: String,
    pub original_price: Option<i64>,
    pub price: i64,
    pub published_at: i64,
    /// (photo id, demo shot spec, width, height), in order.
    pub photos: Vec<(String, String, u32, u32)>,
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

    /// Inserts a user unless one with that id exists. False when the handle is taken.
    pub fn insert_user(&self, user: &NewUser, now: i64) -> Result<bool> {
        let taken: Option<String> = self
            .tx
            .query_row(
                "SELECT id FROM users WHERE handle = ?1 COLLATE NOCASE",
                [&user.handle],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = taken {
            return Ok(id == user.id.to_string());
        }
        self.tx.execute(
            "INSERT OR IGNORE INTO users (id, handle, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![user.id.to_string(), user.handle, user.password_hash, now],
        )?;
        for size in &user.sizes {
            self.tx.execute(
                "INSERT OR IGNORE INTO user_sizes (user_id, size) VALUES (?1, ?2)",
                params![user.id.to_string(), size],
            )?;
        }
        Ok(true)
    }

    pub fn insert_blob(&self, blob: &BlobInfo, now: i64) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO blobs (sha256, bytes, width, height, thumb_sha256, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                blob.sha256,
                blob.bytes as i64,
                blob.width,
                blob.height,
                blob.thumb_sha256,
                now
            ],
        )?;
        Ok(())
    }

    pub fn insert_seed_listing(&self, l: &SeedListing) -> Result<()> {
        let seq = self.next_change_seq()?;
        let id = l.id.to_string();
        let inserted = self.tx.execute(
            "INSERT OR IGNORE INTO listings (id, seller_id, title, description, category, brand, size, \
                condition, colour, original_price, price, quantity, status, created_at, published_at, change_seq) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, 'live', ?12, ?12, ?13)",
            params![
                id,
                l.seller_id.to_string(),
                l.title,
                l.description,
                l.category,
                l.brand,
                l.size,
                l.condition,
                l.colour,
                l.original_price,
                l.price,
                l.published_at,
                seq
            ],
        )?;
        if inserted == 0 {
            return Ok(());
        }
        for (pos, (photo_id, spec, width, height)) in l.photos.iter().enumerate() {
            self.tx.execute(
                "INSERT OR IGNORE INTO photos (id, sha256, width, height, owner_id, created_at) \
                 VALUES (?1, NULL, ?2, ?3, ?4, ?5)",
                params![
                    photo_id,
                    width,
                    height,
                    l.seller_id.to_string(),
                    l.published_at
                ],
            )?;
            self.tx.execute(
                "INSERT OR IGNORE INTO demo_shots (photo_id, spec) VALUES (?1, ?2)",
                params![photo_id, spec],
            )?;
            self.tx.execute(
                "INSERT OR IGNORE INTO listing_photos (listing_id, photo_id, position) VALUES (?1, ?2, ?3)",
                params![id, photo_id, pos as i64],
            )?;
        }
        Ok(())
    }

    /// Records a drawn demo shot: its blob, and the photo now naming it.
    pub fn set_photo_blob(&self, photo_id: &str, blob: &BlobInfo, now: i64) -> Result<()> {
        self.insert_blob(blob, now)?;
        self.tx.execute(
            "UPDATE photos SET sha256 = ?2, width = ?3, height = ?4 WHERE id = ?1",
            params![photo_id, blob.sha256, blob.width, blob.height],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }

    #[test]
    fn migrations_are_valid_and_reach_the_latest_version() {
        migrations().validate().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        assert_eq!(store.user_version().unwrap(), schema_version() as i64);
        drop(store);
        // Opening again is a no-op migration.
        let store = Storage::open(dir.path()).unwrap();
        assert_eq!(store.user_version().unwrap(), schema_version() as i64);
    }
}
