//! The rows of the `drafts` and `photos` tables: their types, how they are
//! read, and the one place each is written (`DraftRow::write`,
//! `PhotoRow::insert`). Everything else in the crate builds on these.

use crate::error::StoreError;
use rehome_model::draft::DraftValues;
use rehome_model::{ListingId, PhotoId};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub(crate) fn parse_id(s: &str) -> Result<ListingId, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Decode(format!("listing id {s:?}: {e}")))
}

pub(crate) fn parse_photo_id(s: &str) -> Result<PhotoId, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Decode(format!("photo id {s:?}: {e}")))
}

/// A price's text in cents, when it parses (the `*_cents` columns the grid
/// sorts and filters on; always written together with the text).
pub(crate) fn cents(text: &str) -> Option<i64> {
    rehome_model::draft::parse_price(text).ok().map(|m| m.0)
}

/// A `drafts` row.
#[derive(Clone, Debug)]
pub(crate) struct DraftRow {
    pub id: ListingId,
    pub values: DraftValues,
    pub status: String,
    pub rev: u64,
    pub created_at: u64,
    pub updated_at: u64,
    pub deleted_at: Option<u64>,
    pub undo_until: Option<u64>,
}

const DRAFT_COLUMNS: &str = "id, title, description, category, brand, size, condition, colour, \
     price, original_price, parcel, status, rev, created_at, updated_at, deleted_at, undo_until, sku";

impl DraftRow {
    pub fn new(id: ListingId, values: DraftValues, now: u64) -> Self {
        DraftRow {
            id,
            values,
            status: "draft".into(),
            rev: 0,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            undo_until: None,
        }
    }

    fn from_row(r: &Row<'_>) -> rusqlite::Result<(String, Self)> {
        let id: String = r.get(0)?;
        let values = DraftValues {
            title: r.get(1)?,
            description: r.get(2)?,
            category: r.get(3)?,
            brand: r.get(4)?,
            size: r.get(5)?,
            condition: r.get(6)?,
            colour: r.get(7)?,
            price: r.get(8)?,
            original_price: r.get(9)?,
            parcel: r.get(10)?,
            sku: r.get(17)?,
        };
        Ok((
            id,
            DraftRow {
                id: ListingId(uuid::Uuid::nil()),
                values,
                status: r.get(11)?,
                rev: r.get::<_, i64>(12)? as u64,
                created_at: r.get::<_, i64>(13)? as u64,
                updated_at: r.get::<_, i64>(14)? as u64,
                deleted_at: r.get::<_, Option<i64>>(15)?.map(|v| v as u64),
                undo_until: r.get::<_, Option<i64>>(16)?.map(|v| v as u64),
            },
        ))
    }

    /// Inserts or updates the row. Called only by `edit::persist` and the pull.
    pub(crate) fn write(&self, conn: &Connection, is_new: bool) -> rusqlite::Result<()> {
        let v = &self.values;
        let sql = if is_new {
            "INSERT INTO drafts (id, title, description, category, brand, size, condition, colour, \
             price, original_price, parcel, status, rev, created_at, updated_at, deleted_at, undo_until, sku, \
             price_cents, original_price_cents) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
        } else {
            "UPDATE drafts SET title = ?2, description = ?3, category = ?4, brand = ?5, size = ?6, \
             condition = ?7, colour = ?8, price = ?9, original_price = ?10, parcel = ?11, \
             status = ?12, rev = ?13, created_at = ?14, updated_at = ?15, deleted_at = ?16, \
             undo_until = ?17, sku = ?18, price_cents = ?19, original_price_cents = ?20 WHERE id = ?1"
        };
        let n = conn.prepare_cached(sql)?.execute(params![
            self.id.to_string(),
            v.title,
            v.description,
            v.category,
            v.brand,
            v.size,
            v.condition,
            v.colour,
            v.price,
            v.original_price,
            v.parcel,
            self.status,
            self.rev as i64,
            self.created_at as i64,
            self.updated_at as i64,
            self.deleted_at.map(|v| v as i64),
            self.undo_until.map(|v| v as i64),
            v.sku,
            cents(&v.price),
            cents(&v.original_price),
        ])?;
        if n != 1 {
            return Err(rusqlite::Error::QueryReturnedNoRows);
        }
        Ok(())
    }
}

/// A `photos` row.
#[derive(Clone, Debug)]
pub(crate) struct PhotoRow {
    pub id: PhotoId,
    pub listing_id: ListingId,
    pub file: String,
    pub sha256: String,
    pub byte_len: u64,
    pub width: u32,
    pub height: u32,
    pub position: u32,
    pub upload_offset: u64,
    pub upload_state: String,
    pub file_missing: bool,
    pub created_at: u64,
}

const PHOTO_COLUMNS: &str = "id, listing_id, file, sha256, byte_len, width, height, position, \
     upload_offset, upload_state, file_missing, created_at";

impl PhotoRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<(String, String, Self)> {
        Ok((
            r.get(0)?,
            r.get(1)?,
            PhotoRow {
                id: PhotoId(uuid::Uuid::nil()),
                listing_id: ListingId(uuid::Uuid::nil()),
                file: r.get(2)?,
                sha256: r.get(3)?,
                byte_len: r.get::<_, i64>(4)? as u64,
                width: r.get(5)?,
                height: r.get(6)?,
                position: r.get(7)?,
                upload_offset: r.get::<_, i64>(8)? as u64,
                upload_state: r.get(9)?,
                file_missing: r.get::<_, i64>(10)? != 0,
                created_at: r.get::<_, i64>(11)? as u64,
            },
        ))
    }

    pub(crate) fn insert(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute(
            "INSERT INTO photos (id, listing_id, file, sha256, byte_len, width, height, position, \
             upload_offset, upload_state, file_missing, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                self.id.to_string(),
                self.listing_id.to_string(),
                self.file,
                self.sha256,
                self.byte_len as i64,
                self.width,
                self.height,
                self.position,
                self.upload_offset as i64,
                self.upload_state,
                self.file_missing as i64,
                self.created_at as i64,
            ],
        )?;
        Ok(())
    }
}

pub(crate) fn load_draft(conn: &Connection, id: ListingId) -> Result<Option<DraftRow>, StoreError> {
    let row = conn
        .prepare_cached(&format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = ?1"))
        .map_err(StoreError::Sqlite)?
        .query_row([id.to_string()], DraftRow::from_row)
        .optional()
        .map_err(StoreError::Sqlite)?;
    Ok(row.map(|(_, mut d)| {
        d.id = id;
        d
    }))
}

pub(crate) fn load_drafts(conn: &Connection, filter: &str) -> Result<Vec<DraftRow>, StoreError> {
    let mut stmt = conn
        .prepare(&format!("SELECT {DRAFT_COLUMNS} FROM drafts {filter}"))
        .map_err(StoreError::Sqlite)?;
    let rows = stmt
        .query_map([], DraftRow::from_row)
        .map_err(StoreError::Sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Sqlite)?;
    rows.into_iter()
        .map(|(id, mut d)| {
            d.id = parse_id(&id)?;
            Ok(d)
        })
        .collect()
}

pub(crate) fn load_photos(conn: &Connection, id: ListingId) -> Result<Vec<PhotoRow>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE listing_id = ?1 ORDER BY position, id"
        ))
        .map_err(StoreError::Sqlite)?;
    let rows = stmt
        .query_map([id.to_string()], PhotoRow::from_row)
        .map_err(StoreError::Sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Sqlite)?;
    rows.into_iter()
        .map(|(pid, _, mut p)| {
            p.id = parse_photo_id(&pid)?;
            p.listing_id = id;
            Ok(p)
        })
        .collect()
}
