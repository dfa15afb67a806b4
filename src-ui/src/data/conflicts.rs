//! Open conflicts on guarded fields (price, status, quantity): edits made on
//! two devices that the seller settles. Each view that shows them holds its
//! own copy and reloads it when shown.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ApiError;
use rehome_model::ipc::{
    ConflictChoice, ListConflictsCmd, OpenConflict, ResolveConflictCmd, ResolveConflictRequest,
};
use std::time::Duration;

/// How often a visible list of conflicts is reloaded (a local read).
const POLL: Duration = Duration::from_secs(3);

#[derive(Clone, Copy)]
pub struct ConflictsState {
    pub open: RwSignal<Vec<OpenConflict>>,
    /// The conflict being settled right now.
    pub busy: RwSignal<Option<i64>>,
    /// The last failure, with the conflict it belongs to (`None`: the list).
    pub error: RwSignal<Option<(Option<i64>, ApiError)>>,
}

impl ConflictsState {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(Vec::new()),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    pub fn refresh(self) {
        spawn_local(async move {
            match ipc::invoke::<ListConflictsCmd>(&()).await {
                Ok(open) => {
                    // Unchanged: leave the cards (and a value being typed) alone.
                    if self.open.with_untracked(|o| *o != open) {
                        self.open.set(open);
                    }
                    if matches!(self.error.get_untracked(), Some((None, _))) {
                        self.error.set(None);
                    }
                }
                Err(e) => self.error.set(Some((None, e))),
            }
        });
    }

    /// Reloads every few seconds while `visible()` holds: the background sync
    /// can bring a conflict while the seller is looking.
    pub fn poll_while(self, visible: impl Fn() -> bool + 'static) {
        let tick = move || {
            if visible() && self.busy.get_untracked().is_none() {
                self.refresh();
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, POLL) {
            on_cleanup(move || handle.clear());
        }
    }

    /// Settles conflict `id`; `then` runs once it is settled (to reload what
    /// shows the value).
    pub fn resolve(self, id: i64, choice: ConflictChoice, then: impl FnOnce() + 'static) {
        if self.busy.get_untracked().is_some() {
            return;
        }
        self.busy.set(Some(id));
        self.error.set(None);
        spawn_local(async move {
            match ipc::invoke::<ResolveConflictCmd>(&ResolveConflictRequest { id, choice }).await {
                Ok(open) => {
                    self.open.set(open);
                    then();
                }
                Err(e) => self.error.set(Some((Some(id), e))),
            }
            self.busy.set(None);
        });
    }

    /// The error that belongs to conflict `id`.
    pub fn error_for(self, id: i64) -> Option<ApiError> {
        self.error
            .get()
            .and_then(|(which, e)| (which == Some(id)).then_some(e))
    }
}
