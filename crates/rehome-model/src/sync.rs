//! The sync protocol's wire types (see ARCHITECTURE.md, "Sync protocol").
//!
//! Every write is a [`Mutation`] with a client-chosen, per-client increasing id.
//! The server applies each mutation at most once: it records `lastMutationId`
//! for the client in the same transaction as the mutation's effect and ignores
//! ids at or below it. A permanently invalid mutation is recorded as processed
//! with its error, so it never blocks the queue behind it.
//!
//! Conflicts are per field:
//! - descriptive fields ([`ListingFields`]): the last write the server receives wins;
//! - guarded fields (price, status, quantity): compare-and-set against the
//!   `base_version` the edit was based on; a mismatch is reported back as a
//!   [`MutationOutcome::Conflict`] carrying both values;
//! - sold or deleted always wins.

use crate::{ApiError, Category, Condition, ListingId, Money, PhotoId, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Identifies one installation of the app (one device), generated on first run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ClientId(pub Uuid);

/// A per-client, strictly increasing mutation id (the outbox `seq`).
pub type MutationId = u64;

/// Parcel size for shipping, or an explicit weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "grams")]
pub enum Parcel {
    Small,
    Medium,
    Large,
    Weight(u32),
}

/// The descriptive fields of a listing: last write wins, field by field.
/// `None` means "not part of this edit"; to clear a text field send `Some("")`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListingFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcel: Option<Parcel>,
    /// The seller's stock code, exactly as typed (private to the seller:
    /// pulls carry it, public reads do not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
}

/// A listing's lifecycle as the server knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    Draft,
    Live,
    Delisted,
    Sold,
    Deleted,
}

/// A guarded field's version: starts at 0 when the listing is created and goes
/// up by one with every accepted change.
pub type FieldVersion = u64;

/// One write, as queued in the outbox and sent in a push.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    rename_all = "camelCase",
    tag = "name",
    content = "args",
    deny_unknown_fields
)]
pub enum Mutation {
    /// Create a listing (as a draft on the server) with its first values.
    #[serde(rename_all = "camelCase")]
    CreateListing {
        listing_id: ListingId,
        fields: ListingFields,
        price: Money,
        quantity: u32,
    },
    /// Change descriptive fields (last write wins).
    #[serde(rename_all = "camelCase")]
    UpdateListing {
        listing_id: ListingId,
        fields: ListingFields,
    },
    /// Set the price, compare-and-set on `base_version`. A drop notifies likers.
    #[serde(rename_all = "camelCase")]
    SetPrice {
        listing_id: ListingId,
        price: Money,
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        base_version: FieldVersion,
    },
    #[serde(rename_all = "camelCase")]
    SetQuantity {
        listing_id: ListingId,
        quantity: u32,
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        base_version: FieldVersion,
    },
    /// Attach a completed upload (named by its content hash) at `position`.
    #[serde(rename_all = "camelCase")]
    AttachPhoto {
        listing_id: ListingId,
        photo_id: PhotoId,
        /// Lower-case hex SHA-256 of the uploaded JPEG.
        sha256: String,
        position: u32,
    },
    #[serde(rename_all = "camelCase")]
    DetachPhoto {
        listing_id: ListingId,
        photo_id: PhotoId,
    },
    /// The complete new order; the first photo is the cover (last write wins).
    #[serde(rename_all = "camelCase")]
    ReorderPhotos {
        listing_id: ListingId,
        photo_ids: Vec<PhotoId>,
    },
    /// Refused until every attached photo is complete and the listing validates.
    #[serde(rename_all = "camelCase")]
    Publish {
        listing_id: ListingId,
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        base_version: FieldVersion,
    },
    #[serde(rename_all = "camelCase")]
    Delist {
        listing_id: ListingId,
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        base_version: FieldVersion,
    },
    #[serde(rename_all = "camelCase")]
    Relist {
        listing_id: ListingId,
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        base_version: FieldVersion,
    },
    /// Always wins over concurrent edits.
    #[serde(rename_all = "camelCase")]
    MarkSold { listing_id: ListingId },
    /// Always wins over concurrent edits.
    #[serde(rename_all = "camelCase")]
    DeleteListing { listing_id: ListingId },
    #[serde(rename_all = "camelCase")]
    Like { listing_id: ListingId },
    #[serde(rename_all = "camelCase")]
    Unlike { listing_id: ListingId },
    #[serde(rename_all = "camelCase")]
    Follow { seller_id: UserId },
    #[serde(rename_all = "camelCase")]
    Unfollow { seller_id: UserId },
    #[serde(rename_all = "camelCase")]
    MakeOffer {
        offer_id: Uuid,
        listing_id: ListingId,
        amount: Money,
    },
    #[serde(rename_all = "camelCase")]
    AcceptOffer { offer_id: Uuid },
    #[serde(rename_all = "camelCase")]
    DeclineOffer { offer_id: Uuid },
    /// The seller offers `amount` to everyone who liked the listing.
    #[serde(rename_all = "camelCase")]
    OfferToLikers {
        offer_id: Uuid,
        listing_id: ListingId,
        amount: Money,
    },
    /// The receiver of the open offer `reply_to` answers with another price:
    /// `reply_to` becomes countered and `offer_id` is the open one (a chain).
    #[serde(rename_all = "camelCase")]
    CounterOffer {
        offer_id: Uuid,
        reply_to: Uuid,
        amount: Money,
    },
    /// The seller's lowest acceptable offer on a listing; `None` removes it.
    #[serde(rename_all = "camelCase")]
    SetOfferFloor {
        listing_id: ListingId,
        #[serde(default)]
        floor: Option<Money>,
    },
}

/// The most mutations one push may carry: the server refuses more, and the
/// sync engine never sends more.
pub const PUSH_MAX: usize = 500;

/// A mutation with its id, as pushed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MutationEnvelope {
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub id: MutationId,
    #[serde(flatten)]
    pub mutation: Mutation,
}

/// `POST /v1/sync/push`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushRequest {
    pub client_id: ClientId,
    /// At most 500 per push.
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub mutations: Vec<MutationEnvelope>,
}

/// A guarded field's name, as conflicts report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GuardedField {
    Price,
    Status,
    Quantity,
}

/// What became of one pushed mutation. The server stores it, so a replayed push
/// gets the same outcome back without applying the mutation again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum MutationOutcome {
    Applied,
    /// A guarded field changed since `base_version`. Nothing was applied.
    #[serde(rename_all = "camelCase")]
    Conflict {
        field: GuardedField,
        /// The value the client sent (JSON: a number for price and quantity,
        /// a status name for status).
        #[cfg_attr(feature = "openapi", schema(value_type = FieldValue))]
        mine: serde_json_value::Value,
        /// The server's current value.
        #[cfg_attr(feature = "openapi", schema(value_type = FieldValue))]
        theirs: serde_json_value::Value,
        /// The server's current version of the field, to base a resolution on.
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        server_version: FieldVersion,
    },
    /// Permanently invalid (validation, ownership, unknown listing): recorded as
    /// processed so it never blocks the queue.
    Rejected {
        error: ApiError,
    },
}

/// The schema's name for [`serde_json_value::Value`] (utoipa takes any type
/// named `Value` for "any JSON").
#[cfg(feature = "openapi")]
type FieldValue = serde_json_value::Value;

/// A tiny JSON value type so this crate needs no serde_json at run time.
pub mod serde_json_value {
    use serde::{Deserialize, Serialize};

    /// The value of a guarded field, as conflicts carry it.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = FieldValue))]
    #[serde(untagged)]
    pub enum Value {
        Number(i64),
        Text(String),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MutationResult {
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub id: MutationId,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    /// The highest id the server has processed for this client.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub last_mutation_id: MutationId,
    /// One result per pushed mutation, in order (replays get the stored outcome).
    pub results: Vec<MutationResult>,
}

/// `POST /v1/sync/pull`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PullRequest {
    pub client_id: ClientId,
    /// `None` on first pull: the server sends everything the caller owns.
    #[serde(default)]
    pub cookie: Option<String>,
    /// Changes per page, 1 to 1000 (the server's default when absent). A
    /// reply with `more` set has more after it: pull again from its cookie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
}

/// A listing as the server confirms it, with its guarded-field versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServerListing {
    pub id: ListingId,
    pub seller_id: UserId,
    pub fields: ListingFields,
    pub price: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub price_version: FieldVersion,
    pub quantity: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub quantity_version: FieldVersion,
    pub status: ListingStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub status_version: FieldVersion,
    /// Attached photos in order; the first is the cover.
    pub photos: Vec<ServerPhoto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServerPhoto {
    pub id: PhotoId,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

// A wire type that lives only while a pull is applied; boxing the listing would
// cost an allocation per op for no memory saved in practice.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum PatchOp {
    /// Replace the client's confirmed copy of this listing.
    Put { listing: ServerListing },
    /// The listing is gone for this client.
    Del { id: ListingId },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PullResponse {
    pub cookie: String,
    /// Outbox rows with `id <= lastMutationId` are confirmed and can be dropped.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub last_mutation_id: MutationId,
    pub patch: Vec<PatchOp>,
    /// More changes follow this page: pull again from `cookie` (a client
    /// applies each page before asking for the next, so a cut pull resumes
    /// where it stopped).
    #[serde(default)]
    pub more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_body_on_the_wire() {
        let listing_id = ListingId::from_parts(1_700_000_000_000, [1; 10]);
        let body = PushRequest {
            client_id: ClientId(Uuid::nil()),
            mutations: vec![
                MutationEnvelope {
                    id: 1,
                    mutation: Mutation::CreateListing {
                        listing_id,
                        fields: ListingFields {
                            title: Some("Linen shirt".into()),
                            ..Default::default()
                        },
                        price: Money(1500),
                        quantity: 1,
                    },
                },
                MutationEnvelope {
                    id: 2,
                    mutation: Mutation::SetPrice {
                        listing_id,
                        price: Money(1200),
                        base_version: 0,
                    },
                },
            ],
        };
        let json = serde_json::to_string(&body).unwrap();
        expect_test::expect![[r#"{"clientId":"00000000-0000-0000-0000-000000000000","mutations":[{"id":1,"name":"createListing","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101","fields":{"title":"Linen shirt"},"price":1500,"quantity":1}},{"id":2,"name":"setPrice","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101","price":1200,"baseVersion":0}}]}"#]]
            .assert_eq(&json);
        let back: PushRequest = serde_json::from_str(&json).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn unknown_fields_in_a_push_are_refused() {
        let json =
            r#"{"clientId":"00000000-0000-0000-0000-000000000000","mutations":[],"extra":1}"#;
        assert!(serde_json::from_str::<PushRequest>(json).is_err());
    }
}
