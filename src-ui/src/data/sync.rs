//! Where sync stands, for the global indicator and each listing's stage: the
//! core's `sync_status`, polled every second while the window is visible,
//! plus "sync now" and "retry".

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{
    DraftIdRequest, ListingSync, RetryListingCmd, SyncNowCmd, SyncStatus, SyncStatusCmd,
};
use rehome_model::{ApiError, ListingId};
use std::time::Duration;

/// How often the status is asked for while the window is visible.
const POLL: Duration = Duration::from_secs(1);

/// Shared through context.
#[derive(Clone, Copy)]
pub struct SyncState {
    pub status: RwSignal<Option<SyncStatus>>,
    pub error: RwSignal<Option<ApiError>>,
    /// A poll is in flight (polls never pile up behind a slow core).
    polling: RwSignal<bool>,
}

impl SyncState {
    /// Starts polling for as long as the app runs.
    pub fn start() -> Self {
        let state = Self {
            status: RwSignal::new(None),
            error: RwSignal::new(None),
            polling: RwSignal::new(false),
        };
        state.refresh();
        let tick = move || {
            if !hidden() {
                state.refresh();
            }
        };
        if let Err(e) = set_interval_with_handle(tick, POLL) {
            leptos::logging::warn!("sync status polling could not start: {e:?}");
        }
        state
    }

    pub fn refresh(self) {
        if self.polling.get_untracked() {
            return;
        }
        self.polling.set(true);
        spawn_local(async move {
            match ipc::invoke::<SyncStatusCmd>(&()).await {
                Ok(status) => {
                    if self.status.get_untracked().as_ref() != Some(&status) {
                        self.status.set(Some(status));
                    }
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.polling.set(false);
        });
    }

    /// The seller asked: sync now, skipping any wait.
    pub fn sync_now(self) {
        spawn_local(async move {
            if let Err(e) = ipc::invoke::<SyncNowCmd>(&()).await {
                self.error.set(Some(e));
            }
            self.refresh();
        });
    }

    /// Requeues listing `id`'s refused edits and syncs.
    pub fn retry(self, id: ListingId) {
        spawn_local(async move {
            match ipc::invoke::<RetryListingCmd>(&DraftIdRequest { id }).await {
                Ok(status) => self.status.set(Some(status)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Listing `id`'s state (tracked), when it has one worth showing.
    pub fn listing(self, id: ListingId) -> Option<ListingSync> {
        self.status
            .with(|s| s.as_ref().and_then(|s| s.listing(id).cloned()))
    }
}

/// The window is hidden (minimised, another tab): no need to poll.
fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}
