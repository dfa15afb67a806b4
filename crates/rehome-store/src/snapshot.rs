//! The read-only view of the database that an edit is planned on.

use crate::error::StoreError;
use crate::outbox::load_outbox;
use crate::rows::{DraftRow, PhotoRow, load_draft, load_photos};
use rehome_model::ListingId;
use rehome_model::sync::Mutation;
use rusqlite::{Connection, OptionalExtension};

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
            .prepare_cached(
                "SELECT price_version, status_version, quantity_version FROM confirmed_listings \
                 WHERE id = ?1",
            )
            .map_err(StoreError::Sqlite)?
            .query_row([id.to_string()], |r| {
                Ok(Versions {
                    price: r.get::<_, i64>(0)? as u64,
                    status: r.get::<_, i64>(1)? as u64,
                    quantity: r.get::<_, i64>(2)? as u64,
                })
            })
            .optional()
            .map_err(StoreError::Sqlite)?
            .unwrap_or_default())
    }

    /// The quantity this device shows: the last one still in the outbox (a
    /// create or a quantity edit), else the server's confirmed one, else 1.
    pub fn quantity(&self, id: ListingId) -> Result<u32, StoreError> {
        let pending = load_outbox(self.conn, &format!("WHERE listing_id = '{id}'"))?
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
            .map_err(StoreError::Sqlite)?;
        Ok(confirmed.map_or(1, |q| q.clamp(0, i64::from(u32::MAX)) as u32))
    }
}
