//! The HTTP surface: routes and their handlers. Handlers parse, call storage on
//! the blocking pool, and shape the answer; no SQL here.

use crate::AppState;
use crate::cursor::Position;
use crate::extract::ApiPath;
use crate::problem::Problem;
use crate::storage::{CardList, Keyset, PhotoState};
use crate::{reads, uploads};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use rehome_model::{FeedPage, ListingCard};
use serde::Deserialize;
use std::sync::Arc;

pub type AppRef = Arc<AppState>;

pub fn router(state: AppRef) -> Router {
    let limit = state.limits.max_body_bytes;
    Router::new()
        .route("/v1/feed", get(reads::feed))
        .route("/v1/search", get(reads::search))
        .route("/v1/listings/{listing_id}", get(reads::listing))
        .route("/v1/sellers/{seller_id}/listings", get(reads::closet))
        .route("/v1/me", get(reads::me))
        .route("/v1/me/settings", put(reads::update_settings))
        .route("/v1/me/likes", get(reads::likes))
        .route("/v1/notifications", get(reads::notifications))
        .route("/v1/auth/sign-up", post(reads::sign_up))
        .route("/v1/auth/sign-in", post(reads::sign_in))
        .route("/v1/auth/sign-out", post(reads::sign_out))
        .route("/v1/sync/push", post(reads::push))
        .route("/v1/sync/pull", post(reads::pull))
        .route(
            "/v1/uploads",
            post(uploads::create).options(uploads::options),
        )
        .route(
            "/v1/uploads/{upload_id}",
            axum::routing::head(uploads::head).patch(uploads::patch),
        )
        .route("/v1/photos/{photo_id}", get(photo_full))
        .route("/v1/photos/{photo_id}/thumb", get(photo_thumb))
        .route("/v1/openapi.json", get(openapi_json))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::document(),
    )
}

async fn not_found() -> Problem {
    Problem::not_found("No such route")
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        rehome_model::ErrorCode::BadRequest,
        "This route does not take that method",
    )
}

/// Runs storage work on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    state: &AppRef,
    f: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|e| Problem::internal(format!("worker failed: {e}")))?
}

/// `?cursor=&limit=` on every list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From the previous page's `nextCursor`; absent for the first page.
    pub cursor: Option<String>,
    /// Items per page (1..=100, default 20).
    pub limit: Option<u32>,
}

/// Reads one page of `list`, named `list_name` for cursor binding.
pub fn page_of(
    state: &AppState,
    list_name: &str,
    list: &CardList,
    params: &PageParams,
) -> Result<FeedPage<ListingCard>, Problem> {
    let limit = match params.limit {
        None => state.limits.default_page,
        Some(0) => return Err(Problem::invalid("limit", "limit must be at least 1")),
        Some(n) => n.min(state.limits.max_page),
    };
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => {
            let pos = state
                .cursors
                .check(list_name, c)
                .ok_or_else(|| Problem::bad_cursor("cursor"))?;
            Some(Keyset {
                score: pos.score,
                id: pos.id,
            })
        }
    };
    let mut rows = state.store.cards(list, after.as_ref(), limit + 1)?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|(_, k)| {
            state.cursors.issue(
                list_name,
                &Position {
                    score: k.score,
                    id: k.id.clone(),
                },
            )
        })
    } else {
        None
    };
    Ok(FeedPage {
        items: rows.into_iter().map(|(card, _)| card).collect(),
        next_cursor,
    })
}

async fn photo_full(
    State(state): State<AppRef>,
    ApiPath(photo_id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    serve_photo(state, photo_id, headers, false).await
}

async fn photo_thumb(
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
