//! Per-account quotas (unfinished upload bytes, stored photo bytes, listings)
//! and the sign-up limit per address: each refusal names its limit.

use crate::support::{TestServer, config, expect_problem, manual_clock, start_with};
use crate::sync::{create, listing_id, outcome_codes};
use crate::uploads::{create_upload, patch_chunk, test_jpeg};
use rehome_model::sync::Mutation;
use sha2::{Digest, Sha256};

async fn start_limited(f: impl FnOnce(&mut rehome_server::Limits)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    f(&mut cfg.limits);
    start_with(cfg, dir).await
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// Uploads `bytes` whole; the upload's location.
async fn upload(t: &TestServer, token: &str, bytes: &[u8]) -> String {
    let res = create_upload(t, token, None, bytes.len(), None).await;
    assert_eq!(res.status(), 201);
    let loc = location(&res);
    assert_eq!(
        patch_chunk(t, token, &loc, 0, bytes, true).await.status(),
        204
    );
    loc
}

#[tokio::test]
async fn unfinished_uploads_past_the_account_limit_get_429_until_some_finish() {
    let jpeg = test_jpeg(64, 64, 1);
    let n = jpeg.len();
    let t = start_limited(|l| l.max_unfinished_upload_bytes = 2 * n as u64).await;
    let (token, _) = t.sign_up("hoarder").await;
    let first = create_upload(&t, &token, None, n, None).await;
    assert_eq!(first.status(), 201);
    let first = location(&first);
    assert_eq!(create_upload(&t, &token, None, n, None).await.status(), 201);
    let res = create_upload(&t, &token, None, 1, None).await;
    assert!(res.headers().contains_key("retry-after"));
    let body = expect_problem(res, 429, "rate_limited").await;
    assert_eq!(body["field"], "max-unfinished-upload-bytes");
    // Per account: someone else may still upload.
    let (other, _) = t.sign_up("neighbour").await;
    assert_eq!(create_upload(&t, &other, None, n, None).await.status(), 201);
    // A finished upload no longer counts as in flight.
    assert_eq!(
        patch_chunk(&t, &token, &first, 0, &jpeg, true)
            .await
            .status(),
        204
    );
    assert_eq!(create_upload(&t, &token, None, n, None).await.status(), 201);
}

#[tokio::test]
async fn stored_photo_bytes_past_the_account_limit_get_413_but_dedupe_still_works() {
    let a = test_jpeg(64, 64, 1);
    let b = test_jpeg(64, 64, 2);
    let t = start_limited(|l| l.max_stored_photo_bytes = (a.len() + b.len() - 1) as u64).await;
    let (token, _) = t.sign_up("collector").await;
    upload(&t, &token, &a).await;
    let body = expect_problem(
        create_upload(&t, &token, None, b.len(), None).await,
        413,
        "too_large",
    )
    .await;
    assert_eq!(body["field"], "max-stored-photo-bytes");
    // Content it already holds costs nothing: a re-upload completes at once.
    let sha = format!("{:x}", Sha256::digest(&a));
    let res = create_upload(&t, &token, None, a.len(), Some(&sha)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["upload-offset"], a.len().to_string().as_str());
}

#[tokio::test]
async fn listings_past_the_account_limit_are_rejected_naming_it() {
    let t = start_limited(|l| l.max_listings = 2).await;
    let (token, _) = t.sign_up("prolific").await;
    let client = uuid::Uuid::from_u128(0x51);
    let res = t
        .push(
            &token,
            client,
            vec![
                (1, create(listing_id(1), "One", 1000)),
                (2, create(listing_id(2), "Two", 1000)),
                (3, create(listing_id(3), "Three", 1000)),
            ],
        )
        .await;
    assert_eq!(
        outcome_codes(&res),
        ["applied", "applied", "too_large:max-listings"]
    );
    // Deleting one makes room.
    let res = t
        .push(
            &token,
            client,
            vec![
                (
                    4,
                    Mutation::DeleteListing {
                        listing_id: listing_id(1),
                    },
                ),
                (5, create(listing_id(3), "Three", 1000)),
            ],
        )
        .await;
    assert_eq!(outcome_codes(&res), ["applied", "applied"]);
}

#[tokio::test]
async fn sign_ups_past_the_address_limit_get_429_until_the_window_passes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(1_800_000_000_000);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    cfg.limits.max_sign_ups_per_address = 2;
    let t = start_with(cfg, dir).await;
    t.sign_up("first").await;
    // A taken handle creates nothing, so it does not count.
    let again = serde_json::json!({"handle": "first", "password": "password1", "sizes": []});
    let res = t.post_json(None, "/v1/auth/sign-up", &again).await;
    assert_eq!(res.status(), 409);
    t.sign_up("second").await;
    let third = serde_json::json!({"handle": "third", "password": "password1", "sizes": []});
    let res = t.post_json(None, "/v1/auth/sign-up", &third).await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 3600, "{retry}");
    let body = expect_problem(res, 429, "rate_limited").await;
    assert_eq!(body["field"], "max-sign-ups-per-address");
    clock.advance(3_600_000);
    t.sign_up("third").await;
}
