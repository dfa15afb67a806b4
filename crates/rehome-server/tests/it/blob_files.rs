//! A blob file and its row come and go together: a refused upload leaves no
//! file, and a file lost from disk comes back with the next upload of it.

use crate::support::{TestServer, expect_problem, start};
use crate::uploads::{create_upload, head_status, patch_chunk, test_jpeg};
use rehome_model::PhotoId;
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The names in the data dir's `blobs/` (temp files included).
fn blob_files(t: &TestServer) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(t._dir.path().join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_upload_refused_for_someone_elses_photo_id_leaves_no_file() {
    let t = start(false).await;
    let (owner, _) = t.sign_up("owner").await;
    let (rival, _) = t.sign_up("rival").await;
    let photo = PhotoId::from_parts(1_800_000_000_000, [6; 10]);
    let mine = test_jpeg(64, 64, 1);
    let theirs = test_jpeg(64, 64, 2);
    // Both start an upload naming the same (not yet claimed) photo id.
    let res = create_upload(&t, &owner, Some(photo), mine.len(), None).await;
    assert_eq!(res.status(), 201);
    let owners = location(&res);
    let res = create_upload(&t, &rival, Some(photo), theirs.len(), None).await;
    assert_eq!(res.status(), 201);
    let rivals = location(&res);
    // The owner finishes first and claims it.
    assert_eq!(
        patch_chunk(&t, &owner, &owners, 0, &mine, true)
            .await
            .status(),
        204
    );
    let files = blob_files(&t);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.contains(&format!("{}.jpg", sha(&mine))), "{files:?}");
    // The rival's last byte is refused, and nothing of theirs stays on disk.
    expect_problem(
        patch_chunk(&t, &rival, &rivals, 0, &theirs, true).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(blob_files(&t), files);
    assert_eq!(head_status(&t, &rival, &rivals).await, 404);
    let parts = std::fs::read_dir(t._dir.path().join("uploads"))
        .unwrap()
        .count();
    assert_eq!(parts, 0);
    // Now that it is claimed, a new upload naming it is refused up front.
    expect_problem(
        create_upload(&t, &rival, Some(photo), theirs.len(), None).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_blob_file_lost_from_disk_is_asked_for_again_and_the_photo_serves_again() {
    let t = start(false).await;
    let (token, _) = t.sign_up("careful").await;
    let photo = PhotoId::from_parts(1_800_000_000_000, [8; 10]);
    let jpeg = test_jpeg(64, 64, 3);
    let hash = sha(&jpeg);
    let res = create_upload(&t, &token, Some(photo), jpeg.len(), Some(&hash)).await;
    let loc = location(&res);
    assert_eq!(
        patch_chunk(&t, &token, &loc, 0, &jpeg, true).await.status(),
        204
    );
    let url = t.url(&format!("/v1/photos/{photo}"));
    assert_eq!(t.http.get(&url).send().await.unwrap().status(), 200);
    std::fs::remove_file(t._dir.path().join("blobs").join(format!("{hash}.jpg"))).unwrap();
    // The same content again: the server no longer has the bytes, so it
    // asks for them instead of completing at once.
    let res = create_upload(&t, &token, Some(photo), jpeg.len(), Some(&hash)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["upload-offset"], "0");
    let loc = location(&res);
    assert_eq!(
        patch_chunk(&t, &token, &loc, 0, &jpeg, true).await.status(),
        204
    );
    let res = t.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), jpeg.as_slice());
}
