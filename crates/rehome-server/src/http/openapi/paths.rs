//! One `#[utoipa::path]` per route, with every status the route can answer:
//! the handler's own, and its extractors' (`http/extract.rs`, `support.rs`):
//! - a query string: a malformed or unknown parameter is a 400;
//! - a JSON body: not `application/json` is a 415, malformed JSON a 400, the
//!   wrong shape (type, missing or unknown field) a 422, over 256 KiB a 413;
//! - a bearer token: missing where required, or sent but unknown, expired or
//!   signed out, is a 401 (an optional token that is sent must be good);
//! - a path id that names nothing is a 404.
//!
//! `tests/it/openapi_truth/` sends a request for each status listed here.
#![allow(dead_code)]

use super::super::listings::{FeedParams, SearchParams};
use super::super::offers::OffersParams;
use super::super::support::PageParams;
use crate::problem::ProblemBody;
use rehome_model::api::{
    ClosetPage, LikedListing, Me, Notification, SeenRequest, SellerSummary, Session,
    SettingsUpdate, SignInRequest, SignUpRequest,
};
use rehome_model::sync::{PullRequest, PullResponse, PushRequest, PushResponse};
use rehome_model::{FeedPage, ListingCard};

/// tus' version handshake: this server speaks 1.0.0, and answers 412 to
/// anything else.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub enum TusResumable {
    #[serde(rename = "1.0.0")]
    V1,
}

#[utoipa::path(get, path = "/v1/feed", tag = "reads", params(FeedParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "For You: live listings, freshest first, or personalised when signed in (followed sellers, liked brands, the caller's sizes; listings already seen lower). Following (`following=true`): the newest from the sellers the caller follows", body = FeedPage<ListingCard>),
        (status = 400, description = "A malformed or unknown query parameter, or a cursor this server did not issue for this list", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "`following=true` without a sign-in, or a token that is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`limit` is not 1 to 100", body = ProblemBody, content_type = "application/problem+json")))]
pub fn feed() {}

#[utoipa::path(get, path = "/v1/search", tag = "reads", params(SearchParams),
    responses(
        (status = 200, description = "Matching live listings, in the order `sort` asks (freshest first by default)", body = FeedPage<ListingCard>),
        (status = 400, description = "A malformed or unknown query parameter, or a cursor this server did not issue for this search", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "An unknown category, condition or sort, `minPrice` above `maxPrice`, `q` over 200 characters, more than 20 sizes or one over 20 characters, or `limit` not 1 to 100", body = ProblemBody, content_type = "application/problem+json")))]
pub fn search() {}

#[utoipa::path(get, path = "/v1/listings/{listingId}", tag = "reads",
    params(("listingId" = String, Path, description = "Listing id (UUID)")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, body = rehome_model::api::ListingDetail),
        (status = 401, description = "A token was sent, but it is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such listing, or not visible to the caller (a draft or delisted one is visible to its seller only)", body = ProblemBody, content_type = "application/problem+json")))]
pub fn listing() {}

#[utoipa::path(get, path = "/v1/sellers/{seller}", tag = "reads",
    params(("seller" = String, Path, description = "Seller id (UUID) or handle")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The seller card: counts, and whether the caller follows them", body = SellerSummary),
        (status = 401, description = "A token was sent, but it is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such seller", body = ProblemBody, content_type = "application/problem+json")))]
pub fn seller() {}

#[utoipa::path(get, path = "/v1/sellers/{seller}/listings", tag = "reads",
    params(("seller" = String, Path, description = "Seller id (UUID) or handle"), PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The seller's live listings, newest first, under the seller card", body = ClosetPage),
        (status = 400, description = "A malformed or unknown query parameter, or a cursor this server did not issue for this closet", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "A token was sent, but it is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such seller", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`limit` is not 1 to 100", body = ProblemBody, content_type = "application/problem+json")))]
pub fn closet() {}

#[utoipa::path(get, path = "/v1/me/likes", tag = "reads", params(PageParams), security(("bearer" = [])),
    responses(
        (status = 200, description = "What the caller liked, latest first: live, sold and delisted, each with its price when liked", body = FeedPage<LikedListing>),
        (status = 400, description = "A malformed or unknown query parameter, or a cursor this server did not issue for this list", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`limit` is not 1 to 100", body = ProblemBody, content_type = "application/problem+json")))]
pub fn likes() {}

#[utoipa::path(post, path = "/v1/me/seen", tag = "reads", security(("bearer" = [])), request_body = SeenRequest,
    responses(
        (status = 204, description = "Recorded: the personalised feed shows these listings lower"),
        (status = 400, description = "Malformed JSON, or a body that is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A wrong type, a missing or unknown field, no ids, or more than 200", body = ProblemBody, content_type = "application/problem+json")))]
pub fn seen() {}

#[utoipa::path(get, path = "/v1/notifications", tag = "reads", params(PageParams), security(("bearer" = [])),
    responses(
        (status = 200, description = "Delivered notifications, newest first (held ones fold into a digest)", body = FeedPage<Notification>),
        (status = 400, description = "A malformed or unknown query parameter, or a cursor this server did not issue for this list", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`limit` is not 1 to 100", body = ProblemBody, content_type = "application/problem+json")))]
pub fn notifications() {}

#[utoipa::path(get, path = "/v1/offers", tag = "reads", params(OffersParams), security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's offers, newest first, at most 200 a side: received (made to the caller, and offers to likers they may take) and sent; an open one past `expiresAt` reads as expired", body = rehome_model::offers::OfferList),
        (status = 400, description = "A malformed or unknown query parameter (`role` is `received` or `sent`)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json")))]
pub fn offers() {}

#[utoipa::path(get, path = "/v1/me", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json")))]
pub fn me() {}

#[utoipa::path(put, path = "/v1/me/settings", tag = "accounts", security(("bearer" = [])), request_body = SettingsUpdate,
    responses(
        (status = 200, description = "The settings are saved; the caller's profile as it is now", body = Me),
        (status = 400, description = "Malformed JSON, or a body that is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A wrong type, an unknown field, or a value out of bounds (`field` names it): sizes, the daily budget, quiet hours (0 to 1439, both or neither)", body = ProblemBody, content_type = "application/problem+json")))]
pub fn settings() {}

#[utoipa::path(post, path = "/v1/auth/sign-up", tag = "accounts", request_body = SignUpRequest,
    responses(
        (status = 201, description = "The account and its first session", body = Session),
        (status = 400, description = "Malformed JSON, or a body that is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The handle is taken", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A wrong type, a missing or unknown field, or a handle, password or size out of bounds (`field` names it)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address in a while (`field` names the limit's flag); `Retry-After` says when to try again", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Every password-hashing turn is taken (a few at once); `Retry-After` says when to try again", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub fn sign_up() {}

#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "accounts", request_body = SignInRequest,
    responses(
        (status = 200, body = Session),
        (status = 400, description = "Malformed JSON, or a body that is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Wrong handle or password", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A wrong type, a missing or unknown field (`field` names it)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or from this address; `Retry-After` says when to try again", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Every password-hashing turn is taken (a few at once); `Retry-After` says when to try again", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub fn sign_in() {}

#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 204, description = "The token is revoked"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json")))]
pub fn sign_out() {}

#[utoipa::path(post, path = "/v1/sync/push", tag = "sync", security(("bearer" = [])), request_body = PushRequest,
    responses(
        (status = 200, description = "One result per mutation, in order. A mutation that is refused (validation, ownership, an unknown listing) is a `rejected` result here, not an error status", body = PushResponse),
        (status = 400, description = "Malformed JSON, or a body that is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB, or has more than 500 mutations", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A wrong type, a missing or unknown field, or a mutation id or base version above 2^63 - 1 (`field` names it)", body = ProblemBody, content_type = "application/problem+json")))]
pub fn push() {}

#[utoipa::path(post, path = "/v1/sync/pull", tag = "sync", security(("bearer" = [])), request_body = PullRequest,
    responses(
        (status = 200, description = "At most `limit` changes (200 when not asked), oldest first. With `more` set, more follow: pull again with this reply's cookie", body = PullResponse),
        (status = 400, description = "Malformed JSON, a body that is not a JSON object, or a cookie this server did not issue", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 256 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A wrong type, a missing or unknown field, or a `limit` outside 1 to 1000 (`field` names it)", body = ProblemBody, content_type = "application/problem+json")))]
pub fn pull() {}

#[utoipa::path(options, path = "/v1/uploads", tag = "uploads",
    responses((status = 204, description = "tus capabilities (Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm)")))]
pub fn upload_options() {}

#[utoipa::path(post, path = "/v1/uploads", tag = "uploads", security(("bearer" = [])),
    params(("Tus-Resumable" = TusResumable, Header),
           ("Upload-Length" = u64, Header, minimum = 1, maximum = 8388608, description = "Total bytes, 1 to 8 MiB (Tus-Max-Size)"),
           ("Upload-Metadata" = Option<String>, Header, nullable = false, description = "`photoId <b64>,sha256 <b64>`")),
    responses(
        (status = 201, description = "Created: Location, Upload-Expires, Upload-Offset (the length when the content is already known)"),
        (status = 400, description = "Upload-Length missing or not a number, Upload-Defer-Length sent, or Upload-Metadata malformed (values not base64, photoId not a UUID)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "The photo id (known content) belongs to someone else", body = ProblemBody, content_type = "application/problem+json"),
        (status = 412, description = "Tus-Resumable is not 1.0.0", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "Upload-Length is over the limit (Tus-Max-Size), or the account's stored photos would pass their quota (`field`: max-stored-photo-bytes)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Upload-Length is 0: an empty file is not a photo", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "The account's unfinished uploads would pass their quota (`field`: max-unfinished-upload-bytes); finish some first", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub fn upload_create() {}

#[utoipa::path(head, path = "/v1/uploads/{uploadId}", tag = "uploads", security(("bearer" = [])),
    params(("uploadId" = String, Path),
           ("Tus-Resumable" = TusResumable, Header)),
    responses(
        (status = 200, description = "Upload-Offset, Upload-Length, Upload-Expires"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out"),
        (status = 404, description = "No such upload of the caller's"),
        (status = 410, description = "The upload expired"),
        (status = 412, description = "Tus-Resumable is not 1.0.0")))]
pub fn upload_head() {}

#[utoipa::path(patch, path = "/v1/uploads/{uploadId}", tag = "uploads", security(("bearer" = [])),
    params(("uploadId" = String, Path),
           ("Tus-Resumable" = TusResumable, Header),
           ("Upload-Offset" = u64, Header),
           ("Upload-Checksum" = Option<String>, Header, nullable = false, pattern = "^[Ss][Hh][Aa]256 [A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$",
               description = "`sha256 <base64 digest>` of this chunk (the only algorithm offered)")),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "Chunk stored; the new Upload-Offset"),
        (status = 400, description = "Upload-Offset missing or not a number, or Upload-Checksum not `sha256 <base64 digest>`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session is unknown, expired or signed out", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Complete, but its photo id belongs to someone else", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such upload of the caller's", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "Upload-Offset is not the server's (sent in Upload-Offset), or the upload is complete", body = ProblemBody, content_type = "application/problem+json"),
        (status = 410, description = "The upload expired", body = ProblemBody, content_type = "application/problem+json"),
        (status = 412, description = "Tus-Resumable is not 1.0.0", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The chunk goes past Upload-Length", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/offset+octet-stream`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Complete, but not an acceptable JPEG", body = ProblemBody, content_type = "application/problem+json"),
        (status = 423, description = "This PATCH waited for another PATCH of the same upload to end, and it did not end in time (15 s by default); nothing was written. Retry: HEAD first for the offset", body = ProblemBody, content_type = "application/problem+json"),
        (status = 460, description = "The chunk's bytes do not match Upload-Checksum; nothing of it was kept", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "Complete, but every photo-decoding turn is taken; nothing is lost: retry the last chunk after `Retry-After`", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub fn upload_patch() {}

#[utoipa::path(get, path = "/v1/photos/{photoId}", tag = "photos",
    params(("photoId" = String, Path)),
    responses(
        (status = 200, description = "JPEG; strong ETag (SHA-256), immutable caching", content_type = "image/jpeg", body = Vec<u8>),
        (status = 304, description = "If-None-Match matched"),
        (status = 404, description = "No such photo, or its upload is not complete", body = ProblemBody, content_type = "application/problem+json")))]
pub fn photo() {}

#[utoipa::path(get, path = "/v1/photos/{photoId}/thumb", tag = "photos",
    params(("photoId" = String, Path)),
    responses(
        (status = 200, description = "~400 px JPEG thumbnail", content_type = "image/jpeg", body = Vec<u8>),
        (status = 304, description = "If-None-Match matched"),
        (status = 404, description = "No such photo, or its upload is not complete", body = ProblemBody, content_type = "application/problem+json")))]
pub fn photo_thumb() {}

#[utoipa::path(get, path = "/v1/openapi.json", tag = "meta", responses((status = 200, description = "This document")))]
pub fn openapi_json() {}
