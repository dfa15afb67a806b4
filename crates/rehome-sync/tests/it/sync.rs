//! Push, pull, uploads and parking against the real server.

use crate::support::*;
use rehome_model::draft::{DraftField, DraftStage};
use rehome_sync::proxy::{Fault, FaultPlan, FaultProxy};
use rehome_sync::state::{ListingSyncState, listings_with_state};
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn queued_listings_go_live_with_their_photos_and_the_outbox_empties() {
    let server = TestServer::start().await;
    let token = server.sign_up("ana").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &server.url(), &token, 1);
    let photos: Vec<_> = (0..3)
        .map(|i| new_photo(&camera_jpeg(i, 640, 480), 640, 480))
        .collect();
    let a = queue_listing(&device.store, "Linen shirt", "25", &photos);
    let b = queue_listing(&device.store, "Wool coat", "80", &photos[..1]);

    let before: Vec<ListingSyncState> = listings_with_state(&device.store)
        .unwrap()
        .into_iter()
        .map(|l| l.sync)
        .collect();
    assert_eq!(
        before,
        vec![
            ListingSyncState::Uploading { done: 0, total: 1 },
            ListingSyncState::Uploading { done: 0, total: 3 },
        ]
    );

    let report = device.settle().await;
    // 2 creates + 4 attaches + 2 publishes; the coat's photo is the shirt's
    // first: its upload dedupes by content hash and sends no bytes.
    assert_eq!(
        (report.applied, report.conflicts, report.rejected),
        (8, 0, 0)
    );
    assert_eq!((report.uploaded, report.deduped), (4, 1));
    let sent: u64 = photos.iter().map(|p| p.jpeg().len() as u64).sum();
    assert_eq!(report.upload_bytes_sent, sent);
    assert_eq!(report.upload_bytes_resent, 0);

    let facts = server_facts(&server);
    assert_eq!((facts.listings, facts.live, facts.attached), (2, 2, 4));
    assert_eq!((facts.recorded, facts.applied), (8, 8));
    for id in [a, b] {
        assert_eq!(device.store.get_draft(id).unwrap().stage, DraftStage::Live);
    }
    let states: Vec<ListingSyncState> = listings_with_state(&device.store)
        .unwrap()
        .into_iter()
        .map(|l| l.sync)
        .collect();
    assert_eq!(states, vec![ListingSyncState::Live, ListingSyncState::Live]);
    for (id, sha, fetched) in fetched_photo_hashes(&server).await {
        assert_eq!(sha, fetched, "photo {id}");
    }
    assert!(device.store.outbox().unwrap().is_empty());
}

#[tokio::test]
async fn a_rejected_edit_is_parked_with_its_reason_and_does_not_block_the_rows_behind_it() {
    let server = TestServer::start().await;
    let token = server.sign_up("bob").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &server.url(), &token, 2);
    let photo = new_photo(&camera_jpeg(9, 320, 240), 320, 240);
    let first = queue_listing(&device.store, "Scarf", "12", std::slice::from_ref(&photo));
    device.settle().await;
    // The server allows 80 characters; the device keeps what was typed.
    let long = "x".repeat(120);
    set_field(&device.store, first, DraftField::Title, &long);
    let second = queue_listing(&device.store, "Beanie", "9", std::slice::from_ref(&photo));

    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let engine = device
        .engine
        .clone()
        .with_events(move |e| sink.lock().unwrap().push(serde_json::to_value(e).unwrap()));
    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.rejected, report.parked, report.pending), (1, 1, 0));
    assert_eq!(
        device.store.get_draft(second).unwrap().stage,
        DraftStage::Live
    );
    let draft = device.store.get_draft(first).unwrap();
    assert_eq!(draft.values.title, long, "the typed text is kept");
    assert_eq!(
        draft.stage,
        DraftStage::NeedsAttention {
            reason: "title is at most 80 characters".into()
        }
    );
    let parked: Vec<_> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "parked")
        .cloned()
        .collect();
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert_eq!(parked[0]["reason"], "title is at most 80 characters");
    // A later sync neither drops nor resends it.
    let again = device.engine.sync_once().await.unwrap();
    assert_eq!((again.pushes, again.parked), (0, 1));
    assert_eq!(server_facts(&server).recorded, 7);
}

#[tokio::test]
async fn an_upload_cut_mid_chunk_resumes_from_the_servers_offset_and_resends_at_most_that_chunk() {
    let server = TestServer::start().await;
    let token = server.sign_up("cyd").await;
    // Requests: #0 creates the upload, #1 and #2 are the first two chunks;
    // #2 is cut part-way through its body.
    let proxy = FaultProxy::start(
        server.server.addr,
        FaultPlan::scripted(vec![(2, Fault::CutRequest)]),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &proxy.base_url(), &token, 3);
    let jpeg = camera_jpeg(77, 1600, 1200);
    assert!(
        jpeg.len() > 2 * 256 * 1024,
        "{} bytes: at least 3 chunks",
        jpeg.len()
    );
    let photo = new_photo(&jpeg, 1600, 1200);
    queue_listing(
        &device.store,
        "Denim jacket",
        "40",
        std::slice::from_ref(&photo),
    );
    let report = device.settle().await;
    assert_eq!(proxy.count(Fault::CutRequest), 1);
    assert_eq!(
        report.upload_bytes_resent,
        256 * 1024,
        "exactly the cut chunk again"
    );
    assert_eq!(report.upload_bytes_sent, jpeg.len() as u64 + 256 * 1024);
    let hashes = fetched_photo_hashes(&server).await;
    assert_eq!(hashes.len(), 1);
    assert_eq!(hashes[0].1, photo.sha256());
    assert_eq!(hashes[0].2, photo.sha256());
    assert_eq!(server_facts(&server).live, 1);
}

#[tokio::test]
async fn a_reply_lost_after_the_server_committed_is_replayed_without_a_second_effect() {
    let server = TestServer::start().await;
    let token = server.sign_up("dia").await;
    let dir = tempfile::tempdir().unwrap();
    // No photos: #0 pushes the create, #1 pulls; #2 is the push of the first
    // price edit, whose reply is lost after the server committed; its retry
    // (#3) is also replayed by the proxy on a second connection.
    let proxy = FaultProxy::start(
        server.server.addr,
        FaultPlan::scripted(vec![(2, Fault::DropReply), (3, Fault::Duplicate)]),
    )
    .await
    .unwrap();
    let device = Device::open(dir.path(), &proxy.base_url(), &token, 4);
    let id = device
        .store
        .apply_edit(rehome_store::Edit::CreateDraft {
            values: values("Boots", "30"),
        })
        .unwrap()
        .id;
    device.settle().await;
    set_field(&device.store, id, DraftField::Price, "28");
    // Claimed by an earlier sync that died: the next edit cannot fold into it,
    // and both are based on price version 0.
    assert_eq!(device.store.pending_outbox(10).unwrap().len(), 1);
    set_field(&device.store, id, DraftField::Price, "26");
    assert_eq!(device.store.outbox().unwrap().len(), 2);
    device.settle().await;
    assert_eq!(
        (proxy.count(Fault::DropReply), proxy.count(Fault::Duplicate)),
        (1, 1)
    );
    let db = server.db();
    let (price, version): (i64, i64) = db
        .query_row("SELECT price, price_version FROM listings", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    // Two price edits, each applied once (a double apply would show version 4
    // or a conflict).
    assert_eq!((price, version), (2600, 2));
    let facts = server_facts(&server);
    assert_eq!((facts.recorded, facts.applied), (3, 3));
    assert!(device.store.open_conflicts().unwrap().is_empty());
}

/// Issue 6: delist, relist, mark sold and quantity edits made on the device
/// reach the real server through the outbox, each with the base version the
/// server compares and sets, and the device ends where the server is.
#[tokio::test]
async fn delist_relist_quantity_and_mark_sold_reach_the_server() {
    use rehome_store::Edit;
    let server = TestServer::start().await;
    let token = server.sign_up("lifecycle").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &server.url(), &token, 7);
    let photo = new_photo(&camera_jpeg(70, 320, 240), 320, 240);
    let coat = queue_listing(
        &device.store,
        "Wool coat",
        "80",
        std::slice::from_ref(&photo),
    );
    let shirt = queue_listing(&device.store, "Linen shirt", "25", &[photo]);
    device.settle().await;
    let on_server = |id: rehome_model::ListingId| -> (String, i64, i64) {
        server
            .db()
            .query_row(
                "SELECT status, quantity, quantity_version FROM listings WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    assert_eq!(on_server(coat), ("live".into(), 1, 0));

    for edit in [
        Edit::Delist { id: coat },
        Edit::SetQuantity {
            id: coat,
            quantity: 3,
        },
        Edit::MarkSold { id: shirt },
    ] {
        device.store.apply_edit(edit).unwrap();
    }
    let report = device.settle().await;
    assert_eq!(
        (report.applied, report.conflicts, report.rejected),
        (3, 0, 0)
    );
    assert_eq!(on_server(coat), ("delisted".into(), 3, 1));
    assert_eq!(on_server(shirt).0, "sold");
    let stage = |id| device.store.get_draft(id).unwrap().stage;
    assert_eq!(
        (stage(coat), stage(shirt)),
        (DraftStage::Delisted, DraftStage::Sold)
    );
    assert_eq!(device.store.quantity(coat).unwrap(), 3);

    // Relisting is based on the status version the delist moved to.
    device.store.apply_edit(Edit::Relist { id: coat }).unwrap();
    let report = device.settle().await;
    assert_eq!((report.applied, report.conflicts), (1, 0));
    assert_eq!(on_server(coat).0, "live");
    assert_eq!(stage(coat), DraftStage::Live);
    let facts = server_facts(&server);
    assert_eq!(
        facts.recorded, facts.applied,
        "nothing refused or applied twice"
    );
    assert!(device.store.outbox().unwrap().is_empty());
}
