//! Bulk edits at scale (a benchmark, not a test): `bench/run.sh bulk` or
//!
//!     cargo run --release -p rehome-sync --example bench_bulk [N]
//!
//! A fresh device store gets N listings (default 10,000) in one import
//! transaction and syncs them to an in-process server on 127.0.0.1. Then it
//! times −10 % on all of them: the dry run, and the commit (one transaction,
//! one undo step), with, as the peer in the same run, a bare `UPDATE` of N
//! rows in one transaction on a file with the same settings; and counts the
//! pushes that carry the commit to the server (goal ≤ 100).

use rehome_model::draft::DraftField;
use rehome_model::ipc::{BulkOp, BulkRequest, CsvColumn, PriceChange, Rounding};
use rehome_store::{ImportOptions, ImportRow, OsEntropy, Store, SystemClock};
use rehome_sync::{ServerSession, SyncConfig, SyncEngine};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let work = tempfile::tempdir().expect("temp dir");
    let server = rehome_server::spawn(rehome_server::ServerConfig::for_tests(
        work.path().join("server"),
    ))
    .await
    .expect("server");
    let http = rehome_client::Client::new()
        .and_then(|c| c.server(&server.base_url()))
        .expect("client");
    let token = {
        let reply = http
            .send(
                http.request(rehome_client::Method::POST, "/v1/auth/sign-up")
                    .json(&serde_json::json!({"handle": "bench_bulk", "password": "password1"})),
                1 << 20,
            )
            .await
            .expect("sign up");
        let v: serde_json::Value = reply.json().expect("json");
        v["token"].as_str().expect("token").to_owned()
    };
    let store = Arc::new(
        Store::open(
            &work.path().join("device"),
            Arc::new(SystemClock),
            Arc::new(OsEntropy::default()),
        )
        .expect("store"),
    );
    let rows: Vec<ImportRow> = (0..n)
        .map(|i| ImportRow {
            line: i as u64 + 2,
            cells: vec![
                (
                    CsvColumn::Field(DraftField::Title),
                    "title".into(),
                    format!("Item {i}"),
                ),
                (
                    CsvColumn::Field(DraftField::Price),
                    "price".into(),
                    format!("{}.00", 10 + i % 90),
                ),
                (
                    CsvColumn::Field(DraftField::Sku),
                    "sku".into(),
                    format!("{i:016}"),
                ),
            ],
        })
        .collect();
    let t = Instant::now();
    store
        .import_rows(
            &rows,
            &ImportOptions {
                decimal_comma: false,
                dry_run: false,
                label: "bench".into(),
            },
        )
        .expect("import");
    let imported = t.elapsed();
    let engine = SyncEngine::new(
        store.clone(),
        ServerSession::new(http.clone(), &token),
        Arc::new(SystemClock),
        Arc::new(OsEntropy::default()),
        SyncConfig::default(),
    )
    .expect("engine");
    let first = engine.sync_once().await.expect("first sync");

    let minus_ten = |dry_run| BulkRequest {
        op: BulkOp::Price {
            change: PriceChange::Percent(-1000),
            round: Rounding::None,
            floor: None,
        },
        filters: vec![],
        ids: None,
        dry_run,
    };
    let t = Instant::now();
    let preview = store.bulk_edit(&minus_ten(true)).expect("dry run");
    let dry = t.elapsed();
    let t = Instant::now();
    let done = store.bulk_edit(&minus_ten(false)).expect("commit");
    let commit = t.elapsed();
    assert_eq!(preview.changed, done.changed);
    let t = Instant::now();
    let pushed = engine.sync_once().await.expect("push");
    let push = t.elapsed();

    // The peer: one transaction updating N rows, same settings, same disk.
    let peer = rusqlite::Connection::open(work.path().join("peer.sqlite3")).expect("peer");
    peer.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         CREATE TABLE t (id INTEGER PRIMARY KEY, price INTEGER NOT NULL);",
    )
    .expect("peer schema");
    peer.execute_batch("BEGIN").expect("begin");
    for i in 0..n {
        peer.execute("INSERT INTO t (price) VALUES (?1)", [1000 + i as i64])
            .expect("insert");
    }
    peer.execute_batch("COMMIT").expect("commit");
    let t = Instant::now();
    peer.execute_batch("BEGIN IMMEDIATE").expect("begin");
    {
        let mut stmt = peer
            .prepare("UPDATE t SET price = price * 9 / 10 WHERE id = ?1")
            .expect("prepare");
        for i in 1..=n as i64 {
            stmt.execute([i]).expect("update");
        }
    }
    peer.execute_batch("COMMIT").expect("commit");
    let bare = t.elapsed();

    println!("listings: {n}");
    println!(
        "import of {n} new drafts, one transaction: {:.0} ms",
        ms(imported)
    );
    println!(
        "first sync: {} pushes, {} applied",
        first.pushes, first.applied
    );
    println!(
        "bulk -10 % dry run:  {:>8.1} ms ({} rows previewed)",
        ms(dry),
        preview.changed
    );
    println!(
        "bulk -10 % commit:   {:>8.1} ms (one transaction, one undo step; goal <= 200 ms) = {:.1}x the peer",
        ms(commit),
        commit.as_secs_f64() / bare.as_secs_f64()
    );
    println!(
        "peer: bare UPDATE of {n} rows, one transaction: {:.1} ms",
        ms(bare)
    );
    println!(
        "push of the commit: {} requests (goal <= 100), {} applied, {:.0} ms",
        pushed.pushes,
        pushed.applied,
        ms(push)
    );
    server.stop().await.expect("stop");
}
