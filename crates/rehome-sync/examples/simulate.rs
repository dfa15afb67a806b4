//! A simulation of many devices of one seller against one real server through
//! the fault proxy, replayable from its seed: the seed picks every device's
//! edits, the order the devices sync in, and the proxy's faults. After the
//! faults stop, every device syncs, conflicts are settled ("theirs") and the
//! devices must agree with the server; nothing applied twice, nothing lost.
//!
//!     cargo run -p rehome-sync --features test-support --example simulate -- --seeds 20 [--from 1] [--devices 3] [--steps 40]
//!
//! (Thread scheduling and real sockets are not replayed; the inputs are.)

use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_server::ServerConfig;
use rehome_store::{Edit, NewPhoto, SeededEntropy, Store, SystemClock};
use rehome_sync::conflicts::{self, Resolution};
use rehome_sync::proxy::{FaultPlan, FaultProxy};
use rehome_sync::{Backoff, ServerSession, SyncConfig, SyncEngine, SyncError};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The seed's stream of choices (rehome-store's splitmix64).
struct Rng(SeededEntropy);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        let mut b = [0u8; 8];
        rehome_store::Entropy::fill(&self.0, &mut b);
        u64::from_le_bytes(b) % n.max(1)
    }
}

fn jpeg(seed: u64) -> Vec<u8> {
    let (w, h) = (320u16, 240u16);
    let mut px = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h as u64 {
        for x in 0..w as u64 {
            px.extend_from_slice(&[
                (x + seed) as u8,
                (y * 3 + seed / 7) as u8,
                (x ^ y ^ seed) as u8,
            ]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&px, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Device {
    store: Arc<Store>,
    engine: SyncEngine,
    _dir: tempfile::TempDir,
}

async fn settle(d: &Device) -> Result<(), String> {
    for _ in 0..300 {
        match d.engine.sync_once().await {
            Ok(r)
                if r.pending == 0
                    && d.store
                        .photos_to_upload()
                        .map_err(|e| e.to_string())?
                        .is_empty() =>
            {
                return Ok(());
            }
            Ok(_) => {}
            Err(SyncError::Offline { .. }) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Err("did not settle".into())
}

fn client(url: &str) -> Result<rehome_client::ServerClient, String> {
    rehome_client::Client::new()
        .and_then(|c| c.server(url))
        .map_err(|e| e.to_string())
}

async fn run_seed(seed: u64, devices: usize, steps: u64) -> Result<String, String> {
    let mut rng = Rng(SeededEntropy::new(seed));
    let server_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = ServerConfig::for_tests(server_dir.path());
    let server = rehome_server::spawn(config)
        .await
        .map_err(|e| e.to_string())?;
    let token: String = {
        let http = client(&server.base_url())?;
        let request = http
            .request(rehome_client::Method::POST, "/v1/auth/sign-up")
            .json(&serde_json::json!({"handle": "simulated", "password": "password1"}));
        let reply = http
            .send(request, 1 << 20)
            .await
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = reply.json().map_err(|e| e.to_string())?;
        v["token"].as_str().unwrap_or_default().to_owned()
    };
    let proxy = FaultProxy::start(server.addr, FaultPlan::mixed(seed, 25))
        .await
        .map_err(|e| e.to_string())?;
    let mut devs = Vec::new();
    for i in 0..devices {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let store = Arc::new(
            Store::open(
                dir.path(),
                Arc::new(SystemClock),
                Arc::new(SeededEntropy::new(seed * 31 + i as u64)),
            )
            .map_err(|e| e.to_string())?,
        );
        let engine = SyncEngine::new(
            store.clone(),
            ServerSession::new(client(&proxy.base_url())?, token.clone()),
            Arc::new(SystemClock),
            Arc::new(SeededEntropy::new(seed * 77 + i as u64)),
            SyncConfig {
                backoff: Backoff {
                    base_ms: 2,
                    cap_ms: 40,
                },
                upload_retries: 10,
                ..SyncConfig::default()
            },
        )
        .map_err(|e| e.to_string())?;
        devs.push(Device {
            store,
            engine,
            _dir: dir,
        });
    }
    let mut known: Vec<ListingId> = Vec::new();
    let mut photo_seed = seed * 1_000_000;
    for _ in 0..steps {
        let d = &devs[rng.below(devices as u64) as usize];
        let local: Vec<ListingId> = d
            .store
            .list_drafts()
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|c| c.id)
            .collect();
        match rng.below(10) {
            0..=1 => {
                let values = DraftValues {
                    title: format!("Sim {}", rng.below(1000)),
                    category: "tops".into(),
                    size: "M".into(),
                    condition: "good".into(),
                    price: format!("{}", 5 + rng.below(90)),
                    parcel: "small".into(),
                    ..Default::default()
                };
                let id = d
                    .store
                    .apply_edit(Edit::CreateDraft { values })
                    .map_err(|e| e.to_string())?
                    .id;
                photo_seed += 1;
                let bytes = jpeg(photo_seed);
                let sha256 = format!("{:x}", Sha256::digest(&bytes));
                let photo =
                    NewPhoto::checked(bytes, 320, 240, &sha256).map_err(|e| e.to_string())?;
                d.store
                    .apply_edit(Edit::AttachPhoto { id, photo })
                    .map_err(|e| e.to_string())?;
                d.store
                    .apply_edit(Edit::Publish { id })
                    .map_err(|e| e.to_string())?;
                known.push(id);
            }
            2..=3 if !local.is_empty() => {
                let id = local[rng.below(local.len() as u64) as usize];
                let text = format!("Sim title {}", rng.below(1000));
                d.store
                    .apply_edit(Edit::SetField {
                        id,
                        field: DraftField::Title,
                        text,
                    })
                    .map_err(|e| e.to_string())?;
            }
            4..=5 if !local.is_empty() => {
                let id = local[rng.below(local.len() as u64) as usize];
                let text = format!("{}", 5 + rng.below(90));
                d.store
                    .apply_edit(Edit::SetField {
                        id,
                        field: DraftField::Price,
                        text,
                    })
                    .map_err(|e| e.to_string())?;
            }
            _ => {
                let _ = d.engine.sync_once().await;
            }
        }
    }
    // Heal: faults off, everyone syncs, conflicts settled, everyone syncs again.
    proxy.set_faults(false);
    for _ in 0..3 {
        for d in &devs {
            settle(d).await?;
            for c in conflicts::list(&d.store).map_err(|e| e.to_string())? {
                conflicts::resolve(&d.store, c.id, Resolution::Theirs)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    for d in &devs {
        settle(d).await?;
    }
    // Invariants.
    let db = rusqlite::Connection::open(server_dir.path().join("rehome.sqlite3"))
        .map_err(|e| e.to_string())?;
    let q = |sql: &str| -> Result<i64, String> {
        db.query_row(sql, [], |r| r.get(0))
            .map_err(|e| e.to_string())
    };
    let listings = q("SELECT COUNT(*) FROM listings")?;
    if listings != known.len() as i64 {
        return Err(format!(
            "{listings} listings on the server, {} created",
            known.len()
        ));
    }
    if q("SELECT COUNT(*) FROM listings WHERE status != 'live' OR status_version != 1")? != 0 {
        return Err("a listing not live, or published more than once".into());
    }
    let gaps = q(
        "SELECT COUNT(*) FROM (SELECT client_id, COUNT(*) n, MAX(mutation_id) m FROM mutation_results GROUP BY client_id) WHERE n != m",
    )?;
    if gaps != 0 {
        return Err(format!(
            "{gaps} clients with missing or extra mutation records"
        ));
    }
    let mut compared = 0;
    for id in &known {
        let (title, price): (String, i64) = db
            .query_row(
                "SELECT title, price FROM listings WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| e.to_string())?;
        let price_text = format!("{}.{:02}", price / 100, price % 100);
        for (i, d) in devs.iter().enumerate() {
            let draft = d
                .store
                .get_draft(*id)
                .map_err(|e| format!("device {i}: {e}"))?;
            if draft.values.title != title || draft.values.price != price_text {
                return Err(format!(
                    "device {i} has {:?} {:?}, the server {title:?} {price_text:?}",
                    draft.values.title, draft.values.price
                ));
            }
            compared += 1;
        }
    }
    Ok(format!(
        "{} listings, {compared} device copies agree; faults {:?}",
        known.len(),
        proxy
            .counts()
            .iter()
            .filter(|(_, n)| *n > 0)
            .collect::<Vec<_>>()
    ))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seeds = arg(&args, "--seeds", 10);
    let from = arg(&args, "--from", 1);
    let devices = arg(&args, "--devices", 3) as usize;
    let steps = arg(&args, "--steps", 40);
    let mut clean = 0;
    for seed in from..from + seeds {
        match run_seed(seed, devices, steps).await {
            Ok(summary) => {
                clean += 1;
                println!("seed {seed}: clean: {summary}");
            }
            Err(e) => println!("seed {seed}: FAILED: {e}"),
        }
    }
    println!("{clean} of {seeds} seeds clean");
    if clean != seeds {
        std::process::exit(1);
    }
}
