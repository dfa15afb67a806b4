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

#[tokio::test]
async fn damaged_outbox_rows_count_as_parked_and_a_damaged_create_is_retried_from_its_draft() {
    use rehome_model::sync::Mutation;
    let server = TestServer::start().await;
    let token = server.sign_up("damaged_rows").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &server.url(), &token, 9);
    let id = device
        .store
        .apply_edit(rehome_store::Edit::CreateDraft {
            values: values("Wool coat", "40"),
        })
        .unwrap()
        .id;
    let create = device.store.outbox().unwrap()[0].seq;
    let seller = rehome_model::UserId(uuid::Uuid::from_u128(77));
    let follow = device
        .store
        .queue_social(Mutation::Follow { seller_id: seller })
        .unwrap();
    // Both damaged in the real file, behind the store's back: the create's
    // args cut short, the follow renamed as a newer app might write it.
    let db = rusqlite::Connection::open(device.store.db_path()).unwrap();
    db.execute(
        "UPDATE outbox SET args = '{\"listingId\": ' WHERE seq = ?1",
        [create as i64],
    )
    .unwrap();
    db.execute(
        "UPDATE outbox SET name = 'followFromTheFuture' WHERE seq = ?1",
        [follow as i64],
    )
    .unwrap();
    drop(db);

    let report = device.engine.sync_once().await.unwrap();
    assert_eq!((report.pending, report.parked), (0, 2), "{report:?}");
    let on_server: i64 = server
        .db()
        .query_row("SELECT COUNT(*) FROM listings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(on_server, 0);
    assert!(matches!(
        device.store.get_draft(id).unwrap().stage,
        DraftStage::NeedsAttention { .. }
    ));

    // Retry rebuilds the create from the draft; the follow stays parked
    // (what it carried is gone), still counted.
    assert_eq!(retry_listing(&device.store, id).unwrap().len(), 1);
    let report = device.settle().await;
    assert_eq!(report.parked, 1, "{report:?}");
    assert_eq!(server_title(&server, id), "Wool coat");
    let left = device.store.unreadable_outbox().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].seq, left[0].listing), (follow, None));
}
