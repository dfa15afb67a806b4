//! Offers as both sides list them: `GET /v1/offers` and `rehome offer list`.

use crate::{ListingId, Money, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an offer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    /// Waiting for its receiver's answer (until `expiresAt`).
    Open,
    /// Accepted: the listing sold to the buyer at `amount`.
    Accepted,
    /// Declined by its receiver, withdrawn, or closed because the listing
    /// sold (`closedReason` says which).
    Declined,
    /// Answered with another price: the counter is the offer whose
    /// `replyTo` is this one.
    Countered,
    /// Nobody answered it in time.
    Expired,
}

impl OfferState {
    pub const ALL: [OfferState; 5] = [
        Self::Open,
        Self::Accepted,
        Self::Declined,
        Self::Countered,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Countered => "countered",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Which side of an offer the caller is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferRole {
    /// Made to the caller: theirs to answer.
    Received,
    /// Made by the caller.
    Sent,
}

/// One offer, as its buyer or seller sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    pub id: Uuid,
    pub listing_id: ListingId,
    pub listing_title: String,
    pub seller_id: UserId,
    /// Absent on an offer to everyone who liked the listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_id: Option<UserId>,
    /// The seller made it (a counter, or an offer to likers).
    pub by_seller: bool,
    /// The offer this one counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Uuid>,
    pub amount: Money,
    pub state: OfferState,
    /// Why it closed without an answer: `"sold"` (the listing sold to
    /// someone else meanwhile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_reason: Option<String>,
    /// Who bought the listing, once it sold through an offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_to: Option<UserId>,
    pub role: OfferRole,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds: an open offer expires then.
    pub expires_at: i64,
}

/// `GET /v1/offers`: the newest offers first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfferList {
    pub items: Vec<Offer>,
}

/// What an offer command did on the device: queued in the outbox (sent
/// exactly once at the next sync; the server's answer comes back there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferQueued {
    /// The offer made (a new id for `make`, `counter` and `likers`), or the
    /// one answered.
    pub offer_id: Uuid,
    /// `make`, `counter`, `accept`, `decline` or `likers`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_id: Option<ListingId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The server refused it at a sync: its reason (`The listing has sold`).
    /// Kept on the device, not sent again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// The offers as the device shows them: the server's list, or offline the
/// copy from the last sync (`offlineSince` says when it was fetched).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OffersView {
    pub items: Vec<Offer>,
    /// This device's offer writes the server has not taken yet: queued for
    /// the next sync, or refused there (with the reason).
    #[serde(default)]
    pub waiting: Vec<OfferQueued>,
    /// Unix milliseconds the copy shown was fetched, when it is a copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_since: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_on_the_wire() {
        for s in OfferState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(OfferState::parse(s.as_str()), Some(s));
        }
    }
}
