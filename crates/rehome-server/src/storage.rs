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
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_2.sql")),
    ])
}

/// The number of the newest migration (what `user_version` reads after opening).
pub fn schema_version() -> usize {
    2
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

/// Boosts of the personalised feed, in milliseconds of freshness. Each is twice
/// the one below, so among listings published within 4 days of each other the
/// order is: followed sellers, then liked brands, then the buyer's sizes, then
/// freshness; older listings fade back gradually instead of vanishing.
pub const BOOST_FOLLOWED_MS: i64 = 16 * 86_400_000;
pub const BOOST_LIKED_BRAND_MS: i64 = 8 * 86_400_000;
pub const BOOST_SIZE_MS: i64 = 4 * 86_400_000;

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
                     FROM photos p JOIN blobs b ON b.sha256 = p.sha256 \
                     JOIN blob_holders h ON h.sha256 = p.sha256 AND h.user_id = p.owner_id \
                     WHERE p.id = ?1",
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

    /// The blob with this hash if `user` holds it (uploaded its bytes): the
    /// only content an upload of theirs may dedupe against.
    pub fn held_blob(&self, sha256: &str, user: &UserId) -> Result<Option<BlobInfo>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT b.sha256, b.thumb_sha256, b.width, b.height, b.bytes FROM blobs b \
                 JOIN blob_holders h ON h.sha256 = b.sha256 \
                 WHERE b.sha256 = ?1 AND h.user_id = ?2",
            )?
            .query_row(params![sha256, user.to_string()], blob_row)
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

    /// Records a drawn demo shot: its blob, and the photo now naming it (its
    /// seller holds the content).
    pub fn set_photo_blob(&self, photo_id: &str, blob: &BlobInfo, now: i64) -> Result<()> {
        self.insert_blob(blob, now)?;
        self.tx.execute(
            "UPDATE photos SET sha256 = ?2, width = ?3, height = ?4 WHERE id = ?1",
            params![photo_id, blob.sha256, blob.width, blob.height],
        )?;
        self.tx.execute(
            "INSERT OR IGNORE INTO blob_holders (sha256, user_id) \
             SELECT ?2, owner_id FROM photos WHERE id = ?1 AND owner_id IS NOT NULL",
            params![photo_id, blob.sha256],
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

// ---------------------------------------------------------------------------
// Listings, accounts, sync bookkeeping, uploads and notifications.
// ---------------------------------------------------------------------------

use rehome_model::api::{Notification, NotificationKind, NotificationSettings};
use rehome_model::sync::{ListingFields, ListingStatus, Parcel};
use rehome_model::{Category, Condition};

pub fn status_str(s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => "draft",
        ListingStatus::Live => "live",
        ListingStatus::Delisted => "delisted",
        ListingStatus::Sold => "sold",
        ListingStatus::Deleted => "deleted",
    }
}

fn parse_status(s: &str) -> ListingStatus {
    match s {
        "live" => ListingStatus::Live,
        "delisted" => ListingStatus::Delisted,
        "sold" => ListingStatus::Sold,
        "deleted" => ListingStatus::Deleted,
        _ => ListingStatus::Draft,
    }
}

pub fn kind_str(k: NotificationKind) -> &'static str {
    match k {
        NotificationKind::PriceDrop => "price_drop",
        NotificationKind::Offer => "offer",
        NotificationKind::OfferAccepted => "offer_accepted",
        NotificationKind::OfferDeclined => "offer_declined",
        NotificationKind::NewListing => "new_listing",
        NotificationKind::FirstSale => "first_sale",
        NotificationKind::Digest => "digest",
    }
}

fn parse_kind(s: &str) -> NotificationKind {
    match s {
        "price_drop" => NotificationKind::PriceDrop,
        "offer" => NotificationKind::Offer,
        "offer_accepted" => NotificationKind::OfferAccepted,
        "offer_declined" => NotificationKind::OfferDeclined,
        "new_listing" => NotificationKind::NewListing,
        "first_sale" => NotificationKind::FirstSale,
        _ => NotificationKind::Digest,
    }
}

/// A listing as stored, with its guarded-field versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingRow {
    pub id: ListingId,
    pub seller_id: UserId,
    pub fields: ListingFields,
    pub price: i64,
    pub price_version: u64,
    pub quantity: u32,
    pub quantity_version: u64,
    pub status: ListingStatus,
    pub status_version: u64,
    pub like_count: u32,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

/// A photo attached to a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachedPhoto {
    pub photo_id: String,
    pub sha256: Option<String>,
    /// The bytes are uploaded and checked (or it is a demo shot).
    pub complete: bool,
    pub width: u32,
    pub height: u32,
}

const LISTING_COLUMNS: &str = "id, seller_id, title, description, category, brand, size, condition, colour, \
     original_price, parcel, price, price_version, quantity, quantity_version, status, status_version, \
     like_count, created_at, published_at";

fn listing_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ListingRow> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let bad = |i: usize, e: uuid::Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let category: Option<String> = r.get(4)?;
    let condition: Option<String> = r.get(7)?;
    let parcel: Option<String> = r.get(10)?;
    Ok(ListingRow {
        id: text(0)?.parse().map_err(|e| bad(0, e))?,
        seller_id: text(1)?.parse().map_err(|e| bad(1, e))?,
        fields: ListingFields {
            title: Some(text(2)?),
            description: Some(text(3)?),
            category: category.as_deref().and_then(Category::parse),
            brand: Some(text(5)?),
            size: Some(text(6)?),
            condition: condition.as_deref().and_then(Condition::parse),
            colour: r.get(8)?,
            original_price: r.get::<_, Option<i64>>(9)?.map(Money),
            parcel: parcel.and_then(|p| serde_json::from_str::<Parcel>(&p).ok()),
        },
        price: r.get(11)?,
        price_version: r.get::<_, i64>(12)? as u64,
        quantity: r.get::<_, i64>(13)?.clamp(0, u32::MAX as i64) as u32,
        quantity_version: r.get::<_, i64>(14)? as u64,
        status: parse_status(&text(15)?),
        status_version: r.get::<_, i64>(16)? as u64,
        like_count: r.get::<_, i64>(17)?.max(0) as u32,
        created_at: r.get(18)?,
        published_at: r.get(19)?,
    })
}

fn query_listing(c: &Connection, id: &str) -> rusqlite::Result<Option<ListingRow>> {
    c.prepare_cached(&format!(
        "SELECT {LISTING_COLUMNS} FROM listings WHERE id = ?1"
    ))?
    .query_row([id], listing_row)
    .optional()
}

fn query_attached(c: &Connection, listing: &str) -> rusqlite::Result<Vec<AttachedPhoto>> {
    let mut stmt = c.prepare_cached(
        "SELECT p.id, p.sha256, \
            (p.sha256 IS NULL AND EXISTS (SELECT 1 FROM demo_shots d WHERE d.photo_id = p.id)) \
            OR EXISTS (SELECT 1 FROM blob_holders h WHERE h.sha256 = p.sha256 AND h.user_id = p.owner_id), \
            p.width, p.height \
         FROM listing_photos lp JOIN photos p ON p.id = lp.photo_id \
         WHERE lp.listing_id = ?1 ORDER BY lp.position",
    )?;
    let rows = stmt.query_map([listing], |r| {
        Ok(AttachedPhoto {
            photo_id: r.get(0)?,
            sha256: r.get(1)?,
            complete: r.get(2)?,
            width: r.get(3)?,
            height: r.get(4)?,
        })
    })?;
    rows.collect()
}

fn query_settings(c: &Connection, user: &str) -> rusqlite::Result<Option<NotificationSettings>> {
    c.query_row(
        "SELECT daily_budget, quiet_start, quiet_end FROM users WHERE id = ?1",
        [user],
        |r| {
            Ok(NotificationSettings {
                daily_budget: r.get::<_, i64>(0)?.max(0) as u32,
                quiet_start: r.get(1)?,
                quiet_end: r.get(2)?,
            })
        },
    )
    .optional()
}

/// A listing with its attached photos, as a pull sends it.
pub type OwnedListing = (ListingRow, Vec<AttachedPhoto>);

/// An upload in progress or done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRow {
    pub id: String,
    pub owner_id: String,
    pub photo_id: Option<String>,
    pub length: u64,
    pub offset: u64,
    pub sha256: Option<String>,
    pub expires_at: i64,
    pub completed: bool,
}

fn upload_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UploadRow> {
    Ok(UploadRow {
        id: r.get(0)?,
        owner_id: r.get(1)?,
        photo_id: r.get(2)?,
        length: r.get::<_, i64>(3)?.max(0) as u64,
        offset: r.get::<_, i64>(4)?.max(0) as u64,
        sha256: r.get(5)?,
        expires_at: r.get(6)?,
        completed: r.get::<_, Option<i64>>(7)?.is_some(),
    })
}

const UPLOAD_COLUMNS: &str =
    "id, owner_id, photo_id, length, offset, sha256, expires_at, completed_at";

/// An offer, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferRow {
    pub id: String,
    pub listing_id: ListingId,
    pub seller_id: UserId,
    /// `None`: an offer to everyone who liked the listing.
    pub buyer_id: Option<UserId>,
    pub amount: i64,
    pub status: String,
}

/// A notification to store for a user.
#[derive(Clone, Debug)]
pub struct NewNotification {
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub listing_id: Option<ListingId>,
    pub actor_id: Option<UserId>,
    pub amount: Option<i64>,
    pub count: u32,
    pub created_at: i64,
    pub day: i64,
    /// delivered | held
    pub state: &'static str,
}

impl Storage {
    pub fn listing(&self, id: &ListingId) -> Result<Option<ListingRow>> {
        self.read(|c| query_listing(c, &id.to_string()))
    }

    pub fn attached_photos(&self, id: &ListingId) -> Result<Vec<AttachedPhoto>> {
        self.read(|c| query_attached(c, &id.to_string()))
    }

    pub fn handle_of(&self, user: &UserId) -> Result<Option<String>> {
        self.read(|c| {
            c.prepare_cached("SELECT handle FROM users WHERE id = ?1")?
                .query_row([user.to_string()], |r| r.get(0))
                .optional()
        })
    }

    pub fn has_liked(&self, user: &UserId, listing: &ListingId) -> Result<bool> {
        self.read(|c| {
            Ok(
                c.prepare_cached("SELECT 1 FROM likes WHERE user_id = ?1 AND listing_id = ?2")?
                    .query_row([user.to_string(), listing.to_string()], |_| Ok(()))
                    .optional()?
                    .is_some(),
            )
        })
    }

    /// (id, handle, password hash) of the account with this handle.
    pub fn user_by_handle(&self, handle: &str) -> Result<Option<(UserId, String, String)>> {
        self.read(|c| {
            c.query_row(
                "SELECT id, handle, password_hash FROM users WHERE handle = ?1 COLLATE NOCASE",
                [handle],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })
        .map(|o| o.and_then(|(id, h, p)| Some((id.parse().ok()?, h, p))))
    }

    /// The user a live (unexpired, unrevoked) session belongs to, and its expiry.
    pub fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(UserId, String, i64)>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT u.id, u.handle, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
            )?
            .query_row(params![token_hash, now], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })
            .optional()
        })
        .map(|o| o.and_then(|(id, h, e)| Some((id.parse().ok()?, h, e))))
    }

    pub fn sizes(&self, user: &UserId) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT size FROM user_sizes WHERE user_id = ?1 ORDER BY size")?;
            let rows = stmt.query_map([user.to_string()], |r| r.get(0))?;
            rows.collect()
        })
    }

    pub fn notification_settings(&self, user: &UserId) -> Result<Option<NotificationSettings>> {
        self.read(|c| query_settings(c, &user.to_string()))
    }

    /// The caller's own listings changed after `since` (a change sequence number),
    /// with their photos, and the sequence number to resume from.
    pub fn owned_changes(&self, user: &UserId, since: i64) -> Result<(i64, Vec<OwnedListing>)> {
        self.read(|c| {
            let tx = c.unchecked_transaction()?;
            let now: i64 = tx.query_row(
                "SELECT value FROM counters WHERE name = 'change_seq'",
                [],
                |r| r.get(0),
            )?;
            let mut stmt = tx.prepare(&format!(
                "SELECT {LISTING_COLUMNS} FROM listings \
                 WHERE seller_id = ?1 AND change_seq > ?2 AND change_seq <= ?3 ORDER BY change_seq"
            ))?;
            let rows: Vec<ListingRow> = stmt
                .query_map(params![user.to_string(), since, now], listing_row)?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let photos = query_attached(&tx, &row.id.to_string())?;
                out.push((row, photos));
            }
            drop(stmt);
            tx.commit()?;
            Ok((now, out))
        })
    }

    pub fn last_mutation_id(&self, user: &UserId, client: &str) -> Result<u64> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT last_mutation_id FROM clients WHERE user_id = ?1 AND client_id = ?2",
                [user.to_string(), client.to_owned()],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
        })
    }

    pub fn upload(&self, id: &str) -> Result<Option<UploadRow>> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = ?1"),
                [id],
                upload_row,
            )
            .optional()
        })
    }

    /// Delivered notifications for `user`, newest first, after id `before` (exclusive).
    pub fn notifications(
        &self,
        user: &UserId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT n.id, n.kind, n.listing_id, n.actor_id, u.handle, n.amount, n.count, n.created_at \
                 FROM notifications n LEFT JOIN users u ON u.id = n.actor_id \
                 WHERE n.user_id = ?1 AND n.state = 'delivered' AND n.id < ?2 \
                 ORDER BY n.id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![user.to_string(), before.unwrap_or(i64::MAX), limit], |r| {
                let listing: Option<String> = r.get(2)?;
                let actor: Option<String> = r.get(3)?;
                let handle: Option<String> = r.get(4)?;
                Ok(Notification {
                    id: r.get(0)?,
                    kind: parse_kind(&r.get::<_, String>(1)?),
                    listing_id: listing.and_then(|l| l.parse().ok()),
                    actor: match (actor.and_then(|a| a.parse().ok()), handle) {
                        (Some(id), Some(handle)) => Some(SellerRef { id, handle }),
                        _ => None,
                    },
                    amount: r.get::<_, Option<i64>>(5)?.map(Money),
                    count: r.get::<_, i64>(6)?.max(0) as u32,
                    created_at: r.get(7)?,
                })
            })?;
            rows.collect()
        })
    }
}

impl WriteTx<'_> {
    pub fn listing(&self, id: &ListingId) -> Result<Option<ListingRow>> {
        Ok(query_listing(&self.tx, &id.to_string())?)
    }

    pub fn attached_photos(&self, id: &ListingId) -> Result<Vec<AttachedPhoto>> {
        Ok(query_attached(&self.tx, &id.to_string())?)
    }

    /// Inserts a new listing (status and versions from `row`).
    pub fn insert_listing(&self, row: &ListingRow) -> Result<()> {
        let seq = self.next_change_seq()?;
        self.tx.execute(
            "INSERT INTO listings (id, seller_id, price, quantity, status, created_at, change_seq) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                row.id.to_string(),
                row.seller_id.to_string(),
                row.price,
                row.quantity,
                status_str(row.status),
                row.created_at,
                seq
            ],
        )?;
        self.save_listing(row)
    }

    /// Writes every mutable column of `row` and marks it changed (for pulls).
    pub fn save_listing(&self, row: &ListingRow) -> Result<()> {
        let seq = self.next_change_seq()?;
        let f = &row.fields;
        self.tx.execute(
            "UPDATE listings SET title = ?2, description = ?3, category = ?4, brand = ?5, size = ?6, \
                condition = ?7, colour = ?8, original_price = ?9, parcel = ?10, price = ?11, \
                price_version = ?12, quantity = ?13, quantity_version = ?14, status = ?15, \
                status_version = ?16, published_at = ?17, change_seq = ?18 \
             WHERE id = ?1",
            params![
                row.id.to_string(),
                f.title.clone().unwrap_or_default(),
                f.description.clone().unwrap_or_default(),
                f.category.map(|c| c.as_str()),
                f.brand.clone().unwrap_or_default(),
                f.size.clone().unwrap_or_default(),
                f.condition.map(|c| c.as_str()),
                f.colour,
                f.original_price.map(|m| m.0),
                f.parcel.and_then(|p| serde_json::to_string(&p).ok()),
                row.price,
                row.price_version as i64,
                row.quantity,
                row.quantity_version as i64,
                status_str(row.status),
                row.status_version as i64,
                row.published_at,
                seq
            ],
        )?;
        Ok(())
    }

    /// Marks a listing changed without other edits (its photos changed).
    pub fn touch_listing(&self, id: &ListingId) -> Result<()> {
        let seq = self.next_change_seq()?;
        self.tx.execute(
            "UPDATE listings SET change_seq = ?2 WHERE id = ?1",
            params![id.to_string(), seq],
        )?;
        Ok(())
    }

    /// (owner, sha256) of a photo id.
    pub fn photo(&self, photo_id: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        Ok(self
            .tx
            .query_row(
                "SELECT owner_id, sha256 FROM photos WHERE id = ?1",
                [photo_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Names a photo's content; takes width and height from the blob if it is here.
    pub fn upsert_photo(
        &self,
        photo_id: &str,
        sha256: &str,
        owner: &UserId,
        now: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO photos (id, sha256, owner_id, created_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256",
            params![photo_id, sha256, owner.to_string(), now],
        )?;
        self.tx.execute(
            "UPDATE photos SET width = b.width, height = b.height FROM blobs b \
             WHERE photos.id = ?1 AND b.sha256 = photos.sha256",
            [photo_id],
        )?;
        Ok(())
    }

    /// Replaces a listing's photo list with `photo_ids`, in order.
    pub fn set_listing_photos(&self, listing: &ListingId, photo_ids: &[String]) -> Result<()> {
        let id = listing.to_string();
        self.tx
            .execute("DELETE FROM listing_photos WHERE listing_id = ?1", [&id])?;
        for (pos, photo) in photo_ids.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO listing_photos (listing_id, photo_id, position) VALUES (?1, ?2, ?3)",
                params![id, photo, pos as i64],
            )?;
        }
        self.touch_listing(listing)
    }

    pub fn user_exists(&self, user: &UserId) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM users WHERE id = ?1",
                [user.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// True if the like is new.
    pub fn like(&self, user: &UserId, listing: &ListingId, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO likes (user_id, listing_id, created_at) VALUES (?1, ?2, ?3)",
            params![user.to_string(), listing.to_string(), now],
        )?;
        if n > 0 {
            self.tx.execute(
                "UPDATE listings SET like_count = like_count + 1 WHERE id = ?1",
                [listing.to_string()],
            )?;
        }
        Ok(n > 0)
    }

    pub fn unlike(&self, user: &UserId, listing: &ListingId) -> Result<bool> {
        let n = self.tx.execute(
            "DELETE FROM likes WHERE user_id = ?1 AND listing_id = ?2",
            params![user.to_string(), listing.to_string()],
        )?;
        if n > 0 {
            self.tx.execute(
                "UPDATE listings SET like_count = MAX(like_count - 1, 0) WHERE id = ?1",
                [listing.to_string()],
            )?;
        }
        Ok(n > 0)
    }

    pub fn has_liked(&self, user: &UserId, listing: &ListingId) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 FROM likes WHERE user_id = ?1 AND listing_id = ?2",
                [user.to_string(), listing.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn user_list(&self, sql: &str, key: String) -> Result<Vec<UserId>> {
        let mut stmt = self.tx.prepare_cached(sql)?;
        let rows = stmt.query_map([key], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            if let Ok(id) = r?.parse() {
                out.push(id);
            }
        }
        Ok(out)
    }

    pub fn likers(&self, listing: &ListingId) -> Result<Vec<UserId>> {
        self.user_list(
            "SELECT user_id FROM likes WHERE listing_id = ?1 ORDER BY created_at",
            listing.to_string(),
        )
    }

    pub fn followers(&self, seller: &UserId) -> Result<Vec<UserId>> {
        self.user_list(
            "SELECT follower_id FROM follows WHERE seller_id = ?1 ORDER BY created_at",
            seller.to_string(),
        )
    }

    pub fn follow(&self, follower: &UserId, seller: &UserId, now: i64) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO follows (follower_id, seller_id, created_at) VALUES (?1, ?2, ?3)",
            params![follower.to_string(), seller.to_string(), now],
        )?;
        Ok(())
    }

    pub fn unfollow(&self, follower: &UserId, seller: &UserId) -> Result<()> {
        self.tx.execute(
            "DELETE FROM follows WHERE follower_id = ?1 AND seller_id = ?2",
            params![follower.to_string(), seller.to_string()],
        )?;
        Ok(())
    }

    pub fn offer(&self, id: &str) -> Result<Option<OfferRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, listing_id, seller_id, buyer_id, amount, status FROM offers WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(id, l, s, b, amount, status)| {
                Some(OfferRow {
                    id,
                    listing_id: l.parse().ok()?,
                    seller_id: s.parse().ok()?,
                    buyer_id: b.and_then(|b| b.parse().ok()),
                    amount,
                    status,
                })
            }))
    }

    pub fn insert_offer(&self, o: &OfferRow, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT OR IGNORE INTO offers (id, listing_id, seller_id, buyer_id, amount, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                o.id,
                o.listing_id.to_string(),
                o.seller_id.to_string(),
                o.buyer_id.map(|b| b.to_string()),
                o.amount,
                o.status,
                now
            ],
        )?;
        Ok(n > 0)
    }

    pub fn set_offer_status(&self, id: &str, status: &str) -> Result<()> {
        self.tx
            .execute("UPDATE offers SET status = ?2 WHERE id = ?1", [id, status])?;
        Ok(())
    }

    /// Records the seller's first sale; false if they had sold before.
    pub fn mark_first_sale(&self, seller: &UserId, now: i64) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE users SET first_sale_at = ?2 WHERE id = ?1 AND first_sale_at IS NULL",
            params![seller.to_string(), now],
        )?;
        Ok(n > 0)
    }

    pub fn last_mutation_id(&self, user: &UserId, client: &str) -> Result<u64> {
        Ok(self
            .tx
            .query_row(
                "SELECT last_mutation_id FROM clients WHERE user_id = ?1 AND client_id = ?2",
                [user.to_string(), client.to_owned()],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
    }

    /// The outcome stored for an already processed mutation (JSON).
    pub fn stored_outcome(&self, user: &UserId, client: &str, id: u64) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row(
                "SELECT outcome FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id = ?3",
                params![user.to_string(), client, id as i64],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records a processed mutation and moves the client's `lastMutationId` to it.
    pub fn record_mutation(
        &self,
        user: &UserId,
        client: &str,
        id: u64,
        outcome: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO mutation_results (user_id, client_id, mutation_id, outcome) VALUES (?1, ?2, ?3, ?4)",
            params![user.to_string(), client, id as i64, outcome],
        )?;
        self.tx.execute(
            "INSERT INTO clients (user_id, client_id, last_mutation_id) VALUES (?1, ?2, ?3) \
             ON CONFLICT (user_id, client_id) DO UPDATE SET last_mutation_id = MAX(last_mutation_id, excluded.last_mutation_id)",
            params![user.to_string(), client, id as i64],
        )?;
        Ok(())
    }

    pub fn insert_session(
        &self,
        token_hash: &str,
        user: &UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user.to_string(), now, expires_at],
        )?;
        Ok(())
    }

    pub fn revoke_session(&self, token_hash: &str, now: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
            params![token_hash, now],
        )?;
        Ok(())
    }

    pub fn set_sizes(&self, user: &UserId, sizes: &[String]) -> Result<()> {
        self.tx.execute(
            "DELETE FROM user_sizes WHERE user_id = ?1",
            [user.to_string()],
        )?;
        for size in sizes {
            self.tx.execute(
                "INSERT OR IGNORE INTO user_sizes (user_id, size) VALUES (?1, ?2)",
                params![user.to_string(), size],
            )?;
        }
        Ok(())
    }

    pub fn notification_settings(&self, user: &UserId) -> Result<Option<NotificationSettings>> {
        Ok(query_settings(&self.tx, &user.to_string())?)
    }

    pub fn set_notification_settings(&self, user: &UserId, s: &NotificationSettings) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET daily_budget = ?2, quiet_start = ?3, quiet_end = ?4 WHERE id = ?1",
            params![user.to_string(), s.daily_budget, s.quiet_start, s.quiet_end],
        )?;
        Ok(())
    }

    /// Notifications delivered to `user` on UTC day `day` (digests included).
    pub fn delivered_on_day(&self, user: &UserId, day: i64) -> Result<u32> {
        Ok(self.tx.query_row(
            "SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND day = ?2 AND state = 'delivered'",
            params![user.to_string(), day],
            |r| r.get::<_, i64>(0),
        )? as u32)
    }

    pub fn insert_notification(&self, n: &NewNotification) -> Result<()> {
        self.tx.execute(
            "INSERT INTO notifications (user_id, kind, listing_id, actor_id, amount, count, created_at, day, state) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                n.user_id.to_string(),
                kind_str(n.kind),
                n.listing_id.map(|l| l.to_string()),
                n.actor_id.map(|a| a.to_string()),
                n.amount,
                n.count,
                n.created_at,
                n.day,
                n.state
            ],
        )?;
        Ok(())
    }

    /// How many notifications are held back for `user`, and folds them (marks them folded).
    pub fn fold_held(&self, user: &UserId) -> Result<u32> {
        let n = self.tx.execute(
            "UPDATE notifications SET state = 'folded' WHERE user_id = ?1 AND state = 'held'",
            [user.to_string()],
        )?;
        Ok(n as u32)
    }

    pub fn held_count(&self, user: &UserId) -> Result<u32> {
        Ok(self.tx.query_row(
            "SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND state = 'held'",
            [user.to_string()],
            |r| r.get::<_, i64>(0),
        )? as u32)
    }

    pub fn insert_upload(&self, u: &UploadRow, now: i64) -> Result<()> {
        self.tx.execute(
            "INSERT INTO uploads (id, owner_id, photo_id, length, offset, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
            params![
                u.id,
                u.owner_id,
                u.photo_id,
                u.length as i64,
                now,
                u.expires_at
            ],
        )?;
        Ok(())
    }

    pub fn set_upload_offset(&self, id: &str, offset: u64) -> Result<()> {
        self.tx.execute(
            "UPDATE uploads SET offset = ?2 WHERE id = ?1",
            params![id, offset as i64],
        )?;
        Ok(())
    }

    /// Marks an upload complete with its checked content, which its owner
    /// now holds.
    pub fn complete_upload(&self, id: &str, blob: &BlobInfo, now: i64) -> Result<()> {
        self.insert_blob(blob, now)?;
        self.tx.execute(
            "UPDATE uploads SET offset = length, sha256 = ?2, completed_at = ?3 WHERE id = ?1",
            params![id, blob.sha256, now],
        )?;
        self.tx.execute(
            "INSERT OR IGNORE INTO blob_holders (sha256, user_id) \
             SELECT ?2, owner_id FROM uploads WHERE id = ?1",
            params![id, blob.sha256],
        )?;
        self.tx.execute(
            "UPDATE photos SET width = ?2, height = ?3 WHERE sha256 = ?1",
            params![blob.sha256, blob.width, blob.height],
        )?;
        Ok(())
    }

    /// Uploads past their expiry.
    pub fn expired_uploads(&self, now: i64) -> Result<Vec<UploadRow>> {
        let mut stmt = self.tx.prepare(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE expires_at <= ?1"
        ))?;
        let rows = stmt.query_map([now], upload_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Deletes sessions that expired or were revoked before `before`.
    pub fn delete_dead_sessions(&self, before: i64) -> Result<usize> {
        Ok(self.tx.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1 OR revoked_at <= ?1",
            [before],
        )?)
    }

    pub fn delete_upload(&self, id: &str) -> Result<()> {
        self.tx.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
        Ok(())
    }

    /// True if some listing shows a photo with this content, or an upload still holds it.
    pub fn blob_in_use(&self, sha256: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_row(
                "SELECT 1 WHERE EXISTS (SELECT 1 FROM listing_photos lp JOIN photos p ON p.id = lp.photo_id WHERE p.sha256 = ?1) \
                 OR EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = ?1)",
                [sha256],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Deletes a blob's row and the photo ids naming it; returns its thumbnail's hash.
    pub fn delete_blob(&self, sha256: &str) -> Result<Option<String>> {
        let thumb: Option<String> = self
            .tx
            .query_row(
                "SELECT thumb_sha256 FROM blobs WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?;
        self.tx.execute(
            "DELETE FROM photos WHERE sha256 = ?1 AND id NOT IN (SELECT photo_id FROM listing_photos)",
            [sha256],
        )?;
        self.tx
            .execute("DELETE FROM blob_holders WHERE sha256 = ?1", [sha256])?;
        self.tx
            .execute("DELETE FROM blobs WHERE sha256 = ?1", [sha256])?;
        Ok(thumb)
    }
}
