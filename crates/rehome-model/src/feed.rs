//! The buyer's feed: one vertical list of listing cards, a page at a time.

use crate::{ListingId, Money, PhotoId, UserId};
use serde::{Deserialize, Serialize};

/// An opaque pagination cursor issued by the server. Clients pass it back unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Cursor(pub String);

/// Ask for one page of a list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedQuery {
    /// `None` for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
    /// Items per page, 1 to 100 (the server refuses others); `None` for its default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The Following feed (newest from followed sellers) instead of For You.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub following: bool,
}

/// One page of a list, and the cursor for the next one (`None` at the end).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FeedPage<T = ListingCard> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Cursor>,
}

/// A photo as a list shows it. Width and height let the UI reserve the space
/// before the bytes arrive, so the feed does not jump while scrolling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PhotoRef {
    pub id: PhotoId,
    pub width: u32,
    pub height: u32,
}

/// The seller, as a card names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SellerRef {
    pub id: UserId,
    pub handle: String,
}

/// A listing as the feed, search and closets show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListingCard {
    pub id: ListingId,
    pub title: String,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<Money>,
    pub brand: String,
    pub size: String,
    pub seller: SellerRef,
    /// The cover photo; `None` only for listings that have none yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<PhotoRef>,
    pub like_count: u32,
    /// Why the feed shows it (For You and Following; empty in other lists).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<FeedReason>,
}

/// One reason a card is in a buyer's For You: what "why am I seeing this" says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeedReason {
    /// The buyer follows its seller.
    FollowedSeller,
    /// The buyer liked something of its brand.
    LikedBrand,
    /// It is in one of the buyer's sizes.
    YourSize,
    /// Published in the last day.
    New,
}
