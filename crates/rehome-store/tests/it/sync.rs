//! The outbox API the sync engine drains, and the pull's rebase.

use crate::common::*;
use rehome_model::draft::{DraftField, DraftStage};
use rehome_model::sync::{
    GuardedField, ListingFields, ListingStatus, Mutation, PatchOp, PullResponse, ServerListing,
};
use rehome_model::{Money, UserId};
use rehome_store::{Edit, OutboxState};

#[test]
fn pending_claims_in_order_and_parked_rows_do_not_block() {
    let t = store();
    let a = create(&t.store, Default::default());
    let b = create(&t.store, Default::default());
    let rows = t.store.pending_outbox(1).unwrap();
    assert_eq!(rows.len(), 1);
    t.store
        .park(rows[0].seq, "the server refused it twice")
        .unwrap();
    let next = t.store.pending_outbox(10).unwrap();
    assert_eq!(next.len(), 1);
    assert!(
        matches!(next[0].mutation, Mutation::CreateListing { listing_id, .. } if listing_id == b)
    );
    let stage = t.store.get_draft(a).unwrap().stage;
    assert_eq!(
        stage,
        DraftStage::NeedsAttention {
            reason: "the server refused it twice".into()
        }
    );
    t.store.unpark(rows[0].seq).unwrap();
    assert_eq!(t.store.get_draft(a).unwrap().stage, DraftStage::Draft);
}

#[test]
fn a_failed_attempt_waits_until_its_time_and_keeps_order() {
    let t = store();
    let _a = create(&t.store, Default::default());
    let _b = create(&t.store, Default::default());
    let rows = t.store.pending_outbox(10).unwrap();
    t.store.mark_attempt(rows[0].seq, "503", T0 + 1000).unwrap();
    assert!(
        t.store.pending_outbox(10).unwrap().is_empty(),
        "the head waits, so order is kept"
    );
    t.clock.advance(1000);
    let again = t.store.pending_outbox(10).unwrap();
    assert_eq!(again.len(), 2);
    assert_eq!(again[0].attempts, 1);
    assert_eq!(again[0].last_error.as_deref(), Some("503"));
    assert_eq!(again[0].state, OutboxState::Sent);
}

#[test]
fn confirm_drops_only_confirmed_rows_and_ids_are_never_reused() {
    let t = store();
    let a = create(&t.store, Default::default());
    let _ = t.store.pending_outbox(10).unwrap();
    set(&t.store, a, DraftField::Title, "x");
    let rows = t.store.outbox().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(t.store.confirm_up_to(rows[0].seq).unwrap(), 1);
    assert_eq!(t.store.outbox().unwrap().len(), 1);
    assert_eq!(t.store.confirm_up_to(rows[1].seq).unwrap(), 1);
    let b = create(&t.store, Default::default());
    let _ = b;
    assert!(t.store.outbox().unwrap()[0].seq > rows[1].seq);
}

pub fn server_copy(
    id: rehome_model::ListingId,
    title: &str,
    price: i64,
    status: ListingStatus,
) -> ServerListing {
    ServerListing {
        id,
        seller_id: UserId(uuid::Uuid::nil()),
        fields: ListingFields {
            title: Some(title.into()),
            ..Default::default()
        },
        price: Money(price),
        price_version: 3,
        quantity: 1,
        quantity_version: 0,
        status,
        status_version: 2,
        photos: vec![],
    }
}

#[test]
fn pull_replaces_confirmed_values_and_keeps_pending_local_edits() {
    let t = store();
    let id = create(
        &t.store,
        values(&[(DraftField::Title, "mine"), (DraftField::Brand, "Local")]),
    );
    let sent = t.store.pending_outbox(10).unwrap();
    // Edited again locally while the server had the create.
    set(&t.store, id, DraftField::Brand, "Local 2");
    let mut theirs = server_copy(id, "from the desktop", 2000, ListingStatus::Draft);
    theirs.fields.brand = Some("Server".into());
    t.store
        .apply_pull(&PullResponse {
            cookie: "c2".into(),
            last_mutation_id: sent[0].seq,
            patch: vec![PatchOp::Put { listing: theirs }],
            more: false,
        })
        .unwrap();
    let d = t.store.get_draft(id).unwrap();
    assert_eq!(
        d.values.title, "from the desktop",
        "no pending edit: the server's value"
    );
    assert_eq!(d.values.brand, "Local 2", "pending edit: replayed on top");
    assert_eq!(d.values.price, "20.00");
    assert!(d.sync.confirmed);
    assert_eq!(t.store.cookie().unwrap().as_deref(), Some("c2"));
    // A price edit now compares against the confirmed version.
    set(&t.store, id, DraftField::Price, "15");
    assert!(matches!(
        t.store.outbox().unwrap().last().unwrap().mutation,
        Mutation::SetPrice {
            base_version: 3,
            ..
        }
    ));
    assert_clean(&t.store);
}

#[test]
fn a_queued_draft_goes_live_when_the_server_says_so() {
    let t = store();
    let id = create(&t.store, complete_values());
    t.store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(2, 50),
        })
        .unwrap();
    t.store.apply_edit(Edit::Publish { id }).unwrap();
    let all = t.store.pending_outbox(10).unwrap();
    let last = all.last().unwrap().seq;
    t.store
        .apply_pull(&PullResponse {
            cookie: "c".into(),
            last_mutation_id: last,
            patch: vec![PatchOp::Put {
                listing: server_copy(id, "Linen shirt", 1250, ListingStatus::Live),
            }],
            more: false,
        })
        .unwrap();
    assert_eq!(t.store.get_draft(id).unwrap().stage, DraftStage::Live);
    assert!(t.store.outbox().unwrap().is_empty());
}

#[test]
fn conflicts_are_stored_and_leave_the_outbox() {
    let t = store();
    let id = create(&t.store, complete_values());
    let _ = t.store.pending_outbox(10).unwrap();
    set(&t.store, id, DraftField::Price, "9");
    let seq = t.store.outbox().unwrap()[1].seq;
    t.store
        .record_conflict(seq, id, GuardedField::Price, "900", "1100", 4)
        .unwrap();
    let c = t.store.open_conflicts().unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, GuardedField::Price);
    assert_eq!(c[0].server_version, 4);
    assert_eq!(t.store.outbox().unwrap().len(), 1);
}

#[test]
fn uploads_are_listed_until_done() {
    let t = store();
    let id = create(&t.store, complete_values());
    let pid = t
        .store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(3, 1000),
        })
        .unwrap()
        .photo_id
        .unwrap();
    let up = t.store.photos_to_upload().unwrap();
    assert_eq!(up.len(), 1);
    assert!(up[0].path.exists());
    t.store
        .set_upload_progress(pid, Some("http://x/u/1"), 512)
        .unwrap();
    assert_eq!(t.store.photos_to_upload().unwrap()[0].upload_offset, 512);
    t.store
        .set_upload_progress(pid, None, up[0].byte_len)
        .unwrap();
    assert!(t.store.photos_to_upload().unwrap().is_empty());
    assert_eq!(t.store.get_draft(id).unwrap().photos[0].upload, "done");
}

#[test]
fn an_outbox_row_that_cannot_be_decoded_is_parked_with_its_reason_and_the_rest_sync() {
    let t = store();
    let a = create(&t.store, Default::default());
    let b = create(&t.store, Default::default());
    let rows = t.store.outbox().unwrap();
    assert_eq!(rows.len(), 2);
    // Damage the first row in the real file, behind the store's back.
    let conn = rusqlite::Connection::open(t.store.db_path()).unwrap();
    conn.execute(
        "UPDATE outbox SET args = '{\"listingId\": 12' WHERE seq = ?1",
        [rows[0].seq as i64],
    )
    .unwrap();
    drop(conn);
    for _ in 0..2 {
        let pending = t.store.pending_outbox(10).unwrap();
        assert_eq!(pending.len(), 1);
        assert!(
            matches!(pending[0].mutation, Mutation::CreateListing { listing_id, .. } if listing_id == b)
        );
    }
    // Kept, and shown on its draft with the reason.
    let DraftStage::NeedsAttention { reason } = t.store.get_draft(a).unwrap().stage else {
        panic!("the damaged row's draft should need attention");
    };
    assert!(reason.contains("cannot be read back"), "{reason}");
    let audit = t.store.audit().unwrap();
    assert_eq!(audit.problems.len(), 1, "{:?}", audit.problems);
    assert!(audit.problems[0].contains("cannot be decoded"));
    // Listed with its listing and reason (the outbox itself leaves it out).
    let unreadable = t.store.unreadable_outbox().unwrap();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert_eq!(
        (
            unreadable[0].seq,
            unreadable[0].name.as_str(),
            unreadable[0].listing
        ),
        (rows[0].seq, "createListing", Some(a))
    );
    assert!(unreadable[0].reason.contains("cannot be read back"));
}

#[test]
fn a_damaged_social_row_is_listed_with_its_reason_though_it_has_no_listing() {
    let t = store();
    let seller = rehome_model::UserId(uuid::Uuid::from_u128(5));
    let like = t
        .store
        .queue_social(Mutation::Follow { seller_id: seller })
        .unwrap();
    let conn = rusqlite::Connection::open(t.store.db_path()).unwrap();
    conn.execute(
        "UPDATE outbox SET name = 'followFromTheFuture' WHERE seq = ?1",
        [like as i64],
    )
    .unwrap();
    drop(conn);
    assert!(t.store.outbox().unwrap().is_empty());
    assert!(t.store.pending_outbox(10).unwrap().is_empty());
    let unreadable = t.store.unreadable_outbox().unwrap();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert_eq!(
        (
            unreadable[0].seq,
            unreadable[0].name.as_str(),
            unreadable[0].listing
        ),
        (like, "followFromTheFuture", None)
    );
    assert!(
        unreadable[0].reason.contains("followFromTheFuture"),
        "{}",
        unreadable[0].reason
    );
}
