//! The feed's loaded pages and how to load the next one, or start over.

use super::card_pages::{CardPages, PAGE_SIZE};
use super::ipc;
use leptos::task::spawn_local;
use rehome_model::FeedQuery;
use rehome_model::ipc::FeedPageCmd;

/// The feed as loaded so far. Shared through context, so it outlives tab switches.
#[derive(Clone, Copy)]
pub struct FeedState {
    pub pages: CardPages,
}

impl FeedState {
    pub fn new() -> Self {
        Self {
            pages: CardPages::new(),
        }
    }

    /// Loads the next page unless one is loading, the end was reached or the
    /// last load failed (the buyer retries).
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

    /// Starts over from the newest page (pull to refresh, the refresh button).
    /// The cards on screen stay until the new first page arrives.
    pub fn refresh(self) {
        self.pages.start_over();
        self.fetch(true);
    }

    fn fetch(self, replace: bool) {
        let load = self.pages.begin(replace);
        let query = FeedQuery {
            cursor: load.cursor.clone(),
            limit: Some(PAGE_SIZE),
            following: false,
        };
        spawn_local(async move {
            let result = ipc::invoke::<FeedPageCmd>(&query).await;
            self.pages
                .finish(load, result.map(|page| (page.items, page.next_cursor)));
        });
    }
}
