//! What every handler shares: the state handle, the blocking-pool hop, who is
//! calling (bearer sessions), the peer's address, paging, and the fallbacks.

use crate::AppState;
use crate::auth::token_hash;
use crate::cursor::Position;
use crate::problem::Problem;
use crate::storage::{CardList, CardRow, Keyset};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use rehome_model::{Cursor, FeedPage, ListingCard, UserId};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

pub type AppRef = Arc<AppState>;

/// Runs storage work on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    state: &AppRef,
    f: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|e| Problem::internal(format!("worker failed: {e}")))?
}

/// `?cursor=&limit=` on every list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From the previous page's `nextCursor`; absent for the first page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20); others are refused.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Items per page: the default when not asked. Outside 1 to the server's
/// maximum is a 422: a client asking for 1000 learns at once that it gets
/// at most 100 a page, instead of silently getting fewer than it asked for.
pub fn page_limit(state: &AppState, asked: Option<u32>) -> Result<u32, Problem> {
    let max = state.limits.max_page;
    match asked {
        None => Ok(state.limits.default_page),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Problem::invalid(
            "limit",
            format!("limit is 1 to {max} items a page"),
        )),
    }
}

/// Reads one page of `list`, named `list_name` for cursor binding: its rows
/// and the cursor of the next page. The first page's time is the list's
/// `as_of`, carried on in its cursors.
pub fn rows_of(
    state: &AppState,
    list_name: &str,
    list: &CardList,
    params: &PageParams,
) -> Result<(Vec<CardRow>, Option<Cursor>), Problem> {
    let limit = page_limit(state, params.limit)?;
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            state
                .cursors
                .check(list_name, c)
                .ok_or_else(|| Problem::bad_cursor("cursor"))?,
        ),
    };
    let as_of = after
        .as_ref()
        .map_or_else(|| state.clock.now_ms(), |p| p.as_of);
    let after = after.map(|p| Keyset {
        score: p.score,
        id: p.id,
    });
    let mut rows = state.store.cards(list, after.as_ref(), as_of, limit + 1)?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| {
            state.cursors.issue(
                list_name,
                &Position {
                    score: r.keyset.score,
                    id: r.keyset.id.clone(),
                    as_of,
                },
            )
        })
    } else {
        None
    };
    Ok((rows, next_cursor))
}

/// [`rows_of`] as a page of cards.
pub fn page_of(
    state: &AppState,
    list_name: &str,
    list: &CardList,
    params: &PageParams,
) -> Result<FeedPage<ListingCard>, Problem> {
    let (rows, next_cursor) = rows_of(state, list_name, list, params)?;
    Ok(FeedPage {
        items: rows.into_iter().map(|r| r.card).collect(),
        next_cursor,
    })
}

/// The signed-in caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: UserId,
    pub handle: String,
    pub token_hash: String,
}

fn bearer(parts: &Parts) -> Result<Option<String>, Problem> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| Problem::unauthorized("The Authorization header is not text"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| Problem::unauthorized("Use `Authorization: Bearer <token>`"))?;
    Ok(Some(token.trim().to_owned()))
}

async fn resolve(state: &AppRef, token: String) -> Result<Caller, Problem> {
    let hash = token_hash(&token);
    let unauthorized = || Problem::unauthorized("The session is unknown, expired or signed out");
    match state.sessions.get(&hash, state.clock.now_ms()) {
        Some(Ok((user_id, handle))) => {
            return Ok(Caller {
                user_id,
                handle,
                token_hash: hash,
            });
        }
        Some(Err(())) => return Err(unauthorized()),
        None => {}
    }
    let lookup = hash.clone();
    let found = blocking(state, move |s| {
        Ok(s.store.session_user(&lookup, s.clock.now_ms())?)
    })
    .await?;
    match found {
        Some((user_id, handle, expires)) => {
            state.sessions.remember(&hash, user_id, &handle, expires);
            Ok(Caller {
                user_id,
                handle,
                token_hash: hash,
            })
        }
        None => Err(unauthorized()),
    }
}

impl FromRequestParts<AppRef> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppRef) -> Result<Self, Problem> {
        match bearer(parts)? {
            Some(token) => resolve(state, token).await,
            None => Err(Problem::unauthorized("Sign in first")),
        }
    }
}

/// The caller if a token was sent (a bad token is still a 401, never anonymous).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppRef> for MaybeCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppRef) -> Result<Self, Problem> {
        match bearer(parts)? {
            Some(token) => Ok(MaybeCaller(Some(resolve(state, token).await?))),
            None => Ok(MaybeCaller(None)),
        }
    }
}

/// The client's IP: the peer's (0.0.0.0 when the router runs without
/// connection info), or, when the peer is a trusted proxy, the right-most
/// `X-Forwarded-For` entry that is not one (what the proxy saw).
pub struct PeerIp(pub IpAddr);

/// The client behind `peer`, from `X-Forwarded-For` values (each a comma list).
pub fn client_ip<'a>(
    peer: IpAddr,
    trusted: &[IpAddr],
    forwarded: impl DoubleEndedIterator<Item = &'a str>,
) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded.rev().flat_map(|v| v.rsplit(',')) {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            // A hop we cannot read: the last one we could is the client.
            Err(_) => return client,
        }
    }
    client
}

impl FromRequestParts<AppRef> for PeerIp {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, state: &AppRef) -> Result<Self, Problem> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(PeerIp(client_ip(
            peer,
            &state.trusted_proxies,
            forwarded.into_iter(),
        )))
    }
}

pub(super) async fn not_found() -> Problem {
    Problem::not_found("No such route")
}

pub(super) async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        rehome_model::ErrorCode::BadRequest,
        "This route does not take that method",
    )
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use std::net::IpAddr;

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxy = ip("10.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        for (peer, headers, client) in [
            // Not from a proxy: the header is anyone's to forge.
            ("198.51.100.9", vec!["203.0.113.7"], "198.51.100.9"),
            ("10.0.0.1", vec!["203.0.113.7"], "203.0.113.7"),
            // A client's own forged entries are left of what the proxy saw.
            ("10.0.0.1", vec!["1.1.1.1, 203.0.113.7"], "203.0.113.7"),
            // Through two proxies.
            ("10.0.0.1", vec!["203.0.113.7, 10.0.0.2"], "203.0.113.7"),
            ("10.0.0.1", vec!["1.1.1.1", "203.0.113.7"], "203.0.113.7"),
            // Nothing readable: the proxy itself.
            ("10.0.0.1", vec![], "10.0.0.1"),
            ("10.0.0.1", vec!["junk"], "10.0.0.1"),
        ] {
            assert_eq!(
                client_ip(ip(peer), &trusted, headers.iter().copied()),
                ip(client),
                "{peer} {headers:?}"
            );
        }
    }
}
