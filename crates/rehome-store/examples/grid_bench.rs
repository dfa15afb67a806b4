//! The grid's reads at scale (a benchmark, not a test).
//!
//! `cargo run --release -p rehome-store --example grid_bench [N]` (N rows,
//! default 50,000)
//!
//! Fills a real store file (in the system temp folder or `REHOME_BENCH_DIR`)
//! with N drafts in one transaction, a tenth of them with an outbox row, then
//! times `grid_page` (100 rows) for every sort at the top and in the middle,
//! a filtered count, and, as peers in the same run, the old `list_drafts`
//! (every row) and a bare `SELECT` of 100 ids on the same file. Then a bulk
//! −10 % of the newest 10,000 rows, previewed and committed, against a bare
//! `UPDATE` of the same rows in one transaction.

use rehome_model::ipc::{
    BulkOp, BulkRequest, GridColumn, GridFilter, GridOp, GridQuery, GridSort, PriceChange, Rounding,
};
use rehome_store::{ManualClock, OsEntropy, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median of `runs` timings of `f`.
fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut d: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    d.sort();
    d[d.len() / 2]
}

fn fill(path: &std::path::Path, n: usize) {
    let mut c = rusqlite::Connection::open(path).expect("open");
    let tx = c.transaction().expect("tx");
    let brands = ["Levi's", "COS", "Arket", "Uniqlo", "Zara", "Acne"];
    let sizes = ["XS", "S", "M", "L", "XL"];
    for i in 0..n {
        let id = rehome_model::ListingId::from_parts(1_700_000_000_000 + i as u64, [i as u8; 10]);
        let price = 500 + (i * 37) % 20_000;
        tx.execute(
            "INSERT INTO drafts (id, title, brand, size, price, price_cents, sku, status, rev, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9)",
            rusqlite::params![
                id.to_string(),
                format!("Item {i} {}", brands[i % brands.len()]),
                brands[i % brands.len()],
                sizes[i % sizes.len()],
                format!("{}.{:02}", price / 100, price % 100),
                price as i64,
                format!("{:016}", i),
                if i % 3 == 0 { "live" } else { "draft" },
                (1_700_000_000_000 + i as u64) as i64,
            ],
        )
        .expect("insert draft");
        if i % 10 == 0 {
            tx.execute(
                "INSERT INTO outbox (name, args, listing_id, draft_rev, created_at) \
                 VALUES ('setQuantity', ?1, ?2, 1, 0)",
                rusqlite::params![
                    format!(
                        r#"{{"listingId":"{id}","quantity":{},"baseVersion":0}}"#,
                        1 + i % 5
                    ),
                    id.to_string()
                ],
            )
            .expect("insert outbox");
        }
    }
    tx.commit().expect("commit");
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50_000);
    let base = std::env::var_os("REHOME_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    let open = || {
        Store::open(
            dir.path(),
            Arc::new(ManualClock::new(1_800_000_000_000)),
            Arc::new(OsEntropy::default()),
        )
        .expect("open store")
    };
    drop(open());
    fill(&dir.path().join(rehome_store::DB_FILE), n);
    let store = open();

    let page = |sort: Option<GridSort>, offset: u32, filters: Vec<GridFilter>| GridQuery {
        filters,
        sort,
        offset,
        limit: 100,
    };
    let path = dir.path().join(rehome_store::DB_FILE);
    let peer = rusqlite::Connection::open(&path).expect("peer");
    let bare = time(9, || {
        let mut s = peer
            .prepare_cached("SELECT id FROM drafts ORDER BY rowid LIMIT 100")
            .unwrap();
        let n = s.query_map([], |r| r.get::<_, String>(0)).unwrap().count();
        assert_eq!(n, 100);
    });
    println!("rows: {n}, folder: {}", base.display());
    println!("{:<46} {:>10} {:>12}", "", "median ms", "vs bare");
    let line = |name: &str, d: Duration| {
        println!(
            "{name:<46} {:>10.2} {:>11.1}x",
            ms(d),
            d.as_secs_f64() / bare.as_secs_f64()
        )
    };
    let mut sorts = vec![(None, "default (updated, newest first)".to_owned())];
    for c in GridColumn::ALL {
        sorts.push((
            Some(GridSort {
                column: *c,
                descending: false,
            }),
            format!("sort {c}"),
        ));
    }
    for (sort, name) in sorts {
        for offset in [0, n as u32 / 2] {
            let q = page(sort, offset, vec![]);
            let d = time(5, || {
                store.grid_page(&q).expect("page");
            });
            line(&format!("page of 100, {name}, offset {offset}"), d);
        }
    }
    let brand = vec![GridFilter {
        column: GridColumn::Brand,
        op: GridOp::Eq,
        value: "levi's".into(),
    }];
    line(
        "count, brand = levi's",
        time(5, || {
            store.grid_count(&brand).expect("count");
        }),
    );
    let q = page(None, 0, brand);
    line(
        "page of 100, brand = levi's",
        time(5, || {
            store.grid_page(&q).expect("page");
        }),
    );
    let title = vec![GridFilter {
        column: GridColumn::Title,
        op: GridOp::Contains,
        value: "item 4".into(),
    }];
    let q = page(None, 0, title);
    line(
        "page of 100, title contains (a full scan)",
        time(5, || {
            store.grid_page(&q).expect("page");
        }),
    );
    line(
        "peer: list_drafts (every row)",
        time(1, || {
            store.list_drafts().expect("list");
        }),
    );
    line("peer: bare SELECT of 100 ids", bare);

    // A bulk edit of the newest 10,000 rows: −10 %, previewed, then
    // committed as one transaction and one undo step (goal <= 200 ms).
    let newest = vec![GridFilter {
        column: GridColumn::Updated,
        op: GridOp::Above,
        value: (1_700_000_000_000 + n as u64 - 10_001).to_string(),
    }];
    let bulk = |dry_run| BulkRequest {
        op: BulkOp::Price {
            change: PriceChange::Percent(-1000),
            round: Rounding::None,
            floor: None,
        },
        filters: newest.clone(),
        ids: None,
        dry_run,
    };
    let t = Instant::now();
    let preview = store.bulk_edit(&bulk(true)).expect("dry run");
    let dry = t.elapsed();
    let t = Instant::now();
    let done = store.bulk_edit(&bulk(false)).expect("commit");
    let commit = t.elapsed();
    assert_eq!(preview.changed, done.changed);
    let updates = time(1, || {
        peer.execute_batch("BEGIN IMMEDIATE").unwrap();
        {
            let mut s = peer
                .prepare("UPDATE drafts SET rev = rev + 1 WHERE id = ?1")
                .unwrap();
            let mut ids = peer
                .prepare("SELECT id FROM drafts ORDER BY updated_at DESC LIMIT 10000")
                .unwrap();
            let ids: Vec<String> = ids
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for id in ids {
                s.execute([id]).unwrap();
            }
        }
        peer.execute_batch("ROLLBACK").unwrap();
    });
    println!(
        "bulk -10 % of {} rows: dry run {:.1} ms, commit {:.1} ms (goal <= 200 ms); \
         peer: bare UPDATE of the same rows in one transaction {:.1} ms ({:.1}x)",
        done.changed,
        ms(dry),
        ms(commit),
        ms(updates),
        commit.as_secs_f64() / updates.as_secs_f64()
    );
}
