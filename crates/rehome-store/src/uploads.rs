//! Photo uploads: which photos the sync engine still has to send, and how far
//! each has got (resumable: the offset and the upload URL are kept).

// Row tuples straight from SQL read more plainly than a type per query.
#![allow(clippy::type_complexity)]

use crate::error::StoreError;
use crate::rows::parse_id;
use crate::store::Store;
use rehome_model::{ListingId, PhotoId};
use rusqlite::params;

/// A photo the sync engine has to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoUpload {
    pub photo_id: PhotoId,
    pub listing_id: ListingId,
    pub sha256: String,
    pub byte_len: u64,
    pub upload_offset: u64,
    pub upload_url: Option<String>,
    /// Where the bytes are.
    pub path: std::path::PathBuf,
}

impl Store {
    /// Photos whose upload is not finished, oldest first.
    pub fn photos_to_upload(&self) -> Result<Vec<PhotoUpload>, StoreError> {
        let dir = self.photos_dir().to_owned();
        self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT p.id, p.listing_id, p.sha256, p.byte_len, p.upload_offset, p.upload_url, p.file \
                     FROM photos p JOIN drafts d ON d.id = p.listing_id \
                     WHERE p.upload_state != 'done' AND p.file_missing = 0 AND d.status != 'deleted' \
                     ORDER BY p.created_at, p.id",
                )
                .map_err(StoreError::Sqlite)?;
            let raw: Vec<(String, String, String, i64, i64, Option<String>, String)> = stmt
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
                })
                .map_err(StoreError::Sqlite)?
                .collect::<Result<_, _>>()
                .map_err(StoreError::Sqlite)?;
            raw.into_iter()
                .map(|(id, listing, sha, len, offset, url, file)| {
                    Ok(PhotoUpload {
                        photo_id: id
                            .parse()
                            .map_err(|e| StoreError::Decode(format!("photo id: {e}")))?,
                        listing_id: parse_id(&listing)?,
                        sha256: sha,
                        byte_len: len as u64,
                        upload_offset: offset as u64,
                        upload_url: url,
                        path: dir.join(file),
                    })
                })
                .collect()
        })
    }

    /// Records upload progress (`done` when `offset == byte_len`).
    pub fn set_upload_progress(
        &self,
        photo: PhotoId,
        upload_url: Option<&str>,
        offset: u64,
    ) -> Result<(), StoreError> {
        self.write_tx("the upload progress", |tx| {
            let n = tx
                .execute(
                    "UPDATE photos SET upload_offset = ?2, upload_url = COALESCE(?3, upload_url), \
                     upload_state = CASE WHEN ?2 >= byte_len THEN 'done' ELSE 'uploading' END \
                     WHERE id = ?1",
                    params![photo.to_string(), offset as i64, upload_url],
                )
                .map_err(StoreError::Sqlite)?;
            if n == 0 {
                return Err(StoreError::not_found(format!("photo {photo}")));
            }
            Ok(())
        })
    }
}
