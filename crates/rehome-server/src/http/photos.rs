//! `GET /v1/photos/{id}` and `/thumb`: immutable, content-addressed JPEG bytes,
//! with an ETag (the content hash) and a year of caching. A demo shot not drawn
//! yet is drawn on the first request.

use super::extract::ApiPath;
use super::support::{AppRef, blocking};
use crate::problem::Problem;
use crate::storage::PhotoState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(super) async fn full(
    State(state): State<AppRef>,
    ApiPath(photo_id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    serve_photo(state, photo_id, headers, false).await
}

pub(super) async fn thumb(
    State(state): State<AppRef>,
    ApiPath(photo_id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    serve_photo(state, photo_id, headers, true).await
}

fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(etag))
}

/// `GET /v1/photos/{id}` and `/thumb`: immutable, content-addressed JPEG bytes.
async fn serve_photo(
    state: AppRef,
    photo_id: String,
    headers: HeaderMap,
    thumb: bool,
) -> Result<Response, Problem> {
    if uuid::Uuid::parse_str(&photo_id).is_err() {
        return Err(Problem::not_found("No such photo").with_field("photoId"));
    }
    let id = photo_id.clone();
    let blob = blocking(&state, move |s| match s.store.photo(&id)? {
        PhotoState::Ready(blob) => Ok(blob),
        PhotoState::DemoPending(spec) => Ok(crate::demo::draw_and_record(
            &s.store,
            &s.blobs,
            &id,
            &spec,
            s.clock.now_ms(),
        )?),
        PhotoState::Missing => Err(Problem::not_found(
            "No such photo, or its upload is not complete",
        )),
    })
    .await?;
    let sha = if thumb {
        blob.thumb_sha256
    } else {
        blob.sha256
    };
    let etag = format!("\"{sha}\"");
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    let etag_value = HeaderValue::from_str(&etag)
        .map_err(|_| Problem::internal("stored hash is not a header"))?;
    if etag_matches(&headers, &etag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_value), (header::CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    let bytes = tokio::fs::read(state.blobs.path_of(&sha))
        .await
        .map_err(|e| Problem::internal(format!("photo file missing: {e}")))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response())
}
