//! `rehome offer …` and `rehome listing price` on two devices (two data
//! folders) against one real server: an offer made offline on the buyer's
//! device and accepted on the seller's converge after `sync --once`, each
//! write reaching the server exactly once; `offer list` reads offline from
//! the last sync.

use crate::buyer::{fails, json, run, sign_up};
use crate::support::DemoServer;
use serde_json::Value;

/// `rehome sync --once --json` in `d`, which must succeed: its events.
async fn sync_events(d: &std::path::Path) -> Vec<Value> {
    let d = d.to_owned();
    let (ok, out, err) =
        tokio::task::spawn_blocking(move || run(&d, &["sync", "--once", "--json"], ""))
            .await
            .unwrap();
    assert!(ok, "sync: {err}");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// [`sync_events`]' report.
async fn sync(d: &std::path::Path) -> Value {
    sync_events(d).await.last().unwrap()["report"].clone()
}

/// One line per offer of `offer list`: `role amount state`, sorted (offers
/// made in one push share a millisecond, so their order is the ids'; the
/// server's tests check the order on a manual clock).
fn lines(list: &Value) -> Vec<String> {
    let mut lines: Vec<String> = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .map(|o| format!("{} {} {}", o["role"], o["amount"], o["state"]).replace('"', ""))
        .collect();
    lines.sort();
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_made_offline_on_one_device_and_accepted_on_another_converges() {
    let mut server = DemoServer::start().await;
    let url = server.url.clone();
    let (seller_dir, buyer_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (s, b) = (seller_dir.path(), buyer_dir.path());

    // The seller's listing, live at 25.00, then dropped to 22.00.
    sign_up(s, &url, "offer_cli_seller").await;
    let listing = {
        let s = s.to_owned();
        tokio::task::spawn_blocking(move || {
            crate::sync::publish_a_draft(&s, s.to_str().unwrap(), &[])
        })
        .await
        .unwrap()
    };
    assert_eq!(sync(s).await["pending"], 0);
    json(s, &["listing", "price", &listing, "22"]).await;
    let (code, _) = fails(s, &["listing", "price", &listing, "free"]).await;
    assert_eq!(code, "invalid");
    assert_eq!(sync(s).await["rejected"], 0);
    let detail = server.get_json(&format!("/v1/listings/{listing}")).await;
    assert_eq!(detail["price"], 2200, "{detail}");

    // The buyer syncs once (the offers as of then), then goes offline.
    sign_up(b, &url, "offer_cli_buyer").await;
    sync(b).await;
    server.stop_for_now().await;
    let (code, _) = fails(b, &["offer", "make", &listing, "--price", "0"]).await;
    assert_eq!(code, "invalid");
    let made = json(b, &["offer", "make", &listing, "--price", "20"]).await;
    assert_eq!(
        (made["action"].as_str(), made["amount"].as_i64()),
        (Some("make"), Some(2000))
    );
    let offer = made["offerId"].as_str().unwrap().to_owned();
    let offline = json(b, &["offer", "list", "--sent", "--json"]).await;
    assert!(offline["offlineSince"].is_u64(), "{offline}");
    assert_eq!(lines(&offline), Vec::<String>::new(), "as of the last sync");
    // The offer made here waits for the next sync, and says so.
    assert_eq!(
        offline["waiting"][0]["offerId"],
        offer.as_str(),
        "{offline}"
    );
    assert_eq!(offline["waiting"].as_array().unwrap().len(), 1, "{offline}");
    let (code, _) = fails(b, &["sync", "--once", "--json"]).await;
    assert_eq!(code, "offline");

    // Back online: the buyer's offer goes out; the seller accepts it.
    server.start_again().await;
    let report = sync(b).await;
    assert_eq!(
        (report["rejected"].as_i64(), report["pending"].as_i64()),
        (Some(0), Some(0)),
        "{report}"
    );
    let received = json(s, &["offer", "list", "--received", "--json"]).await;
    assert_eq!(lines(&received), ["received 2000 open"]);
    assert_eq!(received["items"][0]["id"], offer.as_str());
    let accepted = json(s, &["offer", "accept", &offer]).await;
    assert_eq!(accepted["action"], "accept");
    assert_eq!(sync(s).await["rejected"], 0);
    // Sent twice more: nothing left, nothing applied twice.
    sync(s).await;
    sync(b).await;

    let mine = json(b, &["offer", "list", "--json"]).await;
    assert_eq!(lines(&mine), ["sent 2000 accepted"]);
    assert_eq!(mine["waiting"], serde_json::json!([]), "all sent");
    let db = server.db();
    let (count, buyer): (i64, String) = db
        .query_row(
            "SELECT COUNT(*), (SELECT u.handle FROM listings l JOIN users u ON u.id = l.buyer_id WHERE l.id = ?1) \
             FROM offers WHERE listing_id = ?1",
            [&listing],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((count, buyer.as_str()), (1, "offer_cli_buyer"));
    assert_eq!(mine["items"][0]["soldTo"], mine["items"][0]["buyerId"]);
    let detail = server.get_json(&format!("/v1/listings/{listing}")).await;
    assert_eq!(
        (detail["status"].as_str(), detail["price"].as_i64()),
        (Some("sold"), Some(2000))
    );

    // Offline again: the list reads as of the last sync.
    server.stop_for_now().await;
    let copy = json(b, &["offer", "list", "--json"]).await;
    assert_eq!(lines(&copy), ["sent 2000 accepted"]);
    assert!(copy["offlineSince"].is_u64(), "{copy}");
    // An offer made offline on what sold meanwhile goes out once and comes
    // back refused with the reason (kept, not lost).
    json(b, &["offer", "make", &listing, "--price", "18"]).await;
    server.start_again().await;
    let events = sync_events(b).await;
    let parked: Vec<&Value> = events.iter().filter(|e| e["event"] == "parked").collect();
    assert_eq!(parked.len(), 1, "{events:?}");
    assert_eq!(parked[0]["reason"], "The listing has sold");
    // …and `offer list` shows it refused, with the reason; nothing else waits.
    let after = json(b, &["offer", "list", "--json"]).await;
    let waiting = after["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{after}");
    assert_eq!(
        (
            waiting[0]["action"].as_str(),
            waiting[0]["refused"].as_str()
        ),
        (Some("make"), Some("The listing has sold"))
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_is_taken_and_an_offer_to_likers_goes_to_the_buyer_who_liked() {
    let server = DemoServer::start().await;
    let url = server.url.clone();
    let (seller_dir, buyer_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (s, b) = (seller_dir.path(), buyer_dir.path());
    sign_up(s, &url, "chain_cli_seller").await;
    let (countered, liked) = {
        let s = s.to_owned();
        tokio::task::spawn_blocking(move || {
            let d = s.to_str().unwrap();
            (
                crate::sync::publish_a_draft(&s, d, &[]),
                crate::sync::publish_a_draft(&s, d, &[]),
            )
        })
        .await
        .unwrap()
    };
    assert_eq!(sync(s).await["pending"], 0);
    sign_up(b, &url, "chain_cli_buyer").await;

    // The seller takes nothing under 14.00: the buyer's 13.00 comes back
    // refused, naming the floor; then the buyer offers 15.00, the seller
    // counters 21.00, and the buyer takes it.
    let (ok, _, err) = tokio::task::spawn_blocking({
        let (s, countered) = (s.to_owned(), countered.clone());
        move || run(&s, &["offer", "floor", &countered], "")
    })
    .await
    .unwrap();
    assert!(!ok && err.contains("--price"), "a price or --none: {err}");
    let floor = json(s, &["offer", "floor", &countered, "--price", "14"]).await;
    assert_eq!(floor["floor"], 1400);
    sync(s).await;
    json(b, &["offer", "make", &countered, "--price", "13"]).await;
    let events = sync_events(b).await;
    let parked: Vec<&Value> = events.iter().filter(|e| e["event"] == "parked").collect();
    assert_eq!(parked.len(), 1, "{events:?}");
    assert_eq!(parked[0]["reason"], "The seller takes no offer below 14.00");
    let made = json(b, &["offer", "make", &countered, "--price", "15"]).await;
    json(b, &["like", &liked]).await;
    sync(b).await;
    let counter = json(
        s,
        &[
            "offer",
            "counter",
            made["offerId"].as_str().unwrap(),
            "--price",
            "21",
        ],
    )
    .await;
    assert_eq!(counter["replyTo"], made["offerId"]);
    // One price to everyone who liked the second listing.
    json(s, &["offer", "likers", &liked, "--price", "18"]).await;
    assert_eq!(sync(s).await["rejected"], 0);
    let received = json(b, &["offer", "list", "--received", "--json"]).await;
    assert_eq!(
        lines(&received),
        ["received 1800 open", "received 2100 open"]
    );
    for item in received["items"].as_array().unwrap() {
        json(b, &["offer", "accept", item["id"].as_str().unwrap()]).await;
    }
    assert_eq!(sync(b).await["rejected"], 0);

    let mine = json(b, &["offer", "list", "--json"]).await;
    assert_eq!(
        lines(&mine),
        [
            "received 1800 accepted",
            "received 2100 accepted",
            "sent 1500 countered"
        ]
    );
    for (listing, price) in [(&countered, 2100), (&liked, 1800)] {
        let detail = server.get_json(&format!("/v1/listings/{listing}")).await;
        assert_eq!(
            (detail["status"].as_str(), detail["price"].as_i64()),
            (Some("sold"), Some(price))
        );
    }
    let seller_side = json(s, &["offer", "list", "--sent", "--json"]).await;
    assert_eq!(
        lines(&seller_side),
        ["sent 1800 accepted", "sent 2100 accepted"]
    );
    server.stop().await;
}
