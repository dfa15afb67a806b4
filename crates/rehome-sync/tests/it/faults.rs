//! Many drafts with camera-sized photos, synced through the fault proxy.
//! CI size: 20 drafts × 8 photos; `REHOME_SYNC_FULL=1` runs 100 × 8.
//! `REHOME_SYNC_SEED=N` picks the fault sequence (default 1).

use crate::support::*;
use rehome_model::draft::DraftStage;
use rehome_sync::proxy::{Fault, FaultPlan, FaultProxy};
use std::collections::BTreeSet;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_with_photos_sync_exactly_once_through_drops_cuts_duplicates_and_5xx() {
    let full = std::env::var("REHOME_SYNC_FULL").is_ok_and(|v| v == "1");
    let drafts: u64 = if full { 100 } else { 20 };
    let per_draft: u64 = 8;
    let seed = env_u64("REHOME_SYNC_SEED", 1);

    let server = TestServer::start().await;
    let token = server.sign_up("faulty").await;
    // About one request in five gets a fault.
    let proxy = FaultProxy::start(server.server.addr, FaultPlan::mixed(seed, 20))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path(), &proxy.base_url(), &token, seed);

    let started = std::time::Instant::now();
    let mut local_shas = BTreeSet::new();
    let mut ids = Vec::new();
    for d in 0..drafts {
        let photos: Vec<_> = (0..per_draft)
            .map(|p| {
                let jpeg = camera_photo(seed * 100_000 + d * 100 + p);
                new_photo(&jpeg, 1600, 1200)
            })
            .collect();
        local_shas.extend(photos.iter().map(|p| p.sha256().to_owned()));
        ids.push(queue_listing(
            &device.store,
            &format!("Item {d}"),
            "19.99",
            &photos,
        ));
    }

    eprintln!("generated and queued in {:?}", started.elapsed());
    let report = device.settle().await;
    eprintln!("settled in {:?}", started.elapsed());
    // Faults off for a last pull, so both sides are compared at rest.
    proxy.set_faults(false);
    device.settle().await;
    let counts = proxy.counts();
    eprintln!("seed {seed}: {drafts}×{per_draft}: proxy {counts:?}; report {report:?}");
    for fault in [
        Fault::Drop,
        Fault::DropReply,
        Fault::Duplicate,
        Fault::CutRequest,
        Fault::Status503,
    ] {
        assert!(
            proxy.count(fault) > 0,
            "{fault:?} never happened: {counts:?}"
        );
    }

    // Every listing live exactly once, published once.
    let facts = server_facts(&server);
    let mutations = (drafts * (1 + per_draft + 1)) as usize;
    assert_eq!(facts.listings, drafts as usize, "{facts:?}");
    assert_eq!(facts.live, drafts as usize, "{facts:?}");
    assert_eq!(facts.status_changed_twice, 0, "{facts:?}");
    // No mutation applied twice: each recorded once, all applied, and the
    // attached photos are exactly the ones sent.
    assert_eq!(
        (facts.recorded, facts.applied),
        (mutations, mutations),
        "{facts:?}"
    );
    assert_eq!(facts.attached, (drafts * per_draft) as usize, "{facts:?}");
    // Every photo's bytes on the server hash to what the device has.
    let fetched = fetched_photo_hashes(&server).await;
    let server_shas: BTreeSet<String> = fetched.iter().map(|(_, _, got)| got.clone()).collect();
    for (id, claimed, got) in &fetched {
        assert_eq!(claimed, got, "photo {id}");
    }
    assert_eq!(server_shas, local_shas);
    // Orphans (uploads created twice by a duplicate or a lost reply) go in GC.
    server.collect_uploads_after_days(8);
    let after = server_facts(&server);
    assert_eq!(
        (after.unattached_blobs, after.uploads_left),
        (0, 0),
        "{after:?}"
    );
    let parts = std::fs::read_dir(server.dir.path().join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(parts, 0, "no partial upload files left");
    assert_eq!(
        fetched_photo_hashes(&server).await.len(),
        fetched.len(),
        "GC kept attached photos"
    );

    assert!(device.store.outbox().unwrap().is_empty());
    for id in ids {
        assert_eq!(device.store.get_draft(id).unwrap().stage, DraftStage::Live);
    }
    assert!(device.dir.exists());
}
