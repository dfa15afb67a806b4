//! The client process SIGKILLed at each named crash point, then restarted:
//! 0 lost edits, 0 duplicates, 0 double-applied mutations.
//! CI: `REHOME_SYNC_CRASH_SEEDS` seeds per point (default 2). The long run,
//! 100 per point, takes longer than nextest allows one test (300 s):
//! `REHOME_SYNC_CRASH_SEEDS=100 cargo test -p rehome-sync --test it crash -- --nocapture`.

use crate::support::*;
use rehome_sync::CRASH_POINTS as POINTS;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const DRAFTS: usize = 2;

#[derive(Debug, Default)]
struct Tally {
    runs: u64,
    killed: u64,
    lost: u64,
    duplicates: u64,
    double_applied: u64,
}

fn child(
    data: &str,
    url: &str,
    token: &str,
    photos: &str,
    failpoint: Option<&str>,
) -> (bool, bool, String) {
    run_child(data, url, token, &DRAFTS.to_string(), photos, failpoint)
}

/// Runs the crash child on `data` with `drafts` drafts and the photos in
/// `photos`, SIGKILLs it when it reports `failpoint`: (killed, succeeded,
/// what it printed).
pub(crate) fn run_child(
    data: &str,
    url: &str,
    token: &str,
    drafts: &str,
    photos: &str,
    failpoint: Option<&str>,
) -> (bool, bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehome-sync-crash-child"));
    cmd.args([data, url, token, drafts, photos])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match failpoint {
        Some(f) => cmd.env("REHOME_FAILPOINT", f),
        None => cmd.env_remove("REHOME_FAILPOINT"),
    };
    let mut proc = cmd.spawn().unwrap();
    let stdout = proc.stdout.take().unwrap();
    let mut seen = String::new();
    let mut killed = false;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap_or_default();
        seen.push_str(&line);
        seen.push('\n');
        if line.starts_with("FAILPOINT") {
            proc.kill().unwrap(); // SIGKILL
            killed = true;
            break;
        }
    }
    let status = proc.wait().unwrap();
    let mut err = String::new();
    if let Some(mut e) = proc.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    (killed, status.success(), format!("{seen}{err}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_killed_at_every_crash_point_loses_nothing_and_applies_nothing_twice() {
    let seeds: u64 = std::env::var("REHOME_SYNC_CRASH_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let server = TestServer::start().await;
    let mut report = Vec::new();
    // `REHOME_SYNC_CRASH_POINT=NAME` runs one point only.
    let only = std::env::var("REHOME_SYNC_CRASH_POINT").ok();
    for (p, point) in POINTS.iter().enumerate() {
        if only.as_deref().is_some_and(|o| o != *point) {
            continue;
        }
        let mut tally = Tally::default();
        for seed in 0..seeds {
            let handle = format!("crash_{p}_{seed}");
            let token = server.sign_up(&handle).await;
            let data = tempfile::tempdir().unwrap();
            // Photos new to the server each run, so every run uploads (the
            // server dedupes only content the same account sent before).
            let photos = tempfile::tempdir().unwrap();
            for i in 0..DRAFTS {
                for k in 0..2 {
                    let unique = ((p as u64 * 1000 + seed) * 10 + i as u64) * 10 + k;
                    std::fs::write(
                        photos.path().join(format!("{i}_{k}.jpg")),
                        camera_photo(unique),
                    )
                    .unwrap();
                }
            }
            let photo_dir = photos.path().to_str().unwrap().to_owned();
            let d = data.path().to_str().unwrap().to_owned();
            let url = server.url();
            // Which hit of the point to die at varies with the seed (a sync
            // pulls once, so the pull point is always its first hit).
            let nth = if *point == "pull:before_apply" {
                1
            } else {
                1 + seed % 3
            };
            let spec = format!("{point}@{nth}");
            let (t, u, ph) = (token.clone(), url.clone(), photo_dir.clone());
            let d2 = d.clone();
            let ph2 = photo_dir.clone();
            let (killed, _, out) =
                tokio::task::spawn_blocking(move || child(&d2, &u, &t, &ph, Some(&spec)))
                    .await
                    .unwrap();
            let (_, ok, out2) =
                tokio::task::spawn_blocking(move || child(&d, &url, &token, &ph2, None))
                    .await
                    .unwrap();
            assert!(
                ok,
                "{point} seed {seed}: the restarted client failed:\n{out}\n---\n{out2}"
            );
            tally.runs += 1;
            tally.killed += u64::from(killed);
            let (lost, dups, twice) = check(&server, &handle, data.path());
            tally.lost += lost;
            tally.duplicates += dups;
            tally.double_applied += twice;
        }
        eprintln!("{point}: {tally:?}");
        report.push((point, tally));
    }
    for (point, t) in &report {
        assert!(t.killed > 0, "{point} was never reached: {t:?}");
        assert_eq!(
            (t.lost, t.duplicates, t.double_applied),
            (0, 0, 0),
            "{point}: {t:?}"
        );
    }
}

/// (lost edits, duplicates, double-applied) for one client's store vs the server.
fn check(server: &TestServer, handle: &str, data: &std::path::Path) -> (u64, u64, u64) {
    let store = rehome_store::Store::open_default(data).unwrap();
    let db = server.db();
    let user: String = db
        .query_row("SELECT id FROM users WHERE handle = ?1", [handle], |r| {
            r.get(0)
        })
        .unwrap();
    let mut lost = 0;
    let drafts = store.list_drafts().unwrap();
    for card in &drafts {
        let d = store.get_draft(card.id).unwrap();
        let row: Option<(String, i64, String, i64)> = db
            .query_row(
                "SELECT title, price, status, (SELECT COUNT(*) FROM listing_photos lp WHERE lp.listing_id = l.id) \
                 FROM listings l WHERE id = ?1",
                [card.id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .ok();
        let published = matches!(d.stage, rehome_model::draft::DraftStage::Live);
        match row {
            Some((title, _, status, photos))
                if title == d.values.title
                    && photos as usize == d.photos.len()
                    && (status == "live") == published => {}
            other => {
                eprintln!(
                    "lost: local {:?} {:?} {} photos vs server {other:?}",
                    d.values.title,
                    d.stage,
                    d.photos.len()
                );
                lost += 1;
            }
        }
    }
    let outbox = store.outbox().unwrap();
    if !outbox.is_empty() {
        eprintln!("lost: rows left in the outbox: {outbox:?}");
        lost += 1;
    }
    let server_count: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM listings WHERE seller_id = ?1",
            [&user],
            |r| r.get(0),
        )
        .unwrap();
    let duplicates = (server_count as u64).saturating_sub(drafts.len() as u64);
    // Each listing is published at most once and its price never changes here:
    // any version above that is a mutation applied twice. And every recorded
    // mutation is one the client made (ids 1..=last, each once).
    let twice: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM listings WHERE seller_id = ?1 AND (status_version > 1 OR price_version > 0)",
            [&user],
            |r| r.get(0),
        )
        .unwrap();
    let (recorded, max_id): (i64, i64) = db
        .query_row(
            "SELECT COUNT(*), COALESCE(MAX(mutation_id), 0) FROM mutation_results WHERE user_id = ?1",
            [&user],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let gaps = u64::from(recorded != max_id);
    (lost, duplicates, twice as u64 + gaps)
}
