//! Rows, the read-only snapshot edits are planned on, the views the UI gets,
//! and the audit the crash tests (and a curious user) run.

use crate::store::Store;
use crate::error::StoreError;
use rehome_model::draft::{
    Draft, DraftCard, DraftField, DraftPhoto, DraftStage, DraftSync, DraftValues, parse_field,
    parse_price, readiness, validate,
};
use rehome_model::sync::{ListingFields, Mutation};
use rehome_model::{ListingId, Money, PhotoId};
use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn decode_err(e: rusqlite::Error) -> StoreError {
    StoreError::Sqlite(e)
}

pub(crate) fn parse_id(s: &str) -> Result<ListingId, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Decode(format!("listing id {s:?}: {e}")))
}

fn parse_photo_id(s: &str) -> Result<PhotoId, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Decode(format!("photo id {s:?}: {e}")))
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
     price, original_price, parcel, status, rev, created_at, updated_at, deleted_at, undo_until";

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
             price, original_price, parcel, status, rev, created_at, updated_at, deleted_at, undo_until) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        } else {
            "UPDATE drafts SET title = ?2, description = ?3, category = ?4, brand = ?5, size = ?6, \
             condition = ?7, colour = ?8, price = ?9, original_price = ?10, parcel = ?11, \
             status = ?12, rev = ?13, created_at = ?14, updated_at = ?15, deleted_at = ?16, \
             undo_until = ?17 WHERE id = ?1"
        };
        let n = conn.execute(
            sql,
            params![
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
            ],
        )?;
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

/// The guarded-field versions an edit is based on (0 before the server has
/// confirmed the listing).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Versions {
    pub price: u64,
    pub status: u64,
    pub quantity: u64,
}

/// A read-only view of the database inside the edit's transaction. It has no
/// method that writes, which is how `Store::plan` is kept read-only.
pub(crate) struct Snapshot<'a> {
    conn: &'a Connection,
}

impl<'a> Snapshot<'a> {
    pub fn new(conn: &'a Connection) -> Self {
        Snapshot { conn }
    }

    pub fn draft(&self, id: ListingId) -> Result<DraftRow, StoreError> {
        load_draft(self.conn, id)?.ok_or_else(|| StoreError::not_found(format!("draft {id}")))
    }

    /// A draft that is not deleted (soft or for good).
    pub fn live_draft(&self, id: ListingId) -> Result<DraftRow, StoreError> {
        let d = self.draft(id)?;
        if d.deleted_at.is_some() || d.status == "deleted" {
            return Err(StoreError::not_found(format!("draft {id}")));
        }
        Ok(d)
    }

    pub fn photos(&self, id: ListingId) -> Result<Vec<PhotoRow>, StoreError> {
        load_photos(self.conn, id)
    }

    pub fn versions(&self, id: ListingId) -> Result<Versions, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT price_version, status_version, quantity_version FROM confirmed_listings \
                 WHERE id = ?1",
                [id.to_string()],
                |r| {
                    Ok(Versions {
                        price: r.get::<_, i64>(0)? as u64,
                        status: r.get::<_, i64>(1)? as u64,
                        quantity: r.get::<_, i64>(2)? as u64,
                    })
                },
            )
            .optional()
            .map_err(decode_err)?
            .unwrap_or_default())
    }

    /// The quantity this device shows: the last one still in the outbox (a
    /// create or a quantity edit), else the server's confirmed one, else 1.
    pub fn quantity(&self, id: ListingId) -> Result<u32, StoreError> {
        let pending = crate::sync::load_outbox(self.conn, &format!("WHERE listing_id = '{id}'"))?
            .into_iter()
            .filter_map(|r| match r.mutation {
                Mutation::SetQuantity { quantity, .. }
                | Mutation::CreateListing { quantity, .. } => Some(quantity),
                _ => None,
            })
            .next_back();
        if let Some(q) = pending {
            return Ok(q);
        }
        let confirmed: Option<i64> = self
            .conn
            .query_row(
                "SELECT quantity FROM confirmed_listings WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(decode_err)?;
        Ok(confirmed.map_or(1, |q| q.clamp(0, i64::from(u32::MAX)) as u32))
    }
}

pub(crate) fn load_draft(conn: &Connection, id: ListingId) -> Result<Option<DraftRow>, StoreError> {
    let row = conn
        .query_row(
            &format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = ?1"),
            [id.to_string()],
            DraftRow::from_row,
        )
        .optional()
        .map_err(decode_err)?;
    Ok(row.map(|(_, mut d)| {
        d.id = id;
        d
    }))
}

fn load_drafts(conn: &Connection, filter: &str) -> Result<Vec<DraftRow>, StoreError> {
    let mut stmt = conn
        .prepare(&format!("SELECT {DRAFT_COLUMNS} FROM drafts {filter}"))
        .map_err(decode_err)?;
    let rows = stmt
        .query_map([], DraftRow::from_row)
        .map_err(decode_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(decode_err)?;
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
        .map_err(decode_err)?;
    let rows = stmt
        .query_map([id.to_string()], PhotoRow::from_row)
        .map_err(decode_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(decode_err)?;
    rows.into_iter()
        .map(|(pid, _, mut p)| {
            p.id = parse_photo_id(&pid)?;
            p.listing_id = id;
            Ok(p)
        })
        .collect()
}

fn build_draft(conn: &Connection, row: DraftRow) -> Result<Draft, StoreError> {
    let photos = load_photos(conn, row.id)?;
    let key = row.id.to_string();
    let pending: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM outbox WHERE listing_id = ?1",
            [&key],
            |r| r.get(0),
        )
        .map_err(decode_err)?;
    let parked: Option<Option<String>> = conn
        .query_row(
            "SELECT last_error FROM outbox WHERE listing_id = ?1 AND state = 'parked' \
             ORDER BY seq LIMIT 1",
            [&key],
            |r| r.get(0),
        )
        .optional()
        .map_err(decode_err)?;
    let confirmed: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM confirmed_listings WHERE id = ?1)",
            [&key],
            |r| r.get(0),
        )
        .map_err(decode_err)?;
    let stage = match parked {
        Some(reason) => DraftStage::NeedsAttention {
            reason: reason.unwrap_or_else(|| "sync keeps failing".into()),
        },
        None => match row.status.as_str() {
            "queued" => DraftStage::Queued,
            "live" => DraftStage::Live,
            "delisted" => DraftStage::Delisted,
            "sold" => DraftStage::Sold,
            _ => DraftStage::Draft,
        },
    };
    let missing = photos.iter().filter(|p| p.file_missing).count();
    Ok(Draft {
        id: row.id,
        errors: validate(&row.values),
        readiness: readiness(&row.values, photos.len(), missing),
        photos: photos
            .into_iter()
            .map(|p| DraftPhoto {
                id: p.id,
                sha256: p.sha256,
                width: p.width,
                height: p.height,
                missing: p.file_missing,
                upload: p.upload_state,
            })
            .collect(),
        values: row.values,
        stage,
        sync: DraftSync {
            pending_changes: pending as u32,
            confirmed,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn card(d: Draft) -> DraftCard {
    DraftCard {
        id: d.id,
        cover_photo: d.photos.first().map(|p| p.id),
        title: d.values.title.clone(),
        price_cents: parse_price(&d.values.price).ok(),
        price: d.values.price,
        ready: d.readiness.ready,
        missing: d.readiness.missing().count() as u32,
        stage: d.stage,
        sync: d.sync,
        updated_at: d.updated_at,
    }
}

/// What [`Store::audit`] found. `problems` is empty when every invariant holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    pub integrity: String,
    pub drafts: usize,
    pub outbox_rows: usize,
    pub photos: usize,
    pub problems: Vec<String>,
}

impl Store {
    /// A draft as the editor shows it (soft-deleted drafts are not found).
    pub fn get_draft(&self, id: ListingId) -> Result<Draft, StoreError> {
        self.read(|c| {
            let row = Snapshot::new(c).live_draft(id)?;
            build_draft(c, row)
        })
    }

    /// Every draft that is not deleted, most recently edited first.
    pub fn list_drafts(&self) -> Result<Vec<DraftCard>, StoreError> {
        self.read(|c| {
            load_drafts(
                c,
                "WHERE deleted_at IS NULL AND status != 'deleted' ORDER BY updated_at DESC, id DESC",
            )?
            .into_iter()
            .map(|row| build_draft(c, row).map(card))
            .collect()
        })
    }

    /// Checks the invariants that must hold after any crash:
    /// - `PRAGMA integrity_check` and `foreign_key_check` are clean;
    /// - every outbox row decodes, and its listing's draft exists at a revision
    ///   at least the one that wrote it (no outbox row without its edit);
    /// - for every draft, the confirmed copy with the outbox replayed on top
    ///   equals every field of the draft whose text parses (no edit without its
    ///   outbox row);
    /// - every photo row has its file with the right SHA-256 (unless reported
    ///   missing), and is attached in the outbox or the confirmed copy.
    pub fn audit(&self) -> Result<Audit, StoreError> {
        let integrity = crate::store::integrity_check(self.db_path())?;
        self.read(|c| {
            let mut problems = Vec::new();
            if integrity != "ok" {
                problems.push(format!("integrity_check: {integrity}"));
            }
            let fk: i64 = c
                .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .map_err(decode_err)?;
            if fk != 0 {
                problems.push(format!("{fk} foreign key violations"));
            }
            let drafts = load_drafts(c, "")?;
            let by_id: BTreeMap<ListingId, &DraftRow> = drafts.iter().map(|d| (d.id, d)).collect();
            let outbox = crate::sync::load_outbox(c, "")?;
            let mut projected: BTreeMap<ListingId, (ListingFields, Option<Money>)> =
                BTreeMap::new();
            let mut attached: BTreeSet<PhotoId> = BTreeSet::new();
            for row in &outbox {
                let Some(listing) = crate::sync::mutation_listing(&row.mutation) else {
                    continue;
                };
                match by_id.get(&listing) {
                    None => {
                        problems.push(format!("outbox {} for missing draft {listing}", row.seq))
                    }
                    Some(d) if row.draft_rev.is_some_and(|r| r > d.rev) => problems.push(format!(
                        "outbox {} written by rev {:?} but draft {listing} is at rev {}",
                        row.seq, row.draft_rev, d.rev
                    )),
                    _ => {}
                }
                let entry = projected
                    .entry(listing)
                    .or_insert_with(|| confirmed_values(c, listing).unwrap_or_default());
                match &row.mutation {
                    Mutation::CreateListing { fields, price, .. } => {
                        rehome_model::draft::merge_fields(&mut entry.0, fields.clone());
                        entry.1 = Some(*price);
                    }
                    Mutation::UpdateListing { fields, .. } => {
                        rehome_model::draft::merge_fields(&mut entry.0, fields.clone());
                    }
                    Mutation::SetPrice { price, .. } => entry.1 = Some(*price),
                    Mutation::AttachPhoto { photo_id, .. } => {
                        attached.insert(*photo_id);
                    }
                    Mutation::DetachPhoto { photo_id, .. } => {
                        attached.remove(photo_id);
                    }
                    _ => {}
                }
            }
            for d in &drafts {
                if d.status == "deleted" {
                    continue;
                }
                let (fields, price) = match projected.get(&d.id) {
                    Some(p) => p.clone(),
                    None => confirmed_values(c, d.id)?,
                };
                for field in DraftField::ALL {
                    let text = d.values.get(*field);
                    if *field == DraftField::Price {
                        if let Ok(p) = parse_price(text)
                            && price != Some(p)
                        {
                            problems.push(format!(
                                "draft {} price {text:?} but outbox/server has {price:?}",
                                d.id
                            ));
                        }
                        continue;
                    }
                    if let Some(mine) = parse_field(*field, text)
                        && !same_field(&mine, &fields, *field)
                    {
                        problems.push(format!(
                            "draft {} {field} {text:?} is not in the outbox or the confirmed copy",
                            d.id
                        ));
                    }
                }
            }
            let mut photo_count = 0;
            for d in &drafts {
                let confirmed_photos = confirmed_photo_ids(c, d.id)?;
                for p in load_photos(c, d.id)? {
                    photo_count += 1;
                    if !attached.contains(&p.id) && !confirmed_photos.contains(&p.id) {
                        problems.push(format!("photo {} has no AttachPhoto", p.id));
                    }
                    if p.file_missing {
                        continue;
                    }
                    match std::fs::read(self.photos_dir().join(&p.file)) {
                        Ok(bytes) if crate::edit::hex(&Sha256::digest(&bytes)) == p.sha256 => {}
                        Ok(_) => problems.push(format!("photo file {} has the wrong hash", p.file)),
                        Err(e) => problems.push(format!("photo file {}: {e}", p.file)),
                    }
                }
            }
            Ok(Audit {
                integrity,
                drafts: drafts.len(),
                outbox_rows: outbox.len(),
                photos: photo_count,
                problems,
            })
        })
    }
}

/// Text fields: `None` on the wire and `""` mean the same (nothing set).
fn same_field(mine: &ListingFields, theirs: &ListingFields, field: DraftField) -> bool {
    fn text(a: &Option<String>) -> &str {
        a.as_deref().unwrap_or("")
    }
    match field {
        DraftField::Title => text(&mine.title) == text(&theirs.title),
        DraftField::Description => text(&mine.description) == text(&theirs.description),
        DraftField::Brand => text(&mine.brand) == text(&theirs.brand),
        DraftField::Size => text(&mine.size) == text(&theirs.size),
        DraftField::Colour => text(&mine.colour) == text(&theirs.colour),
        DraftField::Category => mine.category == theirs.category,
        DraftField::Condition => mine.condition == theirs.condition,
        DraftField::OriginalPrice => mine.original_price == theirs.original_price,
        DraftField::Parcel => mine.parcel == theirs.parcel,
        DraftField::Price => true,
    }
}

fn confirmed_values(
    c: &Connection,
    id: ListingId,
) -> Result<(ListingFields, Option<Money>), StoreError> {
    let row: Option<(String, i64)> = c
        .query_row(
            "SELECT fields, price FROM confirmed_listings WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(decode_err)?;
    match row {
        None => Ok((ListingFields::default(), None)),
        Some((fields, price)) => Ok((
            serde_json::from_str(&fields).map_err(|e| StoreError::Decode(e.to_string()))?,
            Some(Money(price)),
        )),
    }
}

fn confirmed_photo_ids(c: &Connection, id: ListingId) -> Result<BTreeSet<PhotoId>, StoreError> {
    let photos: Option<String> = c
        .query_row(
            "SELECT photos FROM confirmed_listings WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()
        .map_err(decode_err)?;
    let Some(photos) = photos else {
        return Ok(BTreeSet::new());
    };
    let list: Vec<rehome_model::sync::ServerPhoto> =
        serde_json::from_str(&photos).map_err(|e| StoreError::Decode(e.to_string()))?;
    Ok(list.into_iter().map(|p| p.id).collect())
}
