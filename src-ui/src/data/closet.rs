//! A seller's closet: their card and their live listings, a page at a time.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::api::SellerSummary;
use rehome_model::ipc::{ClosetCmd, ClosetQuery};
use rehome_model::{ApiError, Cursor, ListingCard};

/// Cards per page: about two phone screens of the two-column grid.
const PAGE_SIZE: u32 = 24;

/// One closet as loaded so far; it lives as long as its screen.
#[derive(Clone, Copy)]
pub struct ClosetState {
    handle: StoredValue<String>,
    pub seller: RwSignal<Option<SellerSummary>>,
    pub cards: RwSignal<Vec<ListingCard>>,
    next: RwSignal<Option<Cursor>>,
    pub done: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl ClosetState {
    /// Starts loading the closet of `handle`.
    pub fn load(handle: String) -> Self {
        let state = Self {
            handle: StoredValue::new(handle),
            seller: RwSignal::new(None),
            cards: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            done: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        state.fetch();
        state
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

    fn fetch(self) {
        self.loading.set(true);
        let query = ClosetQuery {
            seller: self.handle.get_value(),
            cursor: self.next.get_untracked(),
            limit: Some(PAGE_SIZE),
        };
        spawn_local(async move {
            let result = ipc::invoke::<ClosetCmd>(&query).await;
            // The screen may have closed meanwhile.
            if self.loading.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(page) => {
                    let empty = page.items.is_empty();
                    self.seller.set(Some(page.seller));
                    self.cards.update(|cards| {
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
