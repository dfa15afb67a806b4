//! What the feed, a search and a closet share: the cards loaded so far, where
//! the next page starts, and the load in flight. Each owner asks the core for
//! its own pages; this keeps the paging itself in one place.

use leptos::prelude::*;
use rehome_model::{ApiError, Cursor, ListingCard};

/// Cards per page: about two phone screens of the two-column grid.
pub const PAGE_SIZE: u32 = 24;

#[derive(Clone, Copy)]
pub struct CardPages {
    pub cards: RwSignal<Vec<ListingCard>>,
    next: RwSignal<Option<Cursor>>,
    /// No more pages.
    pub done: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Bumped by a start-over, so a page that was loading for the old list
    /// is dropped rather than added to the new one.
    generation: RwSignal<u64>,
}

/// One page being asked for: where it starts, and what it belongs to.
pub struct PageLoad {
    pub cursor: Option<Cursor>,
    generation: u64,
    replace: bool,
}

impl CardPages {
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

    /// Whether the next page may be asked for: none is loading, the end was
    /// not reached, and the last load did not fail (the buyer retries).
    pub fn wants_more(self) -> bool {
        !self.loading.get_untracked()
            && !self.done.get_untracked()
            && self.error.get_untracked().is_none()
    }

    /// Clears the error for a retry; false while a page is loading.
    pub fn retrying(self) -> bool {
        if self.loading.get_untracked() {
            return false;
        }
        self.error.set(None);
        true
    }

    /// Forgets where the pages were (and any page in flight): the next load
    /// starts from the first page. The cards on screen stay until it arrives.
    pub fn start_over(self) {
        self.generation.update(|g| *g += 1);
        self.next.set(None);
        self.done.set(false);
        self.error.set(None);
        self.loading.set(false);
    }

    /// Starts a load: the first page when `replace` (its cards then replace
    /// the ones shown), else the next one.
    pub fn begin(self, replace: bool) -> PageLoad {
        self.loading.set(true);
        PageLoad {
            cursor: if replace {
                None
            } else {
                self.next.get_untracked()
            },
            generation: self.generation.get_untracked(),
            replace,
        }
    }

    /// Takes the answer to `load`. False, changing nothing, when the load was
    /// overtaken by a start-over or its screen has closed meanwhile.
    pub fn finish(
        self,
        load: PageLoad,
        result: Result<(Vec<ListingCard>, Option<Cursor>), ApiError>,
    ) -> bool {
        if self.generation.try_get_untracked() != Some(load.generation) {
            return false;
        }
        self.loading.set(false);
        match result {
            Ok((items, next)) => {
                let empty = items.is_empty();
                self.cards.update(|cards| {
                    if load.replace {
                        cards.clear();
                    }
                    // A listing can move up between pages (a price drop
                    // re-ranks it): never show it twice.
                    for card in items {
                        if !cards.iter().any(|c| c.id == card.id) {
                            cards.push(card);
                        }
                    }
                });
                self.done.set(next.is_none() || empty);
                self.next.set(next);
            }
            Err(e) => self.error.set(Some(e)),
        }
        true
    }
}
