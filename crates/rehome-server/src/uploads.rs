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
    // Photo ids are public: one someone else owns is refused before any
    // bytes are sent (and again when they have all arrived).
    if let Some(pid) = &photo_id
        && s.store
            .photo_owner(pid)?
            .is_some_and(|o| o != owner.to_string())
    {
        return Err(someone_elses_photo());
    }
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
    // proves nothing, so anyone else sends the bytes. And only if its files
    // are really there (else the bytes are asked for again, which restores
    // them); the files lock keeps them there until the completion commits.
    let files = claimed_sha.as_ref().map(|_| s.blobs.lock());
    let known = match &claimed_sha {
        Some(sha) => s
            .store
            .held_blob(sha, owner)?
            .filter(|b| b.bytes == length)
            .filter(|b| s.blobs.has(&b.sha256) && s.blobs.has(&b.thumb_sha256)),
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
    drop(files);
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
        Some((Some(o), _)) if o != owner.to_string() => Err(someone_elses_photo()),
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

fn someone_elses_photo() -> Problem {
    Problem::forbidden("This photo id belongs to someone else").with_field("Upload-Metadata")
}

/// The last byte arrived: check, thumbnail, store by content hash, record.
/// No file is left behind without a row: a photo id someone else owns is
/// refused before anything is written, and if the completion is refused or
/// fails after the files were written, those no row names are removed again
/// (under the files lock, so no one else relied on them meanwhile).
fn finish(s: &AppState, row: &UploadRow, owner: &UserId) -> Result<(), Problem> {
    let path = part_path(s, &row.id);
    let bytes =
        std::fs::read(&path).map_err(|e| Problem::internal(format!("upload file missing: {e}")))?;
    // Refusals that no retry can change drop the bytes and the upload.
    let give_up = |p: Problem| -> Result<(), Problem> {
        let _ = std::fs::remove_file(&path);
        s.store.write(|tx| tx.delete_upload(&row.id))?;
        Err(p)
    };
    if let Some(pid) = &row.photo_id
        && s.store
            .photo_owner(pid)?
            .is_some_and(|o| o != owner.to_string())
    {
        return give_up(someone_elses_photo());
    }
    let (width, height, thumb) = match check_and_thumbnail(&bytes, &s.limits) {
        Ok(t) => t,
        Err(p) => return give_up(p),
    };
    // What is kept and served has no EXIF, XMP or comments (a third-party
    // client's GPS position would otherwise reach anyone).
    let kept = match crate::photo_strip::strip_metadata(&bytes) {
        Ok(kept) => kept,
        Err(m) => {
            return give_up(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::BadPhoto,
                m,
            ));
        }
    };
    let sent_sha = (kept != bytes).then(|| crate::blobs::sha256_hex(&bytes));
    let files = s.blobs.lock();
    let mut written: Vec<String> = Vec::new();
    let mut store_and_record = || -> Result<(), Problem> {
        let io = |e: std::io::Error| Problem::internal(format!("cannot store the photo: {e}"));
        let thumb_sha = s.blobs.put(&files, &thumb).map_err(io)?;
        written.push(thumb_sha.clone());
        // Copied, not moved: the part file stays until the completion
        // commits, so a failure anywhere before that leaves an upload whose
        // client finishes it by resending the last chunk.
        let sha = s.blobs.put(&files, &kept).map_err(io)?;
        written.push(sha.clone());
        let blob = BlobInfo {
            sha256: sha.clone(),
            thumb_sha256: thumb_sha,
            width,
            height,
            bytes: kept.len() as u64,
        };
        let now = s.clock.now_ms();
        s.store.write(|tx| -> Result<(), Problem> {
            tx.complete_upload(&row.id, &blob, now)?;
            if let Some(sent) = &sent_sha {
                tx.alias_blob(sent, &sha, owner)?;
            }
            if let Some(pid) = &row.photo_id {
                claim_photo(tx, pid, &sha, owner, now)?;
            }
            Ok(())
        })
    };
    let recorded = store_and_record();
    if let Err(p) = recorded {
        for sha in &written {
            if !s.store.blob_file_named(sha).unwrap_or(true) {
                s.blobs.remove(&files, sha);
            }
        }
        drop(files);
        // The photo id was claimed by someone else meanwhile.
        if p.status == StatusCode::FORBIDDEN {
            return give_up(p);
        }
        return Err(p);
    }
    drop(files);
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// Deletes expired uploads: unfinished bytes, and finished content no listing
/// uses. Returns how many uploads were collected.
#[tracing::instrument(skip(s))]
pub fn collect_expired(s: &AppState, now: i64) -> Result<usize, Problem> {
    let blobs: &BlobStore = &s.blobs;
    // Rows and their files go under the files lock, rows first: a finish or
    // a dedupe never sees a row whose file is about to go.
    let lock = blobs.lock();
    let mut parts: Vec<PathBuf> = Vec::new();
    let mut unnamed: Vec<String> = Vec::new();
    let n = s.store.write(|tx| -> Result<usize, Problem> {
        // Dead sessions go too (a day's grace so a revoked token still reads as revoked).
        tx.delete_dead_sessions(now - 86_400_000)?;
        let expired = tx.expired_uploads(now)?;
        for u in &expired {
            tx.delete_upload(&u.id)?;
            // A finished upload's part file is normally gone already; one left
            // by a crash between the completion and its removal goes now.
            parts.push(part_path(s, &u.id));
        }
        for u in &expired {
            if let Some(sha) = &u.sha256
                && !tx.blob_in_use(sha)?
            {
                let thumb = tx.delete_blob(sha)?;
                // A file goes only when no remaining row names it (two
                // photos may share a thumbnail, or one's thumbnail be
                // another's content).
                for file in std::iter::once(sha.clone()).chain(thumb) {
                    if !tx.blob_file_named(&file)? {
                        unnamed.push(file);
                    }
                }
            }
        }
        Ok(expired.len())
    })?;
    for sha in &unnamed {
        blobs.remove(&lock, sha);
    }
    drop(lock);
    for f in parts {
        let _ = std::fs::remove_file(f);
    }
    if n > 0 {
        tracing::info!(uploads = n, "collected expired uploads");
    }
    Ok(n)
}
