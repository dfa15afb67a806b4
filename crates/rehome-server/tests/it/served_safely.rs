//! What the server sends is safe to show: `nosniff` everywhere, no database
//! text in a 500, no photos of deleted listings, no uploaded metadata, and
//! photo decoding a few at a time.

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

/// `jpeg` with an EXIF block (a GPS-looking note and orientation 6), as a
/// third-party client's camera might leave it.
fn with_metadata(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS 59.3293N 18.0686E");
    let segment = |marker: u8, payload: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    };
    let mut out = jpeg[..2].to_vec();
    out.extend(segment(0xE1, &tiff));
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn uploaded_metadata_is_stripped_and_the_photo_still_attaches_by_its_sent_hash() {
    let t = start(false).await;
    let (token, _) = t.sign_up("traveller").await;
    let sent = with_metadata(&test_jpeg(64, 64, 9));
    let photo = PhotoId::from_parts(1_800_000_000_000, [9; 10]);
    upload_whole(&t, &token, Some(photo), &sent).await;
    let res = t
        .http
        .get(t.url(&format!("/v1/photos/{photo}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let served = res.bytes().await.unwrap();
    assert!(!contains(&served, b"GPS 59.3293N"));
    // How to show the pixels stays.
    assert!(contains(&served, b"Exif\0\0MM"));
    assert!(served.len() < sent.len());
    // The client attaches and publishes by the hash of what it sent.
    let id = listing_id(9);
    let c = uuid::Uuid::from_u128(0x54);
    let res = t
        .push(
            &token,
            c,
            vec![
                (1, create(id, "Travelled", 1000)),
                (
                    2,
                    Mutation::AttachPhoto {
                        listing_id: id,
                        photo_id: photo,
                        sha256: format!("{:x}", Sha256::digest(&sent)),
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
    assert_eq!(
        crate::sync::outcome_codes(&res),
        ["applied", "applied", "applied"]
    );
}
