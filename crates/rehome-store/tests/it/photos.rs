//! Photo files: written atomically, shared by content, reconciled at start-up.

use crate::common::*;
use rehome_store::{Edit, NewPhoto, StoreError};

#[test]
fn attach_reorder_cover_and_delete() {
    let t = store();
    let id = create(&t.store, complete_values());
    let p: Vec<_> = (0..3)
        .map(|i| {
            t.store
                .apply_edit(Edit::AttachPhoto {
                    id,
                    photo: jpeg(i, 2000),
                })
                .unwrap()
                .photo_id
                .unwrap()
        })
        .collect();
    let order = |s: &rehome_store::Store| -> Vec<_> {
        s.get_draft(id)
            .unwrap()
            .photos
            .iter()
            .map(|x| x.id)
            .collect()
    };
    assert_eq!(order(&t.store), p);
    t.store
        .apply_edit(Edit::ReorderPhotos {
            id,
            order: vec![p[2], p[0], p[1]],
        })
        .unwrap();
    assert_eq!(order(&t.store), vec![p[2], p[0], p[1]]);
    t.store
        .apply_edit(Edit::SetCover { id, photo: p[1] })
        .unwrap();
    assert_eq!(order(&t.store), vec![p[1], p[2], p[0]]);
    assert_eq!(t.store.list_drafts().unwrap()[0].cover_photo, Some(p[1]));
    let file = t.store.photos_dir().join(format!(
        "{}.jpg",
        t.store.get_draft(id).unwrap().photos[0].sha256
    ));
    assert!(file.exists());
    t.store
        .apply_edit(Edit::DeletePhoto { id, photo: p[1] })
        .unwrap();
    assert_eq!(order(&t.store), vec![p[2], p[0]]);
    assert!(!file.exists(), "the last row went, so the file went");
    assert_clean(&t.store);
}

#[test]
fn bad_photo_requests_are_refused() {
    let t = store();
    let id = create(&t.store, complete_values());
    // A hash that is not the bytes', and no bytes at all.
    let wrong_hash = (jpeg_bytes(1, 100), "00".repeat(32));
    let empty = (Vec::new(), sha256(&jpeg_bytes(1, 0)));
    for (bytes, claimed) in [wrong_hash, empty] {
        let err = NewPhoto::checked(bytes, 1600, 1200, &claimed)
            .and_then(|photo| t.store.apply_edit(Edit::AttachPhoto { id, photo }))
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    }
    let ghost = rehome_model::PhotoId::from_parts(1, [1; 10]);
    assert!(
        t.store
            .apply_edit(Edit::SetCover { id, photo: ghost })
            .is_err()
    );
    assert!(
        t.store
            .apply_edit(Edit::ReorderPhotos {
                id,
                order: vec![ghost]
            })
            .is_err()
    );
    assert!(t.store.outbox().unwrap().len() == 1);
    assert_clean(&t.store);
}

#[test]
fn the_same_photo_twice_is_one_file() {
    let t = store();
    let id = create(&t.store, complete_values());
    for _ in 0..2 {
        t.store
            .apply_edit(Edit::AttachPhoto {
                id,
                photo: jpeg(7, 300),
            })
            .unwrap();
    }
    assert_eq!(t.store.get_draft(id).unwrap().photos.len(), 2);
    assert_eq!(std::fs::read_dir(t.store.photos_dir()).unwrap().count(), 1);
    assert_clean(&t.store);
}

#[test]
fn reopening_collects_orphans_and_reports_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let (id, sha) = {
        let (_c, s) = open_in(dir.path(), 3);
        let id = create(&s, complete_values());
        s.apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(1, 100),
        })
        .unwrap();
        (id, s.get_draft(id).unwrap().photos[0].sha256.clone())
    };
    let photos = dir.path().join(rehome_store::PHOTOS_DIR);
    std::fs::write(photos.join("deadbeef.jpg"), b"orphan").unwrap();
    std::fs::write(photos.join(".x.jpg.tmp"), b"half").unwrap();
    std::fs::remove_file(photos.join(format!("{sha}.jpg"))).unwrap();
    let (_c, s) = open_in(dir.path(), 3);
    let report = s.reconcile_report().clone();
    assert_eq!(report.orphans_removed, vec!["deadbeef.jpg".to_owned()]);
    assert_eq!(report.temp_removed, vec![".x.jpg.tmp".to_owned()]);
    assert_eq!(report.missing.len(), 1);
    let d = s.get_draft(id).unwrap();
    assert!(d.photos[0].missing);
    assert!(!d.readiness.ready);
    assert!(!photos.join("deadbeef.jpg").exists());
    assert_clean(&s);
}

/// A replaced photo (what a rotation writes): a new photo with the new bytes in
/// the same place, the old row and its file gone, and the outbox told in an
/// order the server accepts (detach then attach; attach first when it is the
/// only photo, since a live listing keeps at least one).
#[test]
fn replacing_a_photo_keeps_its_place_and_queues_detach_and_attach() {
    use rehome_model::sync::Mutation;
    let t = store();
    let id = create(&t.store, complete_values());
    let attach = |seed| {
        t.store
            .apply_edit(Edit::AttachPhoto {
                id,
                photo: jpeg(seed, 500),
            })
            .unwrap()
            .photo_id
            .unwrap()
    };
    let only = attach(1);
    let tail = |n: usize| -> Vec<Mutation> {
        let rows = t.store.outbox().unwrap();
        rows[rows.len() - n..]
            .iter()
            .map(|r| r.mutation.clone())
            .collect()
    };
    let draft = t.store.get_draft(id).unwrap();
    let old_file = t
        .store
        .photos_dir()
        .join(format!("{}.jpg", draft.photos[0].sha256));
    let turned = jpeg_sized(9, 600, 1200, 1600);
    let r = t
        .store
        .apply_edit(Edit::ReplacePhoto {
            id,
            photo: only,
            replaced_sha256: draft.photos[0].sha256.clone(),
            with: turned.clone(),
        })
        .unwrap();
    let new = r.photo_id.unwrap();
    assert_ne!(new, only);
    let after = t.store.get_draft(id).unwrap();
    assert_eq!(after.photos.len(), 1);
    assert_eq!(
        (
            after.photos[0].id,
            after.photos[0].width,
            after.photos[0].height
        ),
        (new, 1200, 1600)
    );
    assert_eq!(after.photos[0].sha256, turned.sha256());
    assert!(!old_file.exists(), "the old file went with its last row");
    assert_eq!(
        tail(2),
        vec![
            Mutation::AttachPhoto {
                listing_id: id,
                photo_id: new,
                sha256: turned.sha256().to_owned(),
                position: 0,
            },
            Mutation::DetachPhoto {
                listing_id: id,
                photo_id: only,
            },
        ]
    );

    // With three photos, the middle one: detach first, same position.
    let first = new;
    let middle = attach(2);
    let last = attach(3);
    let sha = |p| {
        t.store
            .get_draft(id)
            .unwrap()
            .photos
            .iter()
            .find(|x| x.id == p)
            .unwrap()
            .sha256
            .clone()
    };
    let r = t
        .store
        .apply_edit(Edit::ReplacePhoto {
            id,
            photo: middle,
            replaced_sha256: sha(middle),
            with: jpeg(10, 700),
        })
        .unwrap();
    let new_middle = r.photo_id.unwrap();
    let order: Vec<_> = t
        .store
        .get_draft(id)
        .unwrap()
        .photos
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(order, vec![first, new_middle, last]);
    assert!(matches!(
        tail(2).as_slice(),
        [
            Mutation::DetachPhoto { photo_id: d, .. },
            Mutation::AttachPhoto { photo_id: a, position: 1, .. },
        ] if *d == middle && *a == new_middle
    ));
    assert_clean(&t.store);

    // Stale (read before another change) and unknown photos are refused, and
    // nothing is written.
    let rows = t.store.outbox().unwrap().len();
    let stale = t
        .store
        .apply_edit(Edit::ReplacePhoto {
            id,
            photo: last,
            replaced_sha256: "00".repeat(32),
            with: jpeg(11, 700),
        })
        .unwrap_err();
    assert!(matches!(stale, StoreError::Invalid { .. }), "{stale:?}");
    let gone = t
        .store
        .apply_edit(Edit::ReplacePhoto {
            id,
            photo: middle,
            replaced_sha256: sha(last),
            with: jpeg(11, 700),
        })
        .unwrap_err();
    assert!(matches!(gone, StoreError::NotFound { .. }), "{gone:?}");
    assert_eq!(t.store.outbox().unwrap().len(), rows);
    assert_clean(&t.store);
}

/// The photo cap: a draft holding `count` photos gets one more attached, or a
/// `too_many_photos` error naming the limit, with nothing written.
#[test]
fn a_draft_holds_at_most_24_photos() {
    use rehome_model::ErrorCode;
    use rehome_model::draft::PHOTOS_MAX;
    assert_eq!(PHOTOS_MAX, 24);
    fn check(count: usize, expected: Result<usize, ErrorCode>) {
        let t = store();
        let id = create(&t.store, complete_values());
        for i in 0..count {
            t.store
                .apply_edit(Edit::AttachPhoto {
                    id,
                    photo: jpeg(i as u8, 40),
                })
                .unwrap();
        }
        let rows = t.store.outbox().unwrap().len();
        let got = t
            .store
            .apply_edit(Edit::AttachPhoto {
                id,
                photo: jpeg(200, 40),
            })
            .map(|_| t.store.get_draft(id).unwrap().photos.len())
            .map_err(|e| {
                assert_eq!(e.field().as_deref(), Some("photos"), "{count}: {e}");
                assert!(e.to_string().contains("24"), "names the limit: {e}");
                assert_eq!(t.store.outbox().unwrap().len(), rows, "nothing queued");
                e.code()
            });
        assert_eq!(got, expected, "a draft with {count} photos");
        assert_clean(&t.store);
    }
    check(0, Ok(1));
    check(22, Ok(23));
    check(23, Ok(24));
    check(24, Err(ErrorCode::TooManyPhotos));
}
