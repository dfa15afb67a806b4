//! Photo uploads over tus 1.0 (core + creation, expiration and checksum
//! extensions): the handlers. They parse the protocol's headers
//! (`tus_headers.rs`) and stream chunks into the part file; what happens to
//! the bytes and rows is `crate::uploads`.

use super::extract::ApiPath;
use super::support::{AppRef, Caller, blocking};
use super::tus_headers::{
    TUS_VERSION, h, header_str, http_date, metadata, offset_headers, require_tus, tus_problem,
    upload_checksum, value, with_tus,
};
use crate::problem::Problem;
use crate::storage::UploadRow;
use crate::uploads;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use rehome_model::ErrorCode;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

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
    let owner = caller.user_id;
    let created = blocking(&state, move |s| {
        uploads::create(s, &owner, length, photo_id, claimed_sha)
    })
    .await?;
    let mut res = StatusCode::CREATED.into_response();
    let hs = res.headers_mut();
    hs.insert(
        header::LOCATION,
        value(format!("/v1/uploads/{}", created.id)),
    );
    hs.insert(h("upload-expires"), value(http_date(created.expires_at)));
    hs.insert(h("upload-offset"), value(created.offset));
    Ok(res)
}

async fn owned_upload(state: &AppRef, caller: &Caller, id: String) -> Result<UploadRow, Problem> {
    let owner = caller.user_id;
    blocking(state, move |s| uploads::owned(s, &owner, &id)).await
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
    let checksum = upload_checksum(&headers)?;
    // Unknown and expired uploads are refused without queueing.
    owned_upload(state, &caller, id.clone()).await?;
    let wait = std::time::Duration::from_millis(state.limits.upload_busy_wait_ms);
    let _writer = state.upload_writers.take(&id, wait).await?;
    // Read again under the lock: a PATCH that waited sees where the one
    // before it ended.
    let row = owned_upload(state, &caller, id.clone()).await?;
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
    let path = uploads::part_path(state, &id);
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
    // The last byte: the photo is decoded (checked, thumbnailed), a few at a
    // time. Without a turn the offset stays where the previous chunk ended
    // and the client resends this one.
    let _decoding = if failure.is_none() && new_offset == row.length {
        Some(state.photo_decodes.take().await?)
    } else {
        None
    };
    let finished_row = row.clone();
    let owner = caller.user_id;
    let result = blocking(state, move |s| {
        uploads::chunk_written(s, &finished_row, new_offset, &owner)
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
