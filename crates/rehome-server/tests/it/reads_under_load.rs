//! SQLite under load: reads share a bounded pool, the inbox does not take
//! the writer, and stored mutation outcomes do not pile up.

use crate::support::{config, start, start_with};
use crate::sync::{create, listing_id};

#[tokio::test]
async fn a_burst_of_feed_requests_shares_the_bounded_reader_pool() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), true);
    cfg.limits.max_db_readers = 2;
    let t = start_with(cfg, dir).await;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let req = t.http.get(t.url("/v1/feed"));
        set.spawn(async move { req.send().await.unwrap().status().as_u16() });
    }
    while let Some(status) = set.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert!(t.server.app.state.store.readers_open() <= 2);
}

#[tokio::test]
async fn the_inbox_answers_while_another_writer_holds_the_database() {
    let t = start(false).await;
    let (token, _) = t.sign_up("reader").await;
    let db = rusqlite::Connection::open(t._dir.path().join("rehome.sqlite3")).unwrap();
    db.execute_batch("BEGIN IMMEDIATE").unwrap();
    let res = t.get_authed(&token, "/v1/notifications").await;
    assert_eq!(res.status(), 200);
    db.execute_batch("COMMIT").unwrap();
}

#[tokio::test]
async fn outcomes_a_client_has_acknowledged_are_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.limits.kept_outcomes_per_client = 1;
    let t = start_with(cfg, dir).await;
    let (token, _) = t.sign_up("pusher").await;
    let c = uuid::Uuid::from_u128(0x52);
    let stored = || {
        let db = rusqlite::Connection::open(t._dir.path().join("rehome.sqlite3")).unwrap();
        db.query_row(
            "SELECT COUNT(*) FROM mutation_results WHERE client_id = ?1",
            [c.to_string()],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    };
    let batch = (1..=3u8)
        .map(|n| (u64::from(n), create(listing_id(n), "Kept", 1000)))
        .collect();
    t.push(&token, c, batch).await;
    assert_eq!(stored(), 3);
    // Pushing 4 says the answers to 1-3 arrived: all but the newest one go.
    let res = t
        .push(&token, c, vec![(4, create(listing_id(4), "Next", 1000))])
        .await;
    assert_eq!(res.last_mutation_id, 4);
    assert_eq!(stored(), 2);
    // 4 itself is still answered exactly once.
    let again = t
        .push(&token, c, vec![(4, create(listing_id(4), "Next", 1000))])
        .await;
    assert_eq!(crate::sync::outcome_codes(&again), ["applied"]);
    assert_eq!(t.pull(&token, c, None).await.patch.len(), 4);
}
