//! The caller's notifications (held ones are folded into a digest on read).

use super::extract::ApiQuery;
use super::support::{AppRef, Caller, PageParams, blocking, page_limit};
use crate::cursor::Position;
use crate::problem::Problem;
use axum::Json;
use axum::extract::State;
use rehome_model::FeedPage;
use rehome_model::api::Notification;

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
        let limit = page_limit(s, params.limit)?;
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
                        as_of: 0,
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
