//! The feed's loaded pages and how to load the next one.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::FeedPageCmd;
use rehome_model::{ApiError, Cursor, FeedQuery, ListingCard};

/// Cards per page: a screenful and a half on a phone.
const PAGE_SIZE: u32 = 12;

/// The feed as loaded so far. Shared through context, so it outlives tab switches.
#[derive(Clone, Copy)]
pub struct FeedState {
    pub cards: RwSignal<Vec<ListingCard>>,
    next: RwSignal<Option<Cursor>>,
    /// No more pages.
    pub done: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl FeedState {
    pub fn new() -> Self {
        Self {
            cards: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            done: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Loads the next page unless one is loading or the end was reached.
    /// `then` runs after a successful load (to check whether to load more).
    pub fn load_more(self, then: impl FnOnce() + 'static) {
        if self.loading.get_untracked() || self.done.get_untracked() {
            return;
        }
        self.loading.set(true);
        self.error.set(None);
        let query = FeedQuery {
            cursor: self.next.get_untracked(),
            limit: Some(PAGE_SIZE),
            following: false,
        };
        spawn_local(async move {
            let result = ipc::invoke::<FeedPageCmd>(&query).await;
            self.loading.set(false);
            match result {
                Ok(page) => {
                    let empty = page.items.is_empty();
                    self.cards.update(|cards| cards.extend(page.items));
                    self.done.set(page.next_cursor.is_none() || empty);
                    self.next.set(page.next_cursor);
                    then();
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
