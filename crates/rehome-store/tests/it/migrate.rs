//! Upgrades from every earlier schema version, with pending outbox rows.
//!
//! The harness walks `schema::HISTORY_FIXTURES` (v0 is a fresh install) and
//! covers each new version as soon as its fixture is added. A column added by a
//! later version comes after the old ones, so an old row reads as a prefix.

use crate::common::*;
use rehome_store::schema;

fn counts(db: &std::path::Path) -> (i64, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = |t: &str| {
        c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (n("drafts"), n("outbox"))
}

/// Every row of the tables that exist, as text (empty for a table not there yet).
fn dump(db: &std::path::Path, tables: &[&str]) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for t in tables {
        let Ok(mut stmt) = c.prepare(&format!("SELECT * FROM {t} ORDER BY rowid")) else {
            continue;
        };
        let cols = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..cols)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

#[test]
fn every_earlier_version_upgrades_with_its_rows() {
    assert_eq!(schema::HISTORY_FIXTURES.len(), schema::HISTORY.len() + 1);
    for version in 0..=schema::HISTORY.len() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(rehome_store::DB_FILE);
        schema::create_at_version(&db, version).unwrap();
        let tables = ["drafts", "outbox", "sync_state"];
        let before = dump(&db, &tables);
        if version >= 1 {
            assert!(
                before.iter().any(|r| r.starts_with("outbox")),
                "v{version} fixture has pending rows"
            );
        }
        let (_c, store) = open_in(dir.path(), 5);
        let c = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema::LATEST, "from v{version}");
        let after = dump(&db, &tables);
        for row in &before {
            let kept = after
                .iter()
                .any(|a| a == row || a.starts_with(&format!("{row} | ")));
            assert!(kept, "v{version}: lost {row}");
        }
        // The pending rows still decode as mutations; the drafts still read.
        let (drafts, outbox) = counts(&db);
        assert_eq!(store.outbox().unwrap().len() as i64, outbox);
        assert_eq!(store.list_drafts().unwrap().len() as i64, drafts);
    }
}

#[test]
fn a_database_from_a_newer_app_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(rehome_store::DB_FILE);
    schema::create_at_version(&db, schema::HISTORY.len()).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!("PRAGMA user_version = {}", schema::LATEST + 1))
        .unwrap();
    let err = rehome_store::Store::open_default(dir.path()).unwrap_err();
    assert_eq!(err.code(), rehome_model::ErrorCode::Corrupt);
    assert!(err.to_string().contains("newer version"), "{err}");
    assert_eq!(counts(&db), (1, 2), "nothing was changed");
}
