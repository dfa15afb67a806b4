//! The buyer's screens: a listing page, likes, follows, a seller's closet,
//! search and the buyer's sizes. (The feed's request and page types are
//! [`crate::FeedQuery`] and [`crate::FeedPage`]; the server's reply types are
//! in [`crate::api`].)

use crate::api::{ListingDetail, SearchSort};
use crate::sync::ListingStatus;
use crate::{Condition, Cursor, ListingId, Money};
use serde::{Deserialize, Serialize};

/// Names one listing (anyone's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingRequest {
    pub listing_id: ListingId,
}

/// How long a listing seen while online is shown as still for sale once the
/// device cannot ask again: a day.
pub const MAY_HAVE_SOLD_AFTER_MS: u64 = 24 * 3_600_000;

/// A listing page: the listing, and when it is the device's copy (the
/// server could not be asked), how old that copy is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingPage {
    #[serde(flatten)]
    pub listing: ListingDetail,
    /// Present only when read from the device's copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline: Option<OfflineCopy>,
}

/// A copy read offline: when the server gave it, and whether the listing
/// may have sold since (it was for sale, and the copy is over a day old).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfflineCopy {
    /// Unix milliseconds.
    pub fetched_at: u64,
    pub may_have_sold: bool,
}

impl OfflineCopy {
    /// The copy of a listing in `status` fetched at `fetched_at`, read at `now`.
    pub fn of(status: ListingStatus, fetched_at: u64, now: u64) -> Self {
        OfflineCopy {
            fetched_at,
            may_have_sold: status == ListingStatus::Live
                && now.saturating_sub(fetched_at) > MAY_HAVE_SOLD_AFTER_MS,
        }
    }
}

/// Names one seller: a handle (`vintage_vera`) or a user id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SellerRequest {
    pub seller: String,
}

/// One page of a seller's closet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClosetQuery {
    /// A handle or a user id.
    pub seller: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A page of the caller's likes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LikesQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A search: every filter given must match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    /// Words that must all appear (title, brand, description, colour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// A category wire name (`tops`, `shoes`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// A size as a label says it (`M`, `EU 38`, `W30`); matched across
    /// systems. Given, it replaces the buyer's own sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default)]
    pub sort: SearchSort,
    /// Apply the buyer's own sizes (on by default; "My size" off is `false`).
    #[serde(default = "yes")]
    pub my_size: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

fn yes() -> bool {
    true
}

impl Default for SearchQuery {
    fn default() -> Self {
        Self {
            q: None,
            category: None,
            brand: None,
            size: None,
            min_price: None,
            max_price: None,
            condition: None,
            sort: SearchSort::Newest,
            my_size: true,
            cursor: None,
            limit: None,
        }
    }
}

/// What a like or unlike did: queued on this device, sent at the next sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LikeChange {
    pub listing_id: ListingId,
    pub liked: bool,
}

/// What a follow or unfollow did: queued on this device, sent at the next sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowChange {
    pub seller_id: crate::UserId,
    pub handle: String,
    pub following: bool,
}

/// The buyer's sizes, as labels say them (`M`, `W30`, `EU 42,5`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sizes {
    pub sizes: Vec<String>,
}

impl Sizes {
    /// Reads a typed list of sizes (`M,L,38` or `M; EU 42,5`). Sizes are
    /// separated by `;` or `,`, except that a comma between a digit and one
    /// more digit ending the size is a decimal comma: `42,5` is one shoe size
    /// and `M,42,5,L` is `M`, `42,5`, `L`. Where that reads wrongly (`38,5`
    /// meant as two sizes), separate with `;`: `38;5`. Each size is trimmed;
    /// empty ones are dropped; a repeat is kept once.
    pub fn parse_list(text: &str) -> Sizes {
        let mut sizes: Vec<String> = Vec::new();
        for group in text.split(';') {
            let parts: Vec<&str> = group.split(',').collect();
            let mut current = String::new();
            for (i, part) in parts.iter().enumerate() {
                let decimal = i > 0
                    && current.trim_end().ends_with(|c: char| c.is_ascii_digit())
                    && !current.ends_with(char::is_whitespace)
                    && part.len() == 1
                    && part.chars().all(|c| c.is_ascii_digit());
                if decimal {
                    current.push(',');
                    current.push_str(part);
                } else {
                    push_size(&mut sizes, &current);
                    current = (*part).to_owned();
                }
            }
            push_size(&mut sizes, &current);
        }
        Sizes { sizes }
    }
}

fn push_size(sizes: &mut Vec<String>, size: &str) {
    let size = size.trim();
    if !size.is_empty() && !sizes.iter().any(|s| s == size) {
        sizes.push(size.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_lists_split_on_separators_but_not_decimal_commas() {
        let check = |text: &str, want: &[&str]| {
            assert_eq!(Sizes::parse_list(text).sizes, want, "{text:?}");
        };
        check("M,L,38", &["M", "L", "38"]);
        check("42,5", &["42,5"]);
        check("M,42,5,L", &["M", "42,5", "L"]);
        check("EU 42,5; W30", &["EU 42,5", "W30"]);
        check("38;5", &["38", "5"]);
        check("38, 5", &["38", "5"]);
        check("38,10", &["38", "10"]);
        check(" M , ,M;", &["M"]);
        check("", &[]);
        check("One size", &["One size"]);
        check("W30/L32,S", &["W30/L32", "S"]);
    }

    #[test]
    fn a_copy_over_a_day_old_of_a_listing_for_sale_may_have_sold() {
        let day = MAY_HAVE_SOLD_AFTER_MS;
        for (status, age, want) in [
            (ListingStatus::Live, 0, false),
            (ListingStatus::Live, day, false),
            (ListingStatus::Live, day + 1, true),
            (ListingStatus::Sold, 10 * day, false),
            (ListingStatus::Delisted, 10 * day, false),
        ] {
            let copy = OfflineCopy::of(status, 1_000, 1_000 + age);
            assert_eq!(copy.may_have_sold, want, "{status:?} after {age} ms");
        }
        // A clock set back reads as a fresh copy.
        assert!(!OfflineCopy::of(ListingStatus::Live, 5_000, 1_000).may_have_sold);
    }

    #[test]
    fn search_queries_apply_my_size_unless_told_not_to() {
        let q: SearchQuery = serde_json::from_str("{}").unwrap();
        assert!(q.my_size);
        assert_eq!(q, SearchQuery::default());
        let q: SearchQuery =
            serde_json::from_str(r#"{"mySize":false,"sort":"price_asc"}"#).unwrap();
        assert!(!q.my_size);
        assert_eq!(q.sort, SearchSort::PriceAsc);
    }
}
