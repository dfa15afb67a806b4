//! Schema mirrors of rehome-model's wire types (money is integer cents), for the
//! document only.
#![allow(dead_code, clippy::large_enum_variant)]

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhotoRef {
    pub id: Uuid,
    pub width: u32,
    pub height: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SellerRef {
    pub id: Uuid,
    pub handle: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListingCard {
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
}

/// One page of listing cards; `nextCursor` is absent on the last page.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListingPage {
    pub items: Vec<ListingCard>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Tops,
    Dresses,
    Trousers,
    Skirts,
    Outerwear,
    Shoes,
    Bags,
    Accessories,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    NewWithTags,
    LikeNew,
    Good,
    Fair,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    Draft,
    Live,
    Delisted,
    Sold,
    Deleted,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "grams")]
pub enum Parcel {
    Small,
    Medium,
    Large,
    Weight(u32),
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListingFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_price: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parcel: Option<Parcel>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListingDetail {
    pub id: Uuid,
    pub seller: super::buyers::SellerSummary,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    pub brand: String,
    pub size: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parcel: Option<Parcel>,
    pub price: i64,
    pub price_version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_price: Option<i64>,
    pub quantity: u32,
    pub status: ListingStatus,
    pub status_version: u64,
    pub photos: Vec<PhotoRef>,
    pub like_count: u32,
    pub liked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpRequest {
    pub handle: String,
    pub password: String,
    #[serde(default)]
    pub sizes: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub handle: String,
    pub password: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
    pub handle: String,
    pub expires_at: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationSettings {
    pub daily_budget: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet_start: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet_end: Option<u32>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: Uuid,
    pub handle: String,
    pub sizes: Vec<String>,
    pub notifications: NotificationSettings,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sizes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications: Option<NotificationSettings>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    PriceDrop,
    Offer,
    OfferAccepted,
    OfferDeclined,
    NewListing,
    FirstSale,
    Digest,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<SellerRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    pub count: u32,
    pub created_at: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One write (see rehome-model `sync::Mutation`): `{"name": ..., "args": {...}}`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(
    rename_all = "camelCase",
    tag = "name",
    content = "args",
    deny_unknown_fields
)]
pub enum Mutation {
    #[serde(rename_all = "camelCase")]
    CreateListing {
        listing_id: Uuid,
        fields: ListingFields,
        price: i64,
        quantity: u32,
    },
    #[serde(rename_all = "camelCase")]
    UpdateListing {
        listing_id: Uuid,
        fields: ListingFields,
    },
    #[serde(rename_all = "camelCase")]
    SetPrice {
        listing_id: Uuid,
        price: i64,
        base_version: u64,
    },
    #[serde(rename_all = "camelCase")]
    SetQuantity {
        listing_id: Uuid,
        quantity: u32,
        base_version: u64,
    },
    #[serde(rename_all = "camelCase")]
    AttachPhoto {
        listing_id: Uuid,
        photo_id: Uuid,
        sha256: String,
        position: u32,
    },
    #[serde(rename_all = "camelCase")]
    DetachPhoto { listing_id: Uuid, photo_id: Uuid },
    #[serde(rename_all = "camelCase")]
    ReorderPhotos {
        listing_id: Uuid,
        photo_ids: Vec<Uuid>,
    },
    #[serde(rename_all = "camelCase")]
    Publish { listing_id: Uuid, base_version: u64 },
    #[serde(rename_all = "camelCase")]
    Delist { listing_id: Uuid, base_version: u64 },
    #[serde(rename_all = "camelCase")]
    Relist { listing_id: Uuid, base_version: u64 },
    #[serde(rename_all = "camelCase")]
    MarkSold { listing_id: Uuid },
    #[serde(rename_all = "camelCase")]
    DeleteListing { listing_id: Uuid },
    #[serde(rename_all = "camelCase")]
    Like { listing_id: Uuid },
    #[serde(rename_all = "camelCase")]
    Unlike { listing_id: Uuid },
    #[serde(rename_all = "camelCase")]
    Follow { seller_id: Uuid },
    #[serde(rename_all = "camelCase")]
    Unfollow { seller_id: Uuid },
    #[serde(rename_all = "camelCase")]
    MakeOffer {
        offer_id: Uuid,
        listing_id: Uuid,
        amount: i64,
    },
    #[serde(rename_all = "camelCase")]
    AcceptOffer { offer_id: Uuid },
    #[serde(rename_all = "camelCase")]
    DeclineOffer { offer_id: Uuid },
    #[serde(rename_all = "camelCase")]
    OfferToLikers {
        offer_id: Uuid,
        listing_id: Uuid,
        amount: i64,
    },
}

/// A mutation with its per-client, increasing id.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MutationEnvelope {
    pub id: u64,
    #[serde(flatten)]
    pub mutation: Mutation,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushRequest {
    pub client_id: Uuid,
    pub mutations: Vec<MutationEnvelope>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GuardedField {
    Price,
    Status,
    Quantity,
}

/// A guarded field's value: a number (price, quantity) or a status name.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum FieldValue {
    Number(i64),
    Text(String),
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What became of one mutation (stored, so replays get the same answer).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum MutationOutcome {
    Applied,
    #[serde(rename_all = "camelCase")]
    Conflict {
        field: GuardedField,
        mine: FieldValue,
        theirs: FieldValue,
        server_version: u64,
    },
    Rejected {
        error: ApiError,
    },
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MutationResult {
    pub id: u64,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    pub last_mutation_id: u64,
    pub results: Vec<MutationResult>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PullRequest {
    pub client_id: Uuid,
    #[serde(default)]
    pub cookie: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServerPhoto {
    pub id: Uuid,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServerListing {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub fields: ListingFields,
    pub price: i64,
    pub price_version: u64,
    pub quantity: u32,
    pub quantity_version: u64,
    pub status: ListingStatus,
    pub status_version: u64,
    pub photos: Vec<ServerPhoto>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum PatchOp {
    Put { listing: ServerListing },
    Del { id: Uuid },
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PullResponse {
    pub cookie: String,
    pub last_mutation_id: u64,
    pub patch: Vec<PatchOp>,
}
