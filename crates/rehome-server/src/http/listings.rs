//! The listing reads: the feed (personalised when signed in), search, a
//! seller's closet, the caller's likes, and one listing's page.

use super::extract::{ApiPath, ApiQuery};
use super::support::{AppRef, Caller, MaybeCaller, PageParams, blocking, page_of};
use crate::problem::Problem;
use crate::storage::{CardList, SearchFilter};
use axum::Json;
use axum::extract::State;
use rehome_model::api::ListingDetail;
use rehome_model::sync::ListingStatus;
use rehome_model::{
    Category, Condition, FeedPage, ListingCard, ListingId, PhotoRef, SellerRef, UserId,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// `GET /v1/feed`: personalised when signed in.
pub async fn feed(
    State(state): State<AppRef>,
    MaybeCaller(caller): MaybeCaller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FeedPage<ListingCard>>, Problem> {
    blocking(&state, move |s| match caller {
        None => page_of(s, "feed", &CardList::Feed { viewer: None }, &params),
        Some(c) => page_of(
            s,
            &format!("feed:{}", c.user_id),
            &CardList::Feed {
                viewer: Some(c.user_id),
            },
            &params,
        ),
    })
    .await
    .map(Json)
}

/// Search filters and paging, as query parameters.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct SearchParams {
    /// Words that must all appear in the title, brand, description or colour.
    pub q: Option<String>,
    /// A category wire name (`tops`, `dresses`, …).
    pub category: Option<String>,
    pub brand: Option<String>,
    /// A size as the buyer says it (`M`, `UK 10`, `W32`, `42`): it finds
    /// listings labelled in any system that reads as the same size, and bags,
    /// accessories and one-size items.
    pub size: Option<String>,
    /// In cents, inclusive.
    pub min_price: Option<i64>,
    /// In cents, inclusive.
    pub max_price: Option<i64>,
    /// A condition wire name (`new_with_tags`, `like_new`, `good`, `fair`).
    pub condition: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `GET /v1/search`
pub async fn search(
    State(state): State<AppRef>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<FeedPage<ListingCard>>, Problem> {
    let category = non_empty(p.category);
    if let Some(c) = &category
        && Category::parse(c).is_none()
    {
        return Err(Problem::invalid("category", "Unknown category"));
    }
    let condition = non_empty(p.condition);
    if let Some(c) = &condition
        && Condition::parse(c).is_none()
    {
        return Err(Problem::invalid("condition", "Unknown condition"));
    }
    if let (Some(a), Some(b)) = (p.min_price, p.max_price)
        && a > b
    {
        return Err(Problem::invalid("minPrice", "minPrice is above maxPrice"));
    }
    if p.q.as_deref().is_some_and(|q| q.len() > 200) {
        return Err(Problem::invalid("q", "At most 200 characters"));
    }
    let filter = SearchFilter {
        text: non_empty(p.q),
        category,
        brand: non_empty(p.brand),
        size: non_empty(p.size),
        min_price: p.min_price,
        max_price: p.max_price,
        condition,
    };
    let name = format!(
        "search:{}",
        &format!("{:x}", Sha256::digest(format!("{filter:?}").as_bytes()))[..24]
    );
    let params = PageParams {
        cursor: p.cursor,
        limit: p.limit,
    };
    blocking(&state, move |s| {
        page_of(s, &name, &CardList::Search(filter), &params)
    })
    .await
    .map(Json)
}

/// `GET /v1/sellers/{sellerId}/listings`: a seller's closet.
pub async fn closet(
    State(state): State<AppRef>,
    ApiPath(seller): ApiPath<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FeedPage<ListingCard>>, Problem> {
    let seller: UserId = seller
        .parse()
        .map_err(|_| Problem::not_found("No such seller").with_field("sellerId"))?;
    blocking(&state, move |s| {
        if s.store.handle_of(&seller)?.is_none() {
            return Err(Problem::not_found("No such seller").with_field("sellerId"));
        }
        page_of(
            s,
            &format!("closet:{seller}"),
            &CardList::Closet { seller },
            &params,
        )
    })
    .await
    .map(Json)
}

/// `GET /v1/me/likes`
pub async fn likes(
    State(state): State<AppRef>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FeedPage<ListingCard>>, Problem> {
    blocking(&state, move |s| {
        page_of(
            s,
            &format!("likes:{}", caller.user_id),
            &CardList::Likes {
                user: caller.user_id,
            },
            &params,
        )
    })
    .await
    .map(Json)
}

/// `GET /v1/listings/{listingId}`
pub async fn listing(
    State(state): State<AppRef>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ListingDetail>, Problem> {
    let not_found = || Problem::not_found("No such listing").with_field("listingId");
    let id: ListingId = id.parse().map_err(|_| not_found())?;
    blocking(&state, move |s| {
        let row = s.store.listing(&id)?.ok_or_else(not_found)?;
        let is_owner = caller.as_ref().is_some_and(|c| c.user_id == row.seller_id);
        let visible = match row.status {
            ListingStatus::Live | ListingStatus::Sold => true,
            ListingStatus::Draft | ListingStatus::Delisted => is_owner,
            ListingStatus::Deleted => false,
        };
        if !visible {
            return Err(not_found());
        }
        let handle = s.store.handle_of(&row.seller_id)?.unwrap_or_default();
        let photos = s
            .store
            .attached_photos(&id)?
            .into_iter()
            .filter(|p| p.complete)
            .filter_map(|p| {
                Some(PhotoRef {
                    id: p.photo_id.parse().ok()?,
                    width: p.width,
                    height: p.height,
                })
            })
            .collect();
        let liked = match &caller {
            Some(c) => s.store.has_liked(&c.user_id, &id)?,
            None => false,
        };
        let f = row.fields;
        Ok(ListingDetail {
            id,
            seller: SellerRef {
                id: row.seller_id,
                handle,
            },
            title: f.title.unwrap_or_default(),
            description: f.description.unwrap_or_default(),
            category: f.category,
            brand: f.brand.unwrap_or_default(),
            size: f.size.unwrap_or_default(),
            condition: f.condition,
            colour: f.colour,
            parcel: f.parcel,
            price: rehome_model::Money(row.price),
            price_version: row.price_version,
            original_price: f.original_price,
            quantity: row.quantity,
            status: row.status,
            status_version: row.status_version,
            photos,
            like_count: row.like_count,
            liked,
            published_at: row.published_at,
        })
    })
    .await
    .map(Json)
}
