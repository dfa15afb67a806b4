//! Photos, their content (`blobs`, `blob_holders`), listing photo lists and
//! demo shots.

use super::db::{Result, Storage, WriteTx};
use rehome_model::{ListingId, UserId};
use rusqlite::{Connection, OptionalExtension, params};

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

fn blob_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BlobInfo> {
    Ok(BlobInfo {
        sha256: r.get(0)?,
        thumb_sha256: r.get(1)?,
        width: r.get(2)?,
        height: r.get(3)?,
        bytes: r.get::<_, i64>(4)?.max(0) as u64,
    })
}

pub(super) fn query_attached(
    c: &Connection,
    listing: &str,
) -> rusqlite::Result<Vec<AttachedPhoto>> {
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

/// A photo `p` is served unless every listing showing it is deleted (one
/// no listing shows yet is its seller's upload on its way to a draft).
const SHOWN: &str = "NOT EXISTS (SELECT 1 FROM listing_photos lp WHERE lp.photo_id = p.id) \
     OR EXISTS (SELECT 1 FROM listing_photos lp JOIN listings l ON l.id = lp.listing_id \
     WHERE lp.photo_id = p.id AND l.status != 'deleted')";

/// Is this file named by a blob row (as content or thumbnail)?
pub(super) const FILE_NAMED: &str = "SELECT 1 WHERE EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1) \
     OR EXISTS (SELECT 1 FROM blobs WHERE thumb_sha256 = ?1)";
/// Does a listing show this content, or an upload hold it?
pub(super) const BLOB_IN_USE: &str = "SELECT 1 WHERE EXISTS (SELECT 1 FROM listing_photos lp \
     JOIN photos p ON p.id = lp.photo_id WHERE p.sha256 = ?1) \
     OR EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = ?1)";
/// The photo ids naming a blob that no listing shows.
pub(super) const DELETE_UNSHOWN_PHOTOS: &str =
    "DELETE FROM photos WHERE sha256 = ?1 AND id NOT IN (SELECT photo_id FROM listing_photos)";

fn query_file_named(c: &Connection, sha256: &str) -> rusqlite::Result<bool> {
    c.prepare_cached(FILE_NAMED)?
        .query_row([sha256], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

impl Storage {
    /// What a photo id names: complete bytes, a demo shot still to draw, or
    /// nothing (also for the photos of a deleted listing).
    pub fn photo(&self, photo_id: &str) -> Result<PhotoState> {
        self.read(|c| {
            let ready = c
                .prepare_cached(&format!(
                    "SELECT b.sha256, b.thumb_sha256, b.width, b.height, b.bytes \
                         FROM photos p JOIN blobs b ON b.sha256 = p.sha256 \
                         JOIN blob_holders h ON h.sha256 = p.sha256 AND h.user_id = p.owner_id \
                         WHERE p.id = ?1 AND ({SHOWN})"
                ))?
                .query_row([photo_id], blob_row)
                .optional()?;
            if let Some(blob) = ready {
                return Ok(PhotoState::Ready(blob));
            }
            let spec: Option<String> = c
                .prepare_cached(&format!(
                    "SELECT d.spec FROM demo_shots d JOIN photos p ON p.id = d.photo_id \
                         WHERE d.photo_id = ?1 AND p.sha256 IS NULL AND ({SHOWN})"
                ))?
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

    /// Who owns a photo id: `None` when no one has claimed it.
    pub fn photo_owner(&self, photo_id: &str) -> Result<Option<String>> {
        self.read(|c| {
            c.prepare_cached("SELECT owner_id FROM photos WHERE id = ?1")?
                .query_row([photo_id], |r| r.get::<_, Option<String>>(0))
                .optional()
                .map(Option::flatten)
        })
    }

    /// True if a blob row names this file, as content or as thumbnail.
    pub fn blob_file_named(&self, sha256: &str) -> Result<bool> {
        self.read(|c| query_file_named(c, sha256))
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

    pub fn attached_photos(&self, id: &ListingId) -> Result<Vec<AttachedPhoto>> {
        self.read(|c| query_attached(c, &id.to_string()))
    }
}

impl WriteTx<'_> {
    pub fn attached_photos(&self, id: &ListingId) -> Result<Vec<AttachedPhoto>> {
        Ok(query_attached(&self.tx, &id.to_string())?)
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

    /// True if some listing shows a photo with this content, or an upload still holds it.
    pub fn blob_in_use(&self, sha256: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_row(BLOB_IN_USE, [sha256], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// True if a blob row names this file, as content or as thumbnail.
    pub fn blob_file_named(&self, sha256: &str) -> Result<bool> {
        Ok(query_file_named(&self.tx, sha256)?)
    }

    /// Records that content sent with hash `sent` is kept as `sha256` (its
    /// metadata stripped), and points `owner`'s photos already attached by
    /// the sent hash at the kept one.
    pub fn alias_blob(&self, sent: &str, sha256: &str, owner: &UserId) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO blob_aliases (sent_sha256, sha256) VALUES (?1, ?2)",
            params![sent, sha256],
        )?;
        self.tx.execute(
            "UPDATE photos SET sha256 = ?2 WHERE sha256 = ?1 AND owner_id = ?3",
            params![sent, sha256, owner.to_string()],
        )?;
        Ok(())
    }

    /// The hash content sent as `sha256` is kept under (itself unless its
    /// metadata was stripped).
    pub fn kept_sha(&self, sha256: &str) -> Result<String> {
        Ok(self
            .tx
            .query_row(
                "SELECT sha256 FROM blob_aliases WHERE sent_sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| sha256.to_owned()))
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
        self.tx.execute(DELETE_UNSHOWN_PHOTOS, [sha256])?;
        self.tx
            .execute("DELETE FROM blob_holders WHERE sha256 = ?1", [sha256])?;
        self.tx
            .execute("DELETE FROM blob_aliases WHERE sha256 = ?1", [sha256])?;
        self.tx
            .execute("DELETE FROM blobs WHERE sha256 = ?1", [sha256])?;
        Ok(thumb)
    }
}
