//! Replies that are not our server's considered answer, and a server that
//! keeps losing uploads: the engine retries with backoff, within bounds, and
//! never parks a seller's change for them.

use crate::support::*;
use rehome_store::{Clock, OutboxState, SystemClock};
use rehome_sync::SyncError;
use rehome_sync::proxy::{Fault, FaultPlan, FaultProxy};
use std::time::Duration;

/// One sync, or a panic if it does not end (the old engine spun for ever).
async fn sync_or_spin(device: &Device) -> Result<rehome_sync::SyncReport, SyncError> {
    tokio::time::timeout(Duration::from_secs(20), device.engine.sync_once())
        .await
        .expect("the sync never ended")
}

fn parked(device: &Device) -> usize {
    device
        .store
        .outbox()
        .unwrap()
        .iter()
        .filter(|r| r.state == OutboxState::Parked)
        .count()
}

#[tokio::test]
async fn a_server_whose_uploads_vanish_is_asked_a_bounded_number_of_times_with_backoff() {
    // Every upload expires as it is made: each PATCH is answered 410 Gone.
    let server = TestServer::start_with(|c| c.limits.upload_ttl_ms = 0).await;
    let token = server.sign_up("vanishing").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &server.url(), &token, 9);
    let photo = new_photo(&camera_jpeg(4, 320, 240), 320, 240);
    queue_listing(&device.store, "Raincoat", "25", &[photo]);

    let before = SystemClock.now_millis();
    match sync_or_spin(&device).await {
        Err(SyncError::Offline { retry_at, message }) => {
            assert!(retry_at > before, "a later try, not now: {retry_at}");
            assert!(message.contains("expired"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // The first gone upload is replaced at once; each later one is a
    // failure within the retry budget.
    let creates: i64 = server
        .db()
        .query_row("SELECT COUNT(*) FROM uploads", [], |r| r.get(0))
        .unwrap();
    let budget = i64::from(test_config().upload_retries);
    assert_eq!(creates, budget + 2, "uploads created");
    assert_eq!(parked(&device), 0, "the photo is not refused for good");
    assert_eq!(device.store.photos_to_upload().unwrap().len(), 1);
}

#[tokio::test]
async fn a_captive_portal_parks_nothing_and_everything_goes_out_once_it_is_gone() {
    let server = TestServer::start().await;
    let token = server.sign_up("cafe_wifi").await;
    let portal = FaultPlan::always(Fault::CaptivePortal, 1);
    // First only the pushes are answered by the portal's 403 sign-in page.
    let proxy = FaultProxy::start(server.server.addr, portal.clone().on_paths(&["/v1/sync"]))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &proxy.base_url(), &token, 3);
    let photo = |seed| new_photo(&camera_jpeg(seed, 320, 240), 320, 240);
    queue_listing(&device.store, "Scarf", "12", &[photo(10)]);
    queue_listing(&device.store, "Belt", "9", &[photo(11)]);
    let err = sync_or_spin(&device).await.unwrap_err();
    assert!(matches!(err, SyncError::Offline { .. }), "{err}");
    assert_eq!(parked(&device), 0, "a push refused by the portal");
    assert_eq!(
        server_facts(&server).recorded,
        0,
        "no push reached the server"
    );
    // Then everything is, uploads too.
    proxy.set_plan(portal);
    queue_listing(&device.store, "Boots", "40", &[photo(12), photo(13)]);
    let err = sync_or_spin(&device).await.unwrap_err();
    assert!(matches!(err, SyncError::Offline { .. }), "{err}");
    assert_eq!(parked(&device), 0, "an upload refused by the portal");
    assert_eq!(device.store.photos_to_upload().unwrap().len(), 2);

    // Signed in to the network: everything goes out, once.
    proxy.set_faults(false);
    let report = device.settle().await;
    assert_eq!((report.rejected, report.parked, report.uploaded), (0, 0, 2));
    let facts = server_facts(&server);
    assert_eq!((facts.listings, facts.live, facts.attached), (3, 3, 4));
    assert_eq!(facts.recorded, facts.applied);
}

#[tokio::test]
async fn a_reply_without_a_length_that_never_ends_is_cut_at_the_bound() {
    let server = TestServer::start().await;
    let token = server.sign_up("endless").await;
    let plan = FaultPlan::always(Fault::EndlessReply, 1).on_paths(&["/v1/sync/pull"]);
    let proxy = FaultProxy::start(server.server.addr, plan).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &proxy.base_url(), &token, 4);
    let photo = new_photo(&camera_jpeg(20, 320, 240), 320, 240);
    queue_listing(&device.store, "Cap", "7", &[photo]);

    match sync_or_spin(&device).await {
        Err(SyncError::Offline { message, .. }) => {
            assert!(message.contains("larger than 33554432 bytes"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // The push before it went through; only the pull was cut.
    assert_eq!(server_facts(&server).live, 1);
    assert!(device.store.outbox().unwrap().is_empty());
    assert_eq!(proxy.count(Fault::EndlessReply), 1);
}
