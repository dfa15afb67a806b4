//! Notifications: who hears what, the daily budget, quiet hours and the digest.

use crate::support::{TestServer, config, manual_clock, start_with};
use crate::sync::{create, listing_id};
use rehome_model::FeedPage;
use rehome_model::api::{Notification, NotificationKind};
use rehome_model::sync::{Mutation, MutationOutcome};
use rehome_model::{Money, PhotoId};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Creates, photographs and publishes a listing; returns its id.
pub async fn publish(
    t: &TestServer,
    token: &str,
    client: Uuid,
    first_id: u64,
    n: u8,
    price: i64,
) -> rehome_model::ListingId {
    let id = listing_id(n);
    let photo = PhotoId::from_parts(1_800_000_000_000 + u64::from(n), [n; 10]);
    let jpeg = crate::uploads::test_jpeg(120, 160, u64::from(n));
    crate::uploads::upload_whole(t, token, Some(photo), &jpeg).await;
    let r = t
        .push(
            token,
            client,
            vec![
                (first_id, create(id, &format!("Item {n}"), price)),
                (
                    first_id + 1,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: photo,
                        sha256: format!("{:x}", Sha256::digest(&jpeg)),
                        position: 0,
                    },
                ),
                (
                    first_id + 2,
                    Mutation::Publish {
                        listing_id: id,
                        base_version: 0,
                    },
                ),
            ],
        )
        .await;
    assert!(
        r.results
            .iter()
            .all(|x| x.outcome == MutationOutcome::Applied),
        "{r:?}"
    );
    id
}

async fn inbox(t: &TestServer, token: &str) -> Vec<(NotificationKind, u32)> {
    let page: FeedPage<Notification> = t
        .get_authed(token, "/v1/notifications?limit=100")
        .await
        .json()
        .await
        .unwrap();
    page.items.iter().map(|n| (n.kind, n.count)).collect()
}

async fn settings(t: &TestServer, token: &str, body: serde_json::Value) {
    let res = t
        .http
        .put(t.url("/v1/me/settings"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
}

const NOON: i64 = 1_800_000_000_000 / 86_400_000 * 86_400_000 + 12 * 3_600_000;

#[tokio::test]
async fn the_daily_budget_holds_and_the_overflow_folds_into_a_digest() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(NOON);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    let t = start_with(cfg, dir).await;
    let (seller, _) = t.sign_up("budget_seller").await;
    let (buyer, _) = t.sign_up("budget_buyer").await;
    let sc = Uuid::from_u128(1);
    let mut ids = Vec::new();
    for n in 0..4u8 {
        ids.push(publish(&t, &seller, sc, 1 + u64::from(n) * 3, 50 + n, 5000).await);
    }
    settings(&t, &buyer, json!({"notifications": {"dailyBudget": 2}})).await;
    let likes = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (i as u64 + 1, Mutation::Like { listing_id: *id }))
        .collect();
    t.push(&buyer, Uuid::from_u128(2), likes).await;
    let drops = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                100 + i as u64,
                Mutation::SetPrice {
                    listing_id: *id,
                    price: Money(4000),
                    base_version: 0,
                },
            )
        })
        .collect();
    let r = t.push(&seller, sc, drops).await;
    assert!(
        r.results
            .iter()
            .all(|x| x.outcome == MutationOutcome::Applied)
    );
    // Two delivered, two held: nothing over budget today, nothing dropped.
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![
            (NotificationKind::PriceDrop, 1),
            (NotificationKind::PriceDrop, 1)
        ]
    );
    // A price rise notifies nobody.
    t.push(
        &seller,
        sc,
        vec![(
            200,
            Mutation::SetPrice {
                listing_id: ids[0],
                price: Money(4500),
                base_version: 1,
            },
        )],
    )
    .await;
    assert_eq!(inbox(&t, &buyer).await.len(), 2);
    // Next day: the held two arrive as one digest.
    clock.advance(24 * 3_600_000);
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![
            (NotificationKind::Digest, 2),
            (NotificationKind::PriceDrop, 1),
            (NotificationKind::PriceDrop, 1)
        ]
    );
    // And reading again does not fold anything twice.
    assert_eq!(inbox(&t, &buyer).await.len(), 3);
    // The inbox pages by cursor, newest first, without repeats.
    let mut ids = Vec::new();
    let mut path = "/v1/notifications?limit=1".to_owned();
    loop {
        let page: FeedPage<Notification> = t.get_authed(&buyer, &path).await.json().await.unwrap();
        ids.extend(page.items.iter().map(|n| n.id));
        match page.next_cursor {
            Some(c) => path = format!("/v1/notifications?limit=1&cursor={}", c.0),
            None => break,
        }
    }
    assert_eq!(ids.len(), 3);
    assert!(ids.windows(2).all(|w| w[0] > w[1]));
    // Someone else's inbox cursor is refused.
    let page: FeedPage<Notification> = t
        .get_authed(&buyer, "/v1/notifications?limit=1")
        .await
        .json()
        .await
        .unwrap();
    let res = t
        .get_authed(
            &seller,
            &format!("/v1/notifications?cursor={}", page.next_cursor.unwrap().0),
        )
        .await;
    crate::support::expect_problem(res, 400, "bad_cursor").await;
}

#[tokio::test]
async fn quiet_hours_hold_notifications_until_they_end() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(NOON);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    let t = start_with(cfg, dir).await;
    let (seller, seller_id) = t.sign_up("quiet_seller").await;
    let (buyer, _) = t.sign_up("quiet_buyer").await;
    // Quiet from 11:00 to 13:00 UTC; it is noon.
    settings(
        &t,
        &buyer,
        json!({"notifications": {"dailyBudget": 5, "quietStart": 660, "quietEnd": 780}}),
    )
    .await;
    t.push(
        &buyer,
        Uuid::from_u128(2),
        vec![(1, Mutation::Follow { seller_id })],
    )
    .await;
    publish(&t, &seller, Uuid::from_u128(1), 1, 60, 3000).await;
    assert_eq!(inbox(&t, &buyer).await, vec![]);
    clock.advance(3_600_000);
    assert_eq!(inbox(&t, &buyer).await, vec![(NotificationKind::Digest, 1)]);
    // Out of quiet hours, a new listing arrives as itself.
    publish(&t, &seller, Uuid::from_u128(1), 10, 61, 3000).await;
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![
            (NotificationKind::NewListing, 1),
            (NotificationKind::Digest, 1)
        ]
    );
    // Bad settings are refused.
    for (body, field) in [
        (
            json!({"notifications": {"dailyBudget": 5, "quietStart": 1440, "quietEnd": 10}}),
            "notifications.quietStart",
        ),
        (
            json!({"notifications": {"dailyBudget": 5, "quietStart": 10}}),
            "notifications.quietEnd",
        ),
        (
            json!({"notifications": {"dailyBudget": 101}}),
            "notifications.dailyBudget",
        ),
    ] {
        let res = t
            .http
            .put(t.url("/v1/me/settings"))
            .bearer_auth(&buyer)
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = crate::support::expect_problem(res, 422, "invalid").await;
        assert_eq!(p["field"], field);
    }
}

#[tokio::test]
async fn offers_answers_offers_to_likers_and_the_first_sale_notify() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(NOON);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    let t = start_with(cfg, dir).await;
    let (seller, _) = t.sign_up("offer_seller").await;
    let (buyer, _) = t.sign_up("offer_buyer").await;
    let (liker, _) = t.sign_up("offer_liker").await;
    let sc = Uuid::from_u128(1);
    let a = publish(&t, &seller, sc, 1, 70, 5000).await;
    let b = publish(&t, &seller, sc, 4, 71, 5000).await;
    t.push(
        &liker,
        Uuid::from_u128(3),
        vec![(1, Mutation::Like { listing_id: b })],
    )
    .await;
    let offer = Uuid::from_u128(500);
    let r = t
        .push(
            &buyer,
            Uuid::from_u128(2),
            vec![
                (
                    1,
                    Mutation::MakeOffer {
                        offer_id: offer,
                        listing_id: a,
                        amount: Money(4000),
                    },
                ),
                (
                    2,
                    Mutation::MakeOffer {
                        offer_id: Uuid::from_u128(501),
                        listing_id: a,
                        amount: Money(6000),
                    },
                ),
                (3, Mutation::AcceptOffer { offer_id: offer }),
            ],
        )
        .await;
    assert_eq!(r.results[0].outcome, MutationOutcome::Applied);
    assert!(
        matches!(r.results[1].outcome, MutationOutcome::Rejected { .. }),
        "an offer over the price"
    );
    assert!(
        matches!(r.results[2].outcome, MutationOutcome::Rejected { .. }),
        "a buyer cannot accept their own offer"
    );
    assert_eq!(inbox(&t, &seller).await, vec![(NotificationKind::Offer, 1)]);
    let r = t
        .push(
            &seller,
            sc,
            vec![
                (10, Mutation::AcceptOffer { offer_id: offer }),
                (
                    11,
                    Mutation::OfferToLikers {
                        offer_id: Uuid::from_u128(600),
                        listing_id: b,
                        amount: Money(4500),
                    },
                ),
            ],
        )
        .await;
    assert!(
        r.results
            .iter()
            .all(|x| x.outcome == MutationOutcome::Applied),
        "{r:?}"
    );
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![(NotificationKind::OfferAccepted, 1)]
    );
    assert_eq!(
        inbox(&t, &seller).await,
        vec![
            (NotificationKind::FirstSale, 1),
            (NotificationKind::Offer, 1)
        ]
    );
    let (_, detail) = t.get_json(&format!("/v1/listings/{a}")).await;
    assert_eq!(
        (detail["status"].clone(), detail["price"].clone()),
        (json!("sold"), json!(4000))
    );
    assert_eq!(inbox(&t, &liker).await, vec![(NotificationKind::Offer, 1)]);
    // The liker takes the offer to likers: sold to them, but the seller's first sale was earlier.
    let r = t
        .push(
            &liker,
            Uuid::from_u128(3),
            vec![(
                2,
                Mutation::AcceptOffer {
                    offer_id: Uuid::from_u128(600),
                },
            )],
        )
        .await;
    assert_eq!(r.results[0].outcome, MutationOutcome::Applied);
    assert_eq!(
        inbox(&t, &seller).await,
        vec![
            (NotificationKind::OfferAccepted, 1),
            (NotificationKind::FirstSale, 1),
            (NotificationKind::Offer, 1)
        ]
    );
}

#[tokio::test]
async fn a_declined_offer_is_closed_and_an_unfollow_stops_new_listing_notices() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(NOON);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    let t = start_with(cfg, dir).await;
    let (seller, seller_id) = t.sign_up("decline_seller").await;
    let (buyer, _) = t.sign_up("decline_buyer").await;
    let (sc, bc) = (Uuid::from_u128(1), Uuid::from_u128(2));
    let codes = crate::sync::outcome_codes;
    let r = t
        .push(&buyer, bc, vec![(1, Mutation::Follow { seller_id })])
        .await;
    assert_eq!(codes(&r), ["applied"]);
    let a = publish(&t, &seller, sc, 1, 80, 5000).await;
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![(NotificationKind::NewListing, 1)]
    );

    let offer = Uuid::from_u128(800);
    let r = t
        .push(
            &buyer,
            bc,
            vec![
                (
                    2,
                    Mutation::MakeOffer {
                        offer_id: offer,
                        listing_id: a,
                        amount: Money(4000),
                    },
                ),
                // Only the seller declines.
                (3, Mutation::DeclineOffer { offer_id: offer }),
            ],
        )
        .await;
    assert_eq!(codes(&r), ["applied", "forbidden:offerId"]);
    let r = t
        .push(
            &seller,
            sc,
            vec![
                (10, Mutation::DeclineOffer { offer_id: offer }),
                (11, Mutation::AcceptOffer { offer_id: offer }),
                (12, Mutation::DeclineOffer { offer_id: offer }),
            ],
        )
        .await;
    assert_eq!(
        codes(&r),
        ["applied", "conflict:offerId", "conflict:offerId"]
    );
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![
            (NotificationKind::OfferDeclined, 1),
            (NotificationKind::NewListing, 1)
        ]
    );
    let (_, detail) = t.get_json(&format!("/v1/listings/{a}")).await;
    assert_eq!(detail["status"], "live");

    // After an unfollow, the seller's next listing is no news to them.
    let r = t
        .push(&buyer, bc, vec![(4, Mutation::Unfollow { seller_id })])
        .await;
    assert_eq!(codes(&r), ["applied"]);
    publish(&t, &seller, sc, 20, 81, 3000).await;
    assert_eq!(
        inbox(&t, &buyer).await,
        vec![
            (NotificationKind::OfferDeclined, 1),
            (NotificationKind::NewListing, 1)
        ]
    );
}
