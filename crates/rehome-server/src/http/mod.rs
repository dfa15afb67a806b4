//! The HTTP surface. This file is the router and nothing else: every route, in
//! one place. Handlers parse, call storage on the blocking pool
//! ([`support::blocking`]), and shape the answer; no SQL here.
//!
//! One file per area: `accounts.rs`, `listings.rs` (feed, search, likes, a
//! listing), `sellers.rs` (the seller card, a closet, the seen signal),
//! `notifications.rs`, `sync.rs` (push, pull), `photos.rs`, `tus.rs` (uploads;
//! `tus_headers.rs` the protocol's headers), `openapi/` (the document); `support.rs` and `extract.rs` what they share;
//! `guards.rs` the outer layers (requests in flight, body idle timeout, nosniff).

mod accounts;
mod extract;
mod guards;
mod listings;
mod notifications;
mod offers;
pub mod openapi;
mod photos;
mod sellers;
pub mod support;
mod sync;
mod tus;
mod tus_headers;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::{get, head, post, put};
use support::AppRef;

pub fn router(state: AppRef) -> Router {
    let limit = state.limits.max_body_bytes;
    Router::new()
        .route("/v1/feed", get(listings::feed))
        .route("/v1/search", get(listings::search))
        .route("/v1/listings/{listing_id}", get(listings::listing))
        .route("/v1/sellers/{seller}", get(sellers::seller))
        .route("/v1/sellers/{seller}/listings", get(sellers::closet))
        .route("/v1/me", get(accounts::me))
        .route("/v1/me/settings", put(accounts::update_settings))
        .route("/v1/me/likes", get(listings::likes))
        .route("/v1/me/seen", post(sellers::seen))
        .route("/v1/notifications", get(notifications::notifications))
        .route("/v1/offers", get(offers::offers))
        .route("/v1/auth/sign-up", post(accounts::sign_up))
        .route("/v1/auth/sign-in", post(accounts::sign_in))
        .route("/v1/auth/sign-out", post(accounts::sign_out))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/pull", post(sync::pull))
        .route("/v1/uploads", post(tus::create).options(tus::options))
        .route("/v1/uploads/{upload_id}", head(tus::head).patch(tus::patch))
        .route("/v1/photos/{photo_id}", get(photos::full))
        .route("/v1/photos/{photo_id}/thumb", get(photos::thumb))
        .route("/v1/openapi.json", get(openapi::json))
        .fallback(support::not_found)
        .method_not_allowed_fallback(support::method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(from_fn_with_state(state.clone(), guards::idle_bodies_end))
        .layer(from_fn_with_state(state.clone(), guards::one_of_a_few))
        .layer(map_response(guards::no_sniffing))
        .with_state(state)
}
