//! tus uploads in progress or done.

use super::db::{Result, Storage, WriteTx};
use super::photos::BlobInfo;
use rusqlite::{OptionalExtension, params};

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

// The statements that run under the writer lock on every finish, GC and
// upload creation (their plans are checked in `db.rs`'s tests).
pub(super) const EXPIRED_UPLOADS: &str = "SELECT id, owner_id, photo_id, length, offset, sha256, \
     expires_at, completed_at FROM uploads WHERE expires_at <= ?1";
pub(super) const SIZE_PHOTOS: &str = "UPDATE photos SET width = ?2, height = ?3 WHERE sha256 = ?1";
pub(super) const UNFINISHED_BYTES: &str = "SELECT COALESCE(SUM(length), 0) FROM uploads \
     WHERE owner_id = ?1 AND completed_at IS NULL AND expires_at > ?2";
pub(super) const HELD_BYTES: &str = "SELECT COALESCE(SUM(b.bytes), 0) FROM blob_holders h \
     JOIN blobs b ON b.sha256 = h.sha256 WHERE h.user_id = ?1";

impl Storage {
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
}

impl WriteTx<'_> {
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
        self.tx
            .execute(SIZE_PHOTOS, params![blob.sha256, blob.width, blob.height])?;
        Ok(())
    }

    /// Uploads past their expiry.
    pub fn expired_uploads(&self, now: i64) -> Result<Vec<UploadRow>> {
        let mut stmt = self.tx.prepare(EXPIRED_UPLOADS)?;
        let rows = stmt.query_map([now], upload_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The bytes `owner` has announced in uploads not finished (nor expired).
    pub fn unfinished_upload_bytes(&self, owner: &str, now: i64) -> Result<u64> {
        let sum: i64 = self
            .tx
            .query_row(UNFINISHED_BYTES, params![owner, now], |r| r.get(0))?;
        Ok(sum.max(0) as u64)
    }

    /// The bytes of all content `owner` holds (each hash once).
    pub fn held_photo_bytes(&self, owner: &str) -> Result<u64> {
        let sum: i64 = self.tx.query_row(HELD_BYTES, [owner], |r| r.get(0))?;
        Ok(sum.max(0) as u64)
    }

    pub fn delete_upload(&self, id: &str) -> Result<()> {
        self.tx.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
        Ok(())
    }
}
