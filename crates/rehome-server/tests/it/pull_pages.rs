//! Pull in pages: at most `limit` changes a reply, `more` until the last,
//! each page resuming from the one before's cookie; a listing changed while
//! the client pages comes again in a later page. And request bodies sent
//! without a `Content-Length` (chunked) are bounded like the others.

use crate::support::{TestServer, config, expect_problem, start, start_with};
use crate::sync::{create, listing_id};
use rehome_model::Money;
use rehome_model::sync::{Mutation, PatchOp, PullResponse};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

async fn pull_page(t: &TestServer, token: &str, body: serde_json::Value) -> PullResponse {
    let res = t.post_json(Some(token), "/v1/sync/pull", &body).await;
    assert_eq!(res.status(), 200, "pull {body}");
    res.json().await.unwrap()
}

/// The listing (title, price) each op of `page` puts.
fn puts(page: &PullResponse) -> Vec<(String, i64)> {
    page.patch
        .iter()
        .map(|op| match op {
            PatchOp::Put { listing } => (listing.fields.title.clone().unwrap(), listing.price.0),
            PatchOp::Del { id } => (format!("del {id}"), 0),
        })
        .collect()
}

#[tokio::test]
async fn a_closet_bigger_than_a_page_is_pulled_whole_in_pages() {
    let t = start(false).await;
    let (token, _) = t.sign_up("bigcloset").await;
    let c = Uuid::from_u128(7);
    let creates = (0..25u8)
        .map(|n| {
            (
                u64::from(n) + 1,
                create(listing_id(n), &format!("L{n:02}"), 1000),
            )
        })
        .collect();
    t.push(&token, c, creates).await;

    let first = pull_page(&t, &token, json!({"clientId": c, "limit": 10})).await;
    assert_eq!(first.patch.len(), 10);
    assert!(first.more);
    assert_eq!(first.last_mutation_id, 25);
    // Changed after the first page was sent: L03 (already pulled) and L20
    // (not yet) each come once more, with their new price, in a later page.
    let reprice = |id, n| Mutation::SetPrice {
        listing_id: id,
        price: Money(n),
        base_version: 0,
    };
    t.push(
        &token,
        c,
        vec![
            (26, reprice(listing_id(3), 900)),
            (27, reprice(listing_id(20), 800)),
        ],
    )
    .await;

    let mut pages = vec![first];
    while pages.last().unwrap().more {
        let cookie = pages.last().unwrap().cookie.clone();
        let next = pull_page(
            &t,
            &token,
            json!({"clientId": c, "cookie": cookie, "limit": 10}),
        )
        .await;
        pages.push(next);
        assert!(pages.len() < 10, "the pull never ended");
    }
    let sizes: Vec<usize> = pages.iter().map(|p| p.patch.len()).collect();
    assert_eq!(sizes, vec![10, 10, 6], "10 + 10 + (5 left + L03 again)");
    let mut latest = BTreeMap::new();
    let mut seen = 0;
    for page in &pages {
        for (title, price) in puts(page) {
            seen += 1;
            latest.insert(title, price);
        }
    }
    assert_eq!(seen, 26, "every listing once, L03 twice");
    assert_eq!(latest.len(), 25);
    assert_eq!(latest["L03"], 900);
    assert_eq!(latest["L20"], 800);
    assert_eq!(latest["L00"], 1000);
    // From the last cookie, nothing is left.
    let after = pull_page(
        &t,
        &token,
        json!({"clientId": c, "cookie": pages.last().unwrap().cookie}),
    )
    .await;
    assert!(after.patch.is_empty() && !after.more, "{after:?}");
}

#[tokio::test]
async fn a_pull_that_does_not_ask_gets_the_default_page_and_out_of_range_limits_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.limits.default_pull_page = 4;
    cfg.limits.max_pull_page = 6;
    let t = start_with(cfg, dir).await;
    let (token, _) = t.sign_up("pager").await;
    let c = Uuid::from_u128(8);
    let creates = (0..9u8)
        .map(|n| {
            (
                u64::from(n) + 1,
                create(listing_id(n), &format!("P{n}"), 500),
            )
        })
        .collect();
    t.push(&token, c, creates).await;
    let page = pull_page(&t, &token, json!({"clientId": c})).await;
    assert_eq!((page.patch.len(), page.more), (4, true));
    let page = pull_page(&t, &token, json!({"clientId": c, "limit": 6})).await;
    assert_eq!((page.patch.len(), page.more), (6, true));
    // Out of 1 to this server's 6: refused, naming `limit` (in range by
    // type but not by the limit: `invalid`; not a u32 at all: `bad_request`).
    let cases = [
        (json!(0), "invalid"),
        (json!(7), "invalid"),
        (json!(-1), "bad_request"),
        (json!(u64::MAX), "bad_request"),
        (json!("5"), "bad_request"),
    ];
    for (limit, code) in cases {
        let res = t
            .post_json(
                Some(&token),
                "/v1/sync/pull",
                &json!({"clientId": c, "limit": limit}),
            )
            .await;
        let p = expect_problem(res, 422, code).await;
        assert_eq!(p["field"], "limit", "limit {limit}: {p}");
    }
}

/// Long enough for anything the server does here; a hang ends in a failure.
const BOUND: Duration = Duration::from_secs(60);

/// Sends `head` and then a chunked body that never ends (1 KiB chunks, up
/// to 4 MiB, no last chunk), and returns the status line of the answer.
async fn endless_chunked(t: &TestServer, head: String) -> String {
    let conn = tokio::net::TcpStream::connect(t.server.addr).await.unwrap();
    let (mut read, mut write) = conn.into_split();
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        let chunk = format!("400\r\n{}\r\n", " ".repeat(1024));
        for _ in 0..4096 {
            write.write_all(chunk.as_bytes()).await?;
        }
        // Keep the connection open: the body has not ended.
        tokio::time::sleep(BOUND).await;
        Ok::<_, std::io::Error>(())
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let got = tokio::time::timeout(BOUND, async {
        while !answer.windows(2).any(|w| w == b"\r\n") {
            let n = read.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
    })
    .await;
    writer.abort();
    assert!(got.is_ok(), "no answer while the body kept coming");
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or("").to_owned()
}

#[tokio::test]
async fn bodies_without_a_content_length_are_cut_at_their_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.limits.max_body_bytes = 4096;
    let t = start_with(cfg, dir).await;
    let (token, _) = t.sign_up("chunker").await;
    // A JSON body: the body limit.
    let head = format!(
        "POST /v1/sync/push HTTP/1.1\r\nHost: rehome\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    assert_eq!(
        endless_chunked(&t, head).await,
        "HTTP/1.1 413 Payload Too Large"
    );
    // An upload's chunk: its Upload-Length.
    let res = crate::uploads::create_upload(&t, &token, None, 10_000, None).await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nHost: rehome\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
         Upload-Offset: 0\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    assert_eq!(
        endless_chunked(&t, head).await,
        "HTTP/1.1 413 Payload Too Large"
    );
}
