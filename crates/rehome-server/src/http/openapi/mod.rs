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
//! `paths.rs` holds one `#[utoipa::path]` per route, with every status it
//! answers; `refine.rs` what the derive cannot say (quiet hours both or
//! neither, `u32`'s real range, closed mutation arguments, unit parcels);
//! this file
//! assembles them.

mod paths;
mod refine;

use crate::problem::ProblemBody;
use axum::http::header;
use axum::response::IntoResponse;
use paths::*;
use refine::{MutationArgsClosed, QuietHoursBothOrNeither, U32AsRead, UnitParcelsHaveNoGrams};
use rehome_model::api::{
    ClosetPage, LikedListing, ListingDetail, Me, Notification, SearchSort, SeenRequest,
    SellerSummary, Session, SettingsUpdate,
};
use rehome_model::offers::{Offer, OfferList, OfferRole, OfferState};
use rehome_model::sync::{
    Mutation, MutationEnvelope, MutationOutcome, MutationResult, PatchOp, PullRequest,
    PullResponse, PushRequest, PushResponse, ServerListing,
};
use rehome_model::{FeedPage, ListingCard};
use utoipa::OpenApi;

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
    paths(feed, search, listing, seller, closet, likes, seen, notifications, offers, me, settings, sign_up, sign_in, sign_out,
          push, pull, upload_options, upload_create, upload_head, upload_patch, photo, photo_thumb, openapi_json),
    components(schemas(ProblemBody, FeedPage<ListingCard>, ListingCard, ListingDetail, SellerSummary, ClosetPage,
                       FeedPage<LikedListing>, LikedListing, SeenRequest, Session, Me, SettingsUpdate,
                       FeedPage<Notification>, Notification, OfferList, Offer, OfferState, OfferRole, PushRequest, PushResponse, PullRequest, PullResponse,
                       Mutation, MutationEnvelope, MutationOutcome, MutationResult, ServerListing, PatchOp,
                       SearchSort, TusResumable)),
    modifiers(
        &BearerAuth,
        &QuietHoursBothOrNeither,
        &U32AsRead,
        &MutationArgsClosed,
        &UnitParcelsHaveNoGrams,
    ),
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
