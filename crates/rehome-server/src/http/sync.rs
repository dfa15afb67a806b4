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
        let limit = pull_limit(&s.limits, req.limit)?;
        crate::sync::pull(
            &s.store,
            &s.blobs,
            &caller.user_id,
            &req.client_id.0.to_string(),
            req.cookie.as_deref(),
            limit,
            s.clock.now_ms(),
        )
    })
    .await
    .map(Json)
}

/// Changes per pull page: the default when not asked; outside 1 to the
/// server's maximum is a 422 naming `limit` (as a list's `limit` is).
fn pull_limit(limits: &crate::Limits, asked: Option<u32>) -> Result<u32, Problem> {
    let max = limits.max_pull_page;
    match asked {
        None => Ok(limits.default_pull_page.clamp(1, max.max(1))),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Problem::invalid(
            "limit",
            format!("limit is 1 to {max} changes a pull"),
        )),
    }
}
