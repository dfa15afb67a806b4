//! Push: exactly-once, conflicts, ownership, invalid mutations (pull and push
//! bodies: `sync_wire.rs`; photos: `listing_photos.rs`).

use crate::support::{TestServer, start};
use rehome_model::sync::{
    GuardedField, ListingFields, Mutation, MutationOutcome, Parcel, serde_json_value::Value,
};
use rehome_model::{Category, Condition, ListingId, Money, PhotoId};
use serde_json::json;
use uuid::Uuid;

pub fn listing_id(n: u8) -> ListingId {
    ListingId::from_parts(1_800_000_000_000 + u64::from(n), [n; 10])
}

pub fn full_fields(title: &str) -> ListingFields {
    ListingFields {
        title: Some(title.into()),
        description: Some("Worn twice".into()),
        category: Some(Category::Tops),
        brand: Some("Arket".into()),
        size: Some("M".into()),
        condition: Some(Condition::LikeNew),
        parcel: Some(Parcel::Small),
        ..Default::default()
    }
}

pub fn create(id: ListingId, title: &str, price: i64) -> Mutation {
    Mutation::CreateListing {
        listing_id: id,
        fields: full_fields(title),
        price: Money(price),
        quantity: 1,
    }
}

pub fn outcomes(res: &rehome_model::sync::PushResponse) -> Vec<MutationOutcome> {
    res.results.iter().map(|r| r.outcome.clone()).collect()
}

/// `applied`, `conflict`, or `<code>:<field>` for each result.
pub fn outcome_codes(r: &rehome_model::sync::PushResponse) -> Vec<String> {
    r.results.iter().map(|x| outcome_code(&x.outcome)).collect()
}

/// `applied`, `conflict`, or `<code>:<field>` for one outcome.
pub fn outcome_code(o: &MutationOutcome) -> String {
    match o {
        MutationOutcome::Applied => "applied".to_owned(),
        MutationOutcome::Rejected { error } => format!(
            "{}:{}",
            error.code.as_str(),
            error.field.clone().unwrap_or_default()
        ),
        MutationOutcome::Conflict { .. } => "conflict".to_owned(),
    }
}

pub fn rejected_code(o: &MutationOutcome) -> String {
    match o {
        MutationOutcome::Rejected { error } => error.code.as_str().to_owned(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

async fn listing_json(t: &TestServer, token: &str, id: ListingId) -> serde_json::Value {
    t.get_authed(token, &format!("/v1/listings/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_replayed_push_applies_once_and_returns_the_stored_outcomes() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller1").await;
    let client = Uuid::from_u128(1);
    let id = listing_id(1);
    let batch = vec![
        (1, create(id, "Linen shirt", 2000)),
        (
            2,
            Mutation::SetPrice {
                listing_id: id,
                price: Money(1800),
                base_version: 0,
            },
        ),
        // Stale on purpose: its stored outcome must replay as the same conflict.
        (
            3,
            Mutation::SetPrice {
                listing_id: id,
                price: Money(1500),
                base_version: 0,
            },
        ),
    ];
    let first = t.push(&token, client, batch.clone()).await;
    assert_eq!(first.last_mutation_id, 3);
    let again = t.push(&token, client, batch.clone()).await;
    assert_eq!(again, first, "a replay gets the stored outcomes");
    // Partly new batch: old ids are skipped, the new one applies.
    let mut more = batch.clone();
    more.push((
        4,
        Mutation::SetPrice {
            listing_id: id,
            price: Money(1700),
            base_version: 1,
        },
    ));
    let third = t.push(&token, client, more).await;
    assert_eq!(third.last_mutation_id, 4);
    assert_eq!(third.results[3].outcome, MutationOutcome::Applied);

    let l = listing_json(&t, &token, id).await;
    assert_eq!(l["price"], 1700);
    assert_eq!(
        l["priceVersion"], 2,
        "each price change applied exactly once"
    );
    let pulled = t.pull(&token, client, None).await;
    assert_eq!(pulled.last_mutation_id, 4);
    assert_eq!(pulled.patch.len(), 1, "one listing, never a duplicate");

    // Another client of the same user has its own sequence.
    let other = t
        .push(
            &token,
            Uuid::from_u128(2),
            vec![(1, create(listing_id(2), "Tee", 900))],
        )
        .await;
    assert_eq!(other.last_mutation_id, 1);
    assert_eq!(outcomes(&other), vec![MutationOutcome::Applied]);
}

#[tokio::test]
async fn a_stale_price_edit_is_a_conflict_carrying_both_values() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller2").await;
    let id = listing_id(3);
    t.push(
        &token,
        Uuid::from_u128(1),
        vec![(1, create(id, "Wool coat", 9000))],
    )
    .await;
    // Device A drops the price (base 0 → 1).
    let a = t
        .push(
            &token,
            Uuid::from_u128(1),
            vec![(
                2,
                Mutation::SetPrice {
                    listing_id: id,
                    price: Money(8000),
                    base_version: 0,
                },
            )],
        )
        .await;
    assert_eq!(outcomes(&a), vec![MutationOutcome::Applied]);
    // Device B, offline meanwhile, edits from base 0 too.
    let b = t
        .push(
            &token,
            Uuid::from_u128(2),
            vec![
                (
                    1,
                    Mutation::SetPrice {
                        listing_id: id,
                        price: Money(7000),
                        base_version: 0,
                    },
                ),
                (
                    2,
                    Mutation::SetQuantity {
                        listing_id: id,
                        quantity: 3,
                        base_version: 0,
                    },
                ),
                (
                    3,
                    Mutation::UpdateListing {
                        listing_id: id,
                        fields: ListingFields {
                            title: Some("Grey wool coat".into()),
                            ..Default::default()
                        },
                    },
                ),
            ],
        )
        .await;
    assert_eq!(
        b.results[0].outcome,
        MutationOutcome::Conflict {
            field: GuardedField::Price,
            mine: Value::Number(7000),
            theirs: Value::Number(8000),
            server_version: 1,
        }
    );
    // Guarded fields are independent; descriptive fields are last-write-wins.
    assert_eq!(b.results[1].outcome, MutationOutcome::Applied);
    assert_eq!(b.results[2].outcome, MutationOutcome::Applied);
    let l = listing_json(&t, &token, id).await;
    assert_eq!(
        (
            l["price"].clone(),
            l["quantity"].clone(),
            l["title"].clone()
        ),
        (json!(8000), json!(3), json!("Grey wool coat"))
    );
}

#[tokio::test]
async fn sold_wins_over_later_edits_and_status_is_compare_and_set() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller3").await;
    let id = listing_id(4);
    let c = Uuid::from_u128(1);
    let r = t
        .push(
            &token,
            c,
            vec![
                (1, create(id, "Silk scarf", 3000)),
                (2, Mutation::MarkSold { listing_id: id }),
                (
                    3,
                    Mutation::SetPrice {
                        listing_id: id,
                        price: Money(2500),
                        base_version: 0,
                    },
                ),
                (
                    4,
                    Mutation::UpdateListing {
                        listing_id: id,
                        fields: ListingFields {
                            title: Some("x".into()),
                            ..Default::default()
                        },
                    },
                ),
                (
                    5,
                    Mutation::Delist {
                        listing_id: id,
                        base_version: 1,
                    },
                ),
                (6, Mutation::MarkSold { listing_id: id }),
            ],
        )
        .await;
    let sold = MutationOutcome::Conflict {
        field: GuardedField::Status,
        mine: Value::Text("live".into()),
        theirs: Value::Text("sold".into()),
        server_version: 1,
    };
    assert_eq!(
        outcomes(&r),
        vec![
            MutationOutcome::Applied,
            MutationOutcome::Applied,
            sold.clone(),
            sold.clone(),
            sold,
            MutationOutcome::Applied
        ]
    );
    let l = listing_json(&t, &token, id).await;
    assert_eq!(
        (l["status"].clone(), l["price"].clone(), l["title"].clone()),
        (json!("sold"), json!(3000), json!("Silk scarf"))
    );
}

#[tokio::test]
async fn one_user_cannot_touch_another_users_listing() {
    let t = start(false).await;
    let (owner, _) = t.sign_up("owner").await;
    let (intruder, _) = t.sign_up("intruder").await;
    let id = listing_id(5);
    t.push(
        &owner,
        Uuid::from_u128(1),
        vec![(1, create(id, "Denim jacket", 4000))],
    )
    .await;
    let attempts = vec![
        Mutation::UpdateListing {
            listing_id: id,
            fields: ListingFields {
                title: Some("mine now".into()),
                ..Default::default()
            },
        },
        Mutation::SetPrice {
            listing_id: id,
            price: Money(100),
            base_version: 0,
        },
        Mutation::SetQuantity {
            listing_id: id,
            quantity: 9,
            base_version: 0,
        },
        Mutation::Publish {
            listing_id: id,
            base_version: 0,
        },
        Mutation::Delist {
            listing_id: id,
            base_version: 0,
        },
        Mutation::Relist {
            listing_id: id,
            base_version: 0,
        },
        Mutation::MarkSold { listing_id: id },
        Mutation::DeleteListing { listing_id: id },
        Mutation::AttachPhoto {
            listing_id: id,
            photo_id: PhotoId::from_parts(1, [1; 10]),
            sha256: "a".repeat(64),
            position: 0,
        },
        Mutation::DetachPhoto {
            listing_id: id,
            photo_id: PhotoId::from_parts(1, [1; 10]),
        },
        Mutation::ReorderPhotos {
            listing_id: id,
            photo_ids: vec![],
        },
        Mutation::OfferToLikers {
            offer_id: Uuid::from_u128(9),
            listing_id: id,
            amount: Money(1000),
        },
        // Creating over someone else's id is refused too.
        create(id, "dup", 100),
    ];
    let n = attempts.len();
    let r = t
        .push(
            &intruder,
            Uuid::from_u128(7),
            attempts
                .into_iter()
                .enumerate()
                .map(|(i, m)| (i as u64 + 1, m))
                .collect(),
        )
        .await;
    assert_eq!(
        r.last_mutation_id, n as u64,
        "refusals are processed, never retried"
    );
    for (i, res) in r.results.iter().enumerate() {
        let code = rejected_code(&res.outcome);
        let expected = if i == n - 1 { "invalid" } else { "forbidden" };
        assert_eq!(code, expected, "mutation {}", i + 1);
    }
    let l = listing_json(&t, &owner, id).await;
    assert_eq!(
        (l["title"].clone(), l["price"].clone(), l["status"].clone()),
        (json!("Denim jacket"), json!(4000), json!("draft"))
    );
}

#[tokio::test]
async fn invalid_mutations_are_recorded_and_do_not_block_the_queue() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller4").await;
    let c = Uuid::from_u128(1);
    let id = listing_id(6);
    let r = t
        .push(
            &token,
            c,
            vec![
                (
                    1,
                    Mutation::SetPrice {
                        listing_id: listing_id(99),
                        price: Money(500),
                        base_version: 0,
                    },
                ),
                (2, create(id, &"t".repeat(81), 1000)),
                (
                    3,
                    Mutation::CreateListing {
                        listing_id: id,
                        fields: full_fields("ok"),
                        price: Money(1000),
                        quantity: 0,
                    },
                ),
                (4, create(id, "Good title", 1000)),
                (
                    5,
                    Mutation::SetPrice {
                        listing_id: id,
                        price: Money(5),
                        base_version: 0,
                    },
                ),
                (
                    6,
                    Mutation::Publish {
                        listing_id: id,
                        base_version: 0,
                    },
                ),
                (
                    7,
                    Mutation::Follow {
                        seller_id: rehome_model::UserId::from_parts(5, [5; 10]),
                    },
                ),
            ],
        )
        .await;
    let codes = outcome_codes(&r);
    assert_eq!(
        codes,
        vec![
            "not_found:listingId",
            "invalid:title",
            "invalid:quantity",
            "applied",
            "invalid:price",
            // Publish is refused until the listing has (complete) photos.
            "invalid:photos",
            "not_found:sellerId",
        ]
    );
    assert_eq!(r.last_mutation_id, 7);
}
