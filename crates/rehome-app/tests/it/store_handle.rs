//! The facade opens the store once. Opening runs start-up work (quick check,
//! migrations, and the photo reconcile that deletes photo files without a
//! row and temp files); run again on every poll, that reconcile would delete
//! a photo being saved at that moment, between its file and its row.

use rehome_app::{App, AppConfig};

#[test]
fn the_ui_polls_never_rerun_the_stores_start_up_work() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppConfig::in_dir(
        dir.path().to_owned(),
        Some("http://127.0.0.1:9".into()),
    ))
    .unwrap();
    // What a photo save has written, mid-way, when a poll comes in: its temp
    // file, or its file before its row.
    let photos = dir.path().join("photos");
    let in_flight = [
        photos.join(format!("{}.jpg.tmp", "a".repeat(64))),
        photos.join(format!("{}.jpg", "b".repeat(64))),
    ];
    for f in &in_flight {
        std::fs::write(f, b"\xFF\xD8\xFF").unwrap();
    }
    for _ in 0..3 {
        app.sync_status().unwrap();
        app.list_conflicts().unwrap();
        app.listings_with_sync_state().unwrap();
    }
    for f in &in_flight {
        assert!(f.exists(), "{} was deleted by a poll", f.display());
    }
    // A new start does reconcile them away (they are orphans by then).
    drop(app);
    let _again = App::open(AppConfig::in_dir(
        dir.path().to_owned(),
        Some("http://127.0.0.1:9".into()),
    ))
    .unwrap();
    for f in &in_flight {
        assert!(!f.exists(), "{} survived a start", f.display());
    }
}
