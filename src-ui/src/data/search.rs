//! A search as the buyer sets it (text, chips, sort, My size) and its results,
//! a page at a time. Each change of the query starts the results over; a page
//! that was loading for the query before is dropped.

use super::card_pages::{CardPages, PAGE_SIZE};
use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{SearchCmd, SearchQuery};

#[derive(Clone, Copy)]
pub struct SearchState {
    /// The query (its cursor and limit unused: pages are this module's).
    pub query: RwSignal<SearchQuery>,
    pub pages: CardPages,
}

impl SearchState {
    /// A search with nothing typed and My size on, run at once.
    pub fn start() -> Self {
        let state = Self {
            query: RwSignal::new(SearchQuery::default()),
            pages: CardPages::new(),
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
        self.pages.start_over();
        self.fetch(true);
    }

    /// The next page, unless one is loading, the end was reached or the last
    /// load failed.
    pub fn load_more(self) {
        if self.pages.wants_more() {
            self.fetch(false);
        }
    }

    /// Tries again after an error.
    pub fn retry(self) {
        if self.pages.retrying() {
            self.fetch(false);
        }
    }

    fn fetch(self, replace: bool) {
        let load = self.pages.begin(replace);
        let mut query = self.query.get_untracked();
        query.cursor = load.cursor.clone();
        query.limit = Some(PAGE_SIZE);
        spawn_local(async move {
            let result = ipc::invoke::<SearchCmd>(&query).await;
            // Dropped if the screen closed, or the query changed, meanwhile.
            self.pages
                .finish(load, result.map(|page| (page.items, page.next_cursor)));
        });
    }
}
