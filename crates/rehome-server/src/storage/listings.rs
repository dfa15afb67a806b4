//! Listing rows: their columns, status names, the change sequence pulls read,
//! and the demo's seed rows.

use super::db::{Result, Storage, WriteTx};
use super::photos::{AttachedPhoto, query_attached};
use rehome_model::size;
use rehome_model::sync::{ListingFields, ListingStatus, Parcel};
use rehome_model::{Category, Condition, ListingId, Money, UserId};
use rusqlite::{Connection, OptionalExtension, params};

pub fn status_str(s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => "draft",
        ListingStatus::Live => "live",
        ListingStatus::Delisted => "delisted",
        ListingStatus::Sold => "sold",
        ListingStatus::Deleted => "deleted",
    }
}

pub(super) fn parse_status(s: &str) -> ListingStatus {
    match s {
        "live" => ListingStatus::Live,
        "delisted" => ListingStatus::Delisted,
        "sold" => ListingStatus::Sold,
        "deleted" => ListingStatus::Deleted,
        _ => ListingStatus::Draft,
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

const LISTING_COLUMNS: &str = "id, seller_id, title, description, category, brand, size, condition, colour, \
     original_price, parcel, price, price_version, quantity, quantity_version, status, status_version, \
     like_count, created_at, published_at, sku";

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
            sku: Some(text(20)?),
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

/// A listing with its attached photos, as a pull sends it.
pub type OwnedListing = (ListingRow, Vec<AttachedPhoto>);

/// One page of a seller's changes.
pub struct OwnedChanges {
    /// The change sequence number the next page starts after.
    pub resume_from: i64,
    pub listings: Vec<OwnedListing>,
    /// Changes after `resume_from` were left for the next page.
    pub more: bool,
}

impl Storage {
    pub fn listing(&self, id: &ListingId) -> Result<Option<ListingRow>> {
        self.read(|c| query_listing(c, &id.to_string()))
    }

    /// Up to `limit` of the caller's own listings changed after `since` (a
    /// change sequence number), oldest change first, with their photos.
    pub fn owned_changes(&self, user: &UserId, since: i64, limit: u32) -> Result<OwnedChanges> {
        self.read(|c| {
            let tx = c.unchecked_transaction()?;
            let now: i64 = tx.query_row(
                "SELECT value FROM counters WHERE name = 'change_seq'",
                [],
                |r| r.get(0),
            )?;
            // Each listing carries the sequence number of its last change, so
            // paging by it never skips one: a listing changed while the
            // client pages moves past the cursor and comes in a later page.
            let mut stmt = tx.prepare(&format!(
                "SELECT {LISTING_COLUMNS}, change_seq FROM listings \
                 WHERE seller_id = ?1 AND change_seq > ?2 AND change_seq <= ?3 \
                 ORDER BY change_seq LIMIT ?4"
            ))?;
            let mut rows: Vec<(ListingRow, i64)> = stmt
                .query_map(
                    params![user.to_string(), since, now, i64::from(limit) + 1],
                    |r| Ok((listing_row(r)?, r.get(21)?)),
                )?
                .collect::<rusqlite::Result<_>>()?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let resume_from = match rows.last() {
                Some((_, seq)) if more => *seq,
                _ => now,
            };
            let mut listings = Vec::with_capacity(rows.len());
            for (row, _) in rows {
                let photos = query_attached(&tx, &row.id.to_string())?;
                listings.push((row, photos));
            }
            drop(stmt);
            tx.commit()?;
            Ok(OwnedChanges {
                resume_from,
                listings,
                more,
            })
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

impl WriteTx<'_> {
    pub fn listing(&self, id: &ListingId) -> Result<Option<ListingRow>> {
        Ok(query_listing(&self.tx, &id.to_string())?)
    }

    /// How many of `seller`'s listings are neither sold nor deleted.
    pub fn open_listing_count(&self, seller: &UserId) -> Result<u64> {
        let n: i64 = self.tx.query_row(
            "SELECT COUNT(*) FROM listings \
             WHERE seller_id = ?1 AND status NOT IN ('sold', 'deleted')",
            [seller.to_string()],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
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
                status_version = ?16, published_at = ?17, change_seq = ?18, size_tokens = ?19, \
                sku = ?20 \
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
                seq,
                size::listing_column(f.category, f.size.as_deref().unwrap_or_default()),
                f.sku.clone().unwrap_or_default(),
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

    pub fn insert_seed_listing(&self, l: &SeedListing) -> Result<()> {
        let seq = self.next_change_seq()?;
        let id = l.id.to_string();
        let inserted = self.tx.execute(
            "INSERT OR IGNORE INTO listings (id, seller_id, title, description, category, brand, size, \
                condition, colour, original_price, price, quantity, status, created_at, published_at, change_seq, \
                size_tokens) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, 'live', ?12, ?12, ?13, ?14)",
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
                seq,
                size::listing_column(Category::parse(&l.category), &l.size),
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
}
