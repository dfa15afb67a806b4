//! The sync routes: push (mutations, exactly once) and pull (changes since a
//! cookie). The protocol itself is `crate::sync`.

use super::extract::ApiJson;
use super::support::{AppRef, Caller, blocking};
use crate::problem::Problem;
use axum::Json;
use axum::extract::State;
use rehome_model::sync::{PullRequest, PullResponse, PushRequest, PushResponse};

/// `POST /v1/sync/push`
#[tracing::instrument(skip_all, fields(user = %caller.handle, mutations = req.mutations.len()))]
pub async fn push(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, Problem> {
    blocking(&state, move |s| {
        let clock = s.clock.clone();
        crate::sync::push(&s.store, &caller.user_id, &req, &s.limits, || {
            clock.now_ms()
        })
    })
    .await
    .map(Json)
}

/// `POST /v1/sync/pull`
#[tracing::instrument(skip_all, fields(user = %caller.handle))]
pub async fn pull(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<PullRequest>,
) -> Result<Json<PullResponse>, Problem> {
    blocking(&state, move |s| {
        crate::sync::pull(
            &s.store,
            &s.blobs,
            &caller.user_id,
            &req.client_id.0.to_string(),
            req.cookie.as_deref(),
            s.clock.now_ms(),
        )
    })
    .await
    .map(Json)
}
