//! Photo uploads' storage side (the protocol is `http::tus`). Bytes go to
//! `DIR/uploads/<id>.part`; when the last byte arrives they are checked
//! ([`crate::photo_check`]), thumbnailed, and copied into the content-addressed
//! blob store (so equal content dedupes). One writer per upload at a time
//! ([`UploadWriters`]). Unfinished and unattached uploads expire (see
//! [`collect_expired`]).

use crate::AppState;
use crate::blobs::BlobStore;
use crate::photo_check::check_and_thumbnail;
use crate::problem::Problem;
use crate::storage::{BlobInfo, UploadRow, WriteTx};
use axum::http::StatusCode;
use rehome_model::{ErrorCode, UserId};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn parts_dir(state: &AppState) -> PathBuf {
    state.data_dir.join("uploads")
}

/// Where an unfinished upload's bytes are.
pub(crate) fn part_path(state: &AppState, id: &str) -> PathBuf {
    parts_dir(state).join(format!("{id}.part"))
}

/// A new upload: its id, expiry, and the offset it starts at (its length when
/// the content was deduped).
pub(crate) struct Created {
    pub id: String,
    pub expires_at: i64,
    pub offset: u64,
}

/// Records a new upload of `length` bytes for `owner`, naming `photo_id` if
/// given. Content this account already uploaded (same hash and length, as
/// `claimed_sha` says) needs no bytes: the upload is complete at once.
pub(crate) fn create(
    s: &AppState,
    owner: &UserId,
    length: u64,
    photo_id: Option<String>,
    claimed_sha: Option<String>,
) -> Result<Created, Problem> {
    let mut raw = [0u8; 16];
    crate::random_bytes(&mut raw).map_err(|e| Problem::internal(e.to_string()))?;
    let id = rehome_model::hex(&raw);
    let now = s.clock.now_ms();
    let row = UploadRow {
        id: id.clone(),
        owner_id: owner.to_string(),
        photo_id: photo_id.clone(),
        length,
        offset: 0,
        sha256: None,
        expires_at: now + s.limits.upload_ttl_ms,
        completed: false,
    };
    // Dedupe: content this account already uploaded (same hash and
    // length) needs no bytes. Only its own: knowing someone else's hash
    // proves nothing, so anyone else sends the bytes.
    let known = match &claimed_sha {
        Some(sha) => s.store.held_blob(sha, owner)?.filter(|b| b.bytes == length),
        None => None,
    };
    s.store.write(|tx| -> Result<(), Problem> {
        if known.is_none() {
            check_quotas(tx, s, &row.owner_id, length, now)?;
        }
        tx.insert_upload(&row, now)?;
        if let Some(blob) = &known {
            tx.complete_upload(&row.id, blob, now)?;
            if let Some(pid) = &photo_id {
                claim_photo(tx, pid, &blob.sha256, owner, now)?;
            }
        }
        Ok(())
    })?;
    if known.is_none() {
        std::fs::create_dir_all(parts_dir(s))
            .and_then(|_| std::fs::File::create(part_path(s, &id)).map(drop))
            .map_err(|e| Problem::internal(format!("cannot create the upload file: {e}")))?;
    }
    Ok(Created {
        id,
        expires_at: row.expires_at,
        offset: if known.is_some() { length } else { 0 },
    })
}

/// An account's uploads in flight, and all the photo bytes it holds, stay
/// under their limits (checked in the creation's transaction, so parallel
/// creations cannot pass together).
fn check_quotas(
    tx: &WriteTx<'_>,
    s: &AppState,
    owner: &str,
    length: u64,
    now: i64,
) -> Result<(), Problem> {
    let limits = &s.limits;
    let unfinished = tx.unfinished_upload_bytes(owner, now)?;
    if unfinished.saturating_add(length) > limits.max_unfinished_upload_bytes {
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!(
                "Uploads in flight are at most {} bytes per account; finish some first",
                limits.max_unfinished_upload_bytes
            ),
        )
        .with_field("max-unfinished-upload-bytes")
        .retry_after(60));
    }
    let held = tx.held_photo_bytes(owner)?;
    if held.saturating_add(unfinished).saturating_add(length) > limits.max_stored_photo_bytes {
        return Err(Problem::too_large(format!(
            "An account holds at most {} bytes of photos",
            limits.max_stored_photo_bytes
        ))
        .with_field("max-stored-photo-bytes"));
    }
    Ok(())
}

fn claim_photo(
    tx: &WriteTx<'_>,
    photo_id: &str,
    sha: &str,
    owner: &UserId,
    now: i64,
) -> Result<(), Problem> {
    match tx.photo(photo_id)? {
        Some((Some(o), _)) if o != owner.to_string() => {
            Err(Problem::forbidden("This photo id belongs to someone else")
                .with_field("Upload-Metadata"))
        }
        _ => Ok(tx.upsert_photo(photo_id, sha, owner, now)?),
    }
}

/// The upload `id` if `owner` has it and it has not expired.
pub(crate) fn owned(s: &AppState, owner: &UserId, id: &str) -> Result<UploadRow, Problem> {
    let user = owner.to_string();
    let row = s
        .store
        .upload(id)?
        .filter(|u| u.owner_id == user)
        .ok_or_else(|| Problem::not_found("No such upload"))?;
    if row.expires_at <= s.clock.now_ms() {
        return Err(Problem::new(
            StatusCode::GONE,
            ErrorCode::NotFound,
            "This upload expired",
        ));
    }
    Ok(row)
}

/// One writer per upload at a time. A PATCH that finds its upload busy (its
/// previous PATCH is still being read, e.g. a cut the server has not noticed
/// yet) waits its turn, up to [`crate::Limits::upload_busy_wait_ms`], instead
/// of being refused at once; then it reads the upload's row again.
#[derive(Default)]
pub struct UploadWriters {
    slots: Mutex<HashMap<String, Slot>>,
}

struct Slot {
    lock: Arc<tokio::sync::Mutex<()>>,
    /// Requests holding or waiting for this upload's lock.
    contenders: usize,
}

impl UploadWriters {
    /// Waits up to `wait` for the right to write upload `id`; a 423 when the
    /// request holding it does not finish by then.
    pub(crate) async fn take(&self, id: &str, wait: Duration) -> Result<WriterSlot<'_>, Problem> {
        let lock = {
            let mut slots = self
                .slots
                .lock()
                .map_err(|_| Problem::internal("upload lock poisoned"))?;
            let slot = slots.entry(id.to_owned()).or_insert_with(|| Slot {
                lock: Arc::default(),
                contenders: 0,
            });
            slot.contenders += 1;
            slot.lock.clone()
        };
        let claim = Claim {
            writers: self,
            id: id.to_owned(),
        };
        match tokio::time::timeout(wait, lock.lock_owned()).await {
            Ok(guard) => Ok(WriterSlot {
                _guard: guard,
                _claim: claim,
            }),
            Err(_) => Err(Problem::new(
                StatusCode::LOCKED,
                ErrorCode::Conflict,
                "Another request is writing this upload; retry after it ends",
            )),
        }
    }

    /// How many requests hold or wait for upload `id` (0 when none).
    pub fn contenders(&self, id: &str) -> usize {
        self.slots
            .lock()
            .ok()
            .and_then(|slots| slots.get(id).map(|s| s.contenders))
            .unwrap_or(0)
    }
}

/// A request's place in an upload's queue; leaving it forgets the upload
/// when no one else is queued.
struct Claim<'a> {
    writers: &'a UploadWriters,
    id: String,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if let Ok(mut slots) = self.writers.slots.lock()
            && let Some(slot) = slots.get_mut(&self.id)
        {
            slot.contenders -= 1;
            if slot.contenders == 0 {
                slots.remove(&self.id);
            }
        }
    }
}

/// The right to write an upload's bytes. Released when dropped (also on a cut
/// connection): the lock first, then the place in the queue.
pub(crate) struct WriterSlot<'a> {
    _guard: tokio::sync::OwnedMutexGuard<()>,
    _claim: Claim<'a>,
}

/// Records that `row`'s part file now holds `new_offset` bytes; on the last
/// byte, checks and keeps the photo.
pub(crate) fn chunk_written(
    s: &AppState,
    row: &UploadRow,
    new_offset: u64,
    owner: &UserId,
) -> Result<(), Problem> {
    if new_offset == row.length {
        // The offset reaches the length only in `finish`'s own transaction,
        // together with the checked content and the photo claim: a HEAD
        // never reports the full offset for an upload that is not yet
        // attachable. Until then it reports where the previous chunk ended,
        // and if finishing fails the client resends this last chunk.
        finish(s, row, owner)
    } else {
        s.store
            .write(|tx| tx.set_upload_offset(&row.id, new_offset))
            .map_err(Problem::from)
    }
}

/// The last byte arrived: check, thumbnail, store by content hash, record.
fn finish(s: &AppState, row: &UploadRow, owner: &UserId) -> Result<(), Problem> {
    let path = part_path(s, &row.id);
    let bytes =
        std::fs::read(&path).map_err(|e| Problem::internal(format!("upload file missing: {e}")))?;
    let (width, height, thumb) = match check_and_thumbnail(&bytes, &s.limits) {
        Ok(t) => t,
        Err(p) => {
            // A bad photo is never kept: drop the bytes and the upload.
            let _ = std::fs::remove_file(&path);
            s.store.write(|tx| tx.delete_upload(&row.id))?;
            return Err(p);
        }
    };
    let thumb_sha = s
        .blobs
        .put(&thumb)
        .map_err(|e| Problem::internal(e.to_string()))?;
    // Copied, not moved: the part file stays until the completion commits, so
    // a failure anywhere before that leaves an upload whose client finishes it
    // by resending the last chunk.
    let sha = s
        .blobs
        .put(&bytes)
        .map_err(|e| Problem::internal(e.to_string()))?;
    let blob = BlobInfo {
        sha256: sha.clone(),
        thumb_sha256: thumb_sha,
        width,
        height,
        bytes: bytes.len() as u64,
    };
    let now = s.clock.now_ms();
    s.store.write(|tx| -> Result<(), Problem> {
        tx.complete_upload(&row.id, &blob, now)?;
        if let Some(pid) = &row.photo_id {
            claim_photo(tx, pid, &sha, owner, now)?;
        }
        Ok(())
    })?;
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// Deletes expired uploads: unfinished bytes, and finished content no listing
/// uses. Returns how many uploads were collected.
#[tracing::instrument(skip(s))]
pub fn collect_expired(s: &AppState, now: i64) -> Result<usize, Problem> {
    let blobs: &BlobStore = &s.blobs;
    let mut files: Vec<PathBuf> = Vec::new();
    let n = s.store.write(|tx| -> Result<usize, Problem> {
        // Dead sessions go too (a day's grace so a revoked token still reads as revoked).
        tx.delete_dead_sessions(now - 86_400_000)?;
        let expired = tx.expired_uploads(now)?;
        for u in &expired {
            tx.delete_upload(&u.id)?;
            // A finished upload's part file is normally gone already; one left
            // by a crash between the completion and its removal goes now.
            files.push(part_path(s, &u.id));
        }
        for u in &expired {
            if let Some(sha) = &u.sha256
                && !tx.blob_in_use(sha)?
            {
                if let Some(thumb) = tx.delete_blob(sha)? {
                    files.push(blobs.path_of(&thumb));
                }
                files.push(blobs.path_of(sha));
            }
        }
        Ok(expired.len())
    })?;
    for f in files {
        let _ = std::fs::remove_file(f);
    }
    if n > 0 {
        tracing::info!(uploads = n, "collected expired uploads");
    }
    Ok(n)
}
