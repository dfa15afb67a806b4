//! Schema mirrors of the buyer-side wire types in `rehome_model::api` (the
//! seller card, a closet page, a liked item, the seen batch), for the document
//! only.
#![allow(dead_code)]

use super::schema::{ListingCard, ListingStatus, PhotoRef, SellerRef};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The seller card: who, their counts, and whether the caller follows them.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SellerSummary {
    pub id: Uuid,
    pub handle: String,
    /// Listings live now.
    pub live_listings: u32,
    /// Listings sold.
    pub sold: u32,
    pub followers: u32,
    /// Whether the caller follows this seller (false when anonymous).
    pub followed: bool,
}

/// A page of a seller's live listings, under the seller card.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClosetPage {
    pub seller: SellerSummary,
    pub items: Vec<ListingCard>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A liked listing: the card's fields, its status now, when it was liked and
/// its price then.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikedListing {
    pub id: Uuid,
    pub title: String,
    pub price: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_price: Option<i64>,
    pub brand: String,
    pub size: String,
    pub seller: SellerRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cover: Option<PhotoRef>,
    pub like_count: u32,
    /// `live`, `sold` or `delisted`.
    pub status: ListingStatus,
    /// Unix milliseconds.
    pub liked_at: i64,
    /// In cents: the price when liked (a drop is `priceAtLike - price`).
    pub price_at_like: i64,
}

/// One page of liked listings, latest like first.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikedPage {
    pub items: Vec<LikedListing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Listings the caller has had on screen.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeenRequest {
    /// 1 to 200 listing ids; repeats and unknown ids are ignored.
    #[schema(min_items = 1, max_items = 200)]
    pub listing_ids: Vec<Uuid>,
}
