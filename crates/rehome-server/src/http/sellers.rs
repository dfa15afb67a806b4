//! Sellers as buyers see them: the seller card (counts, followed or not), the
//! closet (their live listings under that card), and the caller's "seen"
//! signal for the personalised feed.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::support::{AppRef, Caller, MaybeCaller, PageParams, blocking, page_of};
use crate::AppState;
use crate::problem::Problem;
use crate::storage::CardList;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rehome_model::UserId;
use rehome_model::api::{ClosetPage, SEEN_BATCH_MAX, SeenRequest, SellerSummary};

/// The seller a path names, by id (UUID) or by handle (a handle never looks
/// like a UUID: it has no `-`).
fn find_seller(s: &AppState, key: &str, viewer: Option<&UserId>) -> Result<SellerSummary, Problem> {
    let not_found = || Problem::not_found("No such seller").with_field("seller");
    let id = match key.parse::<UserId>() {
        Ok(id) => id,
        Err(_) => {
            if crate::auth::validate_handle(key).is_err() {
                return Err(not_found());
            }
            s.store.user_by_handle(key)?.ok_or_else(not_found)?.0
        }
    };
    s.store.seller_summary(&id, viewer)?.ok_or_else(not_found)
}

/// `GET /v1/sellers/{seller}`: the seller card.
pub async fn seller(
    State(state): State<AppRef>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<SellerSummary>, Problem> {
    blocking(&state, move |s| {
        find_seller(s, &key, caller.as_ref().map(|c| &c.user_id))
    })
    .await
    .map(Json)
}

/// `GET /v1/sellers/{seller}/listings`: a seller's closet, with the seller card.
pub async fn closet(
    State(state): State<AppRef>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(key): ApiPath<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ClosetPage>, Problem> {
    blocking(&state, move |s| {
        let seller = find_seller(s, &key, caller.as_ref().map(|c| &c.user_id))?;
        let page = page_of(
            s,
            &format!("closet:{}", seller.id),
            &CardList::Closet { seller: seller.id },
            &params,
        )?;
        Ok(ClosetPage {
            seller,
            items: page.items,
            next_cursor: page.next_cursor,
        })
    })
    .await
    .map(Json)
}

/// `POST /v1/me/seen`: listings the caller has had on screen, in a batch.
#[tracing::instrument(skip_all, fields(user = %caller.user_id, ids = req.listing_ids.len()))]
pub async fn seen(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<SeenRequest>,
) -> Result<StatusCode, Problem> {
    if req.listing_ids.is_empty() {
        return Err(Problem::invalid(
            "listingIds",
            "Send at least one listing id",
        ));
    }
    if req.listing_ids.len() > SEEN_BATCH_MAX {
        return Err(Problem::invalid(
            "listingIds",
            format!("At most {SEEN_BATCH_MAX} listing ids at a time"),
        ));
    }
    blocking(&state, move |s| {
        let now = s.clock.now_ms();
        s.store
            .write(|tx| tx.mark_seen(&caller.user_id, &req.listing_ids, now))?;
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
