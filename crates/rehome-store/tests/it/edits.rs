//! Every edit: the draft row and its outbox row, together.

use crate::common::*;
use rehome_model::Money;
use rehome_model::draft::{DraftField, DraftStage};
use rehome_model::sync::{ListingFields, Mutation};
use rehome_store::{Edit, OutboxState, StoreError};

#[test]
fn create_writes_the_draft_and_one_create_mutation() {
    let t = store();
    let id = create(
        &t.store,
        values(&[
            (DraftField::Title, "Linen shirt"),
            (DraftField::Price, "12,50"),
        ]),
    );
    assert_eq!(id.0.get_version_num(), 7);
    let draft = t.store.get_draft(id).unwrap();
    assert_eq!(draft.values.title, "Linen shirt");
    assert_eq!(draft.values.price, "12,50");
    assert_eq!(draft.stage, DraftStage::Draft);
    assert_eq!(draft.sync.pending_changes, 1);
    assert_eq!(
        mutations(&t.store),
        vec![Mutation::CreateListing {
            listing_id: id,
            fields: ListingFields {
                title: Some("Linen shirt".into()),
                ..Default::default()
            },
            price: Money(1250),
            quantity: 1,
        }]
    );
    assert_clean(&t.store);
}

#[test]
fn ids_are_deterministic_for_a_seed_and_clock() {
    let a = store();
    let b = store();
    assert_eq!(
        create(&a.store, Default::default()),
        create(&b.store, Default::default())
    );
    assert_eq!(a.store.client_id(), b.store.client_id());
}

/// Each case: a sequence of (field, text) edits on a fresh draft; the expected
/// number of outbox rows and the draft's final text. Coalescing folds edits
/// into the not-yet-sent tail row.
#[test]
fn field_edits_are_saved_as_typed_and_queued() {
    use DraftField::*;
    type Case<'a> = (
        &'a [(DraftField, &'a str)],
        usize,
        &'a [(DraftField, &'a str)],
    );
    let cases: &[Case] = &[
        // Typing into a fresh draft folds into its CreateListing.
        (
            &[(Title, "L"), (Title, "Li"), (Title, "Linen")],
            1,
            &[(Title, "Linen")],
        ),
        (
            &[(Price, "1"), (Price, "12"), (Price, "12,5")],
            1,
            &[(Price, "12,5")],
        ),
        // Invalid text is kept on the device, not sent.
        (&[(Price, "abc")], 1, &[(Price, "abc")]),
        (&[(Category, "hats")], 1, &[(Category, "hats")]),
        (
            &[(Title, "t".repeat(81).leak())],
            1,
            &[(Title, "t".repeat(81).leak())],
        ),
        (
            &[
                (Category, "tops"),
                (Condition, "like new"),
                (Parcel, "1.2kg"),
            ],
            1,
            &[(Condition, "like new")],
        ),
    ];
    for (edits, rows, expect) in cases {
        let t = store();
        let id = create(&t.store, Default::default());
        for (f, text) in *edits {
            set(&t.store, id, *f, text);
        }
        assert_eq!(t.store.outbox().unwrap().len(), *rows, "{edits:?}");
        let d = t.store.get_draft(id).unwrap();
        for (f, text) in *expect {
            assert_eq!(d.values.get(*f), *text, "{edits:?}");
        }
        assert_clean(&t.store);
    }
}

#[test]
fn edits_after_the_engine_claimed_a_row_append_a_new_row() {
    let t = store();
    let id = create(&t.store, Default::default());
    set(&t.store, id, DraftField::Title, "Linen");
    let claimed = t.store.pending_outbox(10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].state, OutboxState::Sent);
    set(&t.store, id, DraftField::Title, "Linen shirt");
    set(&t.store, id, DraftField::Brand, "Uniqlo");
    set(&t.store, id, DraftField::Price, "9");
    set(&t.store, id, DraftField::Price, "10");
    let rows = t.store.outbox().unwrap();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_eq!(
        rows[1].mutation,
        Mutation::UpdateListing {
            listing_id: id,
            fields: ListingFields {
                title: Some("Linen shirt".into()),
                brand: Some("Uniqlo".into()),
                ..Default::default()
            }
        }
    );
    assert_eq!(
        rows[2].mutation,
        Mutation::SetPrice {
            listing_id: id,
            price: Money(1000),
            base_version: 0
        }
    );
    assert_clean(&t.store);
}

#[test]
fn publish_needs_the_checklist_then_queues() {
    let t = store();
    let id = create(&t.store, complete_values());
    match t.store.apply_edit(Edit::Publish { id }) {
        Err(StoreError::NotReady(r)) => {
            let missing: Vec<_> = r.missing().map(|i| i.requirement).collect();
            assert_eq!(missing, vec![rehome_model::draft::Requirement::Photo]);
        }
        other => panic!("{other:?}"),
    }
    t.store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(1, 1000),
        })
        .unwrap();
    let r = t.store.apply_edit(Edit::Publish { id }).unwrap();
    assert!(r.outbox_seq.is_some());
    let d = t.store.get_draft(id).unwrap();
    assert_eq!(d.stage, DraftStage::Queued);
    assert!(matches!(
        mutations(&t.store).last(),
        Some(Mutation::Publish {
            base_version: 0,
            ..
        })
    ));
    // Publishing again changes nothing.
    let again = t.store.apply_edit(Edit::Publish { id }).unwrap();
    assert_eq!(again.outbox_seq, None);
    assert_clean(&t.store);
}

#[test]
fn duplicate_copies_values_and_photos_under_new_ids() {
    let t = store();
    let id = create(&t.store, complete_values());
    t.store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(1, 500),
        })
        .unwrap();
    let copy = t
        .store
        .apply_edit(Edit::DuplicateDraft { from: id })
        .unwrap()
        .id;
    assert_ne!(copy, id);
    let a = t.store.get_draft(id).unwrap();
    let b = t.store.get_draft(copy).unwrap();
    assert_eq!(a.values, b.values);
    assert_eq!(b.photos.len(), 1);
    assert_ne!(a.photos[0].id, b.photos[0].id);
    assert_eq!(a.photos[0].sha256, b.photos[0].sha256);
    let names: Vec<_> = mutations(&t.store)
        .iter()
        .map(|m| {
            serde_json::to_value(m).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "createListing",
            "attachPhoto",
            "createListing",
            "attachPhoto"
        ]
    );
    assert_eq!(t.store.list_drafts().unwrap().len(), 2);
    assert_clean(&t.store);
}

#[test]
fn delete_hides_undo_brings_back_and_purge_tells_the_server() {
    let t = store();
    let id = create(&t.store, complete_values());
    let r = t.store.apply_edit(Edit::DeleteDraft { id }).unwrap();
    assert_eq!(r.undo_until, Some(T0 + rehome_store::UNDO_WINDOW_MS));
    assert!(t.store.list_drafts().unwrap().is_empty());
    assert!(matches!(
        t.store.get_draft(id),
        Err(StoreError::NotFound { .. })
    ));
    t.store.apply_edit(Edit::UndoDelete { id }).unwrap();
    assert_eq!(t.store.list_drafts().unwrap().len(), 1);

    t.store.apply_edit(Edit::DeleteDraft { id }).unwrap();
    assert_eq!(
        t.store.purge_expired_deletes().unwrap(),
        0,
        "still inside the window"
    );
    t.clock.advance(rehome_store::UNDO_WINDOW_MS + 1);
    assert_eq!(t.store.purge_expired_deletes().unwrap(), 1);
    assert!(matches!(
        t.store.apply_edit(Edit::UndoDelete { id }),
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        mutations(&t.store).last(),
        Some(Mutation::DeleteListing { .. })
    ));
    assert_clean(&t.store);
}

#[test]
fn edits_to_unknown_or_deleted_drafts_are_not_found() {
    let t = store();
    let ghost = rehome_model::ListingId::from_parts(1, [9; 10]);
    for edit in [
        Edit::SetField {
            id: ghost,
            field: DraftField::Title,
            text: "x".into(),
        },
        Edit::Publish { id: ghost },
        Edit::DeleteDraft { id: ghost },
        Edit::DuplicateDraft { from: ghost },
    ] {
        assert!(matches!(
            t.store.apply_edit(edit),
            Err(StoreError::NotFound { .. })
        ));
    }
    assert!(t.store.outbox().unwrap().is_empty());
}

#[test]
fn a_huge_paste_is_refused_and_nothing_is_written() {
    let t = store();
    let id = create(&t.store, Default::default());
    let err = t
        .store
        .apply_edit(Edit::SetField {
            id,
            field: DraftField::Description,
            text: "x".repeat(rehome_store_field_max() + 1),
        })
        .unwrap_err();
    assert_eq!(err.code(), rehome_model::ErrorCode::Invalid);
    assert_eq!(t.store.get_draft(id).unwrap().values.description, "");
}

fn rehome_store_field_max() -> usize {
    64 * 1024
}

#[test]
fn list_shows_cards_newest_first_with_readiness() {
    let t = store();
    let a = create(&t.store, complete_values());
    t.clock.advance(10);
    let b = create(
        &t.store,
        values(&[
            (DraftField::Title, "Wool coat"),
            (DraftField::Category, "outerwear"),
        ]),
    );
    let cards = t.store.list_drafts().unwrap();
    assert_eq!(cards.iter().map(|c| c.id).collect::<Vec<_>>(), vec![b, a]);
    assert_eq!(cards[1].price_cents, Some(Money(1250)));
    assert_eq!(cards[1].missing, 1, "only the photo");
    assert!(!cards[0].ready);
    let d = t.store.get_draft(b).unwrap();
    assert!(d.errors.iter().any(|e| e.field == DraftField::Price));
}

/// Another connection holds the write lock with an uncommitted write: reads
/// through the store still answer at once (WAL), showing the last commit.
#[test]
fn readers_are_not_blocked_by_a_writer() {
    let t = store();
    let id = create(&t.store, complete_values());
    let other = rusqlite::Connection::open(t.store.db_path()).unwrap();
    let mode: String = other
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    other
        .execute_batch("BEGIN IMMEDIATE; UPDATE drafts SET title = 'uncommitted';")
        .unwrap();
    // busy_timeout is 5 s: a blocked read would fail or wait; this one neither.
    let d = t.store.get_draft(id).unwrap();
    assert_eq!(d.values.title, "Linen shirt");
    assert_eq!(t.store.list_drafts().unwrap().len(), 1);
    other.execute_batch("ROLLBACK").unwrap();
}

/// Two stores on one file (the app and the CLI at once), editing from two
/// threads: `BEGIN IMMEDIATE` plus the busy timeout serialise them, and every
/// edit of both is there with its outbox row.
#[test]
fn two_writers_on_one_file_both_land() {
    let t = store();
    let a = create(&t.store, Default::default());
    let b = create(&t.store, Default::default());
    let (_c, second) = open_in(t.dir.path(), 99);
    std::thread::scope(|s| {
        for (store, id, tag) in [(&t.store, a, "a"), (&second, b, "b")] {
            s.spawn(move || {
                for i in 0..40 {
                    let field = if i % 2 == 0 {
                        DraftField::Title
                    } else {
                        DraftField::Brand
                    };
                    set(store, id, field, &format!("{tag}{i}"));
                }
            });
        }
    });
    assert_eq!(t.store.get_draft(a).unwrap().values.title, "a38");
    assert_eq!(second.get_draft(b).unwrap().values.brand, "b39");
    assert_clean(&t.store);
}
