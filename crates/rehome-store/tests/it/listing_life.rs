//! A listing's life after publishing: relist, delist, sold, quantity, and
//! the social mutations a seller may not send about their own listing.

use crate::common::*;
use rehome_model::draft::DraftStage;
use rehome_model::sync::Mutation;
use rehome_model::{ListingId, Money};
use rehome_store::{Edit, StoreError};

/// A listing's life: each step is (edit, expected mutation name or none,
/// expected stage). Publishing a delisted listing relists it; sold is final.
#[test]
fn status_edits_follow_the_listing_life() {
    let t = store();
    let id = create(&t.store, complete_values());
    t.store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(4, 100),
        })
        .unwrap();
    let steps: &[(Edit, Option<&str>, DraftStage)] = &[
        (Edit::Publish { id }, Some("publish"), DraftStage::Queued),
        (Edit::Delist { id }, Some("delist"), DraftStage::Delisted),
        (Edit::Delist { id }, None, DraftStage::Delisted),
        (Edit::Publish { id }, Some("relist"), DraftStage::Queued),
        (Edit::MarkSold { id }, Some("markSold"), DraftStage::Sold),
        (Edit::MarkSold { id }, None, DraftStage::Sold),
    ];
    for (edit, name, stage) in steps {
        let r = t.store.apply_edit(edit.clone()).unwrap();
        let last = t.store.outbox().unwrap().last().unwrap().clone();
        match name {
            Some(n) => {
                assert_eq!(r.outbox_seq, Some(last.seq), "{edit:?}");
                let json = serde_json::to_value(&last.mutation).unwrap();
                assert_eq!(json["name"], *n, "{edit:?}");
            }
            None => assert_eq!(r.outbox_seq, None, "{edit:?}"),
        }
        assert_eq!(t.store.get_draft(id).unwrap().stage, *stage, "{edit:?}");
    }
    for refused in [Edit::Delist { id }, Edit::Publish { id }] {
        assert!(
            matches!(
                t.store.apply_edit(refused.clone()),
                Err(StoreError::Invalid { .. })
            ),
            "{refused:?}"
        );
    }
    assert_clean(&t.store);
}

#[test]
fn social_mutations_queue_alone_and_own_listing_changes_are_refused() {
    let t = store();
    let other = ListingId::from_parts(5, [5; 10]);
    let seq = t
        .store
        .queue_social(Mutation::Like { listing_id: other })
        .unwrap();
    assert_eq!(t.store.outbox().unwrap()[0].seq, seq);
    let id = create(&t.store, complete_values());
    let err = t
        .store
        .queue_social(Mutation::SetPrice {
            listing_id: id,
            price: Money(1),
            base_version: 0,
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }));
    assert_eq!(t.store.outbox().unwrap().len(), 2);
    assert_clean(&t.store);
}

/// A listing brought to `status` the way a seller gets there: a complete
/// draft with a photo, published, and (from "live" on) confirmed by a pull
/// whose server copy has price/status/quantity versions 3/2/5.
fn listing_in(t: &TestStore, status: &str) -> ListingId {
    use rehome_model::sync::{ListingStatus, PatchOp, PullResponse};
    let id = create(&t.store, complete_values());
    t.store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(9, 60),
        })
        .unwrap();
    if status == "draft" {
        return id;
    }
    t.store.apply_edit(Edit::Publish { id }).unwrap();
    if status == "queued" {
        return id;
    }
    let sent = t.store.pending_outbox(100).unwrap();
    let mut live = crate::sync::server_copy(id, "Linen shirt", 1250, ListingStatus::Live);
    live.fields = rehome_model::draft::parse_draft(&complete_values()).fields;
    live.photos = t
        .store
        .get_draft(id)
        .unwrap()
        .photos
        .into_iter()
        .map(|p| rehome_model::sync::ServerPhoto {
            id: p.id,
            sha256: p.sha256,
            width: p.width,
            height: p.height,
        })
        .collect();
    live.quantity_version = 5;
    t.store
        .apply_pull(&PullResponse {
            cookie: "c".into(),
            last_mutation_id: sent.last().unwrap().seq,
            patch: vec![PatchOp::Put { listing: live }],
            more: false,
        })
        .unwrap();
    match status {
        "live" => {}
        "delisted" => {
            t.store.apply_edit(Edit::Delist { id }).unwrap();
        }
        "sold" => {
            t.store.apply_edit(Edit::MarkSold { id }).unwrap();
        }
        other => panic!("no way to {other}"),
    }
    id
}

/// A lifecycle edit, before it knows its listing.
#[derive(Clone, Copy, Debug)]
enum Op {
    Relist,
    Delist,
    MarkSold,
    Quantity(u32),
}

impl Op {
    fn on(self, id: ListingId) -> Edit {
        match self {
            Op::Relist => Edit::Relist { id },
            Op::Delist => Edit::Delist { id },
            Op::MarkSold => Edit::MarkSold { id },
            Op::Quantity(quantity) => Edit::SetQuantity { id, quantity },
        }
    }
}

/// One case: a listing in `status`, one lifecycle edit, and what it queues:
/// `name:baseVersion` of the new outbox row, `none` (nothing to change) or
/// `invalid:<field>`; then the stage the device shows.
fn check_lifecycle(status: &str, op: Op, expected: &str, stage: DraftStage) {
    let t = store();
    let id = listing_in(&t, status);
    let before = t.store.outbox().unwrap().len();
    let got = match t.store.apply_edit(op.on(id)) {
        Ok(r) if r.outbox_seq.is_none() => "none".to_owned(),
        Ok(r) => {
            let rows = t.store.outbox().unwrap();
            assert_eq!(rows.len(), before + 1, "{status} {op:?}: one new row");
            let last = rows.last().unwrap();
            assert_eq!(Some(last.seq), r.outbox_seq);
            let json = serde_json::to_value(&last.mutation).unwrap();
            match json["args"].get("baseVersion") {
                Some(v) => format!("{}:{v}", json["name"].as_str().unwrap()),
                None => json["name"].as_str().unwrap().to_owned(),
            }
        }
        Err(StoreError::Invalid { field, .. }) => {
            format!("invalid:{}", field.unwrap_or_default())
        }
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected, "{status} then {op:?}");
    assert_eq!(
        t.store.get_draft(id).unwrap().stage,
        stage,
        "{status} then {op:?}"
    );
    assert_clean(&t.store);
}

#[test]
fn lifecycle_edits_follow_the_status_and_carry_their_base_versions() {
    use DraftStage::*;
    use Op::*;
    let cases: &[(&str, Op, &str, DraftStage)] = &[
        // Relist: only a delisted listing, based on the confirmed status version.
        ("draft", Relist, "invalid:", Draft),
        ("queued", Relist, "invalid:", Queued),
        ("live", Relist, "invalid:", Live),
        ("delisted", Relist, "relist:2", Queued),
        ("sold", Relist, "invalid:", Sold),
        // Delist: a live (or queued) listing.
        ("draft", Delist, "invalid:", Draft),
        ("live", Delist, "delist:2", Delisted),
        ("delisted", Delist, "none", Delisted),
        ("sold", Delist, "invalid:", Sold),
        // Mark sold: from anything but sold, which it leaves alone.
        ("live", MarkSold, "markSold", Sold),
        ("delisted", MarkSold, "markSold", Sold),
        ("sold", MarkSold, "none", Sold),
        // Quantity: based on the confirmed quantity version (0 before the
        // server has the listing); nothing after sold; 1 to 10 000.
        ("draft", Quantity(3), "setQuantity:0", Draft),
        ("queued", Quantity(3), "setQuantity:0", Queued),
        ("live", Quantity(3), "setQuantity:5", Live),
        ("delisted", Quantity(3), "setQuantity:5", Delisted),
        ("live", Quantity(1), "none", Live),
        ("live", Quantity(0), "invalid:quantity", Live),
        ("live", Quantity(10_001), "invalid:quantity", Live),
        ("sold", Quantity(3), "invalid:", Sold),
    ];
    for (status, op, expected, stage) in cases {
        check_lifecycle(status, *op, expected, stage.clone());
    }
}

#[test]
fn quantity_edits_fold_together_and_the_device_shows_the_latest() {
    let t = store();
    let id = listing_in(&t, "live");
    assert_eq!(t.store.quantity(id).unwrap(), 1);
    for q in [4, 2] {
        t.store
            .apply_edit(Edit::SetQuantity { id, quantity: q })
            .unwrap();
    }
    assert_eq!(t.store.quantity(id).unwrap(), 2);
    assert_eq!(
        mutations(&t.store),
        vec![Mutation::SetQuantity {
            listing_id: id,
            quantity: 2,
            base_version: 5,
        }],
        "one row, still based on the version the first edit saw"
    );
    // A new draft's quantity rides in its create while that is unsent.
    let fresh = create(&t.store, Default::default());
    t.store
        .apply_edit(Edit::SetQuantity {
            id: fresh,
            quantity: 7,
        })
        .unwrap();
    assert_eq!(t.store.quantity(fresh).unwrap(), 7);
    assert!(matches!(
        mutations(&t.store).last(),
        Some(Mutation::CreateListing { quantity: 7, .. })
    ));
    assert_clean(&t.store);
}
