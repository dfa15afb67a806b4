//! Photo uploads over tus 1.0 (core + creation, expiration and checksum
//! extensions). Bytes go to `DIR/uploads/<id>.part`; when the last byte arrives
//! the server checks they are a JPEG within limits (`photo_check.rs`: parsing
//! the header itself, never trusting client metadata), makes a ~400 px thumbnail, and moves the
//! file into the content-addressed blob store (so equal content dedupes).
//! Unfinished and unattached uploads expire (see [`collect_expired`]).

use crate::AppState;
use crate::auth::Caller;
use crate::blobs::BlobStore;
use crate::extract::ApiPath;
use crate::photo_check::check_and_thumbnail;
use crate::problem::Problem;
use crate::routes::{AppRef, blocking};
use crate::storage::{BlobInfo, UploadRow};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use rehome_model::ErrorCode;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

pub const TUS_VERSION: &str = "1.0.0";

fn h(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

fn value(s: impl ToString) -> HeaderValue {
    HeaderValue::from_str(&s.to_string()).unwrap_or(HeaderValue::from_static(""))
}

fn http_date(ms: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    httpdate::fmt_http_date(t)
}

fn tus_headers(res: &mut Response) {
    res.headers_mut()
        .insert(h("tus-resumable"), HeaderValue::from_static(TUS_VERSION));
}

fn with_tus(mut res: Response) -> Response {
    tus_headers(&mut res);
    res
}

/// A tus-flavoured problem (still problem+json, with `Tus-Resumable`).
fn tus_problem(p: Problem) -> Response {
    with_tus(p.into_response())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn require_tus(headers: &HeaderMap) -> Result<(), Box<Response>> {
    match header_str(headers, "tus-resumable") {
        Some(TUS_VERSION) => Ok(()),
        _ => {
            let mut res = Problem::new(
                StatusCode::PRECONDITION_FAILED,
                ErrorCode::BadRequest,
                "Send Tus-Resumable: 1.0.0",
            )
            .with_field("Tus-Resumable")
            .into_response();
            res.headers_mut()
                .insert(h("tus-version"), HeaderValue::from_static(TUS_VERSION));
            Err(Box::new(with_tus(res)))
        }
    }
}

fn parts_dir(state: &AppState) -> PathBuf {
    state.data_dir.join("uploads")
}

fn part_path(state: &AppState, id: &str) -> PathBuf {
    parts_dir(state).join(format!("{id}.part"))
}

/// `OPTIONS /v1/uploads`: what this tus server supports.
pub async fn options(State(state): State<AppRef>) -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    let hs = res.headers_mut();
    hs.insert(h("tus-version"), HeaderValue::from_static(TUS_VERSION));
    hs.insert(
        h("tus-extension"),
        HeaderValue::from_static("creation,expiration,checksum"),
    );
    hs.insert(h("tus-max-size"), value(state.limits.max_upload_bytes));
    hs.insert(
        h("tus-checksum-algorithm"),
        HeaderValue::from_static("sha256"),
    );
    with_tus(res)
}

/// `Upload-Metadata: key base64,key base64`
fn metadata(headers: &HeaderMap) -> Result<Vec<(String, String)>, Problem> {
    let Some(raw) = header_str(headers, "upload-metadata") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, val) = pair.split_once(' ').unwrap_or((pair, ""));
        let val = STANDARD
            .decode(val.trim())
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .ok_or_else(|| {
                Problem::bad_request("Upload-Metadata values are base64")
                    .with_field("Upload-Metadata")
            })?;
        out.push((key.to_owned(), val));
    }
    Ok(out)
}

/// `POST /v1/uploads` (tus creation).
#[tracing::instrument(skip_all, fields(user = %caller.handle))]
pub async fn create(State(state): State<AppRef>, caller: Caller, headers: HeaderMap) -> Response {
    if let Err(res) = require_tus(&headers) {
        return *res;
    }
    match create_inner(state, caller, headers).await {
        Ok(res) => with_tus(res),
        Err(p) => tus_problem(p),
    }
}

async fn create_inner(
    state: AppRef,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    if header_str(&headers, "upload-defer-length").is_some() {
        return Err(Problem::bad_request("Deferred lengths are not supported")
            .with_field("Upload-Defer-Length"));
    }
    let length: u64 = header_str(&headers, "upload-length")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            Problem::bad_request("Upload-Length is required").with_field("Upload-Length")
        })?;
    if length > state.limits.max_upload_bytes {
        return Err(Problem::too_large(format!(
            "Uploads are at most {} bytes",
            state.limits.max_upload_bytes
        ))
        .with_field("Upload-Length"));
    }
    if length == 0 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadPhoto,
            "An empty file is not a photo",
        )
        .with_field("Upload-Length"));
    }
    let meta = metadata(&headers)?;
    let photo_id = match meta.iter().find(|(k, _)| k == "photoId") {
        Some((_, v)) => Some(
            v.parse::<uuid::Uuid>()
                .map_err(|_| {
                    Problem::bad_request("photoId is a UUID").with_field("Upload-Metadata")
                })?
                .to_string(),
        ),
        None => None,
    };
    let claimed_sha = meta
        .iter()
        .find(|(k, _)| k == "sha256")
        .map(|(_, v)| v.to_ascii_lowercase())
        .filter(|v| crate::blobs::is_sha256_hex(v));
    let mut raw = [0u8; 16];
    crate::random_bytes(&mut raw).map_err(|e| Problem::internal(e.to_string()))?;
    let id = rehome_model::hex(&raw);
    let res_id = id.clone();
    let (expires_at, offset) = blocking(&state, move |s| {
        let now = s.clock.now_ms();
        let row = UploadRow {
            id: id.clone(),
            owner_id: caller.user_id.to_string(),
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
            Some(sha) => s
                .store
                .held_blob(sha, &caller.user_id)?
                .filter(|b| b.bytes == length),
            None => None,
        };
        s.store.write(|tx| -> Result<(), Problem> {
            tx.insert_upload(&row, now)?;
            if let Some(blob) = &known {
                tx.complete_upload(&row.id, blob, now)?;
                if let Some(pid) = &photo_id {
                    claim_photo(tx, pid, &blob.sha256, &caller.user_id, now)?;
                }
            }
            Ok(())
        })?;
        if known.is_none() {
            std::fs::create_dir_all(parts_dir(s))
                .and_then(|_| std::fs::File::create(part_path(s, &id)).map(drop))
                .map_err(|e| Problem::internal(format!("cannot create the upload file: {e}")))?;
        }
        Ok((row.expires_at, if known.is_some() { length } else { 0 }))
    })
    .await?;
    let mut res = StatusCode::CREATED.into_response();
    let hs = res.headers_mut();
    hs.insert(header::LOCATION, value(format!("/v1/uploads/{res_id}")));
    hs.insert(h("upload-expires"), value(http_date(expires_at)));
    hs.insert(h("upload-offset"), value(offset));
    Ok(res)
}

fn claim_photo(
    tx: &crate::storage::WriteTx<'_>,
    photo_id: &str,
    sha: &str,
    owner: &rehome_model::UserId,
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

async fn owned_upload(state: &AppRef, caller: &Caller, id: String) -> Result<UploadRow, Problem> {
    let user = caller.user_id.to_string();
    blocking(state, move |s| {
        let row = s
            .store
            .upload(&id)?
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
    })
    .await
}

fn offset_headers(res: &mut Response, row: &UploadRow, offset: u64) {
    let hs = res.headers_mut();
    hs.insert(h("upload-offset"), value(offset));
    hs.insert(h("upload-length"), value(row.length));
    hs.insert(h("upload-expires"), value(http_date(row.expires_at)));
    hs.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// `HEAD /v1/uploads/{id}`: how far it got.
pub async fn head(
    State(state): State<AppRef>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = require_tus(&headers) {
        return *res;
    }
    match owned_upload(&state, &caller, id).await {
        Ok(row) => {
            let mut res = StatusCode::OK.into_response();
            let offset = if row.completed {
                row.length
            } else {
                row.offset
            };
            offset_headers(&mut res, &row, offset);
            with_tus(res)
        }
        // HEAD responses carry no body.
        Err(p) => with_tus((p.status, [(header::CACHE_CONTROL, "no-store")]).into_response()),
    }
}

/// Releases an upload's PATCH lock when dropped (also on a cut connection).
struct Busy<'a> {
    state: &'a AppState,
    id: String,
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.state.uploads_in_flight.lock() {
            set.remove(&self.id);
        }
    }
}

/// `PATCH /v1/uploads/{id}`: append a chunk at `Upload-Offset`.
#[tracing::instrument(skip_all, fields(user = %caller.handle, upload = %id))]
pub async fn patch(
    State(state): State<AppRef>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(res) = require_tus(&headers) {
        return *res;
    }
    match patch_inner(&state, caller, id, headers, body).await {
        Ok(res) => with_tus(res),
        Err(p) => tus_problem(p),
    }
}

async fn patch_inner(
    state: &AppRef,
    caller: Caller,
    id: String,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let ct = header_str(&headers, "content-type").unwrap_or("");
    if ct != "application/offset+octet-stream" {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadRequest,
            "Send chunks as application/offset+octet-stream",
        )
        .with_field("Content-Type"));
    }
    let claimed: u64 = header_str(&headers, "upload-offset")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            Problem::bad_request("Upload-Offset is required").with_field("Upload-Offset")
        })?;
    let checksum = match header_str(&headers, "upload-checksum") {
        None => None,
        Some(v) => {
            let (algo, b64) = v.trim().split_once(' ').unwrap_or((v, ""));
            if !algo.eq_ignore_ascii_case("sha256") {
                return Err(Problem::bad_request("Only sha256 checksums are supported")
                    .with_field("Upload-Checksum"));
            }
            let digest = STANDARD
                .decode(b64.trim())
                .ok()
                .filter(|d| d.len() == 32)
                .ok_or_else(|| {
                    Problem::bad_request("Upload-Checksum is `sha256 <base64 digest>`")
                        .with_field("Upload-Checksum")
                })?;
            Some(digest)
        }
    };
    let row = owned_upload(state, &caller, id.clone()).await?;
    {
        let mut set = state
            .uploads_in_flight
            .lock()
            .map_err(|_| Problem::internal("upload lock poisoned"))?;
        if !set.insert(id.clone()) {
            return Err(Problem::new(
                StatusCode::LOCKED,
                ErrorCode::Conflict,
                "Another request is writing this upload; retry after it ends",
            ));
        }
    }
    let _busy = Busy {
        state,
        id: id.clone(),
    };
    if row.completed || claimed != row.offset {
        let mut res = Problem::new(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            format!(
                "Upload-Offset {claimed} does not match the server's {}",
                if row.completed {
                    row.length
                } else {
                    row.offset
                }
            ),
        )
        .with_field("Upload-Offset")
        .into_response();
        offset_headers(
            &mut res,
            &row,
            if row.completed {
                row.length
            } else {
                row.offset
            },
        );
        return Ok(res);
    }

    // Stream the chunk into the part file, never past Upload-Length.
    let path = part_path(state, &id);
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .await
        .map_err(|e| Problem::internal(format!("upload file missing: {e}")))?;
    file.seek(std::io::SeekFrom::Start(row.offset))
        .await
        .map_err(|e| Problem::internal(e.to_string()))?;
    let room = row.length - row.offset;
    let mut written: u64 = 0;
    let mut hasher = Sha256::new();
    let mut stream = body.into_data_stream();
    let mut failure: Option<Problem> = None;
    let mut cut = false;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(_) => {
                cut = true;
                break;
            }
        };
        if written + chunk.len() as u64 > room {
            failure = Some(
                Problem::too_large("The chunk goes past Upload-Length").with_field("Upload-Length"),
            );
            break;
        }
        if let Err(e) = file.write_all(&chunk).await {
            failure = Some(Problem::internal(format!("cannot write the upload: {e}")));
            break;
        }
        hasher.update(&chunk);
        written += chunk.len() as u64;
    }
    let digest = hasher.finalize();
    if failure.is_none()
        && !cut
        && let Some(expected) = &checksum
        && expected.as_slice() != digest.as_slice()
    {
        failure = Some(
            Problem::new(
                StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                ErrorCode::ChecksumMismatch,
                "The chunk's bytes do not match Upload-Checksum",
            )
            .with_field("Upload-Checksum"),
        );
    }
    // A chunk is kept whole or not at all when it has a checksum (or failed);
    // without one, whatever arrived before a cut is kept (tus core semantics).
    let keep = failure.is_none() && (!cut || checksum.is_none());
    let new_offset = if keep {
        row.offset + written
    } else {
        row.offset
    };
    file.flush()
        .await
        .map_err(|e| Problem::internal(e.to_string()))?;
    file.set_len(new_offset)
        .await
        .map_err(|e| Problem::internal(e.to_string()))?;
    file.sync_data()
        .await
        .map_err(|e| Problem::internal(e.to_string()))?;
    drop(file);
    let done = new_offset == row.length;
    let finished_row = row.clone();
    let result = blocking(state, move |s| {
        if done {
            // The offset reaches the length only in `finish`'s own transaction,
            // together with the checked content and the photo claim: a HEAD
            // never reports the full offset for an upload that is not yet
            // attachable. Until then it reports where the previous chunk ended,
            // and if finishing fails the client resends this last chunk.
            finish(s, &finished_row, &caller)
        } else {
            s.store
                .write(|tx| tx.set_upload_offset(&finished_row.id, new_offset))
                .map_err(Problem::from)
        }
    })
    .await;
    if let Some(p) = failure {
        return Err(p);
    }
    result?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    offset_headers(&mut res, &row, new_offset);
    Ok(res)
}

/// The last byte arrived: check, thumbnail, store by content hash, record.
fn finish(s: &AppState, row: &UploadRow, caller: &Caller) -> Result<(), Problem> {
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
            claim_photo(tx, pid, &sha, &caller.user_id, now)?;
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
