//! Where sync stands, for the pill and each listing's badge: the runner's state
//! (`sync_runner.rs`: offline, syncing, the photo bytes sent in this sync)
//! joined with the store's (what is queued, parked, live). Also the seller's
//! two ways to push it: sync now, and retry a listing that needs attention.

use crate::sync_runner::Phase;
use crate::{App, AppError};
use rehome_model::ListingId;
use rehome_model::draft::DraftStage;
use rehome_model::ipc::{
    DraftIdRequest, ListingSync, ListingSyncStage, ParkedChange, SyncIndicator, SyncStatus,
};
use rehome_store::OutboxState;
use std::collections::HashSet;

impl App {
    /// Sync now, skipping any backoff wait (the seller asked).
    pub fn sync_now(&self) {
        self.sync_trigger.force();
    }

    /// Puts the listing's parked ("needs attention") edits back in the
    /// queue under new mutation ids and syncs now. Returns the new status.
    #[tracing::instrument(skip(self, req), fields(id = %req.id))]
    pub fn retry_listing(&self, req: DraftIdRequest) -> Result<SyncStatus, AppError> {
        let id = req.id;
        let store = self.store()?;
        let requeued = rehome_sync::parked::retry_listing(&store, id)?;
        tracing::info!(rows = requeued.len(), "parked edits requeued");
        self.sync_trigger.force();
        self.sync_status()
    }

    /// Where sync stands: the global indicator and each listing's state.
    pub fn sync_status(&self) -> Result<SyncStatus, AppError> {
        let signed_in = self.signed_in_account()?.is_some();
        let store = self.store()?;
        // First: it parks rows this device cannot read back, so their drafts'
        // cards below say they need attention.
        let (outbox, unreadable) = store.outbox_with_unreadable()?;
        let cards = store.list_drafts()?;
        let conflicts = store.open_conflicts()?.len() as u32;
        let pending = outbox
            .iter()
            .filter(|r| r.state != OutboxState::Parked)
            .count() as u32;
        let mut parked_listings: HashSet<ListingId> = HashSet::new();
        let mut parked_changes = Vec::new();
        for r in outbox.iter().filter(|r| r.state == OutboxState::Parked) {
            match rehome_store::mutation_listing(&r.mutation) {
                Some(listing) => {
                    parked_listings.insert(listing);
                }
                None => parked_changes.push(ParkedChange {
                    seq: r.seq,
                    name: wire_name(&r.mutation),
                    reason: r.last_error.clone().unwrap_or_default(),
                }),
            }
        }
        // Rows this device cannot read back are parked too (the outbox
        // leaves them out): their listing needs attention, or they are
        // listed on their own.
        for r in unreadable {
            match r.listing {
                Some(listing) => {
                    parked_listings.insert(listing);
                }
                None => parked_changes.push(ParkedChange {
                    seq: r.seq,
                    name: r.name,
                    reason: r.reason,
                }),
            }
        }
        parked_changes.sort_by_key(|c| c.seq);
        // A copy, so the engine's progress events never wait on this read.
        let s = self.sync_trigger.state().snapshot();
        if signed_in && s.phase == Phase::SignedOut {
            // Signed in since the last try (the Me tab): look again now.
            self.sync_trigger.nudge();
        }
        let indicator = match s.phase {
            _ if !signed_in => SyncIndicator::SignedOut,
            Phase::SessionExpired => SyncIndicator::SessionExpired,
            Phase::Offline => SyncIndicator::Offline,
            _ if s.running || pending > 0 => SyncIndicator::Syncing,
            _ => SyncIndicator::UpToDate,
        };
        let mut listings = Vec::new();
        for card in cards {
            let pending = card.sync.pending_changes;
            if card.stage == DraftStage::Draft && pending == 0 {
                continue;
            }
            // Photo counts only matter while a sync sends them (a draft read
            // each costs: this runs every second while the app is visible).
            let (mut photos_done, mut photos_total) = (0, 0);
            if s.running && pending > 0 {
                let d = store.get_draft(card.id)?;
                photos_total = d.photos.len() as u32;
                photos_done = d.photos.iter().filter(|p| p.upload == "done").count() as u32;
            }
            let (bytes_sent, bytes_total) = s
                .uploads
                .values()
                .filter(|(l, _, _)| *l == card.id)
                .fold((0, 0), |(a, b), (_, sent, total)| (a + sent, b + total));
            let on_market = matches!(
                card.stage,
                DraftStage::Live | DraftStage::Delisted | DraftStage::Sold
            ) || (matches!(card.stage, DraftStage::NeedsAttention { .. })
                && card.sync.confirmed);
            let stage = stage_of(&card.stage, pending, photos_done, photos_total, s.running);
            listings.push(ListingSync {
                id: card.id,
                stage,
                on_market,
                pending,
                photos_done,
                photos_total,
                bytes_sent,
                bytes_total,
            });
        }
        Ok(SyncStatus {
            indicator,
            pending,
            needs_attention: (parked_listings.len() + parked_changes.len()) as u32,
            conflicts,
            last_synced_at: s.last_ok,
            retry_at: s.retry_at.filter(|_| s.phase == Phase::Offline),
            last_error: s.last_error,
            listings,
            parked_changes,
        })
    }
}

/// A mutation's wire name (`like`, `follow`, …).
fn wire_name(m: &rehome_model::sync::Mutation) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v["name"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One listing's stage from its draft stage, its edits waiting, its photos
/// up, and whether a sync is running now.
fn stage_of(
    stage: &DraftStage,
    pending: u32,
    photos_done: u32,
    photos_total: u32,
    running: bool,
) -> ListingSyncStage {
    let sending = running && pending > 0;
    match stage {
        DraftStage::NeedsAttention { reason } => ListingSyncStage::NeedsAttention {
            reason: reason.clone(),
        },
        DraftStage::Draft => ListingSyncStage::Draft,
        _ if sending && photos_done < photos_total => ListingSyncStage::Uploading,
        DraftStage::Queued if sending => ListingSyncStage::Publishing,
        _ if sending => ListingSyncStage::Updating,
        _ if pending > 0 => ListingSyncStage::Queued,
        DraftStage::Queued => ListingSyncStage::Queued,
        DraftStage::Live => ListingSyncStage::Live,
        DraftStage::Delisted => ListingSyncStage::Delisted,
        DraftStage::Sold => ListingSyncStage::Sold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parked_changes_of_no_listing_and_rows_this_device_cannot_read_are_shown_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(crate::AppConfig::offline_in(dir.path())).unwrap();
        let draft = app
            .create_draft(rehome_model::ipc::CreateDraftRequest::default())
            .unwrap()
            .id;
        let listing: ListingId = "019b76da-a800-7e00-8000-000000000000".parse().unwrap();
        let store = app.store().unwrap();
        store
            .queue_social(rehome_model::sync::Mutation::Like {
                listing_id: listing,
            })
            .unwrap();
        let rows = store.outbox().unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        // Both damaged in the real file, behind the store's back.
        let db = rusqlite::Connection::open(store.db_path()).unwrap();
        db.execute(
            "UPDATE outbox SET args = 'not json' WHERE seq = ?1",
            [rows[0].seq as i64],
        )
        .unwrap();
        db.execute(
            "UPDATE outbox SET name = 'likeFromTheFuture' WHERE seq = ?1",
            [rows[1].seq as i64],
        )
        .unwrap();
        drop(db);
        let status = app.sync_status().unwrap();
        assert_eq!((status.pending, status.needs_attention), (0, 2));
        assert_eq!(
            status.parked_changes.len(),
            1,
            "{:?}",
            status.parked_changes
        );
        let like = &status.parked_changes[0];
        assert_eq!(
            (like.seq, like.name.as_str()),
            (rows[1].seq, "likeFromTheFuture")
        );
        assert!(
            like.reason.contains("cannot be read back"),
            "{}",
            like.reason
        );
        let card = status.listing(draft).expect("the damaged draft is listed");
        assert!(
            matches!(&card.stage, ListingSyncStage::NeedsAttention { reason } if reason.contains("cannot be read back")),
            "{:?}",
            card.stage
        );
    }

    #[test]
    fn each_listing_shows_the_stage_the_seller_expects() {
        let check = |stage: DraftStage,
                     pending: u32,
                     photos: (u32, u32),
                     running: bool,
                     expected: ListingSyncStage| {
            assert_eq!(
                stage_of(&stage, pending, photos.0, photos.1, running),
                expected,
                "{stage:?}, pending {pending}, photos {photos:?}, running {running}"
            );
        };
        use DraftStage as D;
        use ListingSyncStage as S;
        let attention = || D::NeedsAttention {
            reason: "title is at most 80 characters".into(),
        };
        // A draft stays a draft, whatever it is sending in the background.
        check(D::Draft, 0, (0, 0), false, S::Draft);
        check(D::Draft, 3, (1, 2), true, S::Draft);
        // Published: queued until a sync takes it, then uploading n of m,
        // then publishing once every photo is up.
        check(D::Queued, 4, (0, 3), false, S::Queued);
        check(D::Queued, 4, (1, 3), true, S::Uploading);
        check(D::Queued, 1, (3, 3), true, S::Publishing);
        check(D::Queued, 0, (3, 3), false, S::Queued);
        // A live listing's edits: queued offline, sending while a sync runs
        // (uploading first when a photo was added).
        check(D::Live, 0, (0, 0), true, S::Live);
        check(D::Live, 1, (2, 2), false, S::Queued);
        check(D::Live, 1, (2, 2), true, S::Updating);
        check(D::Live, 2, (2, 3), true, S::Uploading);
        check(D::Delisted, 0, (0, 0), false, S::Delisted);
        check(D::Sold, 0, (0, 0), true, S::Sold);
        // Needs attention outranks everything, with its reason.
        check(
            attention(),
            2,
            (0, 3),
            true,
            S::NeedsAttention {
                reason: "title is at most 80 characters".into(),
            },
        );
    }
}
