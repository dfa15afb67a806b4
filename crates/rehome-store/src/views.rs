//! What the UI reads: a draft as the editor shows it, the drafts list, and a
//! photo's bytes for the photo URI scheme.

use crate::error::{self, StoreError};
use crate::rows::{DraftRow, load_drafts, load_photos};
use crate::snapshot::Snapshot;
use crate::store::Store;
use rehome_model::ListingId;
use rehome_model::draft::{
    Draft, DraftCard, DraftPhoto, DraftStage, DraftSync, parse_price, readiness, validate,
};
use rusqlite::{Connection, OptionalExtension};

fn build_draft(conn: &Connection, row: DraftRow) -> Result<Draft, StoreError> {
    let photos = load_photos(conn, row.id)?;
    let key = row.id.to_string();
    let pending: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM outbox WHERE listing_id = ?1",
            [&key],
            |r| r.get(0),
        )
        .map_err(StoreError::Sqlite)?;
    let parked: Option<Option<String>> = conn
        .query_row(
            "SELECT last_error FROM outbox WHERE listing_id = ?1 AND state = 'parked' \
             ORDER BY seq LIMIT 1",
            [&key],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::Sqlite)?;
    let confirmed: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM confirmed_listings WHERE id = ?1)",
            [&key],
            |r| r.get(0),
        )
        .map_err(StoreError::Sqlite)?;
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

    /// The JPEG bytes of one of this device's photos, by photo id; `None` when
    /// the device has no such photo (it may be someone else's, on the server).
    pub fn photo_bytes(
        &self,
        photo_id: rehome_model::PhotoId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let file: Option<String> = self.read(|conn| {
            conn.query_row(
                "SELECT file FROM photos WHERE id = ?1",
                [photo_id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sqlite_err("a photo's file name"))
        })?;
        let Some(file) = file else { return Ok(None) };
        let path = self.photos_dir().join(&file);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(error::from_io(&path, e, "a photo file")),
        }
    }
}
