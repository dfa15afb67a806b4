//! Accounts, reads and sync routes (writes go through `POST /v1/sync/push`).

use crate::auth::{self, Caller, MaybeCaller};
use crate::cursor::Position;
use crate::extract::ApiPath;
use crate::extract::{ApiJson, ApiQuery};
use crate::problem::Problem;
use crate::routes::{AppRef, PageParams, blocking, page_of};
use crate::storage::{CardList, NewUser, SearchFilter};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehome_model::api::{
    ListingDetail, Me, Notification, NotificationSettings, Session, SettingsUpdate, SignInRequest,
    SignUpRequest,
};
use rehome_model::sync::{ListingStatus, PullRequest, PullResponse, PushRequest, PushResponse};
use rehome_model::{
    Category, Condition, ErrorCode, FeedPage, ListingCard, ListingId, PhotoRef, SellerRef, UserId,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The peer's IP (0.0.0.0 when the router runs without connection info).
pub struct PeerIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        Ok(PeerIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

fn clean_sizes(sizes: &[String]) -> Result<Vec<String>, Problem> {
    if sizes.len() > 20 {
        return Err(Problem::invalid("sizes", "At most 20 sizes"));
    }
    let mut out = Vec::new();
    for s in sizes {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > crate::sync::SIZE_MAX {
            return Err(Problem::invalid("sizes", "A size is 1 to 20 characters"));
        }
        out.push(s.to_owned());
    }
    Ok(out)
}

fn new_session(s: &crate::AppState, user: UserId, handle: String) -> Result<Session, Problem> {
    let (token, hash) = auth::new_token()?;
    let now = s.clock.now_ms();
    let expires_at = now + s.limits.session_ttl_ms;
    s.store
        .write(|tx| tx.insert_session(&hash, &user, now, expires_at))?;
    Ok(Session {
        token,
        user_id: user,
        handle,
        expires_at,
    })
}

/// `POST /v1/auth/sign-up`
#[tracing::instrument(skip_all, fields(handle = %req.handle))]
pub async fn sign_up(
    State(state): State<AppRef>,
    ApiJson(req): ApiJson<SignUpRequest>,
) -> Result<(StatusCode, Json<Session>), Problem> {
    auth::validate_handle(&req.handle)?;
    auth::validate_password(&req.password)?;
    let sizes = clean_sizes(&req.sizes)?;
    let session = blocking(&state, move |s| {
        let hash = auth::hash_password(&req.password, s.password_cost)?;
        let mut random = [0u8; 10];
        crate::random_bytes(&mut random).map_err(|e| Problem::internal(e.to_string()))?;
        let now = s.clock.now_ms();
        let id = UserId::from_parts(now.max(0) as u64, random);
        let user = NewUser {
            id,
            handle: req.handle.clone(),
            password_hash: hash,
            sizes,
        };
        let created = s.store.write(|tx| tx.insert_user(&user, now))?;
        if !created {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                ErrorCode::Invalid,
                "This handle is taken",
            )
            .with_field("handle"));
        }
        new_session(s, id, req.handle)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// `POST /v1/auth/sign-in`
#[tracing::instrument(skip_all, fields(handle = %req.handle, %ip))]
pub async fn sign_in(
    State(state): State<AppRef>,
    PeerIp(ip): PeerIp,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<Json<Session>, Response> {
    let now = state.clock.now_ms();
    if let Err(retry_ms) = state.sign_in_limiter.attempt(&req.handle, ip, now) {
        let secs = (retry_ms.max(0) + 999) / 1000;
        let mut res = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!("Too many sign-in attempts; try again in {secs} s"),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(res);
    }
    let session = blocking(&state, move |s| {
        let found = s.store.user_by_handle(&req.handle)?;
        let ok = match &found {
            Some((_, _, hash)) => auth::verify_password(&req.password, hash),
            None => {
                // Same work for unknown handles, so timing does not reveal accounts.
                let _ = auth::verify_password(&req.password, &s.dummy_hash);
                false
            }
        };
        match found {
            Some((id, handle, _)) if ok => {
                s.sign_in_limiter.succeeded(&req.handle);
                new_session(s, id, handle)
            }
            _ => {
                s.sign_in_limiter.failed(&req.handle, ip, now);
                Err(Problem::unauthorized("Wrong handle or password"))
            }
        }
    })
    .await
    .map_err(IntoResponse::into_response)?;
    Ok(Json(session))
}

/// `POST /v1/auth/sign-out`: revokes the token used.
pub async fn sign_out(State(state): State<AppRef>, caller: Caller) -> Result<StatusCode, Problem> {
    blocking(&state, move |s| {
        let now = s.clock.now_ms();
        s.store
            .write(|tx| tx.revoke_session(&caller.token_hash, now))?;
        // After the database: a racing lookup cannot resurrect the token.
        s.sessions.revoke(&caller.token_hash);
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn me_of(s: &crate::AppState, caller: &Caller) -> Result<Me, Problem> {
    Ok(Me {
        user_id: caller.user_id,
        handle: caller.handle.clone(),
        sizes: s.store.sizes(&caller.user_id)?,
        notifications: s
            .store
            .notification_settings(&caller.user_id)?
            .ok_or_else(|| Problem::unauthorized("No such account"))?,
    })
}

/// `GET /v1/me`
pub async fn me(State(state): State<AppRef>, caller: Caller) -> Result<Json<Me>, Problem> {
    blocking(&state, move |s| me_of(s, &caller)).await.map(Json)
}

fn check_settings(n: &NotificationSettings) -> Result<(), Problem> {
    if n.daily_budget > 100 {
        return Err(Problem::invalid(
            "notifications.dailyBudget",
            "At most 100 a day",
        ));
    }
    match (n.quiet_start, n.quiet_end) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) if a < 1440 && b < 1440 => Ok(()),
        (Some(_), Some(_)) => Err(Problem::invalid(
            "notifications.quietStart",
            "Quiet hours are minutes of the day, 0 to 1439",
        )),
        _ => Err(Problem::invalid(
            "notifications.quietEnd",
            "Give both ends of the quiet hours, or neither",
        )),
    }
}

/// `PUT /v1/me/settings`
pub async fn update_settings(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<SettingsUpdate>,
) -> Result<Json<Me>, Problem> {
    let sizes = req.sizes.as_deref().map(clean_sizes).transpose()?;
    if let Some(n) = &req.notifications {
        check_settings(n)?;
    }
    blocking(&state, move |s| {
        s.store.write(|tx| -> Result<(), Problem> {
            if let Some(sizes) = &sizes {
                tx.set_sizes(&caller.user_id, sizes)?;
            }
            if let Some(n) = &req.notifications {
                tx.set_notification_settings(&caller.user_id, n)?;
            }
            Ok(())
        })?;
        me_of(s, &caller)
    })
    .await
    .map(Json)
}

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

/// `GET /v1/notifications`: delivered notifications, newest first.
pub async fn notifications(
    State(state): State<AppRef>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FeedPage<Notification>>, Problem> {
    blocking(&state, move |s| {
        let now = s.clock.now_ms();
        crate::notify::flush(&s.store, &caller.user_id, now)?;
        let list = format!("notifications:{}", caller.user_id);
        let limit = match params.limit {
            None => s.limits.default_page,
            Some(0) => return Err(Problem::invalid("limit", "limit must be at least 1")),
            Some(n) => n.min(s.limits.max_page),
        };
        let before = match params.cursor.as_deref() {
            None | Some("") => None,
            Some(c) => Some(
                s.cursors
                    .check(&list, c)
                    .ok_or_else(|| Problem::bad_cursor("cursor"))?
                    .score,
            ),
        };
        let mut items = s.store.notifications(&caller.user_id, before, limit + 1)?;
        let next_cursor = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|n| {
                s.cursors.issue(
                    &list,
                    &Position {
                        score: n.id,
                        id: String::new(),
                    },
                )
            })
        } else {
            None
        };
        Ok(FeedPage { items, next_cursor })
    })
    .await
    .map(Json)
}

/// `POST /v1/sync/push`
#[tracing::instrument(skip_all, fields(user = %caller.handle, mutations = req.mutations.len()))]
pub async fn push(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, Problem> {
    blocking(&state, move |s| {
        let clock = s.clock.clone();
        crate::sync::push(&s.store, &caller.user_id, &req, || clock.now_ms())
    })
    .await
    .map(Json)
}

/// `POST /v1/sync/pull`
#[tracing::instrument(skip_all, fields(user = %caller.handle))]
pub async fn pull(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<PullRequest>,
) -> Result<Json<PullResponse>, Problem> {
    blocking(&state, move |s| {
        crate::sync::pull(
            &s.store,
            &s.blobs,
            &caller.user_id,
            &req.client_id.0.to_string(),
            req.cookie.as_deref(),
            s.clock.now_ms(),
        )
    })
    .await
    .map(Json)
}
