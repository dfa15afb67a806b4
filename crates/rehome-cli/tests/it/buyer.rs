//! The buyer's commands against a real demo server and a real store file:
//! `search`, `listing show`, `closet`, `like`/`unlike`/`likes`,
//! `follow`/`unfollow`, `profile sizes`, `feed --following`, and likes and
//! follows made offline reaching the server exactly once at `sync --once`.

use crate::support::DemoServer;
use expect_test::expect;
use serde_json::Value;

/// Runs `rehome --data DATA args…` with `stdin` piped in and no keychain
/// (the token goes to the opt-in file): (ok, stdout, stderr).
pub(crate) fn run(data: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let data_arg = data.to_string_lossy();
    let mut all = vec!["--data", data_arg.as_ref()];
    all.extend_from_slice(args);
    crate::support::rehome_on_bus("unix:path=/nonexistent", data, &all, stdin, &[])
}

/// `rehome args…` that must succeed; its stdout as JSON.
pub(crate) async fn json(data: &std::path::Path, args: &[&str]) -> Value {
    let (data, args): (std::path::PathBuf, Vec<String>) = (
        data.to_owned(),
        args.iter().map(|s| s.to_string()).collect(),
    );
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, out, err) = run(&data, &args, "");
        assert!(ok, "rehome {args:?}: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    })
    .await
    .unwrap()
}

/// `rehome args…` that must fail: the error's code.
pub(crate) async fn fails(data: &std::path::Path, args: &[&str]) -> (String, Value) {
    let (data, args): (std::path::PathBuf, Vec<String>) = (
        data.to_owned(),
        args.iter().map(|s| s.to_string()).collect(),
    );
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, out, err) = run(&data, &args, "");
        assert!(!ok, "rehome {args:?} succeeded: {out}");
        let e: Value = serde_json::from_str(err.lines().last().unwrap_or_default())
            .unwrap_or_else(|_| panic!("not a JSON error: {err}"));
        (e["code"].as_str().unwrap_or_default().to_owned(), e)
    })
    .await
    .unwrap()
}

/// Signs `handle` up on `url`, keeping the token in the data folder's file.
pub(crate) async fn sign_up(data: &std::path::Path, url: &str, handle: &str) {
    let (data, url, handle) = (data.to_owned(), url.to_owned(), handle.to_owned());
    tokio::task::spawn_blocking(move || {
        let args = [
            "signup",
            "--server",
            &url,
            "--user",
            &handle,
            "--token-store",
            "file",
        ];
        let (ok, _, err) = run(&data, &args, "password1\n");
        assert!(ok, "signup: {err}");
    })
    .await
    .unwrap();
}

/// The values of `key` in a JSON array of objects.
fn column(v: &Value, key: &str) -> Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|i| i[key].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_listing_and_closet_print_what_the_server_serves() {
    let server = DemoServer::start().await;
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let url = server.url.clone();
    let shoes = json(
        d,
        &[
            "search",
            "--server",
            &url,
            "--category",
            "shoes",
            "--sort",
            "price_asc",
            "--limit",
            "3",
            "--json",
        ],
    )
    .await;
    expect![[r#"
        [
          {
            "brand": "H&M",
            "id": "019b76db-09a8-7e19-8000-000000000000",
            "price": 950,
            "seller": "closet_kai",
            "size": "EU 40",
            "title": "Red H&M sneakers"
          },
          {
            "brand": "Levi's",
            "id": "019b76da-c358-7e07-8000-000000000000",
            "price": 1150,
            "seller": "pia_preloved",
            "size": "EU 44",
            "title": "Pink Levi's plimsolls"
          },
          {
            "brand": "Nike",
            "id": "019b76da-f620-7e14-8000-000000000000",
            "price": 1700,
            "seller": "linen_luca",
            "size": "EU 39",
            "title": "Mustard Nike sneakers"
          }
        ]"#]]
    .assert_eq(&serde_json::to_string_pretty(&shoes).unwrap());
    let all = json(
        d,
        &[
            "search",
            "--server",
            &url,
            "--category",
            "shoes",
            "--limit",
            "100",
            "--json",
        ],
    )
    .await;
    let mut prices: Vec<i64> = column(&all, "price")
        .iter()
        .map(|p| p.as_i64().unwrap())
        .collect();
    prices.sort();
    assert_eq!(
        column(&shoes, "price"),
        prices[..3]
            .iter()
            .map(|p| Value::from(*p))
            .collect::<Vec<_>>()
    );
    // Filters: every one holds; price bounds as typed (12 = 12.00).
    let cheap = json(
        d,
        &[
            "search",
            "--server",
            &url,
            "--max-price",
            "20",
            "--min-price",
            "12,50",
            "--sort",
            "price_desc",
            "--limit",
            "100",
            "--json",
        ],
    )
    .await;
    let cheap_prices: Vec<i64> = column(&cheap, "price")
        .iter()
        .map(|p| p.as_i64().unwrap())
        .collect();
    assert!(!cheap_prices.is_empty());
    assert!(
        cheap_prices.iter().all(|p| (1250..=2000).contains(p)),
        "{cheap_prices:?}"
    );
    assert!(
        cheap_prices.windows(2).all(|w| w[0] >= w[1]),
        "dearest first"
    );
    for (args, field) in [
        (vec!["--sort", "cheapest"], "sort"),
        (vec!["--condition", "mint"], "condition"),
        (vec!["--min-price", "12.505"], "minPrice"),
    ] {
        let mut all = vec!["search", "--server", &url, "--json"];
        all.extend(args.iter().copied());
        let (code, e) = fails(d, &all).await;
        assert_eq!(
            (code.as_str(), e["field"].as_str()),
            ("invalid", Some(field)),
            "{args:?}"
        );
    }

    // Anyone's listing, with its seller card; its closet by handle.
    let id = shoes[0]["id"].as_str().unwrap().to_owned();
    let mut detail = json(d, &["listing", "show", &id, "--server", &url, "--json"]).await;
    assert!(detail["publishedAt"].is_i64());
    detail["publishedAt"] = Value::from(0);
    expect![[r#"
        {
          "brand": "H&M",
          "category": "shoes",
          "colour": "Red",
          "condition": "fair",
          "description": "Well worn, priced to match: red sneakers from H&M, size EU 40. From a smoke-free home; happy to bundle.",
          "id": "019b76db-09a8-7e19-8000-000000000000",
          "likeCount": 0,
          "liked": false,
          "photos": [
            {
              "height": 1200,
              "id": "019b76db-09a8-7019-8000-000000000000",
              "width": 900
            },
            {
              "height": 1200,
              "id": "019b76db-09a9-7019-8100-000000000000",
              "width": 900
            }
          ],
          "price": 950,
          "priceVersion": 0,
          "publishedAt": 0,
          "quantity": 1,
          "seller": {
            "followed": false,
            "followers": 0,
            "handle": "closet_kai",
            "id": "019b76da-a801-7001-8000-000000000001",
            "liveListings": 8,
            "sold": 0
          },
          "size": "EU 40",
          "status": "live",
          "statusVersion": 0,
          "title": "Red H&M sneakers"
        }"#]].assert_eq(&serde_json::to_string_pretty(&detail).unwrap());
    let handle = detail["seller"]["handle"].as_str().unwrap().to_owned();
    let closet = json(
        d,
        &[
            "closet", &handle, "--server", &url, "--limit", "4", "--json",
        ],
    )
    .await;
    assert_eq!(closet["seller"], detail["seller"]);
    assert_eq!(
        column(&closet["items"], "seller"),
        vec![Value::from(handle.clone()); 4]
    );
    let (code, _) = fails(d, &["closet", "nobody_here", "--server", &url, "--json"]).await;
    assert_eq!(code, "not_found");
    let (code, e) = fails(d, &["listing", "show", "not-an-id", "--json"]).await;
    assert_eq!(
        (code.as_str(), e["field"].as_str()),
        ("invalid", Some("id"))
    );

    // Offline, what was seen reads again; what was not says offline.
    let mut server = server;
    server.stop_for_now().await;
    let again = json(d, &["listing", "show", &id, "--server", &url, "--json"]).await;
    assert_eq!(again["id"], detail["id"]);
    assert!(again["offline"]["fetchedAt"].is_u64(), "{again}");
    assert_eq!(again["offline"]["mayHaveSold"], false, "seen a moment ago");
    assert!(detail.get("offline").is_none(), "online: no copy");
    let closet_again = json(
        d,
        &[
            "closet", &handle, "--server", &url, "--limit", "4", "--json",
        ],
    )
    .await;
    assert_eq!(closet_again, closet);
    let (code, _) = fails(
        d,
        &["search", "--server", &url, "--category", "bags", "--json"],
    )
    .await;
    assert_eq!(code, "offline");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likes_and_follows_made_offline_reach_the_server_once() {
    let mut server = DemoServer::start().await;
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let url = server.url.clone();
    let (code, _) = fails(d, &["like", "00000000-0000-7000-8000-000000000000"]).await;
    assert_eq!(code, "unauthorized");
    sign_up(d, &url, "cli_buyer").await;
    let feed = json(d, &["feed", "--server", &url, "--limit", "40", "--json"]).await;
    let ids: Vec<String> = column(&feed, "id")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    // The seller of the first card, seen in a closet before going offline.
    let seller = feed[0]["seller"].as_str().unwrap().to_owned();
    json(
        d,
        &[
            "closet", &seller, "--server", &url, "--limit", "1", "--json",
        ],
    )
    .await;

    server.stop_for_now().await;
    for id in &ids[..3] {
        let change = json(d, &["like", id]).await;
        assert_eq!(change["liked"], true);
    }
    json(d, &["unlike", &ids[1]]).await;
    let followed = json(d, &["follow", &seller]).await;
    assert_eq!(
        (followed["handle"].as_str(), followed["following"].as_bool()),
        (Some(seller.as_str()), Some(true))
    );
    // A like of a listing that is gone meanwhile (no such listing at all).
    json(d, &["like", "00000000-0000-7000-8000-000000000000"]).await;
    let (code, _) = fails(d, &["sync", "--once", "--json"]).await;
    assert_eq!(code, "offline");

    server.start_again().await;
    let (ok, out, err) = tokio::task::spawn_blocking({
        let d = d.to_owned();
        move || run(&d, &["sync", "--once", "--json"], "")
    })
    .await
    .unwrap();
    assert!(ok, "sync: {err}");
    let events: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let settled: Vec<&Value> = events.iter().filter(|e| e["event"] == "settled").collect();
    assert_eq!(
        settled.len(),
        1,
        "the like of nothing settles quietly: {out}"
    );
    let report = &events.last().unwrap()["report"];
    assert_eq!(
        (report["rejected"].as_i64(), report["parked"].as_i64()),
        (Some(0), Some(0)),
        "{out}"
    );
    // Once more: nothing left to send.
    let (ok, out, _) = tokio::task::spawn_blocking({
        let d = d.to_owned();
        move || run(&d, &["sync", "--once", "--json"], "")
    })
    .await
    .unwrap();
    assert!(ok && !out.contains("\"pushed\""), "{out}");

    // The server has each like and the follow exactly once.
    let db = server.db();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    let likes = "SELECT COUNT(*) FROM likes k JOIN users u ON u.id = k.user_id WHERE u.handle = 'cli_buyer'";
    assert_eq!(count(likes), 2);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id WHERE u.handle = 'cli_buyer'"
        ),
        1
    );
    let liked = json(d, &["likes", "--json"]).await;
    assert_eq!(
        column(&liked, "id"),
        vec![Value::from(ids[2].clone()), Value::from(ids[0].clone())]
    );
    assert_eq!(
        column(&liked, "priceDrop"),
        vec![Value::from(0), Value::from(0)]
    );
    assert_eq!(
        column(&liked, "status"),
        vec![Value::from("live"), Value::from("live")]
    );
    let card = json(
        d,
        &[
            "closet", &seller, "--server", &url, "--limit", "1", "--json",
        ],
    )
    .await;
    assert_eq!(
        (
            card["seller"]["followed"].as_bool(),
            card["seller"]["followers"].as_i64()
        ),
        (Some(true), Some(1))
    );
    let following = json(d, &["feed", "--following", "--limit", "100", "--json"]).await;
    assert!(!column(&following, "seller").is_empty());
    assert!(
        column(&following, "seller")
            .iter()
            .all(|s| s == &Value::from(seller.clone()))
    );

    json(d, &["unfollow", &seller]).await;
    let (ok, _, err) = tokio::task::spawn_blocking({
        let d = d.to_owned();
        move || run(&d, &["sync", "--once", "--json"], "")
    })
    .await
    .unwrap();
    assert!(ok, "sync: {err}");
    let following = json(d, &["feed", "--following", "--json"]).await;
    assert_eq!(following, Value::Array(vec![]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_sizes_apply_to_search_unless_switched_off() {
    let server = DemoServer::start().await;
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let url = server.url.clone();
    sign_up(d, &url, "sized_buyer").await;
    let sizes = json(d, &["profile", "sizes", "W30; EU 42,5,M", "--json"]).await;
    expect![[r#"{"sizes":["EU 42,5","M","W30"]}"#]].assert_eq(&sizes.to_string());
    assert_eq!(json(d, &["profile", "sizes", "--json"]).await, sizes);
    let mine = json(
        d,
        &[
            "search",
            "--category",
            "trousers",
            "--limit",
            "100",
            "--json",
        ],
    )
    .await;
    let all = json(
        d,
        &[
            "search",
            "--category",
            "trousers",
            "--no-my-size",
            "--limit",
            "100",
            "--json",
        ],
    )
    .await;
    let asked = json(
        d,
        &[
            "search",
            "--category",
            "trousers",
            "--size",
            "W30",
            "--limit",
            "100",
            "--json",
        ],
    )
    .await;
    assert!(!mine.as_array().unwrap().is_empty());
    assert!(
        mine.as_array().unwrap().len() < all.as_array().unwrap().len(),
        "my sizes filter"
    );
    assert_eq!(mine, asked, "trousers in my sizes are the W30 ones");
    let (code, e) = fails(d, &["profile", "sizes", &"X".repeat(30), "--json"]).await;
    assert_eq!(
        (code.as_str(), e["field"].as_str()),
        ("invalid", Some("sizes"))
    );
}
