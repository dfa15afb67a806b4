//! The background sync runner, step by step: a manual clock and seeded
//! randomness, explicit ticks, the real server stopped and started again.

use crate::support::{RestartableServer, private_keyring};
use rehome_app::{
    App, AppConfig, KeepToken, PhotoVariant, SyncOutcome, SyncRunner, SyncSchedule, Tick,
};
use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_model::ipc::{
    AddDraftPhotoRequest, CreateDraftRequest, DraftIdRequest, ListingSyncStage, SetFieldRequest,
    SyncIndicator,
};
use rehome_store::{Clock, ManualClock, SeededEntropy};
use rehome_sync::Backoff;
use rehome_testkit::photos::camera_jpeg;
use std::sync::Arc;

const START: u64 = 1_800_000_000_000;

fn runtime() -> tokio::runtime::Runtime {
    private_keyring();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

struct Device {
    app: App,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

impl Device {
    fn open(server: &str) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(AppConfig::in_dir(
            dir.path().to_owned(),
            Some(server.to_owned()),
        ))
        .unwrap();
        Device {
            app,
            clock: Arc::new(ManualClock::new(START)),
            _dir: dir,
        }
    }

    /// A runner on this device's clock; `settle_ms` 0 syncs at the first
    /// tick after a change.
    fn runner(&self, seed: u64, settle_ms: u64) -> SyncRunner<'_> {
        SyncRunner::new(
            &self.app,
            self.clock.clone(),
            Arc::new(SeededEntropy::new(seed)),
            SyncSchedule {
                settle_ms,
                ..SyncSchedule::default()
            },
        )
    }

    fn now(&self) -> u64 {
        self.clock.now_millis()
    }

    /// A complete draft with `photos` photos, published.
    fn publish(&self, title: &str, photos: u64) -> ListingId {
        let values = DraftValues {
            title: title.into(),
            description: "Worn twice, no marks".into(),
            category: "tops".into(),
            brand: "Acme".into(),
            size: "M".into(),
            condition: "like_new".into(),
            colour: "blue".into(),
            price: "25".into(),
            original_price: String::new(),
            parcel: "small".into(),
            ..Default::default()
        };
        let id = self
            .app
            .create_draft(CreateDraftRequest { values })
            .unwrap()
            .id;
        for seed in 0..photos {
            self.app
                .add_draft_photo(AddDraftPhotoRequest { id }, &camera_jpeg(seed, 800, 600))
                .unwrap();
        }
        self.app.publish_draft(DraftIdRequest { id }).unwrap();
        id
    }

    fn stage(&self, id: ListingId) -> ListingSyncStage {
        let status = self.app.sync_status().unwrap();
        status.listing(id).unwrap().stage.clone()
    }
}

#[test]
fn signed_out_waits_for_the_timer_then_a_published_listing_goes_live_with_its_upload_progress() {
    runtime().block_on(async {
        let server = RestartableServer::start().await;
        let device = Device::open(&server.url());
        let runner = device.runner(1, 1_500);

        // No account: it says so and does not try again before the timer.
        assert_eq!(runner.tick().await, Tick::Ran(SyncOutcome::SignedOut));
        let status = device.app.sync_status().unwrap();
        assert_eq!(status.indicator, SyncIndicator::SignedOut);
        assert_eq!(
            runner.tick().await,
            Tick::NotDue {
                until: START + 30_000
            }
        );

        device
            .app
            .sign_up_at(
                &server.url(),
                "runner_ana",
                "password1",
                KeepToken::Keychain,
            )
            .await
            .unwrap();
        // The status notices the sign-in and the runner looks soon.
        assert_eq!(
            device.app.sync_status().unwrap().indicator,
            SyncIndicator::UpToDate
        );
        assert_eq!(
            runner.tick().await,
            Tick::NotDue {
                until: START + 1_500
            }
        );
        device.clock.advance(1_500);
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
        assert_eq!(
            device.app.sync_status().unwrap().indicator,
            SyncIndicator::UpToDate
        );

        // Publishing nudges: queued at first, then a sync is due once the
        // edits have settled for 1.5 s.
        let id = device.publish("Linen shirt", 3);
        let status = device.app.sync_status().unwrap();
        assert_eq!(status.indicator, SyncIndicator::Syncing);
        assert!(status.pending > 0, "{status:?}");
        let queued = status.listing(id).unwrap();
        assert_eq!(queued.stage, ListingSyncStage::Queued);

        assert_eq!(
            runner.tick().await,
            Tick::NotDue {
                until: START + 3_000
            }
        );
        device.clock.advance(1_000);
        // Another change in the meantime moves the wait.
        device
            .app
            .set_draft_field(SetFieldRequest {
                id,
                field: DraftField::Colour,
                value: "indigo".into(),
                seq: 0,
            })
            .unwrap();
        assert_eq!(
            runner.tick().await,
            Tick::NotDue {
                until: START + 4_000
            }
        );
        device.clock.advance(1_500);

        // Only one sync at a time.
        let (a, b) = tokio::join!(runner.tick(), runner.sync());
        assert_eq!(a, Tick::Ran(SyncOutcome::Synced { pending: 0 }));
        assert_eq!(b, Tick::Busy);

        let status = device.app.sync_status().unwrap();
        assert_eq!(status.indicator, SyncIndicator::UpToDate);
        assert_eq!((status.pending, status.needs_attention), (0, 0));
        assert_eq!(status.last_synced_at, Some(START + 4_000));
        let live = status.listing(id).unwrap();
        assert_eq!(live.stage, ListingSyncStage::Live);
        assert!(live.on_market);
        // Every photo's bytes came through the engine's progress events.
        let mut photo_bytes = 0;
        for p in device.app.get_draft(DraftIdRequest { id }).unwrap().photos {
            let bytes = device.app.photo(p.id, PhotoVariant::Full).await.unwrap();
            photo_bytes += bytes.len() as u64;
        }
        assert_eq!(
            (live.bytes_sent, live.bytes_total),
            (photo_bytes, photo_bytes)
        );
        let server_status: String = server
            .db()
            .query_row(
                "SELECT status FROM listings WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(server_status, "live");

        // Nothing due before the timer; then the timer syncs.
        assert_eq!(
            runner.tick().await,
            Tick::NotDue {
                until: START + 34_000
            }
        );
        device.clock.advance(30_000);
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
    });
}

#[test]
fn offline_backs_off_with_full_jitter_until_the_server_returns_and_a_success_clears_it() {
    runtime().block_on(async {
        let mut server = RestartableServer::start().await;
        let device = Device::open(&server.url());
        let runner = device.runner(7, 0);
        device
            .app
            .sign_up_at(&server.url(), "runner_bo", "password1", KeepToken::Keychain)
            .await
            .unwrap();
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );

        server.stop().await;
        let id = device.publish("Wool coat", 2);
        let backoff = Backoff::default();
        let mut failures = 0;
        // Each failed try waits a random time within a doubling ceiling.
        for _ in 0..6 {
            let now = device.now();
            let retry_at = match runner.tick().await {
                Tick::Ran(SyncOutcome::Offline { retry_at: at }) => {
                    failures += 1;
                    assert!(
                        at >= now && at - now <= backoff.ceiling_ms(failures),
                        "failure {failures}: wait {}",
                        at - now
                    );
                    at
                }
                other => panic!("expected offline, got {other:?}"),
            };
            let status = device.app.sync_status().unwrap();
            assert_eq!(status.indicator, SyncIndicator::Offline);
            assert_eq!(status.retry_at, Some(retry_at));
            assert_eq!(device.stage(id), ListingSyncStage::Queued);
            // Before the wait is over nothing runs, a local edit included.
            if retry_at > device.now() {
                device
                    .app
                    .set_draft_field(SetFieldRequest {
                        id,
                        field: DraftField::Description,
                        value: format!("Worn {failures} times"),
                        seq: 0,
                    })
                    .unwrap();
                assert_eq!(runner.tick().await, Tick::NotDue { until: retry_at });
            }
            device.clock.advance(retry_at - device.now());
        }
        assert_eq!(failures, 6);

        // Back online: the seller's "sync now" skips the wait.
        server.restart().await;
        device.app.sync_now();
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
        let status = device.app.sync_status().unwrap();
        assert_eq!(status.indicator, SyncIndicator::UpToDate);
        assert_eq!((status.retry_at, status.last_error), (None, None));
        assert_eq!(device.stage(id), ListingSyncStage::Live);
        // The backoff is cleared: the next failure waits at most 1 s again.
        server.stop().await;
        device.clock.advance(30_000);
        match runner.tick().await {
            Tick::Ran(SyncOutcome::Offline { retry_at }) => {
                assert!(retry_at - device.now() <= 1_000)
            }
            other => panic!("expected offline, got {other:?}"),
        }
    });
}

#[test]
fn an_edit_the_server_refuses_needs_attention_and_retry_sends_it_again_with_the_fix() {
    runtime().block_on(async {
        let server = RestartableServer::start().await;
        let device = Device::open(&server.url());
        let runner = device.runner(3, 0);
        device
            .app
            .sign_up_at(&server.url(), "runner_cy", "password1", KeepToken::Keychain)
            .await
            .unwrap();
        let id = device.publish("Scarf", 1);
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
        assert_eq!(device.stage(id), ListingSyncStage::Live);

        // Editing a live listing goes through the outbox too.
        let set = |value: &str| {
            device
                .app
                .set_draft_field(SetFieldRequest {
                    id,
                    field: DraftField::Title,
                    value: value.to_owned(),
                    seq: 0,
                })
                .unwrap();
        };
        set(&"x".repeat(120));
        let edited = device.app.sync_status().unwrap();
        let state = edited.listing(id).unwrap();
        assert_eq!(
            (state.stage.clone(), state.on_market, state.pending),
            (ListingSyncStage::Queued, true, 1)
        );
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
        let status = device.app.sync_status().unwrap();
        assert_eq!(status.needs_attention, 1);
        assert_eq!(
            device.stage(id),
            ListingSyncStage::NeedsAttention {
                reason: "title is at most 80 characters".into()
            }
        );

        set("Silk scarf");
        let status = device.app.retry_listing(DraftIdRequest { id }).unwrap();
        assert_eq!(status.needs_attention, 0);
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
        let status = device.app.sync_status().unwrap();
        assert_eq!((status.needs_attention, status.pending), (0, 0));
        assert_eq!(device.stage(id), ListingSyncStage::Live);
        let title: String = server
            .db()
            .query_row(
                "SELECT title FROM listings WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(title, "Silk scarf");
    });
}

#[test]
fn a_session_the_server_revoked_asks_to_sign_in_again_without_retrying_in_a_loop() {
    runtime().block_on(async {
        let server = RestartableServer::start().await;
        let device = Device::open(&server.url());
        let runner = device.runner(11, 0);
        device
            .app
            .sign_up_at(
                &server.url(),
                "runner_dee",
                "password1",
                KeepToken::Keychain,
            )
            .await
            .unwrap();
        assert_eq!(
            runner.tick().await,
            Tick::Ran(SyncOutcome::Synced { pending: 0 })
        );
        // The session ends on the server (signed out elsewhere, expired).
        server.revoke_session("runner_dee").await;

        let id = device.publish("Beanie", 1);
        assert_eq!(runner.tick().await, Tick::Ran(SyncOutcome::SessionExpired));
        let status = device.app.sync_status().unwrap();
        assert_eq!(status.indicator, SyncIndicator::SessionExpired);
        assert_eq!(device.stage(id), ListingSyncStage::Queued);
        // No retry loop: the next look is the timer's.
        assert_eq!(
            runner.tick().await,
            Tick::NotDue {
                until: START + 30_000
            }
        );
    });
}
