//! A bulk edit goes out in batches through the real server, and its undo
//! sends the reverse edits.

use crate::support::*;
use rehome_model::Money;
use rehome_model::ipc::{BulkOp, BulkRequest, PriceChange, Rounding};
use rehome_sync::SyncConfig;

const ROWS: usize = 450;

#[tokio::test]
async fn a_bulk_price_edit_goes_out_in_batches_and_its_undo_follows() {
    let server = TestServer::start().await;
    let token = server.sign_up("bulk_seller").await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open_with(dir.path(), &server.url(), &token, 31, SyncConfig::default());
    for i in 0..ROWS {
        let values = values(&format!("Shirt {i}"), "20.00");
        device
            .store
            .apply_edit(rehome_store::Edit::CreateDraft { values })
            .unwrap();
    }
    device.settle().await;
    let bulk = |change| BulkRequest {
        op: BulkOp::Price {
            change,
            round: Rounding::None,
            floor: None,
        },
        filters: vec![],
        ids: None,
        dry_run: false,
    };
    let report = device
        .store
        .bulk_edit(&bulk(PriceChange::Percent(-1000)))
        .unwrap();
    assert_eq!(report.changed, ROWS as u64);
    let pushed = device.settle().await;
    assert_eq!(pushed.applied, ROWS, "one price edit per row");
    let batches = ROWS.div_ceil(SyncConfig::default().batch);
    assert_eq!(pushed.pushes, batches, "{ROWS} rows in {batches} pushes");
    let on_server = || -> Vec<i64> {
        let db = server.db();
        let mut stmt = db.prepare("SELECT DISTINCT price FROM listings").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(on_server(), vec![1800]);

    // The undo of a synced step sends the reverse edits.
    let undo = device.store.bulk_undo().unwrap();
    assert_eq!(undo.changes.len(), ROWS);
    assert!(undo.conflicts.is_empty());
    let pushed = device.settle().await;
    assert_eq!(pushed.applied, ROWS);
    assert_eq!(on_server(), vec![2000]);
    let cards = device.store.list_drafts().unwrap();
    assert!(cards.iter().all(|c| c.price_cents == Some(Money(2000))));
}
