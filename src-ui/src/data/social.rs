//! Likes and follows, optimistic: a tap changes what shows at once, then the
//! core saves it on the device (an outbox row, sent at the next sync; it works
//! offline and survives a restart). Should the core refuse (not signed in, a
//! broken store) the tap is taken back and `error` says why.
//!
//! What the buyer chose this session overrides what a page loaded earlier
//! said; `known` holds what the core last said about a like, so a card (which
//! carries no "liked" flag) shows it too.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{
    FollowCmd, LikeCmd, ListingRequest, SellerRequest, UnfollowCmd, UnlikeCmd,
};
use rehome_model::{ApiError, ListingCard, ListingId};
use std::collections::HashMap;

/// A like or unlike chosen this session.
#[derive(Clone, Debug)]
pub struct LikeChoice {
    pub liked: bool,
    /// The card as it was liked (the Likes tab shows it before the server
    /// lists the like).
    pub card: ListingCard,
    /// Unix milliseconds of the tap.
    pub at: i64,
}

#[derive(Clone, Copy)]
pub struct SocialState {
    chosen: RwSignal<HashMap<ListingId, LikeChoice>>,
    /// What the core last said: liked or not.
    known: RwSignal<HashMap<ListingId, bool>>,
    /// Follows chosen this session, by handle.
    follows: RwSignal<HashMap<String, bool>>,
    pub error: RwSignal<Option<ApiError>>,
}

fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

impl SocialState {
    pub fn new() -> Self {
        Self {
            chosen: RwSignal::new(HashMap::new()),
            known: RwSignal::new(HashMap::new()),
            follows: RwSignal::new(HashMap::new()),
            error: RwSignal::new(None),
        }
    }

    /// Records what a reply said about a like (a listing page, the Likes tab).
    pub fn note_liked(self, id: ListingId, liked: bool) {
        if self.known.with_untracked(|k| k.get(&id) != Some(&liked)) {
            self.known.update(|k| {
                k.insert(id, liked);
            });
        }
    }

    fn known_liked(self, id: ListingId) -> bool {
        self.known.with(|k| k.get(&id).copied().unwrap_or(false))
    }

    /// Whether the buyer likes `id` (tracked).
    pub fn liked(self, id: ListingId) -> bool {
        self.chosen
            .with(|c| c.get(&id).map(|l| l.liked))
            .unwrap_or_else(|| self.known_liked(id))
    }

    /// `count` likes as a reply said, with the buyer's own choice since.
    pub fn like_count(self, id: ListingId, count: u32) -> u32 {
        let was = self.known_liked(id);
        match (was, self.liked(id)) {
            (false, true) => count + 1,
            (true, false) => count.saturating_sub(1),
            _ => count,
        }
    }

    /// Likes made this session, latest first (with the card as liked).
    pub fn likes_chosen(self) -> Vec<LikeChoice> {
        let mut likes: Vec<LikeChoice> = self
            .chosen
            .with(|c| c.values().filter(|l| l.liked).cloned().collect());
        likes.sort_by_key(|l| std::cmp::Reverse(l.at));
        likes
    }

    /// Flips the like of `card`, at once, then saves it through the core.
    pub fn toggle_like(self, card: &ListingCard) {
        let id = card.id;
        let like = !self.liked(id);
        let before = self.chosen.with_untracked(|c| c.get(&id).cloned());
        self.chosen.update(|c| {
            c.insert(
                id,
                LikeChoice {
                    liked: like,
                    card: card.clone(),
                    at: now_millis(),
                },
            );
        });
        let req = ListingRequest { listing_id: id };
        spawn_local(async move {
            let result = if like {
                ipc::invoke::<LikeCmd>(&req).await.map(drop)
            } else {
                ipc::invoke::<UnlikeCmd>(&req).await.map(drop)
            };
            match result {
                Ok(()) => self.error.set(None),
                Err(e) => {
                    self.chosen.update(|c| match before {
                        Some(b) => {
                            c.insert(id, b);
                        }
                        None => {
                            c.remove(&id);
                        }
                    });
                    self.error.set(Some(e));
                }
            }
        });
    }

    /// Whether the buyer follows `handle`, given what a reply said (tracked).
    pub fn following(self, handle: &str, said: bool) -> bool {
        self.follows
            .with(|f| f.get(handle).copied())
            .unwrap_or(said)
    }

    /// `count` followers as a reply said (with `said` for the buyer), with
    /// the buyer's own choice since.
    pub fn follower_count(self, handle: &str, count: u32, said: bool) -> u32 {
        match (said, self.following(handle, said)) {
            (false, true) => count + 1,
            (true, false) => count.saturating_sub(1),
            _ => count,
        }
    }

    /// Follows or unfollows `handle` at once, then saves it through the core.
    pub fn set_follow(self, handle: String, follow: bool) {
        let before = self.follows.with_untracked(|f| f.get(&handle).copied());
        self.follows.update(|f| {
            f.insert(handle.clone(), follow);
        });
        let req = SellerRequest {
            seller: handle.clone(),
        };
        spawn_local(async move {
            let result = if follow {
                ipc::invoke::<FollowCmd>(&req).await.map(drop)
            } else {
                ipc::invoke::<UnfollowCmd>(&req).await.map(drop)
            };
            match result {
                Ok(()) => self.error.set(None),
                Err(e) => {
                    self.follows.update(|f| match before {
                        Some(b) => {
                            f.insert(handle, b);
                        }
                        None => {
                            f.remove(&handle);
                        }
                    });
                    self.error.set(Some(e));
                }
            }
        });
    }
}
