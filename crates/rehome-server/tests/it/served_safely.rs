//! What the server sends is safe to show: `nosniff` everywhere, no database
//! text in a 500, no photos of deleted listings, and photo decoding a few at
//! a time.

use crate::support::{config, expect_problem, start, start_with};
use crate::sync::{create, listing_id};
use crate::uploads::{create_upload, head_offset, patch_chunk, test_jpeg, upload_whole};
use rehome_model::PhotoId;
use rehome_model::sync::Mutation;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn every_answer_says_nosniff() {
    let t = start(true).await;
    let feed = t.http.get(t.url("/v1/feed")).send().await.unwrap();
    let photo = feed.json::<serde_json::Value>().await.unwrap()["items"][0]["cover"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/v1/feed".to_owned(),
        format!("/v1/photos/{photo}"),
        "/v1/no-such-route".to_owned(),
        "/v1/me".to_owned(),
    ] {
        let res = t.http.get(t.url(&path)).send().await.unwrap();
        assert_eq!(
            res.headers()
                .get("x-content-type-options")
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{path}: {}",
            res.status()
        );
    }
}

#[tokio::test]
async fn a_server_error_does_not_echo_the_database() {
    let t = start(false).await;
    let (token, _) = t.sign_up("unlucky").await;
    let db = rusqlite::Connection::open(t._dir.path().join("rehome.sqlite3")).unwrap();
    db.execute_batch("DROP TABLE notifications").unwrap();
    drop(db);
    let res = t.get_authed(&token, "/v1/notifications").await;
    let body = expect_problem(res, 500, "internal").await;
    let detail = body["detail"].as_str().unwrap();
    for leak in ["no such table", "notifications", "SQL", "database"] {
        assert!(!detail.contains(leak), "{detail}");
    }
}

#[tokio::test]
async fn the_photos_of_a_deleted_listing_are_not_served() {
    let t = start(false).await;
    let (token, _) = t.sign_up("tidy").await;
    let photo = PhotoId::from_parts(1_800_000_000_000, [4; 10]);
    let jpeg = test_jpeg(64, 64, 4);
    upload_whole(&t, &token, Some(photo), &jpeg).await;
    let id = listing_id(4);
    let c = uuid::Uuid::from_u128(0x53);
    let attach = Mutation::AttachPhoto {
        listing_id: id,
        photo_id: photo,
        sha256: format!("{:x}", Sha256::digest(&jpeg)),
        position: 0,
    };
    t.push(
        &token,
        c,
        vec![(1, create(id, "Gone soon", 1000)), (2, attach)],
    )
    .await;
    let paths = [
        format!("/v1/photos/{photo}"),
        format!("/v1/photos/{photo}/thumb"),
    ];
    for path in &paths {
        assert_eq!(t.http.get(t.url(path)).send().await.unwrap().status(), 200);
    }
    t.push(
        &token,
        c,
        vec![(3, Mutation::DeleteListing { listing_id: id })],
    )
    .await;
    for path in &paths {
        let res = t.http.get(t.url(path)).send().await.unwrap();
        expect_problem(res, 404, "not_found").await;
    }
}

#[tokio::test]
async fn with_every_decoding_turn_taken_a_last_chunk_gets_503_and_is_resent() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.limits.photo_decode_wait_ms = 20;
    let t = start_with(cfg, dir).await;
    let (token, _) = t.sign_up("patient").await;
    let jpeg = test_jpeg(64, 64, 5);
    let res = create_upload(&t, &token, None, jpeg.len(), None).await;
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    let flood = t.server.app.state.photo_decodes.take_all().await.unwrap();
    let res = patch_chunk(&t, &token, &loc, 0, &jpeg, true).await;
    assert_eq!(res.headers()["retry-after"], "1");
    let body = expect_problem(res, 503, "rate_limited").await;
    assert_eq!(body["field"], "max-photo-decodes");
    assert_eq!(head_offset(&t, &token, &loc).await, 0);
    drop(flood);
    let res = patch_chunk(&t, &token, &loc, 0, &jpeg, true).await;
    assert_eq!(res.status(), 204);
    assert_eq!(head_offset(&t, &token, &loc).await, jpeg.len() as u64);
}
