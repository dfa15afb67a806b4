//! The demo catalogue, the feed and photo serving.

use crate::support::{config, expect_problem, start, start_with};
use rehome_model::{FeedPage, ListingCard};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn demo_feed_pages_to_the_end_by_cursor() {
    let t = start(true).await;
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/feed?limit=7&cursor={c}"),
            None => "/v1/feed?limit=7".to_owned(),
        };
        let res = t.http.get(t.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let page: FeedPage<ListingCard> = res.json().await.unwrap();
        pages += 1;
        assert!(page.items.len() <= 7);
        for card in &page.items {
            assert!(seen.insert(card.id), "listing {} twice", card.id);
            assert!(card.cover.is_some(), "demo listings have photos");
            assert!(card.price.0 > 0);
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c.0),
            None => break,
        }
        assert!(pages < 20, "paging does not end");
    }
    assert_eq!(seen.len(), rehome_server::demo::DEMO_LISTINGS);
    assert_eq!(pages, 9);
    let live = t.server.app.state.store.count_listings("live").unwrap();
    assert_eq!(live as usize, seen.len());
}

#[tokio::test]
async fn demo_seeding_is_idempotent_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let first = rehome_server::App::open(config(dir.path(), true)).unwrap();
    let ids = |app: &rehome_server::App| {
        app.state
            .store
            .cards(
                &rehome_server::storage::CardList::Feed { viewer: None },
                None,
                0,
                1000,
            )
            .unwrap()
            .into_iter()
            .map(|r| r.card.id)
            .collect::<Vec<_>>()
    };
    let before = ids(&first);
    drop(first);
    let second = rehome_server::App::open(config(dir.path(), true)).unwrap();
    assert_eq!(ids(&second), before);
    assert_eq!(before.len(), rehome_server::demo::DEMO_LISTINGS);
    let t = start_with(config(dir.path(), true), dir).await;
    let (status, body) = t.get_json("/v1/feed?limit=100").await;
    assert_eq!(status, 200);
    assert_eq!(body["items"].as_array().unwrap().len(), 60);
}

fn jpeg_size(bytes: &[u8]) -> (u16, u16) {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().unwrap();
    let info = decoder.info().unwrap();
    (info.width, info.height)
}

#[tokio::test]
async fn photos_are_jpegs_with_strong_etags_and_immutable_caching() {
    let t = start(true).await;
    let page: FeedPage<ListingCard> = t
        .http
        .get(t.url("/v1/feed?limit=3"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for card in &page.items {
        let cover = card.cover.as_ref().unwrap();
        for (suffix, expected) in [("", (900, 1200)), ("/thumb", (300, 400))] {
            let url = t.url(&format!("/v1/photos/{}{suffix}", cover.id));
            let res = t.http.get(&url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let h = res.headers().clone();
            assert_eq!(h["content-type"], "image/jpeg");
            assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
            let bytes = res.bytes().await.unwrap();
            let sha = format!("\"{:x}\"", Sha256::digest(&bytes));
            assert_eq!(h["etag"].to_str().unwrap(), sha);
            assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
            assert_eq!(jpeg_size(&bytes), expected);
            if suffix.is_empty() {
                assert_eq!((cover.width, cover.height), (900, 1200));
            }
            // Revalidation: 304, no body.
            let res = t
                .http
                .get(&url)
                .header("if-none-match", sha.as_str())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 304);
            assert!(res.bytes().await.unwrap().is_empty());
            // Drawn once: the same bytes again.
            let again = t
                .http
                .get(&url)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert_eq!(again, bytes);
        }
    }
}

#[tokio::test]
async fn unknown_photos_and_routes_are_404_problems() {
    let t = start(true).await;
    for path in [
        "/v1/photos/%ff",
        "/v1/listings/%ff%fe",
        "/v1/sellers/%c3%28/listings",
        "/v1/photos/not-a-uuid",
        "/v1/photos/00000000-0000-7000-8000-000000000000",
        "/v1/photos/00000000-0000-7000-8000-000000000000/thumb",
        "/v1/nothing-here",
    ] {
        let res = t.http.get(t.url(path)).send().await.unwrap();
        expect_problem(res, 404, "not_found").await;
    }
}

#[tokio::test]
async fn bad_cursors_and_limits_are_400_problems() {
    let t = start(true).await;
    let (_, first) = t.get_json("/v1/feed?limit=2").await;
    let good = first["nextCursor"].as_str().unwrap().to_owned();
    let mut tampered = good.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let check = |query: String, status: u16, code: &'static str, field: &'static str| {
        let t = &t;
        async move {
            let res = t
                .http
                .get(t.url(&format!("/v1/feed?{query}")))
                .send()
                .await
                .unwrap();
            let body = expect_problem(res, status, code).await;
            assert_eq!(body["field"], field, "{query}: {body}");
        }
    };
    check(format!("cursor={tampered}"), 400, "bad_cursor", "cursor").await;
    check("cursor=garbage".into(), 400, "bad_cursor", "cursor").await;
    check("cursor=a.b".into(), 400, "bad_cursor", "cursor").await;
    check("limit=abc".into(), 400, "bad_request", "limit").await;
    check("limit=-1".into(), 400, "bad_request", "limit").await;
    check("limit=0".into(), 422, "invalid", "limit").await;
    check("colour=red".into(), 400, "bad_request", "colour").await;
    // The untampered cursor still works.
    let (status, _) = t.get_json(&format!("/v1/feed?limit=2&cursor={good}")).await;
    assert_eq!(status, 200);
}

/// The real binary: prints its port, serves, and stops cleanly on SIGTERM.
#[test]
fn the_binary_prints_its_port_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehome-server"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .arg("--demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = url.parse().unwrap();
    assert_ne!(port, 0);
    let body = std::process::Command::new("curl")
        .args(["-sf", &format!("http://127.0.0.1:{port}/v1/feed?limit=1")])
        .output()
        .unwrap();
    assert!(body.status.success());
    let page: FeedPage<ListingCard> = serde_json::from_slice(&body.stdout).unwrap();
    assert_eq!(page.items.len(), 1);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}
