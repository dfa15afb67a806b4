//! Slow and stuck clients: headers that never end, bodies that stop
//! arriving, more requests than the server takes at once, and a shutdown
//! that does not wait for any of them for ever.
//!
//! The server's timeouts here are short; the generous bounds around the
//! client's waits only turn a hang on a broken server into a failure.

use crate::support::{TestServer, config, expect_problem, start_with};
use crate::uploads::{create_upload, head_offset, patch_chunk, test_jpeg};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Long enough for anything the server does here; a hang ends in a failure.
const BOUND: Duration = Duration::from_secs(60);

async fn start_limited(f: impl FnOnce(&mut rehome_server::Limits)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    f(&mut cfg.limits);
    start_with(cfg, dir).await
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let t = start_limited(|l| l.header_read_timeout_ms = 200).await;
    let mut conn = tokio::net::TcpStream::connect(t.server.addr).await.unwrap();
    conn.write_all(b"GET /v1/feed HTTP/1.1\r\nHost: rehome\r\nX-Slow: ")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(BOUND, conn.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the server kept a half-sent request open");
    // Closed without serving the request.
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
}

/// Starts a PATCH of `total` bytes at offset 0, sends only `sent`, and
/// leaves the connection open with the rest never coming.
async fn stalled_patch(
    t: &TestServer,
    token: &str,
    location: &str,
    total: usize,
    sent: &[u8],
) -> tokio::net::TcpStream {
    let mut conn = tokio::net::TcpStream::connect(t.server.addr).await.unwrap();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nHost: rehome\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
         Upload-Offset: 0\r\nContent-Length: {total}\r\n\r\n"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(sent).await.unwrap();
    conn
}

#[tokio::test]
async fn a_patch_body_that_stops_arriving_ends_and_frees_the_upload() {
    let t = start_limited(|l| l.body_idle_timeout_ms = 200).await;
    let (token, _) = t.sign_up("trickler").await;
    let jpeg = test_jpeg(64, 64, 7);
    let res = create_upload(&t, &token, None, jpeg.len(), None).await;
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    let mut conn = stalled_patch(&t, &token, &loc, jpeg.len(), &jpeg[..100]).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(BOUND, conn.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the stalled PATCH was never answered");
    // Whatever arrived before the stall is kept (no checksum was sent).
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    assert_eq!(head_offset(&t, &token, &loc).await, 100);
    // The upload is free again: the rest goes through.
    let res = patch_chunk(&t, &token, &loc, 100, &jpeg[100..], true).await;
    assert_eq!(res.status(), 204);
    assert_eq!(head_offset(&t, &token, &loc).await, jpeg.len() as u64);
}

#[tokio::test]
async fn past_the_requests_in_flight_limit_one_more_gets_503_with_retry_after() {
    let t = start_limited(|l| {
        l.max_concurrent_requests = 4;
        l.request_wait_ms = 20;
    })
    .await;
    let flood = t.server.app.state.requests.take_all().await.unwrap();
    let res = t.http.get(t.url("/v1/feed")).send().await.unwrap();
    assert_eq!(res.headers()["retry-after"], "1");
    let body = expect_problem(res, 503, "rate_limited").await;
    assert_eq!(body["field"], "max-concurrent-requests");
    drop(flood);
    let res = t.http.get(t.url("/v1/feed")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_shutdown_cuts_what_is_still_running_after_its_deadline() {
    let t = start_limited(|l| {
        l.shutdown_deadline_ms = 200;
        l.body_idle_timeout_ms = 600_000;
    })
    .await;
    let (token, _) = t.sign_up("lingerer").await;
    let res = create_upload(&t, &token, None, 1000, None).await;
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    let conn = stalled_patch(&t, &token, &loc, 1000, &[0xFF; 10]).await;
    // Wait until the server is reading that body (it holds the upload).
    let id = loc.rsplit('/').next().unwrap();
    while t.server.app.state.upload_writers.contenders(id) == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let TestServer { server, _dir, .. } = t;
    let stopped = tokio::time::timeout(BOUND, server.stop()).await;
    assert!(stopped.is_ok(), "the shutdown waited on a stuck request");
    stopped.unwrap().unwrap();
    drop(conn);
}
