//! The time to save one edit (a benchmark, not a test).
//!
//! `cargo run --release -p rehome-store --example edit_bench [N]`
//!
//! On a real file in the system temp folder (or `REHOME_BENCH_DIR`), with the
//! store's settings (WAL, synchronous=FULL), it times N `apply_edit` calls of
//! each kind, and as the peer, a bare `INSERT` in its own transaction on a
//! second file with the same settings. It prints median and p99 and the ratio
//! to the peer.

use rehome_model::draft::{DraftField, DraftValues};
use rehome_store::{Edit, OsEntropy, Store, SystemClock};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn stats(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort();
    let p = |q: f64| d[((d.len() as f64 - 1.0) * q).round() as usize];
    (p(0.5), p(0.99))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let base = std::env::var_os("REHOME_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    let store = Store::open(
        &dir.path().join("store"),
        Arc::new(SystemClock),
        Arc::new(OsEntropy::default()),
    )
    .expect("open store");
    let id = store
        .apply_edit(Edit::CreateDraft {
            values: DraftValues::default(),
        })
        .expect("create")
        .id;

    // Keystrokes folding into the not-yet-sent tail row.
    let mut coalesced = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        store
            .apply_edit(Edit::SetField {
                id,
                field: DraftField::Title,
                text: format!("Linen shirt {i}"),
            })
            .expect("edit");
        coalesced.push(t.elapsed());
    }
    // Edits that append a row each (the engine claimed the tail every time).
    let mut appended = Vec::with_capacity(n);
    for i in 0..n {
        store.pending_outbox(1_000_000).expect("claim");
        let t = Instant::now();
        store
            .apply_edit(Edit::SetField {
                id,
                field: DraftField::Price,
                text: format!("{}.50", 10 + i),
            })
            .expect("edit");
        appended.push(t.elapsed());
    }

    // The peer: one INSERT per transaction, same settings, same disk.
    let peer_path = dir.path().join("peer.sqlite3");
    let conn = rusqlite::Connection::open(&peer_path).expect("peer");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);",
    )
    .expect("peer schema");
    let mut bare = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        conn.execute(
            "INSERT INTO t (v) VALUES (?1)",
            [format!("Linen shirt {i}")],
        )
        .expect("insert");
        conn.execute_batch("COMMIT").expect("commit");
        bare.push(t.elapsed());
    }

    let (pm, p99) = stats(bare);
    println!("edits per kind: {n}, folder: {}", base.display());
    println!(
        "{:<44} {:>10} {:>10} {:>14}",
        "", "median ms", "p99 ms", "median ratio"
    );
    for (name, d) in [
        ("apply_edit, coalesced into the tail row", coalesced),
        ("apply_edit, appending an outbox row", appended),
    ] {
        let (m, p) = stats(d);
        println!(
            "{name:<44} {:>10.3} {:>10.3} {:>13.2}x",
            ms(m),
            ms(p),
            m.as_secs_f64() / pm.as_secs_f64()
        );
    }
    println!(
        "{:<44} {:>10.3} {:>10.3} {:>13.2}x",
        "peer: bare INSERT, one transaction",
        ms(pm),
        ms(p99),
        1.0
    );
}
