//! Wire types of the marketplace API's accounts and reads (the writes go through
//! the sync protocol, see [`crate::sync`]). camelCase JSON, like everything here.

use crate::sync::{FieldVersion, ListingStatus, Parcel};
use crate::{
    Category, Condition, Cursor, ListingCard, ListingId, Money, PhotoRef, SellerRef, UserId,
};
use serde::{Deserialize, Serialize};

/// `POST /v1/auth/sign-up`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpRequest {
    /// 3 to 30 characters: lower-case letters, digits, `_` and `.`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_.]{3,30}$"))]
    pub handle: String,
    /// 8 to 256 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 256))]
    pub password: String,
    /// The sizes the buyer wears (`"M"`, `"W30"`, `"EU 39"`), to personalise the
    /// feed: at most 20, each 1 to 20 characters (not blank; stored trimmed).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_items = 20, max_length = 20, pattern = r"\S")
    )]
    pub sizes: Vec<String>,
}

/// `POST /v1/auth/sign-in`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub handle: String,
    pub password: String,
}

/// A new session: send `Authorization: Bearer <token>` with every call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub token: String,
    pub user_id: UserId,
    pub handle: String,
    /// Unix milliseconds after which the token no longer works.
    pub expires_at: i64,
}

/// `GET /v1/me`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: UserId,
    pub handle: String,
    pub sizes: Vec<String>,
    pub notifications: NotificationSettings,
}

/// How many notifications a user gets a day, and when not to disturb them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationSettings {
    /// Notifications delivered per UTC day (at most 100); the rest fold into a digest.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub daily_budget: u32,
    /// Quiet hours as minutes of the UTC day (0 to 1439), `[start, end)`; may
    /// wrap midnight. Both or neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 1439))]
    pub quiet_start: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 1439))]
    pub quiet_end: Option<u32>,
}

/// `PUT /v1/me/settings`: every field optional; absent means unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsUpdate {
    /// As at sign-up: at most 20, each 1 to 20 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_items = 20, max_length = 20, pattern = r"\S")
    )]
    pub sizes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<NotificationSettings>,
}

/// `GET /v1/listings/{id}`: one listing, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListingDetail {
    pub id: ListingId,
    /// The seller card: who, their counts, and whether the caller follows them.
    pub seller: SellerSummary,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    pub brand: String,
    pub size: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcel: Option<Parcel>,
    pub price: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub price_version: FieldVersion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<Money>,
    pub quantity: u32,
    pub status: ListingStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub status_version: FieldVersion,
    /// In order; the first is the cover.
    pub photos: Vec<PhotoRef>,
    pub like_count: u32,
    /// Whether the caller likes it (false when anonymous).
    pub liked: bool,
    /// Unix milliseconds; absent for a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<i64>,
}

/// A seller as the seller card on a listing page and the head of their
/// closet show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SellerSummary {
    pub id: UserId,
    pub handle: String,
    /// Listings live now.
    pub live_listings: u32,
    /// Listings sold.
    pub sold: u32,
    pub followers: u32,
    /// Whether the caller follows this seller (false when anonymous).
    pub followed: bool,
}

/// `GET /v1/sellers/{seller}/listings`: a seller's closet, a page at a time,
/// with the seller card on every page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClosetPage {
    pub seller: SellerSummary,
    pub items: Vec<ListingCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Cursor>,
}

/// One item of `GET /v1/me/likes`: the card, its status now (a liked item
/// that sold or was delisted stays in the list, marked), when it was liked and
/// its price then, so the Likes tab can show a drop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LikedListing {
    #[serde(flatten)]
    pub card: ListingCard,
    pub status: ListingStatus,
    /// Unix milliseconds.
    pub liked_at: i64,
    /// The price when the like was made (likes made before the server kept
    /// it carry the price at the upgrade).
    pub price_at_like: Money,
}

impl LikedListing {
    /// How much cheaper it is now than when liked (`None` if not cheaper).
    pub fn price_drop(&self) -> Option<Money> {
        let drop = self.price_at_like.0 - self.card.price.0;
        (drop > 0).then_some(Money(drop))
    }
}

/// The most listing ids one `POST /v1/me/seen` takes.
pub const SEEN_BATCH_MAX: usize = 200;

/// `POST /v1/me/seen`: listings the buyer has had on screen, sent in batches;
/// the personalised feed shows them lower.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeenRequest {
    /// 1 to [`SEEN_BATCH_MAX`] ids; repeats and unknown ids are ignored.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub listing_ids: Vec<ListingId>,
}

/// The order of search results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Most recently listed first.
    #[default]
    Newest,
    /// Cheapest first.
    PriceAsc,
    /// Dearest first.
    PriceDesc,
}

impl SearchSort {
    pub const ALL: [SearchSort; 3] = [Self::Newest, Self::PriceAsc, Self::PriceDesc];

    /// The wire name (`newest`, `price_asc`, `price_desc`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A liked listing got cheaper (`amount` is the new price).
    PriceDrop,
    /// An offer on your listing, or a seller's offer to you as a liker.
    Offer,
    /// Your offer was accepted.
    OfferAccepted,
    /// Your offer was declined.
    OfferDeclined,
    /// A seller you follow listed something.
    NewListing,
    /// Your first sale: congratulations.
    FirstSale,
    /// `count` notifications folded together (over the daily budget or in quiet hours).
    Digest,
}

/// One notification, as the inbox lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_id: Option<ListingId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<SellerRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// 1, or for a digest how many notifications it folds.
    pub count: u32,
    /// Unix milliseconds.
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_on_the_wire() {
        let s = NotificationSettings {
            daily_budget: 3,
            quiet_start: Some(22 * 60),
            quiet_end: Some(7 * 60),
        };
        let json = serde_json::to_string(&s).unwrap();
        expect_test::expect![[r#"{"dailyBudget":3,"quietStart":1320,"quietEnd":420}"#]]
            .assert_eq(&json);
        assert!(
            serde_json::from_str::<SignInRequest>(r#"{"handle":"a","password":"b","x":1}"#)
                .is_err()
        );
        assert_eq!(
            serde_json::to_value(NotificationKind::PriceDrop).unwrap(),
            "price_drop"
        );
    }
}
