//! The upload half of bench/run.sh (a benchmark, not a test).
//!
//! 1. Writes 50 camera-sized JPEGs to PHOTO_DIR, queues them on a fresh device
//!    store, and times the engine uploading them to SERVER (tus, checksummed
//!    chunks). Prints `engine_bytes=… engine_seconds=…`.
//! 2. Uploads 4 more photos through the fault proxy with one PATCH cut
//!    part-way, and prints the bytes sent again because of the cut
//!    (`resent_bytes=… chunk_bytes=…`).
//!
//!     bench_upload SERVER TOKEN PHOTO_DIR

use rehome_model::draft::DraftValues;
use rehome_store::{Edit, NewPhoto, OsEntropy, Store, SystemClock};
use rehome_sync::proxy::{Fault, FaultPlan, FaultProxy};
use rehome_sync::{ServerSession, SyncConfig, SyncEngine};
use rehome_testkit::photos::camera_photo;
use sha2::{Digest, Sha256};
use std::sync::Arc;

fn queue(store: &Store, photos: &[Vec<u8>]) {
    for group in photos.chunks(20) {
        let values = DraftValues {
            title: "Bench".into(),
            price: "10".into(),
            ..Default::default()
        };
        let id = store
            .apply_edit(Edit::CreateDraft { values })
            .expect("create")
            .id;
        for jpeg in group {
            let sha256 = format!("{:x}", Sha256::digest(jpeg));
            let photo = NewPhoto::checked(jpeg.clone(), 1600, 1200, &sha256).expect("a photo");
            store
                .apply_edit(Edit::AttachPhoto { id, photo })
                .expect("attach");
        }
    }
}

fn engine(store: Arc<Store>, url: String, token: &str, config: SyncConfig) -> SyncEngine {
    SyncEngine::new(
        store,
        ServerSession::new(
            rehome_client::Client::new()
                .and_then(|c| c.server(&url))
                .expect("client"),
            token,
        ),
        Arc::new(SystemClock),
        Arc::new(OsEntropy::default()),
        config,
    )
    .expect("engine")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, server, token, dir] = args.as_slice() else {
        eprintln!("usage: bench_upload SERVER TOKEN PHOTO_DIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("photo dir");
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let base = camera_photo(nonce);
    let photos: Vec<Vec<u8>> = (0..50)
        .map(|i| {
            // Same picture, unique bytes: swap the comment text.
            let mut p = base.clone();
            let tag = format!("{i:04}");
            p[6..10].copy_from_slice(tag.as_bytes());
            p
        })
        .collect();
    for (i, p) in photos.iter().enumerate() {
        std::fs::write(std::path::Path::new(dir).join(format!("{i:02}.jpg")), p).expect("write");
    }
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(
        Store::open(
            store_dir.path(),
            Arc::new(SystemClock),
            Arc::new(OsEntropy::default()),
        )
        .expect("store"),
    );
    queue(&store, &photos);
    let e = engine(store.clone(), server.clone(), token, SyncConfig::default());
    let started = std::time::Instant::now();
    let report = e.sync_once().await.expect("sync");
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(report.uploaded, 50, "{report:?}");
    println!(
        "engine_bytes={} engine_seconds={secs:.3}",
        report.upload_bytes_sent
    );

    // Bytes resent after one cut: 4 photos, request #3 (a PATCH) cut.
    let upstream: std::net::SocketAddr = server
        .trim_start_matches("http://")
        .parse()
        .expect("SERVER is http://IP:PORT");
    let proxy = FaultProxy::start(upstream, FaultPlan::scripted(vec![(3, Fault::CutRequest)]))
        .await
        .expect("proxy");
    let cut_dir = tempfile::tempdir().expect("tempdir");
    let cut_store = Arc::new(
        Store::open(
            cut_dir.path(),
            Arc::new(SystemClock),
            Arc::new(OsEntropy::default()),
        )
        .expect("store"),
    );
    let more: Vec<Vec<u8>> = (0..4).map(|i| camera_photo(nonce + 1 + i)).collect();
    queue(&cut_store, &more);
    let config = SyncConfig {
        upload_concurrency: 1,
        ..SyncConfig::default()
    };
    let chunk = config.chunk_bytes;
    let e = engine(cut_store, proxy.base_url(), token, config);
    let mut resent = 0;
    for _ in 0..10 {
        match e.sync_once().await {
            Ok(r) if r.pending == 0 => break,
            _ => tokio::time::sleep(std::time::Duration::from_millis(1100)).await,
        }
    }
    resent += e.totals().upload_bytes_resent;
    println!(
        "cuts={} resent_bytes={resent} chunk_bytes={chunk}",
        proxy.count(Fault::CutRequest)
    );
}
