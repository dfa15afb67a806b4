//! The two feeds (For You and Following): the pages loaded of each, which one
//! is shown, and how to load the next page or start over.

use super::card_pages::{CardPages, PAGE_SIZE};
use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::FeedQuery;
use rehome_model::ipc::FeedPageCmd;

/// Which of the two feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedKind {
    /// Personalised: followed sellers, liked brands, the buyer's sizes, new.
    ForYou,
    /// The newest from the sellers the buyer follows.
    Following,
}

/// Both feeds as loaded so far. Shared through context, so they outlive tab
/// switches; each keeps its own pages and its own scroll position.
#[derive(Clone, Copy)]
pub struct FeedState {
    for_you: CardPages,
    following: CardPages,
    pub shown: RwSignal<FeedKind>,
    /// Where each feed was scrolled to when the other was chosen.
    scroll: StoredValue<[i32; 2]>,
}

impl FeedState {
    pub fn new() -> Self {
        Self {
            for_you: CardPages::new(),
            following: CardPages::new(),
            shown: RwSignal::new(FeedKind::ForYou),
            scroll: StoredValue::new([0, 0]),
        }
    }

    /// The pages of the feed shown now (tracked: a view reading it follows
    /// the choice).
    pub fn pages(self) -> CardPages {
        self.pages_of(self.shown.get())
    }

    fn pages_of(self, kind: FeedKind) -> CardPages {
        match kind {
            FeedKind::ForYou => self.for_you,
            FeedKind::Following => self.following,
        }
    }

    /// Shows `kind`, remembering the scroll position `left_at` of the feed
    /// left; answers where `kind` was scrolled to.
    pub fn choose(self, kind: FeedKind, left_at: i32) -> i32 {
        let old = self.shown.get_untracked();
        if old == kind {
            return left_at;
        }
        self.scroll.update_value(|s| s[old as usize] = left_at);
        self.shown.set(kind);
        self.scroll.get_value()[kind as usize]
    }

    /// Loads the next page of the shown feed unless one is loading, the end
    /// was reached or the last load failed (the buyer retries).
    pub fn load_more(self) {
        let kind = self.shown.get_untracked();
        if self.pages_of(kind).wants_more() {
            self.fetch(kind, false);
        }
    }

    /// Tries again after an error.
    pub fn retry(self) {
        let kind = self.shown.get_untracked();
        if self.pages_of(kind).retrying() {
            self.fetch(kind, false);
        }
    }

    /// Starts the shown feed over from its newest page (pull to refresh, the
    /// refresh button). The cards on screen stay until the new first page
    /// arrives.
    pub fn refresh(self) {
        let kind = self.shown.get_untracked();
        self.pages_of(kind).start_over();
        self.fetch(kind, true);
    }

    fn fetch(self, kind: FeedKind, replace: bool) {
        let pages = self.pages_of(kind);
        let load = pages.begin(replace);
        let query = FeedQuery {
            cursor: load.cursor.clone(),
            limit: Some(PAGE_SIZE),
            following: kind == FeedKind::Following,
        };
        spawn_local(async move {
            let result = ipc::invoke::<FeedPageCmd>(&query).await;
            pages.finish(load, result.map(|page| (page.items, page.next_cursor)));
        });
    }
}
