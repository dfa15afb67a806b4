//! A listing's photos through sync: publish waits for their uploads; attach,
//! reorder and detach keep the order.

use crate::support::start;
use crate::sync::{create, listing_id, outcome_codes, outcomes, rejected_code};
use rehome_model::PhotoId;
use rehome_model::sync::{Mutation, MutationOutcome, PatchOp};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[tokio::test]
async fn publish_waits_for_photo_uploads_then_goes_live_in_the_feed() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller5").await;
    let c = Uuid::from_u128(1);
    let id = listing_id(7);
    let photo = PhotoId::from_parts(1_800_000_000_000, [7; 10]);
    let jpeg = crate::uploads::test_jpeg(640, 480, 3);
    let sha = format!("{:x}", Sha256::digest(&jpeg));
    let r = t
        .push(
            &token,
            c,
            vec![
                (1, create(id, "Striped tee", 1200)),
                (
                    2,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: photo,
                        sha256: sha.clone(),
                        position: 0,
                    },
                ),
                (
                    3,
                    Mutation::Publish {
                        listing_id: id,
                        base_version: 0,
                    },
                ),
            ],
        )
        .await;
    assert_eq!(rejected_code(&r.results[2].outcome), "invalid");
    crate::uploads::upload_whole(&t, &token, Some(photo), &jpeg).await;
    let r = t
        .push(
            &token,
            c,
            vec![(
                4,
                Mutation::Publish {
                    listing_id: id,
                    base_version: 0,
                },
            )],
        )
        .await;
    assert_eq!(outcomes(&r), vec![MutationOutcome::Applied]);
    let (_, feed) = t.get_json("/v1/feed").await;
    assert_eq!(feed["items"][0]["id"], id.to_string());
    assert_eq!(feed["items"][0]["cover"]["id"], photo.to_string());
    assert_eq!(feed["items"][0]["cover"]["width"], 640);
    // Anyone can now open it.
    let (status, detail) = t.get_json(&format!("/v1/listings/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(detail["status"], "live");
    assert_eq!(detail["photos"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn photos_attach_reorder_and_detach_in_order() {
    let t = start(false).await;
    let (token, _) = t.sign_up("photog").await;
    let c = Uuid::from_u128(1);
    let id = listing_id(30);
    let p = |n: u8| PhotoId::from_parts(1_800_000_000_000 + u64::from(n), [n; 10]);
    let sha = |n: u8| format!("{:064x}", n);
    let r = t
        .push(
            &token,
            c,
            vec![
                (1, create(id, "Boots", 5000)),
                (
                    2,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: p(1),
                        sha256: sha(1),
                        position: 0,
                    },
                ),
                (
                    3,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: p(2),
                        sha256: sha(2),
                        position: 0,
                    },
                ),
                (
                    4,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: p(3),
                        sha256: sha(3),
                        position: 9,
                    },
                ),
                (
                    5,
                    Mutation::ReorderPhotos {
                        listing_id: id,
                        photo_ids: vec![p(3), p(1), p(2)],
                    },
                ),
                (
                    6,
                    Mutation::ReorderPhotos {
                        listing_id: id,
                        photo_ids: vec![p(3), p(1)],
                    },
                ),
                (
                    7,
                    Mutation::DetachPhoto {
                        listing_id: id,
                        photo_id: p(1),
                    },
                ),
                (
                    8,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: p(4),
                        sha256: "NOT-HEX".into(),
                        position: 0,
                    },
                ),
            ],
        )
        .await;
    let codes = outcome_codes(&r);
    assert_eq!(
        codes,
        [
            "applied",
            "applied",
            "applied",
            "applied",
            "applied",
            "invalid:photoIds",
            "applied",
            "invalid:sha256"
        ]
    );
    let pulled = t.pull(&token, c, None).await;
    let PatchOp::Put { listing } = &pulled.patch[0] else {
        panic!("{pulled:?}")
    };
    let order: Vec<PhotoId> = listing.photos.iter().map(|p| p.id).collect();
    assert_eq!(order, vec![p(3), p(2)]);
    assert_eq!(listing.photos[0].sha256, sha(3));
    // Someone else cannot claim these photo ids.
    let (other, _) = t.sign_up("thief").await;
    let id2 = listing_id(31);
    let r = t
        .push(
            &other,
            c,
            vec![
                (1, create(id2, "Mine", 5000)),
                (
                    2,
                    Mutation::AttachPhoto {
                        listing_id: id2,
                        photo_id: p(3),
                        sha256: sha(3),
                        position: 0,
                    },
                ),
            ],
        )
        .await;
    assert_eq!(rejected_code(&r.results[1].outcome), "forbidden");
}
