//! Issue 3: an upload says complete only when its photo is attachable, and
//! dedupe by content hash is scoped to the account that sent the bytes.

use crate::support::{TestServer, expect_problem, start};
use crate::uploads::{create_upload, head_offset, patch_chunk, test_jpeg, upload_whole};
use rehome_model::PhotoId;
use sha2::{Digest, Sha256};

/// Creates a listing with `photo` attached, pushes a publish and says whether
/// it went live (publish needs every attached photo complete and checked).
async fn attach_and_publish(
    t: &TestServer,
    token: &str,
    client: uuid::Uuid,
    first_id: u64,
    listing: rehome_model::ListingId,
    photo: PhotoId,
    sha: &str,
) -> bool {
    use rehome_model::sync::{Mutation, MutationOutcome};
    let r = t
        .push(
            token,
            client,
            vec![
                (first_id, crate::sync::create(listing, "Striped tee", 1500)),
                (
                    first_id + 1,
                    Mutation::AttachPhoto {
                        listing_id: listing,
                        photo_id: photo,
                        sha256: sha.to_owned(),
                        position: 0,
                    },
                ),
                (
                    first_id + 2,
                    Mutation::Publish {
                        listing_id: listing,
                        base_version: 0,
                    },
                ),
            ],
        )
        .await;
    r.results.len() == 3
        && r.results
            .iter()
            .all(|x| x.outcome == MutationOutcome::Applied)
}

/// Creates an upload of `jpeg` for `photo` and sends its first half; returns
/// the upload's location and where the half ends.
async fn half_uploaded(
    t: &TestServer,
    token: &str,
    photo: PhotoId,
    jpeg: &[u8],
) -> (String, usize) {
    let res = create_upload(t, token, Some(photo), jpeg.len(), None).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let half = jpeg.len() / 2;
    let res = patch_chunk(t, token, &location, 0, &jpeg[..half], true).await;
    assert_eq!(res.status(), 204);
    assert_eq!(head_offset(t, token, &location).await, half as u64);
    (location, half)
}

/// The status `GET /v1/photos/{photo}` answers.
async fn photo_status(t: &TestServer, photo: PhotoId) -> u16 {
    let url = t.url(&format!("/v1/photos/{photo}"));
    t.http.get(url).send().await.unwrap().status().as_u16()
}

/// Issue 3, defect A: the full offset was committed before the server had
/// checked, stored and claimed the photo, so a HEAD could say "complete" for
/// an upload that was not attachable yet (and stayed so for good when the
/// finishing step failed). Here finishing fails deterministically: the blob
/// store is swapped for a plain file while the last chunk arrives.
#[tokio::test]
async fn a_failed_finish_never_reports_the_full_offset_and_the_last_chunk_can_be_resent() {
    let t = start(false).await;
    let (token, _) = t.sign_up("finisher").await;
    let photo = PhotoId::from_parts(1_800_000_000_100, [9; 10]);
    let jpeg = test_jpeg(600, 800, 9);
    let sha = format!("{:x}", Sha256::digest(&jpeg));
    let (location, half) = half_uploaded(&t, &token, photo, &jpeg).await;

    let blobs = t.server.app.state.data_dir.join("blobs");
    let aside = t.server.app.state.data_dir.join("blobs-aside");
    std::fs::rename(&blobs, &aside).unwrap();
    std::fs::write(&blobs, b"not a directory").unwrap();
    expect_problem(
        patch_chunk(&t, &token, &location, half, &jpeg[half..], true).await,
        500,
        "internal",
    )
    .await;
    // Every byte arrived, but the upload is not complete: HEAD says so.
    assert_eq!(head_offset(&t, &token, &location).await, half as u64);
    assert_eq!(photo_status(&t, photo).await, 404);

    std::fs::remove_file(&blobs).unwrap();
    std::fs::rename(&aside, &blobs).unwrap();
    let res = patch_chunk(&t, &token, &location, half, &jpeg[half..], true).await;
    assert_eq!(res.status(), 204);
    assert_eq!(head_offset(&t, &token, &location).await, jpeg.len() as u64);
    assert_eq!(photo_status(&t, photo).await, 200);
    let client = uuid::Uuid::from_u128(9);
    let listing = crate::sync::listing_id(90);
    assert!(attach_and_publish(&t, &token, client, 1, listing, photo, &sha).await);
    // The part file went once the completion was recorded.
    let parts = t.server.app.state.data_dir.join("uploads");
    assert_eq!(std::fs::read_dir(parts).unwrap().count(), 0);
}

/// Issue 3, defect A, as the invariant a client relies on: whenever HEAD
/// reports the full offset, the photo is served and a publish with it attached
/// goes live. A poller HEADs each upload as fast as it can while its last
/// chunk is being finished (no timing is asserted; the old server failed this
/// within a few uploads because the checks and the fsyncs take a while).
#[tokio::test]
async fn head_reports_the_full_offset_only_once_the_photo_is_attachable() {
    let t = std::sync::Arc::new(start(false).await);
    let (token, _) = t.sign_up("poller").await;
    let client = uuid::Uuid::from_u128(10);
    for n in 0..8u8 {
        let photo = PhotoId::from_parts(1_800_000_000_200 + u64::from(n), [n; 10]);
        let jpeg = test_jpeg(600, 800, 100 + u64::from(n));
        let sha = format!("{:x}", Sha256::digest(&jpeg));
        let (location, half) = half_uploaded(&t, &token, photo, &jpeg).await;
        let poller = {
            let (t, token, location) = (t.clone(), token.clone(), location.clone());
            let total = jpeg.len() as u64;
            tokio::spawn(async move {
                while head_offset(&t, &token, &location).await < total {}
                // HEAD said complete: it must be attachable right now.
                let served = photo_status(&t, photo).await;
                let listing = crate::sync::listing_id(100 + n);
                let live = attach_and_publish(
                    &t,
                    &token,
                    client,
                    1 + 3 * u64::from(n),
                    listing,
                    photo,
                    &sha,
                )
                .await;
                (served, live)
            })
        };
        let res = patch_chunk(&t, &token, &location, half, &jpeg[half..], true).await;
        assert_eq!(res.status(), 204);
        assert_eq!(poller.await.unwrap(), (200, true), "upload {n}");
    }
}

/// Issue 3, defect B: dedupe by content hash is scoped to the uploading
/// account. Someone who knows another seller's photo hash and length gets
/// nothing from it (neither by creating an upload nor by attaching the hash)
/// until they send the bytes themselves.
#[tokio::test]
async fn dedupe_is_scoped_to_the_account_that_uploaded_the_bytes() {
    let t = start(false).await;
    let (alice, _) = t.sign_up("alice_up").await;
    let (bob, _) = t.sign_up("bob_up").await;
    let jpeg = test_jpeg(300, 400, 21);
    let sha = format!("{:x}", Sha256::digest(&jpeg));
    let alices = PhotoId::from_parts(1_800_000_000_300, [30; 10]);
    upload_whole(&t, &alice, Some(alices), &jpeg).await;
    assert_eq!(photo_status(&t, alices).await, 200);

    // Bob claims Alice's content by hash and length: no dedupe.
    let bobs = PhotoId::from_parts(1_800_000_000_301, [31; 10]);
    let res = create_upload(&t, &bob, Some(bobs), jpeg.len(), Some(&sha)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["upload-offset"], "0");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(head_offset(&t, &bob, &location).await, 0);
    assert_eq!(photo_status(&t, bobs).await, 404);
    // Attaching the hash to a listing does not make it his either.
    let client = uuid::Uuid::from_u128(30);
    let listing = crate::sync::listing_id(130);
    assert!(!attach_and_publish(&t, &bob, client, 1, listing, bobs, &sha).await);
    assert_eq!(photo_status(&t, bobs).await, 404);

    // Once he sends the bytes, it is his.
    for (i, chunk) in jpeg.chunks(64 * 1024).enumerate() {
        let res = patch_chunk(&t, &bob, &location, i * 64 * 1024, chunk, true).await;
        assert_eq!(res.status(), 204);
    }
    assert_eq!(photo_status(&t, bobs).await, 200);
    let r = t
        .push(
            &bob,
            client,
            vec![(
                4,
                rehome_model::sync::Mutation::Publish {
                    listing_id: listing,
                    base_version: 0,
                },
            )],
        )
        .await;
    assert_eq!(
        r.results[0].outcome,
        rehome_model::sync::MutationOutcome::Applied
    );
    // And now his own later uploads of it dedupe (as Alice's do).
    for (token, n) in [(&bob, 32u8), (&alice, 33)] {
        let again = PhotoId::from_parts(1_800_000_000_300 + u64::from(n), [n; 10]);
        let res = create_upload(&t, token, Some(again), jpeg.len(), Some(&sha)).await;
        assert_eq!(res.headers()["upload-offset"], jpeg.len().to_string());
        assert_eq!(photo_status(&t, again).await, 200);
    }
}
