//! The feed's loaded pages and how to load the next one, or start over.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::FeedPageCmd;
use rehome_model::{ApiError, Cursor, FeedQuery, ListingCard};

/// Cards per page: about two phone screens of the two-column grid.
const PAGE_SIZE: u32 = 24;

/// The feed as loaded so far. Shared through context, so it outlives tab switches.
#[derive(Clone, Copy)]
pub struct FeedState {
    pub cards: RwSignal<Vec<ListingCard>>,
    next: RwSignal<Option<Cursor>>,
    /// No more pages.
    pub done: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Bumped by a refresh, so a page that was loading for the old feed is
    /// dropped rather than appended to the new one.
    generation: RwSignal<u64>,
}

impl FeedState {
    pub fn new() -> Self {
        Self {
            cards: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            done: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Loads the next page unless one is loading, the end was reached or the
    /// last load failed (the buyer retries).
    pub fn load_more(self) {
        if self.loading.get_untracked()
            || self.done.get_untracked()
            || self.error.get_untracked().is_some()
        {
            return;
        }
        self.fetch();
    }

    /// Tries again after an error.
    pub fn retry(self) {
        if self.loading.get_untracked() {
            return;
        }
        self.error.set(None);
        self.fetch();
    }

    /// Starts over from the newest page (pull to refresh, the refresh button).
    /// The cards on screen stay until the new first page arrives.
    pub fn refresh(self) {
        self.generation.update(|g| *g += 1);
        self.next.set(None);
        self.done.set(false);
        self.error.set(None);
        self.loading.set(false);
        self.fetch_replacing(true);
    }

    fn fetch(self) {
        self.fetch_replacing(false);
    }

    fn fetch_replacing(self, replace: bool) {
        self.loading.set(true);
        let generation = self.generation.get_untracked();
        let query = FeedQuery {
            cursor: self.next.get_untracked(),
            limit: Some(PAGE_SIZE),
            following: false,
        };
        spawn_local(async move {
            let result = ipc::invoke::<FeedPageCmd>(&query).await;
            if self.generation.get_untracked() != generation {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    let empty = page.items.is_empty();
                    self.cards.update(|cards| {
                        if replace {
                            cards.clear();
                        }
                        // A listing can move up between pages (a price drop
                        // re-ranks it): never show it twice.
                        for card in page.items {
                            if !cards.iter().any(|c| c.id == card.id) {
                                cards.push(card);
                            }
                        }
                    });
                    self.done.set(page.next_cursor.is_none() || empty);
                    self.next.set(page.next_cursor);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
