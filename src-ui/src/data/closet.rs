//! A seller's closet: their card and their live listings, a page at a time.

use super::card_pages::{CardPages, PAGE_SIZE};
use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::api::SellerSummary;
use rehome_model::ipc::{ClosetCmd, ClosetQuery};

/// One closet as loaded so far; it lives as long as its screen.
#[derive(Clone, Copy)]
pub struct ClosetState {
    handle: StoredValue<String>,
    pub seller: RwSignal<Option<SellerSummary>>,
    pub pages: CardPages,
}

impl ClosetState {
    /// Starts loading the closet of `handle`.
    pub fn load(handle: String) -> Self {
        let state = Self {
            handle: StoredValue::new(handle),
            seller: RwSignal::new(None),
            pages: CardPages::new(),
        };
        state.fetch();
        state
    }

    /// Loads the next page unless one is loading, the end was reached or the
    /// last load failed (the buyer retries).
    pub fn load_more(self) {
        if self.pages.wants_more() {
            self.fetch();
        }
    }

    /// Tries again after an error.
    pub fn retry(self) {
        if self.pages.retrying() {
            self.fetch();
        }
    }

    fn fetch(self) {
        let load = self.pages.begin(false);
        let query = ClosetQuery {
            seller: self.handle.get_value(),
            cursor: load.cursor.clone(),
            limit: Some(PAGE_SIZE),
        };
        spawn_local(async move {
            let result = ipc::invoke::<ClosetCmd>(&query).await;
            let seller = result.as_ref().ok().map(|page| page.seller.clone());
            // Dropped if the screen closed meanwhile.
            let kept = self
                .pages
                .finish(load, result.map(|page| (page.items, page.next_cursor)));
            if let (true, Some(seller)) = (kept, seller) {
                self.seller.set(Some(seller));
            }
        });
    }
}
