//! `rehome feed` against a real server: it follows the cursor, prints what the
//! server serves, reads offline from what it saw, and fails with stable codes.

use crate::support::{DemoServer, rehome};
use serde_json::Value;

/// The ids the server's own feed lists first, `n` of them, following cursors.
async fn server_ids(server: &DemoServer, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    while ids.len() < n {
        let path = match &cursor {
            Some(c) => format!("/v1/feed?limit=7&cursor={c}"),
            None => "/v1/feed?limit=7".to_owned(),
        };
        let page: Value = server.get_json(&path).await;
        let items = page["items"].as_array().expect("items");
        ids.extend(
            items
                .iter()
                .map(|i| i["id"].as_str().expect("id").to_owned()),
        );
        match page["nextCursor"].as_str() {
            Some(c) if !items.is_empty() => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    ids.truncate(n);
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_follows_the_cursor_and_prints_the_servers_order() {
    let server = DemoServer::start().await;
    let data = tempfile::tempdir().unwrap();
    // 5 fits in one page; 45 needs several pages of the CLI's own size.
    for limit in [1usize, 5, 45] {
        let out = rehome(&[
            "--data",
            data.path().to_str().unwrap(),
            "feed",
            "--server",
            &server.url,
            "--limit",
            &limit.to_string(),
            "--json",
        ])
        .await;
        assert!(out.ok, "feed --limit {limit}: {}", out.stderr);
        let items: Vec<Value> = serde_json::from_str(&out.stdout).expect("a JSON array");
        let ids: Vec<String> = items
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            ids,
            server_ids(&server, limit).await,
            "feed --limit {limit}"
        );
        for item in &items {
            for key in ["title", "brand", "size", "seller"] {
                assert!(
                    item[key].as_str().is_some_and(|s| !s.is_empty()),
                    "{key} in {item}"
                );
            }
            assert!(
                item["price"].as_i64().is_some_and(|p| p > 0),
                "price in {item}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_seen_once_reads_offline() {
    let server = DemoServer::start().await;
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let online = rehome(&[
        "--data",
        dir,
        "feed",
        "--server",
        &server.url,
        "--limit",
        "8",
    ])
    .await;
    assert!(online.ok, "{}", online.stderr);
    let url = server.url.clone();
    server.stop().await;

    let offline = rehome(&["--data", dir, "feed", "--server", &url, "--limit", "8"]).await;
    assert!(offline.ok, "offline read: {}", offline.stderr);
    assert_eq!(
        offline.stdout, online.stdout,
        "the same items, from the device"
    );

    // A data folder that never saw the feed has nothing to show: a clear error.
    let fresh = tempfile::tempdir().unwrap();
    let none = rehome(&[
        "--data",
        fresh.path().to_str().unwrap(),
        "feed",
        "--server",
        &url,
    ])
    .await;
    assert!(!none.ok);
    assert_eq!(none.error_code(), "offline", "{}", none.stderr);
}

#[tokio::test]
async fn errors_are_json_with_stable_codes() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["feed", "--server", "ftp://example.invalid"], "invalid"),
        (&["feed", "--server", "http://127.0.0.1:9"], "offline"),
    ];
    for (args, code) in cases {
        let mut all = vec!["--data", dir];
        all.extend_from_slice(args);
        let out = rehome(&all).await;
        assert!(!out.ok, "{args:?} should fail");
        assert_eq!(out.error_code(), *code, "{args:?}: {}", out.stderr);
    }
}

#[tokio::test]
async fn version_names_the_tool() {
    let out = rehome(&["--version"]).await;
    assert!(out.ok);
    assert_eq!(
        out.stdout.trim(),
        format!("rehome {}", env!("CARGO_PKG_VERSION"))
    );
}
