//! A search as the buyer sets it (text, chips, sort, My size) and its results,
//! a page at a time. Each change of the query starts the results over; a page
//! that was loading for the query before is dropped.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{SearchCmd, SearchQuery};
use rehome_model::{ApiError, Cursor, ListingCard};

const PAGE_SIZE: u32 = 24;

#[derive(Clone, Copy)]
pub struct SearchState {
    /// The query (its cursor and limit unused: pages are this module's).
    pub query: RwSignal<SearchQuery>,
    pub cards: RwSignal<Vec<ListingCard>>,
    next: RwSignal<Option<Cursor>>,
    pub done: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    generation: RwSignal<u64>,
}

impl SearchState {
    /// A search with nothing typed and My size on, run at once.
    pub fn start() -> Self {
        let state = Self {
            query: RwSignal::new(SearchQuery::default()),
            cards: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            done: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: RwSignal::new(0),
        };
        state.fetch(true);
        state
    }

    /// Changes the query and starts the results over.
    pub fn change(self, edit: impl FnOnce(&mut SearchQuery)) {
        let mut q = self.query.get_untracked();
        edit(&mut q);
        if q == self.query.get_untracked() {
            return;
        }
        self.query.set(q);
        self.generation.update(|g| *g += 1);
        self.next.set(None);
        self.done.set(false);
        self.error.set(None);
        self.fetch(true);
    }

    /// The next page, unless one is loading, the end was reached or the last
    /// load failed.
    pub fn load_more(self) {
        if self.loading.get_untracked()
            || self.done.get_untracked()
            || self.error.get_untracked().is_some()
        {
            return;
        }
        self.fetch(false);
    }

    /// Tries again after an error.
    pub fn retry(self) {
        self.error.set(None);
        self.fetch(false);
    }

    fn fetch(self, replace: bool) {
        self.loading.set(true);
        let generation = self.generation.get_untracked();
        let mut query = self.query.get_untracked();
        query.cursor = if replace {
            None
        } else {
            self.next.get_untracked()
        };
        query.limit = Some(PAGE_SIZE);
        spawn_local(async move {
            let result = ipc::invoke::<SearchCmd>(&query).await;
            // The screen may have closed, or the query changed, meanwhile.
            if self.generation.try_get_untracked() != Some(generation) {
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
