//! The OpenAPI 3.1 document, generated with utoipa and served at
//! `GET /v1/openapi.json`; a copy is checked in as `openapi.json` and a test
//! fails when the two differ (regenerate with `UPDATE_OPENAPI=1 cargo nextest run -p rehome-server openapi`).
//!
//! The schemas are derived from rehome-model's wire types themselves (its
//! `openapi` feature, which only this crate turns on), so the document cannot
//! drift from what is sent; only the problem body and the query parameters are
//! described here, beside the handlers that own them. The integration test
//! `openapi::real_requests_and_responses_match_the_document` validates real
//! requests and responses against the document.
//!
//! The functions below carry no code: each is the `#[utoipa::path]` of one
//! route.
#![allow(dead_code)]

use super::listings::{FeedParams, SearchParams};
use super::support::PageParams;
use crate::problem::ProblemBody;
use axum::http::header;
use axum::response::IntoResponse;
use rehome_model::api::{
    ClosetPage, LikedListing, ListingDetail, Me, Notification, SeenRequest, SellerSummary, Session,
    SettingsUpdate, SignInRequest, SignUpRequest,
};
use rehome_model::sync::{
    Mutation, MutationEnvelope, MutationOutcome, MutationResult, PatchOp, PullRequest,
    PullResponse, PushRequest, PushResponse, ServerListing,
};
use rehome_model::{FeedPage, ListingCard};
use utoipa::OpenApi;

#[utoipa::path(get, path = "/v1/feed", tag = "reads", params(FeedParams),
    security((), ("bearer" = [])),
    responses((status = 200, description = "For You: live listings, freshest first, or personalised when signed in (followed sellers, liked brands, the caller's sizes; listings already seen lower). Following (`following=true`): the newest from the sellers the caller follows", body = FeedPage<ListingCard>),
              (status = 400, description = "Bad cursor or parameter", body = ProblemBody, content_type = "application/problem+json"),
              (status = 401, description = "`following=true` without a sign-in, or a bad token", body = ProblemBody, content_type = "application/problem+json")))]
fn feed() {}

#[utoipa::path(get, path = "/v1/search", tag = "reads", params(SearchParams),
    responses((status = 200, description = "Matching live listings, in the order `sort` asks (freshest first by default)", body = FeedPage<ListingCard>),
              (status = 400, description = "Bad cursor or parameter", body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, description = "Unknown category, condition or sort, inverted price range", body = ProblemBody, content_type = "application/problem+json")))]
fn search() {}

#[utoipa::path(get, path = "/v1/listings/{listingId}", tag = "reads",
    params(("listingId" = String, Path, description = "Listing id (UUID)")),
    security((), ("bearer" = [])),
    responses((status = 200, body = ListingDetail),
              (status = 404, description = "No such listing, or not visible to the caller", body = ProblemBody, content_type = "application/problem+json")))]
fn listing() {}

#[utoipa::path(get, path = "/v1/sellers/{seller}", tag = "reads",
    params(("seller" = String, Path, description = "Seller id (UUID) or handle")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The seller card: counts, and whether the caller follows them", body = SellerSummary),
              (status = 404, description = "No such seller", body = ProblemBody, content_type = "application/problem+json")))]
fn seller() {}

#[utoipa::path(get, path = "/v1/sellers/{seller}/listings", tag = "reads",
    params(("seller" = String, Path, description = "Seller id (UUID) or handle"), PageParams),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The seller's live listings, newest first, under the seller card", body = ClosetPage),
              (status = 400, description = "Bad cursor or parameter", body = ProblemBody, content_type = "application/problem+json"),
              (status = 404, body = ProblemBody, content_type = "application/problem+json")))]
fn closet() {}

#[utoipa::path(get, path = "/v1/me/likes", tag = "reads", params(PageParams), security(("bearer" = [])),
    responses((status = 200, description = "What the caller liked, latest first: live, sold and delisted, each with its price when liked", body = FeedPage<LikedListing>),
              (status = 401, body = ProblemBody, content_type = "application/problem+json")))]
fn likes() {}

#[utoipa::path(post, path = "/v1/me/seen", tag = "reads", security(("bearer" = [])), request_body = SeenRequest,
    responses((status = 204, description = "Recorded: the personalised feed shows these listings lower"),
              (status = 400, body = ProblemBody, content_type = "application/problem+json"),
              (status = 401, body = ProblemBody, content_type = "application/problem+json"),
              (status = 415, body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, description = "No ids, or more than 200", body = ProblemBody, content_type = "application/problem+json")))]
fn seen() {}

#[utoipa::path(get, path = "/v1/notifications", tag = "reads", params(PageParams), security(("bearer" = [])),
    responses((status = 200, description = "Delivered notifications, newest first (held ones fold into a digest)", body = FeedPage<Notification>),
              (status = 401, body = ProblemBody, content_type = "application/problem+json")))]
fn notifications() {}

#[utoipa::path(get, path = "/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ProblemBody, content_type = "application/problem+json")))]
fn me() {}

#[utoipa::path(put, path = "/v1/me/settings", tag = "accounts", security(("bearer" = [])), request_body = SettingsUpdate,
    responses((status = 200, body = Me), (status = 422, body = ProblemBody, content_type = "application/problem+json")))]
fn settings() {}

#[utoipa::path(post, path = "/v1/auth/sign-up", tag = "accounts", request_body = SignUpRequest,
    responses((status = 201, body = Session),
              (status = 409, description = "Handle taken", body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, body = ProblemBody, content_type = "application/problem+json")))]
fn sign_up() {}

#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "accounts", request_body = SignInRequest,
    responses((status = 200, body = Session),
              (status = 401, body = ProblemBody, content_type = "application/problem+json"),
              (status = 429, description = "Too many attempts for this account or IP; see Retry-After", body = ProblemBody, content_type = "application/problem+json")))]
fn sign_in() {}

#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "The token is revoked"), (status = 401, body = ProblemBody, content_type = "application/problem+json")))]
fn sign_out() {}

#[utoipa::path(post, path = "/v1/sync/push", tag = "sync", security(("bearer" = [])), request_body = PushRequest,
    responses((status = 200, body = PushResponse),
              (status = 400, body = ProblemBody, content_type = "application/problem+json"),
              (status = 413, body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, body = ProblemBody, content_type = "application/problem+json")))]
fn push() {}

#[utoipa::path(post, path = "/v1/sync/pull", tag = "sync", security(("bearer" = [])), request_body = PullRequest,
    responses((status = 200, body = PullResponse),
              (status = 400, description = "Bad cookie", body = ProblemBody, content_type = "application/problem+json")))]
fn pull() {}

#[utoipa::path(options, path = "/v1/uploads", tag = "uploads",
    responses((status = 204, description = "tus capabilities (Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm)")))]
fn upload_options() {}

#[utoipa::path(post, path = "/v1/uploads", tag = "uploads", security(("bearer" = [])),
    params(("Tus-Resumable" = String, Header, description = "1.0.0"),
           ("Upload-Length" = u64, Header, description = "Total bytes"),
           ("Upload-Metadata" = Option<String>, Header, description = "`photoId <b64>,sha256 <b64>`")),
    responses((status = 201, description = "Created: Location, Upload-Expires, Upload-Offset (the length when the content is already known)"),
              (status = 412, body = ProblemBody, content_type = "application/problem+json"),
              (status = 413, body = ProblemBody, content_type = "application/problem+json")))]
fn upload_create() {}

#[utoipa::path(head, path = "/v1/uploads/{uploadId}", tag = "uploads", security(("bearer" = [])),
    params(("uploadId" = String, Path)),
    responses((status = 200, description = "Upload-Offset, Upload-Length, Upload-Expires"), (status = 404), (status = 410)))]
fn upload_head() {}

#[utoipa::path(patch, path = "/v1/uploads/{uploadId}", tag = "uploads", security(("bearer" = [])),
    params(("uploadId" = String, Path),
           ("Upload-Offset" = u64, Header),
           ("Upload-Checksum" = Option<String>, Header, description = "`sha256 <base64 digest>` of this chunk")),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses((status = 204, description = "Chunk stored; the new Upload-Offset"),
              (status = 409, description = "Upload-Offset mismatch", body = ProblemBody, content_type = "application/problem+json"),
              (status = 413, description = "Past Upload-Length", body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, description = "Complete but not an acceptable JPEG", body = ProblemBody, content_type = "application/problem+json"),
              (status = 423, description = "Another PATCH is in progress", body = ProblemBody, content_type = "application/problem+json"),
              (status = 460, description = "Checksum mismatch", body = ProblemBody, content_type = "application/problem+json")))]
fn upload_patch() {}

#[utoipa::path(get, path = "/v1/photos/{photoId}", tag = "photos",
    params(("photoId" = String, Path)),
    responses((status = 200, description = "JPEG; strong ETag (SHA-256), immutable caching", content_type = "image/jpeg", body = Vec<u8>),
              (status = 304, description = "If-None-Match matched"),
              (status = 404, body = ProblemBody, content_type = "application/problem+json")))]
fn photo() {}

#[utoipa::path(get, path = "/v1/photos/{photoId}/thumb", tag = "photos",
    params(("photoId" = String, Path)),
    responses((status = 200, description = "~400 px JPEG thumbnail", content_type = "image/jpeg", body = Vec<u8>),
              (status = 304), (status = 404, body = ProblemBody, content_type = "application/problem+json")))]
fn photo_thumb() {}

#[utoipa::path(get, path = "/v1/openapi.json", tag = "meta", responses((status = 200, description = "This document")))]
fn openapi_json() {}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Rehome marketplace API", version = "1.0.0",
         description = "The reference marketplace API: reads with cursor pagination, writes through the sync protocol, photos over tus 1.0. Errors are RFC 9457 problem+json with `code` and `field`."),
    paths(feed, search, listing, seller, closet, likes, seen, notifications, me, settings, sign_up, sign_in, sign_out,
          push, pull, upload_options, upload_create, upload_head, upload_patch, photo, photo_thumb, openapi_json),
    components(schemas(ProblemBody, FeedPage<ListingCard>, ListingCard, ListingDetail, SellerSummary, ClosetPage,
                       FeedPage<LikedListing>, LikedListing, SeenRequest, Session, Me, SettingsUpdate,
                       FeedPage<Notification>, Notification, PushRequest, PushResponse, PullRequest, PullResponse,
                       Mutation, MutationEnvelope, MutationOutcome, MutationResult, ServerListing, PatchOp)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

/// `GET /v1/openapi.json`
pub(super) async fn json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}

/// The document as served (pretty JSON, with a trailing newline).
pub fn document() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
