//! The client process the crash tests kill (feature `failpoints`): it queues
//! `drafts` listings with two photos each (unless the store already has them)
//! and syncs until everything is up. With `REHOME_FAILPOINT=NAME@N` it
//! stops at that point for the parent to SIGKILL it. Once settled it prints
//! `PULLED n` (listings this run pulled) and `SETTLED`.
//!
//! Usage: rehome-sync-crash-child DATA SERVER_URL TOKEN DRAFTS PHOTO_DIR

use rehome_model::draft::DraftValues;
use rehome_store::failpoint;
use rehome_store::{Edit, NewPhoto, OsEntropy, Store, SystemClock};
use rehome_sync::{Backoff, ServerSession, SyncConfig, SyncEngine, SyncError};
use sha2::{Digest, Sha256};
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, data, server, token, drafts, photos] = args.as_slice() else {
        eprintln!("usage: DATA SERVER_URL TOKEN DRAFTS PHOTO_DIR");
        std::process::exit(2);
    };
    let drafts: usize = drafts.parse().expect("DRAFTS is a number");
    let store = Arc::new(
        Store::open(
            std::path::Path::new(data),
            Arc::new(SystemClock),
            Arc::new(OsEntropy::default()),
        )
        .expect("open the store"),
    );
    let existing = store.list_drafts().expect("list drafts").len();
    for i in existing..drafts {
        let values = DraftValues {
            title: format!("Crash item {i}"),
            category: "tops".into(),
            size: "M".into(),
            condition: "good".into(),
            price: format!("{}", 10 + i),
            parcel: "small".into(),
            ..Default::default()
        };
        let id = store
            .apply_edit(Edit::CreateDraft { values })
            .expect("create")
            .id;
        failpoint::hit("local:after_commit");
        for k in 0..2 {
            let jpeg = std::fs::read(std::path::Path::new(photos).join(format!("{i}_{k}.jpg")))
                .expect("read a photo");
            let sha256 = format!("{:x}", Sha256::digest(&jpeg));
            let photo = NewPhoto::checked(jpeg, 1600, 1200, &sha256).expect("a photo");
            store
                .apply_edit(Edit::AttachPhoto { id, photo })
                .expect("attach");
            failpoint::hit("local:after_commit");
        }
        store.apply_edit(Edit::Publish { id }).expect("publish");
        failpoint::hit("local:after_commit");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let engine = SyncEngine::new(
        store.clone(),
        ServerSession::new(
            rehome_client::Client::new()
                .and_then(|c| c.server(server))
                .expect("client"),
            token.clone(),
        ),
        Arc::new(SystemClock),
        Arc::new(OsEntropy::default()),
        SyncConfig {
            // 256 KiB chunks: each ~550 KiB photo takes three.
            chunk_bytes: 256 * 1024,
            batch: 3,
            backoff: Backoff {
                base_ms: 5,
                cap_ms: 50,
            },
            ..SyncConfig::default()
        },
    )
    .expect("engine");
    for _ in 0..200 {
        match runtime.block_on(engine.sync_once()) {
            Ok(r) if r.pending == 0 && store.photos_to_upload().expect("photos").is_empty() => {
                println!("PULLED {}", engine.totals().pulled_listings);
                println!("SETTLED");
                return;
            }
            Ok(_) => {}
            Err(SyncError::Offline { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            Err(e) => {
                eprintln!("sync failed: {e}");
                std::process::exit(1);
            }
        }
    }
    eprintln!("did not settle");
    std::process::exit(1);
}
