//! The listing reads: the feed (personalised when signed in), search, the
//! caller's likes, and one listing's page. A seller's closet is in `sellers.rs`.

use super::extract::{ApiPath, ApiQuery};
use super::support::{AppRef, Caller, MaybeCaller, PageParams, blocking, page_of, rows_of};
use crate::problem::Problem;
use crate::storage::{CardList, SearchFilter};
use crate::sync::SIZE_MAX;
use axum::Json;
use axum::extract::State;
use rehome_model::api::{LikedListing, ListingDetail, SearchSort};
use rehome_model::sync::ListingStatus;
use rehome_model::{Category, Condition, FeedPage, ListingCard, ListingId, PhotoRef};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The feed's query parameters: which feed, and paging.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// `true`: the Following feed (newest from the sellers the caller
    /// follows; needs a sign-in) instead of For You.
    #[serde(default)]
    pub following: bool,
    /// From the previous page's `nextCursor`; absent for the first page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20); others are refused.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// `GET /v1/feed`: For You (personalised when signed in), or Following.
pub async fn feed(
    State(state): State<AppRef>,
    MaybeCaller(caller): MaybeCaller,
    ApiQuery(p): ApiQuery<FeedParams>,
) -> Result<Json<FeedPage<ListingCard>>, Problem> {
    let params = PageParams {
        cursor: p.cursor,
        limit: p.limit,
    };
    if p.following && caller.is_none() {
        return Err(
            Problem::unauthorized("Sign in to see the sellers you follow").with_field("following"),
        );
    }
    blocking(&state, move |s| match (caller, p.following) {
        (None, _) => page_of(s, "feed", &CardList::Feed { viewer: None }, &params),
        (Some(c), true) => page_of(
            s,
            &format!("following:{}", c.user_id),
            &CardList::Following { viewer: c.user_id },
            &params,
        ),
        (Some(c), false) => page_of(
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
    /// Words that must all appear in the title, brand, description or colour
    /// (at most 200 characters).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// A category's wire name, exactly (`tops`, `dresses`, …).
    #[param(value_type = Option<Category>)]
    pub category: Option<String>,
    pub brand: Option<String>,
    /// A size as the buyer says it (`M`, `UK 10`, `W32`, `42`): it finds
    /// listings labelled in any system that reads as the same size, and bags,
    /// accessories and one-size items. Several, separated by `;`
    /// (`M;W30;EU 42,5`), find listings in any of them: at most 20, each at
    /// most 20 characters.
    #[param(pattern = "^[^;]{0,20}(;[^;]{0,20}){0,19}$")]
    pub size: Option<String>,
    /// In cents, inclusive.
    pub min_price: Option<i64>,
    /// In cents, inclusive.
    pub max_price: Option<i64>,
    /// A condition's wire name, exactly (`new_with_tags`, `like_new`, `good`, `fair`).
    #[param(value_type = Option<Condition>)]
    pub condition: Option<String>,
    /// `newest` (the default), `price_asc` or `price_desc`.
    #[param(value_type = Option<SearchSort>)]
    pub sort: Option<String>,
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20); others are refused.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The most sizes one search takes (as many as an account keeps).
const SIZES_MAX: usize = 20;

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `GET /v1/search`
pub async fn search(
    State(state): State<AppRef>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<FeedPage<ListingCard>>, Problem> {
    // Exactly a wire name, as the document's enum says: `category=` (empty)
    // names no category, so it is refused like any other unknown one.
    let category = p.category;
    if let Some(c) = &category
        && Category::parse(c).is_none()
    {
        return Err(Problem::invalid("category", "Unknown category"));
    }
    let condition = p.condition;
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
    // Counted as sent (the document's pattern), empty ones then dropped.
    let sent: Vec<&str> = p
        .size
        .as_deref()
        .map_or(Vec::new(), |s| s.split(';').collect());
    if sent.len() > SIZES_MAX || sent.iter().any(|s| s.chars().count() > SIZE_MAX) {
        return Err(Problem::invalid(
            "size",
            format!("At most {SIZES_MAX} sizes of at most {SIZE_MAX} characters"),
        ));
    }
    let sizes: Vec<String> = sent
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    // Exactly a wire name, as the document's enum says.
    let sort = match p.sort.as_deref() {
        None => SearchSort::Newest,
        Some(v) => SearchSort::parse(v)
            .ok_or_else(|| Problem::invalid("sort", "Sort by newest, price_asc or price_desc"))?,
    };
    if p.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(Problem::invalid("q", "At most 200 characters"));
    }
    let filter = SearchFilter {
        text: non_empty(p.q),
        category,
        brand: non_empty(p.brand),
        sizes,
        min_price: p.min_price,
        max_price: p.max_price,
        condition,
        sort,
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

/// `GET /v1/me/likes`: live, sold and delisted, latest like first, each with
/// its price when liked.
pub async fn likes(
    State(state): State<AppRef>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FeedPage<LikedListing>>, Problem> {
    blocking(&state, move |s| {
        let (rows, next_cursor) = rows_of(
            s,
            &format!("likes:{}", caller.user_id),
            &CardList::Likes {
                user: caller.user_id,
            },
            &params,
        )?;
        let items = rows
            .into_iter()
            .map(|r| {
                let (liked_at, price_at_like) = r.liked.unwrap_or((0, r.card.price));
                LikedListing {
                    card: r.card,
                    status: r.status,
                    liked_at,
                    price_at_like,
                }
            })
            .collect();
        Ok(FeedPage { items, next_cursor })
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
        let seller = s
            .store
            .seller_summary(&row.seller_id, caller.as_ref().map(|c| &c.user_id))?
            .ok_or_else(|| Problem::internal("a listing's seller is missing"))?;
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
            seller,
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
