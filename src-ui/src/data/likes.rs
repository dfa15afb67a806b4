//! The Likes tab's list: the buyer's likes as the server has them, latest
//! first, a page at a time (offline, the copy seen last). Likes made since on
//! this device are merged in by the page, from [`super::social::SocialState`].

use super::ipc;
use super::social::SocialState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::api::LikedListing;
use rehome_model::ipc::{LikesCmd, LikesQuery};
use rehome_model::{ApiError, Cursor};

const PAGE_SIZE: u32 = 48;

#[derive(Clone, Copy)]
pub struct LikesState {
    pub items: RwSignal<Vec<LikedListing>>,
    next: RwSignal<Option<Cursor>>,
    pub done: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    generation: RwSignal<u64>,
    social: SocialState,
}

impl LikesState {
    pub fn new(social: SocialState) -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            done: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: RwSignal::new(0),
            social,
        }
    }

    /// Loads the first page again (the tab was opened).
    pub fn refresh(self) {
        self.generation.update(|g| *g += 1);
        self.next.set(None);
        self.done.set(false);
        self.error.set(None);
        self.fetch(true);
    }

    /// The next page, unless one is loading or the end was reached.
    pub fn load_more(self) {
        if self.loading.get_untracked() || self.done.get_untracked() {
            return;
        }
        self.fetch(false);
    }

    fn fetch(self, replace: bool) {
        self.loading.set(true);
        let generation = self.generation.get_untracked();
        let query = LikesQuery {
            cursor: if replace {
                None
            } else {
                self.next.get_untracked()
            },
            limit: Some(PAGE_SIZE),
        };
        spawn_local(async move {
            let result = ipc::invoke::<LikesCmd>(&query).await;
            if self.generation.get_untracked() != generation {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    for item in &page.items {
                        self.social.note_liked(item.card.id, true);
                    }
                    self.items.update(|items| {
                        if replace {
                            items.clear();
                        }
                        for item in page.items {
                            if !items.iter().any(|i| i.card.id == item.card.id) {
                                items.push(item);
                            }
                        }
                    });
                    self.error.set(None);
                    self.done.set(page.next_cursor.is_none());
                    self.next.set(page.next_cursor);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
