//! "Retry" on a listing that needs attention: its parked rows go back in the
//! queue under new mutation ids, carrying the fields' current values.

use crate::support::*;
use rehome_model::draft::{DraftField, DraftStage};
use rehome_store::OutboxState;
use rehome_sync::parked::retry_listing;

fn server_title(server: &TestServer, id: rehome_model::ListingId) -> String {
    server
        .db()
        .query_row(
            "SELECT title FROM listings WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn a_retried_edit_goes_out_under_a_new_id_with_the_fields_current_values() {
    let server = TestServer::start().await;
    let token = server.sign_up("rita").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &server.url(), &token, 5);
    let photo = new_photo(&camera_jpeg(3, 320, 240), 320, 240);
    let id = queue_listing(&device.store, "Scarf", "12", std::slice::from_ref(&photo));
    device.settle().await;
    assert!(
        retry_listing(&device.store, id).unwrap().is_empty(),
        "nothing parked: nothing to retry"
    );

    let long = "x".repeat(120);
    set_field(&device.store, id, DraftField::Title, &long);
    device.engine.sync_once().await.unwrap();
    let parked = |store: &rehome_store::Store| -> Vec<u64> {
        store
            .outbox()
            .unwrap()
            .into_iter()
            .filter(|r| r.state == OutboxState::Parked)
            .map(|r| r.seq)
            .collect()
    };
    let first = parked(&device.store);
    assert_eq!(first.len(), 1);
    let attention = DraftStage::NeedsAttention {
        reason: "title is at most 80 characters".into(),
    };
    assert_eq!(device.store.get_draft(id).unwrap().stage, attention);
    let recorded = server_facts(&server).recorded;

    // Retried unchanged: a new id (the old one is processed on the server),
    // refused again for the same reason, still shown, never dropped.
    let requeued = retry_listing(&device.store, id).unwrap();
    assert_eq!(requeued.len(), 1);
    assert!(requeued[0] > first[0], "{requeued:?} after {first:?}");
    assert_eq!(device.store.get_draft(id).unwrap().stage, DraftStage::Live);
    device.engine.sync_once().await.unwrap();
    assert_eq!(parked(&device.store), requeued);
    assert_eq!(device.store.get_draft(id).unwrap().stage, attention);
    assert_eq!(server_facts(&server).recorded, recorded + 1);

    // The seller shortens the title; that edit goes through, but the refused
    // one is still there until retried. The retry sends the current title.
    set_field(&device.store, id, DraftField::Title, "Silk scarf");
    device.engine.sync_once().await.unwrap();
    assert_eq!(device.store.get_draft(id).unwrap().stage, attention);
    assert_eq!(server_title(&server, id), "Silk scarf");
    let again = retry_listing(&device.store, id).unwrap();
    assert_eq!(again.len(), 1);
    let report = device.settle().await;
    assert_eq!((report.rejected, report.parked, report.pending), (0, 0, 0));
    assert_eq!(device.store.get_draft(id).unwrap().stage, DraftStage::Live);
    assert_eq!(server_title(&server, id), "Silk scarf");
    assert!(device.store.outbox().unwrap().is_empty());
    assert_eq!(server_facts(&server).status_changed_twice, 0);
}
