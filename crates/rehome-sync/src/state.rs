//! Where each listing stands, in the words the seller sees (issue 6, "What the
//! seller sees"): draft, queued, uploading n of m, publishing, live, needs
//! attention.

use rehome_model::ListingId;
use rehome_model::draft::{Draft, DraftStage};
use rehome_store::{Store, StoreError};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ListingSyncState {
    /// Only on this device, not queued for publishing.
    Draft,
    /// Edits waiting to reach the server.
    Queued {
        pending: u32,
    },
    /// Photos still uploading.
    Uploading {
        done: u32,
        total: u32,
    },
    /// Publish queued, every photo up: waiting for the server to take it.
    Publishing,
    Live,
    Delisted,
    Sold,
    /// Something was refused or keeps failing.
    NeedsAttention {
        reason: String,
    },
}

/// A listing with its sync state, as `rehome listing list --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingWithState {
    pub id: ListingId,
    pub title: String,
    pub price: String,
    pub photos: u32,
    pub sync: ListingSyncState,
}

/// The state of one draft.
pub fn state_of(d: &Draft) -> ListingSyncState {
    let total = d.photos.len() as u32;
    let done = d.photos.iter().filter(|p| p.upload == "done").count() as u32;
    let pending = d.sync.pending_changes;
    match &d.stage {
        DraftStage::NeedsAttention { reason } => ListingSyncState::NeedsAttention {
            reason: reason.clone(),
        },
        _ if pending > 0 && done < total => ListingSyncState::Uploading { done, total },
        DraftStage::Queued => ListingSyncState::Publishing,
        _ if pending > 0 => ListingSyncState::Queued { pending },
        DraftStage::Live => ListingSyncState::Live,
        DraftStage::Delisted => ListingSyncState::Delisted,
        DraftStage::Sold => ListingSyncState::Sold,
        DraftStage::Draft => ListingSyncState::Draft,
    }
}

/// Every listing on this device with its state, most recently edited first.
pub fn listings_with_state(store: &Store) -> Result<Vec<ListingWithState>, StoreError> {
    store
        .list_drafts()?
        .into_iter()
        .map(|card| {
            let d = store.get_draft(card.id)?;
            Ok(ListingWithState {
                id: d.id,
                title: d.values.title.clone(),
                price: d.values.price.clone(),
                photos: d.photos.len() as u32,
                sync: state_of(&d),
            })
        })
        .collect()
}
