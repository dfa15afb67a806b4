//! Photo uploads over tus 1.0 (core + creation, expiration and checksum
//! extensions). Bytes go to `DIR/uploads/<id>.part`; when the last byte arrives
//! the server checks they are a JPEG within limits (parsing the header itself,
//! never trusting client metadata), makes a ~400 px thumbnail, and moves the
//! file into the content-addressed blob store (so equal content dedupes).
//! Unfinished and unattached uploads expire (see [`collect_expired`]).

use crate::auth::Caller;
use crate::blobs::BlobStore;
use crate::extract::ApiPath;
use crate::problem::Problem;
use crate::routes::{AppRef, blocking};
use crate::storage::{BlobInfo, UploadRow};
use crate::{AppState, Limits};
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
const THUMB_EDGE: u32 = 400;

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

/// Width, height and component count from a JPEG's frame header, walking the
/// markers ourselves (the decoder is only trusted with headers we accept).
pub fn jpeg_header(bytes: &[u8]) -> Result<(u32, u32, u8), &'static str> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err("not a JPEG (no SOI marker)");
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err("damaged JPEG marker stream");
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 || i + 2 + len > bytes.len() {
            return Err("truncated JPEG segment");
        }
        match marker {
            0xC0..=0xC2 => {
                let seg = &bytes[i + 4..i + 2 + len];
                if seg.len() < 6 {
                    return Err("short frame header");
                }
                if seg[0] != 8 {
                    return Err("only 8-bit JPEGs are accepted");
                }
                let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                let components = seg[5];
                if width == 0 || height == 0 {
                    return Err("a JPEG with no pixels");
                }
                if components != 1 && components != 3 {
                    return Err("only greyscale and colour JPEGs are accepted");
                }
                return Ok((width, height, components));
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err("unsupported JPEG coding (lossless or arithmetic)");
            }
            0xD9 | 0xDA => return Err("no frame header before the image data"),
            _ => i += 2 + len,
        }
    }
    Err("no frame header")
}

/// Checks `bytes` are a JPEG within `limits`; returns (width, height, thumbnail JPEG).
pub fn check_and_thumbnail(bytes: &[u8], limits: &Limits) -> Result<(u32, u32, Vec<u8>), Problem> {
    let bad = |m: &str| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadPhoto,
            m.to_owned(),
        )
    };
    let (width, height, _) = jpeg_header(bytes).map_err(bad)?;
    if u64::from(width) * u64::from(height) > limits.max_photo_pixels {
        return Err(bad("The photo has too many pixels"));
    }
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(limits.max_photo_pixels as usize * 3);
    decoder
        .read_info()
        .map_err(|_| bad("The JPEG header is damaged"))?;
    let scale_to = |v: u32| v.min(u32::from(u16::MAX)) as u16;
    let (tw, th) = fit(width, height, THUMB_EDGE);
    decoder
        .scale(scale_to(tw), scale_to(th))
        .map_err(|_| bad("The JPEG cannot be scaled"))?;
    let pixels = decoder
        .decode()
        .map_err(|_| bad("The JPEG data is damaged"))?;
    let info = decoder
        .info()
        .ok_or_else(|| bad("The JPEG header is damaged"))?;
    let (sw, sh) = (u32::from(info.width), u32::from(info.height));
    let rgb: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
        _ => return Err(bad("Unsupported JPEG pixel format")),
    };
    if rgb.len() < (sw * sh * 3) as usize {
        return Err(bad("The JPEG data is short"));
    }
    let (tw, th) = fit(sw, sh, THUMB_EDGE);
    let small = box_resize(&rgb, sw, sh, tw, th);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 80);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.encode(&small, tw as u16, th as u16, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| Problem::internal(e.to_string()))?;
    Ok((width, height, out))
}

/// The size that fits `w`×`h` within `edge` on its long side (never upscaled).
fn fit(w: u32, h: u32, edge: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= edge {
        return (w.max(1), h.max(1));
    }
    (
        ((u64::from(w) * u64::from(edge) / u64::from(long)) as u32).max(1),
        ((u64::from(h) * u64::from(edge) / u64::from(long)) as u32).max(1),
    )
}

/// Area-average resize of packed RGB8.
fn box_resize(src: &[u8], sw: u32, sh: u32, dw: u32, dh: u32) -> Vec<u8> {
    let mut out = vec![0u8; (dw * dh * 3) as usize];
    for y in 0..dh {
        let y0 = y * sh / dh;
        let y1 = ((y + 1) * sh / dh).max(y0 + 1).min(sh);
        for x in 0..dw {
            let x0 = x * sw / dw;
            let x1 = ((x + 1) * sw / dw).max(x0 + 1).min(sw);
            let mut acc = [0u32; 3];
            for yy in y0..y1 {
                for xx in x0..x1 {
                    let i = ((yy * sw + xx) * 3) as usize;
                    acc[0] += u32::from(src[i]);
                    acc[1] += u32::from(src[i + 1]);
                    acc[2] += u32::from(src[i + 2]);
                }
            }
            let n = (y1 - y0) * (x1 - x0);
            let o = ((y * dw + x) * 3) as usize;
            for c in 0..3 {
                out[o + c] = (acc[c] / n) as u8;
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_headers_are_parsed_and_hostile_ones_refused() {
        let good = crate::render::render_jpeg(
            &crate::render::Shot {
                garment: crate::render::Garment::Bag,
                colour: [0.5, 0.2, 0.2],
                background: [0.9, 0.9, 0.9],
                pattern: crate::render::Pattern::Solid,
                view: 0,
                seed: 1,
            },
            90,
            120,
            80,
        )
        .unwrap();
        assert_eq!(jpeg_header(&good), Ok((90, 120, 3)));
        let check = |bytes: &[u8], expected: &str| {
            assert_eq!(jpeg_header(bytes).unwrap_err(), expected, "{bytes:?}");
        };
        check(b"GIF89a", "not a JPEG (no SOI marker)");
        check(
            &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x40],
            "truncated JPEG segment",
        );
        check(
            &[0xFF, 0xD8, 0x00, 0x00, 0x00, 0x00],
            "damaged JPEG marker stream",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 8, 0, 1, 0, 1, 2],
            "only greyscale and colour JPEGs are accepted",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 12, 0, 1, 0, 1, 3],
            "only 8-bit JPEGs are accepted",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 8, 0, 0, 0, 1, 3],
            "a JPEG with no pixels",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC3, 0, 8, 8, 0, 1, 0, 1, 3],
            "unsupported JPEG coding (lossless or arithmetic)",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xD9, 0, 2],
            "no frame header before the image data",
        );
        let (w, h, thumb) = check_and_thumbnail(&good, &Limits::default()).unwrap();
        assert_eq!((w, h), (90, 120));
        assert_eq!(jpeg_header(&thumb), Ok((90, 120, 3)));
        let tiny = Limits {
            max_photo_pixels: 100,
            ..Limits::default()
        };
        assert_eq!(
            check_and_thumbnail(&good, &tiny).unwrap_err().code,
            ErrorCode::BadPhoto
        );
    }

    #[test]
    fn thumbnails_fit_the_long_edge() {
        for ((w, h), expected) in [
            ((4000, 3000), (400, 300)),
            ((900, 1200), (300, 400)),
            ((200, 100), (200, 100)),
            ((10000, 1), (400, 1)),
        ] {
            assert_eq!(fit(w, h, 400), expected);
        }
    }
}
