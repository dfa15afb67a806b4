//! A search as the buyer sets it (text, chips, sort, My size) and its results,
//! a page at a time. Each change of the query starts the results over; a page
//! that was loading for the query before is dropped.

use super::card_pages::{CardPages, PAGE_SIZE};
use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{
    ForgetSearchesCmd, RecentSearchesCmd, RememberSearchCmd, SearchCmd, SearchQuery,
};

#[derive(Clone, Copy)]
pub struct SearchState {
    /// The query (its cursor and limit unused: pages are this module's).
    pub query: RwSignal<SearchQuery>,
    pub pages: CardPages,
    /// The searches run on this device, newest first.
    pub recent: RwSignal<Vec<SearchQuery>>,
}

impl SearchState {
    /// A search with nothing typed and My size on, run at once.
    pub fn start() -> Self {
        let state = Self {
            query: RwSignal::new(SearchQuery::default()),
            pages: CardPages::new(),
            recent: RwSignal::new(Vec::new()),
        };
        state.fetch(true);
        state.keep_recent(|| ipc::invoke::<RecentSearchesCmd>(&()));
        state
    }

    /// Remembers the query now on this device (the buyer searched for it).
    pub fn remember(self) {
        let query = self.query.get_untracked();
        self.keep_recent(move || async move { ipc::invoke::<RememberSearchCmd>(&query).await });
    }

    /// Forgets the recent searches.
    pub fn forget(self) {
        self.keep_recent(|| ipc::invoke::<ForgetSearchesCmd>(&()));
    }

    /// Runs `query` again as it was (a recent search tapped).
    pub fn run(self, query: SearchQuery) {
        self.change(move |q| *q = query);
        self.remember();
    }

    /// Shows the recent searches `call` answers; on an error (a damaged
    /// file) the list stays as it was: the search itself still works.
    fn keep_recent<F>(self, call: impl FnOnce() -> F + 'static)
    where
        F: std::future::Future<Output = Result<Vec<SearchQuery>, rehome_model::ApiError>>,
    {
        spawn_local(async move {
            if let Ok(list) = call().await {
                self.recent.set(list);
            }
        });
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

/// A recent search in a few words: its text, then brand, size and category.
pub fn describe(q: &SearchQuery) -> String {
    let category = q
        .category
        .as_deref()
        .and_then(rehome_model::Category::parse)
        .map(crate::labels::category);
    [
        q.q.as_deref(),
        q.brand.as_deref(),
        q.size.as_deref(),
        category,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}
