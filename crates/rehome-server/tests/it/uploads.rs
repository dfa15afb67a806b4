//! tus uploads: creation, offsets, checksums, cuts and resumes, limits, dedupe, expiry.

use crate::support::{TestServer, config, expect_problem, manual_clock, start, start_with};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rehome_model::PhotoId;
use sha2::{Digest, Sha256};
use std::io::Write;

/// A real JPEG drawn by the demo renderer.
pub fn test_jpeg(w: u16, h: u16, seed: u64) -> Vec<u8> {
    use rehome_server::render::*;
    render_jpeg(
        &Shot {
            garment: Garment::TShirt,
            colour: [0.2, 0.3, 0.6],
            background: [0.9, 0.9, 0.92],
            pattern: Pattern::Stripes,
            view: 0,
            seed,
        },
        w,
        h,
        85,
    )
    .unwrap()
}

fn b64(s: &str) -> String {
    STANDARD.encode(s)
}

pub async fn create_upload(
    t: &TestServer,
    token: &str,
    photo: Option<PhotoId>,
    len: usize,
    sha: Option<&str>,
) -> reqwest::Response {
    let mut meta = Vec::new();
    if let Some(p) = photo {
        meta.push(format!("photoId {}", b64(&p.to_string())));
    }
    if let Some(s) = sha {
        meta.push(format!("sha256 {}", b64(s)));
    }
    let mut req = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", len.to_string());
    if !meta.is_empty() {
        req = req.header("upload-metadata", meta.join(","));
    }
    req.send().await.unwrap()
}

pub async fn patch_chunk(
    t: &TestServer,
    token: &str,
    location: &str,
    offset: usize,
    chunk: &[u8],
    checksum: bool,
) -> reqwest::Response {
    let mut req = t
        .http
        .patch(t.url(location))
        .bearer_auth(token)
        .header("tus-resumable", "1.0.0")
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", offset.to_string());
    if checksum {
        req = req.header(
            "upload-checksum",
            format!("sha256 {}", STANDARD.encode(Sha256::digest(chunk))),
        );
    }
    req.body(chunk.to_vec()).send().await.unwrap()
}

async fn head(t: &TestServer, token: &str, location: &str) -> reqwest::Response {
    t.http
        .head(t.url(location))
        .bearer_auth(token)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap()
}

/// The status a HEAD of the upload at `location` answers.
pub async fn head_status(t: &TestServer, token: &str, location: &str) -> u16 {
    head(t, token, location).await.status().as_u16()
}

pub async fn head_offset(t: &TestServer, token: &str, location: &str) -> u64 {
    let res = head(t, token, location).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    res.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Uploads `bytes` in 64 KiB chunks with checksums; returns the upload's location.
pub async fn upload_whole(
    t: &TestServer,
    token: &str,
    photo: Option<PhotoId>,
    bytes: &[u8],
) -> String {
    let res = create_upload(t, token, photo, bytes.len(), None).await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let mut offset = 0;
    for chunk in bytes.chunks(64 * 1024) {
        let res = patch_chunk(t, token, &location, offset, chunk, true).await;
        assert_eq!(res.status(), 204, "{:?}", res.text().await);
        offset += chunk.len();
    }
    location
}

#[tokio::test]
async fn options_advertise_the_tus_extensions() {
    let t = start(false).await;
    let res = t
        .http
        .request(reqwest::Method::OPTIONS, t.url("/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let h = res.headers();
    assert_eq!(h["tus-version"], "1.0.0");
    assert_eq!(h["tus-extension"], "creation,expiration,checksum");
    assert_eq!(h["tus-checksum-algorithm"], "sha256");
    assert_eq!(h["tus-max-size"], (8 * 1024 * 1024).to_string());
}

#[tokio::test]
async fn an_upload_cut_midway_resumes_from_its_offset() {
    let t = start(false).await;
    let (token, _) = t.sign_up("uploader").await;
    let photo = PhotoId::from_parts(1_800_000_000_000, [1; 10]);
    let jpeg = test_jpeg(1200, 1600, 1);
    assert!(jpeg.len() > 100_000, "big enough to cut: {}", jpeg.len());
    let res = create_upload(&t, &token, Some(photo), jpeg.len(), None).await;
    assert_eq!(res.status(), 201);
    assert!(res.headers().contains_key("upload-expires"));
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let first = 40_000;
    assert_eq!(
        patch_chunk(&t, &token, &location, 0, &jpeg[..first], true)
            .await
            .status(),
        204
    );
    assert_eq!(head_offset(&t, &token, &location).await, first as u64);

    // The next chunk, with its checksum, is cut mid-way: the connection dies.
    let chunk = &jpeg[first..];
    let digest = STANDARD.encode(Sha256::digest(chunk));
    let mut sock = std::net::TcpStream::connect(t.server.addr).unwrap();
    write!(
        sock,
        "PATCH {location} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n\
         Content-Type: application/offset+octet-stream\r\nUpload-Offset: {first}\r\n\
         Upload-Checksum: sha256 {digest}\r\nContent-Length: {}\r\n\r\n",
        chunk.len()
    )
    .unwrap();
    sock.write_all(&chunk[..chunk.len() / 2]).unwrap();
    sock.flush().unwrap();
    drop(sock);

    // A partial chunk is never half-applied: the offset is where the last whole chunk ended.
    assert_eq!(head_offset(&t, &token, &location).await, first as u64);
    // Resume from the offset (retrying while the cut request is still being torn down).
    let mut res = patch_chunk(&t, &token, &location, first, chunk, true).await;
    for _ in 0..50 {
        if res.status() != 423 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        res = patch_chunk(&t, &token, &location, first, chunk, true).await;
    }
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["upload-offset"], jpeg.len().to_string());
    // Complete: the photo is served, byte for byte, with its hash as the ETag.
    let got = t
        .http
        .get(t.url(&format!("/v1/photos/{photo}")))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    let sha = format!("{:x}", Sha256::digest(&jpeg));
    assert_eq!(
        got.headers()["etag"].to_str().unwrap(),
        format!("\"{sha}\"")
    );
    assert_eq!(got.bytes().await.unwrap().as_ref(), jpeg.as_slice());
    let thumb = t
        .http
        .get(t.url(&format!("/v1/photos/{photo}/thumb")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut d = jpeg_decoder::Decoder::new(thumb.as_ref());
    d.read_info().unwrap();
    let info = d.info().unwrap();
    assert_eq!((info.width, info.height), (300, 400));
}

#[tokio::test]
async fn a_cut_without_checksum_keeps_the_bytes_that_arrived() {
    let t = start(false).await;
    let (token, _) = t.sign_up("uploader2").await;
    let jpeg = test_jpeg(600, 800, 2);
    let res = create_upload(&t, &token, None, jpeg.len(), None).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let half = jpeg.len() / 2;
    let mut sock = std::net::TcpStream::connect(t.server.addr).unwrap();
    write!(
        sock,
        "PATCH {location} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n\
         Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {}\r\n\r\n",
        jpeg.len()
    )
    .unwrap();
    sock.write_all(&jpeg[..half]).unwrap();
    sock.flush().unwrap();
    drop(sock);
    // The server keeps what arrived once it notices the cut (no checksum to honour).
    let mut offset = 0;
    for _ in 0..250 {
        offset = head_offset(&t, &token, &location).await as usize;
        if offset != 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(offset, half);
    let res = patch_chunk(&t, &token, &location, offset, &jpeg[offset..], false).await;
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn bad_chunks_and_bad_uploads_are_refused() {
    let t = start(false).await;
    let (token, _) = t.sign_up("uploader3").await;
    let (other, _) = t.sign_up("uploader4").await;
    let jpeg = test_jpeg(300, 400, 3);
    let res = create_upload(&t, &token, None, jpeg.len(), None).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();

    // Wrong checksum: 460, nothing kept.
    let res = t
        .http
        .patch(t.url(&location))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .header(
            "upload-checksum",
            format!("sha256 {}", STANDARD.encode([0u8; 32])),
        )
        .body(jpeg[..1000].to_vec())
        .send()
        .await
        .unwrap();
    expect_problem(res, 460, "checksum_mismatch").await;
    assert_eq!(head_offset(&t, &token, &location).await, 0);
    // Wrong offset: 409.
    expect_problem(
        patch_chunk(&t, &token, &location, 5, &jpeg[5..10], true).await,
        409,
        "conflict",
    )
    .await;
    // Past Upload-Length: 413, nothing kept.
    let mut long = jpeg.clone();
    long.extend_from_slice(&[0; 10]);
    expect_problem(
        patch_chunk(&t, &token, &location, 0, &long, false).await,
        413,
        "too_large",
    )
    .await;
    assert_eq!(head_offset(&t, &token, &location).await, 0);
    // Someone else's upload: 404.
    expect_problem(
        patch_chunk(&t, &other, &location, 0, &jpeg, true).await,
        404,
        "not_found",
    )
    .await;
    // Missing tus header: 412.
    let res = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(&token)
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    expect_problem(res, 412, "bad_request").await;
    // Over the size limit at creation: 413.
    expect_problem(
        create_upload(&t, &token, None, 9 * 1024 * 1024, None).await,
        413,
        "too_large",
    )
    .await;
    // Not a JPEG (a PNG signature), whatever the client claims: 422 bad_photo, and the upload is gone.
    let png = b"\x89PNG\r\n\x1a\n0000000000000000".to_vec();
    let res = create_upload(&t, &token, None, png.len(), None).await;
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    expect_problem(
        patch_chunk(&t, &token, &loc, 0, &png, true).await,
        422,
        "bad_photo",
    )
    .await;
    assert_eq!(head_status(&t, &token, &loc).await, 404);
    // A truncated JPEG: refused when it completes.
    let cut = &jpeg[..jpeg.len() / 3];
    let res = create_upload(&t, &token, None, cut.len(), None).await;
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    expect_problem(
        patch_chunk(&t, &token, &loc, 0, cut, true).await,
        422,
        "bad_photo",
    )
    .await;
    // Anonymous: 401.
    let res = t
        .http
        .post(t.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn known_content_dedupes_without_sending_bytes() {
    let t = start(false).await;
    let (token, _) = t.sign_up("uploader5").await;
    let jpeg = test_jpeg(300, 400, 4);
    upload_whole(&t, &token, None, &jpeg).await;
    let sha = format!("{:x}", Sha256::digest(&jpeg));
    let photo = PhotoId::from_parts(1_800_000_000_001, [2; 10]);
    let res = create_upload(&t, &token, Some(photo), jpeg.len(), Some(&sha)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["upload-offset"], jpeg.len().to_string());
    let got = t
        .http
        .get(t.url(&format!("/v1/photos/{photo}")))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    // A claimed hash with the wrong length is not trusted.
    let res = create_upload(&t, &token, None, jpeg.len() + 1, Some(&sha)).await;
    assert_eq!(res.headers()["upload-offset"], "0");
}

#[tokio::test]
async fn unattached_uploads_expire_and_attached_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(1_800_000_000_000);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    let t = start_with(cfg, dir).await;
    let (token, _) = t.sign_up("uploader6").await;
    let kept = PhotoId::from_parts(1_800_000_000_002, [3; 10]);
    let lost = PhotoId::from_parts(1_800_000_000_003, [4; 10]);
    let kept_jpeg = test_jpeg(300, 400, 5);
    let lost_jpeg = test_jpeg(300, 400, 6);
    upload_whole(&t, &token, Some(kept), &kept_jpeg).await;
    upload_whole(&t, &token, Some(lost), &lost_jpeg).await;
    let half = create_upload(&t, &token, None, 1000, None).await;
    let half_loc = half.headers()["location"].to_str().unwrap().to_owned();
    let id = crate::sync::listing_id(40);
    t.push(
        &token,
        uuid::Uuid::from_u128(1),
        vec![
            (1, crate::sync::create(id, "Kept", 1000)),
            (
                2,
                rehome_model::sync::Mutation::AttachPhoto {
                    listing_id: id,
                    photo_id: kept,
                    sha256: format!("{:x}", Sha256::digest(&kept_jpeg)),
                    position: 0,
                },
            ),
        ],
    )
    .await;
    let state = &t.server.app.state;
    assert_eq!(
        rehome_server::uploads::collect_expired(state, clock_now(&clock)).unwrap(),
        0
    );
    clock.advance(7 * 24 * 3_600_000);
    // Past its expiry and before the collector runs, an upload is gone (410).
    assert_eq!(head_status(&t, &token, &half_loc).await, 410);
    expect_problem(
        patch_chunk(&t, &token, &half_loc, 0, &[0xFF; 10], true).await,
        410,
        "not_found",
    )
    .await;
    assert_eq!(
        rehome_server::uploads::collect_expired(state, clock_now(&clock)).unwrap(),
        3
    );
    assert_eq!(
        t.http
            .get(t.url(&format!("/v1/photos/{kept}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        t.http
            .get(t.url(&format!("/v1/photos/{lost}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert!(
        !state
            .blobs
            .path_of(&format!("{:x}", Sha256::digest(&lost_jpeg)))
            .exists()
    );
    assert_eq!(head_status(&t, &token, &half_loc).await, 404);
}

fn clock_now(c: &rehome_server::ManualClock) -> i64 {
    use rehome_server::Clock;
    c.now_ms()
}
