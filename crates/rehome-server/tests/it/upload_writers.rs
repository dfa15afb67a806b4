//! One writer per upload: a PATCH that finds its upload busy waits for the
//! PATCH before it (bounded), then works from where that one ended, instead
//! of a 423 that makes the client resend bytes the server already has.

use crate::support::{TestServer, config, start, start_with};
use crate::uploads::{create_upload, head_offset, patch_chunk, test_jpeg};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A PATCH written by hand over TCP, so the test decides when each byte of
/// its body goes, and whether the connection is cut before the end.
struct RawPatch {
    stream: TcpStream,
}

impl RawPatch {
    async fn start(
        t: &TestServer,
        token: &str,
        location: &str,
        chunk: &[u8],
        checksum: bool,
    ) -> Self {
        let mut stream = TcpStream::connect(t.server.addr).await.unwrap();
        let mut head = format!(
            "PATCH {location} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
             Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
             Upload-Offset: 0\r\nContent-Length: {}\r\nConnection: close\r\n",
            t.server.addr,
            chunk.len()
        );
        if checksum {
            head.push_str(&format!(
                "Upload-Checksum: sha256 {}\r\n",
                STANDARD.encode(Sha256::digest(chunk))
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        Self { stream }
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
        self.stream.flush().await.unwrap();
    }

    /// The response's status and `Upload-Offset`.
    async fn answer(mut self) -> (u16, Option<u64>) {
        let mut raw = Vec::new();
        self.stream.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw);
        let status = text.split(' ').nth(1).unwrap().parse().unwrap();
        let offset = text
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("upload-offset: ")
                    .map(str::to_owned)
            })
            .map(|v| v.trim().parse().unwrap());
        (status, offset)
    }
}

fn upload_id(location: &str) -> &str {
    location.rsplit('/').next().unwrap()
}

/// Waits (no deadline: the test runner's own timeout ends a hang) until
/// `n` requests hold or wait for the upload.
async fn until_contenders(t: &TestServer, location: &str, n: usize) {
    let writers = &t.server.app.state.upload_writers;
    while writers.contenders(upload_id(location)) != n {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Waits until `second` queues behind the request holding the upload; fails
/// if it answers without queueing (the old server's 423).
async fn until_queued<T: std::fmt::Debug>(
    t: &TestServer,
    location: &str,
    second: tokio::task::JoinHandle<T>,
) -> tokio::task::JoinHandle<T> {
    let writers = &t.server.app.state.upload_writers;
    while writers.contenders(upload_id(location)) != 2 {
        if second.is_finished() {
            panic!(
                "the second PATCH answered without waiting: {:?}",
                second.await.unwrap()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    second
}

async fn busy_upload(t: &TestServer, jpeg: &[u8]) -> (String, String) {
    let (token, _) = t.sign_up("writer").await;
    let res = create_upload(t, &token, None, jpeg.len(), None).await;
    assert_eq!(res.status(), 201);
    (
        token,
        res.headers()["location"].to_str().unwrap().to_owned(),
    )
}

/// The second PATCH waits for the first to end, reads the row again, and
/// answers 409 with the first one's end as the offset to resume from; the
/// client then sends only the rest.
#[tokio::test]
async fn a_patch_that_finds_its_upload_busy_waits_and_resumes_where_the_other_ended() {
    let t = start(false).await;
    let jpeg = test_jpeg(400, 300, 11);
    let half = jpeg.len() / 2;
    let (token, location) = busy_upload(&t, &jpeg).await;

    let mut first = RawPatch::start(&t, &token, &location, &jpeg[..half], false).await;
    first.send(&jpeg[..10]).await;
    until_contenders(&t, &location, 1).await;
    let second = {
        let (http, url, token, chunk) = (
            t.http.clone(),
            t.url(&location),
            token.clone(),
            jpeg[..half].to_vec(),
        );
        tokio::spawn(async move {
            let res = http
                .patch(url)
                .bearer_auth(token)
                .header("tus-resumable", "1.0.0")
                .header("content-type", "application/offset+octet-stream")
                .header("upload-offset", "0")
                .body(chunk)
                .send()
                .await
                .unwrap();
            let offset = res
                .headers()
                .get("upload-offset")
                .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
            (res.status().as_u16(), offset)
        })
    };
    let second = until_queued(&t, &location, second).await;
    first.send(&jpeg[10..half]).await;
    assert_eq!(first.answer().await, (204, Some(half as u64)));
    assert_eq!(second.await.unwrap(), (409, Some(half as u64)));
    assert_eq!(
        t.server
            .app
            .state
            .upload_writers
            .contenders(upload_id(&location)),
        0
    );

    assert_eq!(head_offset(&t, &token, &location).await, half as u64);
    let res = patch_chunk(&t, &token, &location, half, &jpeg[half..], true).await;
    assert_eq!(res.status(), 204);
    assert_eq!(head_offset(&t, &token, &location).await, jpeg.len() as u64);
}

/// The first PATCH (with a checksum, so a cut keeps none of its bytes) is cut
/// while the second waits: the second then writes its whole chunk.
#[tokio::test]
async fn when_the_busy_patch_is_cut_the_waiting_one_writes_its_chunk() {
    let t = start(false).await;
    let jpeg = test_jpeg(400, 300, 12);
    let half = jpeg.len() / 2;
    let (token, location) = busy_upload(&t, &jpeg).await;

    let mut first = RawPatch::start(&t, &token, &location, &jpeg[..half], true).await;
    first.send(&jpeg[..10]).await;
    until_contenders(&t, &location, 1).await;
    let second = {
        let (t_http, url, token, chunk) = (
            t.http.clone(),
            t.url(&location),
            token.clone(),
            jpeg[..half].to_vec(),
        );
        tokio::spawn(async move {
            t_http
                .patch(url)
                .bearer_auth(token)
                .header("tus-resumable", "1.0.0")
                .header("content-type", "application/offset+octet-stream")
                .header("upload-offset", "0")
                .header(
                    "upload-checksum",
                    format!("sha256 {}", STANDARD.encode(Sha256::digest(&chunk))),
                )
                .body(chunk)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    };
    let second = until_queued(&t, &location, second).await;
    drop(first);
    assert_eq!(second.await.unwrap(), 204);
    assert_eq!(head_offset(&t, &token, &location).await, half as u64);
}

/// The wait is bounded: with no time to wait, a PATCH on a busy upload is
/// still a 423, and the busy one is unharmed.
#[tokio::test]
async fn a_patch_waits_only_as_long_as_the_server_allows() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path(), false);
    c.limits.upload_busy_wait_ms = 0;
    let t = start_with(c, dir).await;
    let jpeg = test_jpeg(400, 300, 13);
    let half = jpeg.len() / 2;
    let (token, location) = busy_upload(&t, &jpeg).await;

    let mut first = RawPatch::start(&t, &token, &location, &jpeg[..half], false).await;
    first.send(&jpeg[..10]).await;
    until_contenders(&t, &location, 1).await;
    let res = patch_chunk(&t, &token, &location, 0, &jpeg[..half], false).await;
    assert_eq!(res.status(), 423);
    first.send(&jpeg[10..half]).await;
    assert_eq!(first.answer().await, (204, Some(half as u64)));
}
