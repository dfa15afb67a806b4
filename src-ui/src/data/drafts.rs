//! The seller's drafts: the list, which one is open, and the undo of a delete.

use super::ipc;
use crate::nav::{Nav, Tab};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::draft::DraftCard;
use rehome_model::ipc::{
    CreateDraftCmd, CreateDraftRequest, DeleteDraftCmd, DraftIdRequest, DuplicateDraftCmd,
    ListDraftsCmd, ListDraftsRequest, UndoDeleteDraftCmd,
};
use rehome_model::{ApiError, ListingId};
use std::time::Duration;

/// Shared through context.
#[derive(Clone, Copy)]
pub struct DraftsState {
    pub cards: RwSignal<Vec<DraftCard>>,
    pub loaded: RwSignal<bool>,
    /// The draft open in the editor (on the Sell tab).
    pub editing: RwSignal<Option<ListingId>>,
    /// A just-deleted draft that can still be brought back.
    pub undo: RwSignal<Option<ListingId>>,
    pub error: RwSignal<Option<ApiError>>,
}

impl DraftsState {
    pub fn new() -> Self {
        Self {
            cards: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            editing: RwSignal::new(None),
            undo: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    pub fn refresh(self) {
        spawn_local(async move {
            match ipc::invoke::<ListDraftsCmd>(&ListDraftsRequest {}).await {
                Ok(cards) => {
                    self.cards.set(cards);
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.loaded.set(true);
        });
    }

    /// Opens draft `id` in the editor on the Sell tab.
    pub fn open(self, id: ListingId) {
        self.editing.set(Some(id));
        if let Some(nav) = use_context::<Nav>() {
            nav.go(Tab::Sell);
        }
    }

    pub fn create(self) {
        spawn_local(async move {
            match ipc::invoke::<CreateDraftCmd>(&CreateDraftRequest::default()).await {
                Ok(draft) => self.editing.set(Some(draft.id)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub fn duplicate(self, id: ListingId) {
        spawn_local(async move {
            match ipc::invoke::<DuplicateDraftCmd>(&DraftIdRequest { id }).await {
                Ok(copy) => self.editing.set(Some(copy.id)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Deletes (softly) and offers an undo until the core's window closes.
    pub fn delete(self, id: ListingId) {
        spawn_local(async move {
            match ipc::invoke::<DeleteDraftCmd>(&DraftIdRequest { id }).await {
                Ok(done) => {
                    self.editing.set(None);
                    self.undo.set(Some(id));
                    self.refresh();
                    let left = done.undo_until.saturating_sub(js_sys::Date::now() as u64);
                    set_timeout(
                        move || {
                            if self.undo.get_untracked() == Some(id) {
                                self.undo.set(None);
                            }
                        },
                        Duration::from_millis(left),
                    );
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub fn undo_delete(self) {
        let Some(id) = self.undo.get_untracked() else {
            return;
        };
        self.undo.set(None);
        spawn_local(async move {
            match ipc::invoke::<UndoDeleteDraftCmd>(&DraftIdRequest { id }).await {
                Ok(draft) => {
                    self.refresh();
                    self.open(draft.id);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
