//! The caller's offers, both sides: `GET /v1/offers?role=received|sent`.

use super::extract::ApiQuery;
use super::support::{AppRef, Caller, blocking};
use crate::problem::Problem;
use crate::storage::{OfferRow, OfferSide};
use axum::Json;
use axum::extract::State;
use rehome_model::offers::{Offer, OfferList, OfferRole, OfferState};
use serde::Deserialize;

/// The most offers one read lists (newest first).
pub const OFFERS_MAX: u32 = 200;

/// `?role=`: which side; absent, both.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OffersParams {
    /// `received` (made to the caller, and offers to likers they may take)
    /// or `sent` (made by the caller); absent, both.
    #[param(value_type = Option<OfferRole>)]
    pub role: Option<OfferRole>,
}

/// `GET /v1/offers`: the caller's offers, newest first, at most 200 a side.
pub async fn offers(
    State(state): State<AppRef>,
    caller: Caller,
    ApiQuery(params): ApiQuery<OffersParams>,
) -> Result<Json<OfferList>, Problem> {
    blocking(&state, move |s| {
        let now = s.clock.now_ms();
        let roles = match params.role {
            Some(r) => vec![r],
            None => vec![OfferRole::Received, OfferRole::Sent],
        };
        let mut items = Vec::new();
        for role in roles {
            let side = match role {
                OfferRole::Received => OfferSide::Received,
                OfferRole::Sent => OfferSide::Sent,
            };
            for (row, title, sold_to) in s.store.offers_of(&caller.user_id, side, OFFERS_MAX)? {
                items.extend(to_offer(row, title, sold_to, role, now));
            }
        }
        items.sort_by_key(|o| std::cmp::Reverse((o.created_at, o.id)));
        Ok(OfferList { items })
    })
    .await
    .map(Json)
}

/// The wire form; an open offer past its time reads as expired.
fn to_offer(
    row: OfferRow,
    listing_title: String,
    sold_to: Option<rehome_model::UserId>,
    role: OfferRole,
    now: i64,
) -> Option<Offer> {
    let mut state = OfferState::parse(&row.status)?;
    if state == OfferState::Open && now >= row.expires_at {
        state = OfferState::Expired;
    }
    Some(Offer {
        id: row.id.parse().ok()?,
        listing_id: row.listing_id,
        listing_title,
        seller_id: row.seller_id,
        buyer_id: row.buyer_id,
        by_seller: row.by_seller,
        reply_to: row.reply_to.and_then(|r| r.parse().ok()),
        amount: rehome_model::Money(row.amount),
        state,
        closed_reason: row.closed_reason,
        sold_to: if state == OfferState::Accepted {
            sold_to
        } else {
            None
        },
        role,
        created_at: row.created_at,
        expires_at: row.expires_at,
    })
}
