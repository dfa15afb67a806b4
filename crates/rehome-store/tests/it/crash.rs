//! Crash tests: a child process (this test binary, re-run with `crash::child`)
//! makes seeded edits and is SIGKILLed at a named point (see
//! `rehome_store::failpoint`). After each kill the store is reopened and:
//! `PRAGMA integrity_check` is ok, the audit finds every draft field in the
//! outbox or confirmed copy and no outbox row without its edit, every
//! acknowledged edit is there, and an edit killed inside its transaction left
//! nothing behind (neither its draft change nor its outbox row).
//!
//! `REHOME_CRASH_SEEDS=N` runs N seeds per point (default 100).

use crate::common::*;
use rehome_model::draft::DraftField;
use rehome_store::{Edit, schema};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const EDITS: usize = 14;

fn seeds() -> u64 {
    std::env::var("REHOME_CRASH_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A value for a field: valid and invalid text, unique where it can be.
fn text_for(field: DraftField, rng: &mut Rng, tag: &str) -> String {
    let pick = |rng: &mut Rng, xs: &[&str]| xs[rng.below(xs.len() as u64) as usize].to_owned();
    match field {
        DraftField::Price | DraftField::OriginalPrice => {
            if rng.below(4) == 0 {
                pick(rng, &["abc", "12,5O", ""])
            } else {
                format!("{}.{:02}", 1 + rng.below(500), rng.below(100))
            }
        }
        DraftField::Category => pick(rng, &["tops", "shoes", "hats", ""]),
        DraftField::Condition => pick(rng, &["good", "like new", "mint"]),
        DraftField::Parcel => pick(rng, &["small", "large", "500g", "huge"]),
        _ => format!("{field} {tag} {}", "é".repeat(rng.below(5) as usize)),
    }
}

/// The child's plan for a seed: two creates, then EDITS edits. With `photos`,
/// every other edit attaches a new photo (so photo points are reached often).
fn plan(seed: u64, photos: bool) -> Vec<Value> {
    let mut rng = Rng(seed);
    let mut ops = vec![json!({"kind": "create"}), json!({"kind": "create"})];
    for i in 0..EDITS {
        let target = rng.below(2);
        let roll = rng.below(10);
        if photos && i % 2 == 0 || !photos && roll == 0 {
            ops.push(json!({"kind": "photo", "target": target, "seed": seed * 100 + i as u64}));
        } else if !photos && roll == 1 {
            ops.push(json!({"kind": "create"}));
        } else {
            let field = DraftField::ALL[rng.below(DraftField::ALL.len() as u64) as usize];
            let text = text_for(field, &mut rng, &format!("s{seed}e{i}"));
            ops.push(json!({"kind": "set", "target": target, "field": field, "text": text}));
        }
    }
    ops
}

fn say(line: String) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").unwrap();
    out.flush().unwrap();
}

/// The child: run by the crash tests only (it fails when run by hand).
#[test]
#[ignore = "a child process of the crash tests"]
fn child() {
    let spec: Value = serde_json::from_str(
        &std::env::var("REHOME_CRASH_CHILD").expect("run only by the crash tests"),
    )
    .unwrap();
    let dir = std::path::PathBuf::from(spec["dir"].as_str().unwrap());
    let seed = spec["seed"].as_u64().unwrap();
    let (_clock, store) = open_in(&dir, seed);
    say("OPENED".into());
    if spec["open_only"].as_bool().unwrap_or(false) {
        return;
    }
    let mut ids = Vec::new();
    for op in plan(seed, spec["photos"].as_bool().unwrap()) {
        let target =
            |ids: &Vec<rehome_model::ListingId>| ids[op["target"].as_u64().unwrap() as usize];
        let (edit, mut ack) = match op["kind"].as_str().unwrap() {
            "create" => (
                Edit::CreateDraft {
                    values: Default::default(),
                },
                op.clone(),
            ),
            "set" => {
                let id = target(&ids);
                let field: DraftField = serde_json::from_value(op["field"].clone()).unwrap();
                let text = op["text"].as_str().unwrap().to_owned();
                (
                    Edit::SetField { id, field, text },
                    json!({"kind": "set", "id": id, "field": field, "text": op["text"]}),
                )
            }
            _ => {
                let id = target(&ids);
                let photo = jpeg(
                    (op["seed"].as_u64().unwrap() % 251) as u8,
                    20_000 + op["seed"].as_u64().unwrap() as usize % 1000,
                );
                let sha = photo.sha256().to_owned();
                (
                    Edit::AttachPhoto { id, photo },
                    json!({"kind": "photo", "id": id, "sha": sha}),
                )
            }
        };
        say(format!("BEGIN {ack}"));
        let receipt = store.apply_edit(edit).unwrap();
        if op["kind"] == "create" {
            ids.push(receipt.id);
            ack["id"] = json!(receipt.id);
        }
        if let Some(p) = receipt.photo_id {
            ack["photo"] = json!(p);
        }
        say(format!("ACK {ack}"));
    }
    say("DONE".into());
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Committed {
    /// The kill came inside the edit's transaction: nothing of it may remain.
    No,
    /// The kill came after the commit: all of it must remain.
    Yes,
    /// A kill at an arbitrary moment: either, but all or nothing.
    Either,
}

struct Outcome {
    acks: Vec<Value>,
    inflight: Option<Value>,
    reached: bool,
}

/// Runs the child until it prints `FAILPOINT` (or, with `kill_after_acks`,
/// until that many ACK lines), then SIGKILLs it.
fn run_child(
    dir: &std::path::Path,
    seed: u64,
    failpoint: Option<String>,
    photos: bool,
    open_only: bool,
    kill_after_acks: Option<usize>,
) -> Outcome {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "crash::child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(
        "REHOME_CRASH_CHILD",
        json!({"dir": dir, "seed": seed, "photos": photos, "open_only": open_only}).to_string(),
    )
    .env_remove("REHOME_FAILPOINT")
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(fp) = &failpoint {
        cmd.env("REHOME_FAILPOINT", fp);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut acks = Vec::new();
    let mut inflight = None;
    let mut reached = false;
    for line in stdout.lines() {
        let line = line.unwrap();
        if std::env::var_os("REHOME_CRASH_DEBUG").is_some() {
            eprintln!("child: {line}");
        }
        if let Some(rest) = line.strip_prefix("BEGIN ") {
            inflight = Some(serde_json::from_str(rest).unwrap());
        } else if let Some(rest) = line.strip_prefix("ACK ") {
            acks.push(serde_json::from_str(rest).unwrap());
            inflight = None;
            if !reached && kill_after_acks == Some(acks.len()) {
                reached = true;
                child.kill().unwrap(); // SIGKILL; what it printed before dying is still read
            }
        } else if line.contains("FAILPOINT ") {
            // libtest may have printed "test crash::child ... " on the same line.
            reached = true;
            child.kill().unwrap(); // SIGKILL
        }
    }
    let _ = child.kill();
    child.wait().unwrap();
    Outcome {
        acks,
        inflight,
        reached,
    }
}

/// Reopens the store and checks every invariant against what the child acknowledged.
fn verify(
    dir: &std::path::Path,
    seed: u64,
    out: &Outcome,
    committed: Committed,
    point: &str,
) -> rehome_store::ReconcileReport {
    let ctx = format!("point {point} seed {seed}");
    assert_eq!(
        rehome_store::integrity_check(&dir.join(rehome_store::DB_FILE)).unwrap(),
        "ok",
        "{ctx}"
    );
    let (_c, store) = open_in(dir, seed);
    let audit = store.audit().unwrap();
    assert!(audit.problems.is_empty(), "{ctx}: {:#?}", audit.problems);

    // The last acknowledged text of every (draft, field), and the photos.
    let mut texts: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut photos: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut creates = 0;
    for a in &out.acks {
        match a["kind"].as_str().unwrap() {
            "create" => {
                creates += 1;
                photos
                    .entry(a["id"].as_str().unwrap().to_owned())
                    .or_default();
            }
            "set" => {
                texts.insert(
                    (
                        a["id"].as_str().unwrap().to_owned(),
                        a["field"].as_str().unwrap().to_owned(),
                    ),
                    a["text"].as_str().unwrap().to_owned(),
                );
            }
            _ => photos
                .get_mut(a["id"].as_str().unwrap())
                .unwrap()
                .push(a["photo"].as_str().unwrap().to_owned()),
        }
    }
    let drafts = store.list_drafts().unwrap().len();
    let inflight_kind = out
        .inflight
        .as_ref()
        .map(|v| v["kind"].as_str().unwrap().to_owned());
    let inflight_create = inflight_kind.as_deref() == Some("create");
    let mut inflight_applied: Option<bool> = None;
    let mut note = |applied: bool| {
        if let Some(prev) = inflight_applied {
            assert_eq!(prev, applied, "{ctx}: the in-flight edit is half applied");
        }
        inflight_applied = Some(applied);
    };
    if inflight_create {
        note(drafts == creates + 1);
    }
    assert!(
        drafts == creates || (inflight_create && drafts == creates + 1),
        "{ctx}: {drafts} drafts, {creates} acknowledged"
    );
    for ((id, field), acked) in &texts {
        let d = store.get_draft(id.parse().unwrap()).unwrap();
        let field_enum: DraftField = serde_json::from_value(json!(field)).unwrap();
        let actual = d.values.get(field_enum);
        let inflight_same = out.inflight.as_ref().filter(|v| {
            v["kind"] == "set" && v["id"] == id.as_str() && v["field"] == field.as_str()
        });
        match inflight_same {
            Some(v) if actual != acked => {
                assert_eq!(actual, v["text"].as_str().unwrap(), "{ctx}: {field}");
                note(true);
            }
            Some(v) if v["text"].as_str().unwrap() != acked => note(false),
            _ => assert_eq!(actual, acked, "{ctx}: acknowledged {field} lost"),
        }
    }
    for (id, acked) in &photos {
        let d = store.get_draft(id.parse().unwrap()).unwrap();
        let have: Vec<String> = d.photos.iter().map(|p| p.id.to_string()).collect();
        for p in acked {
            assert!(have.contains(p), "{ctx}: acknowledged photo {p} lost");
        }
        let inflight_here = out
            .inflight
            .as_ref()
            .is_some_and(|v| v["kind"] == "photo" && v["id"] == id.as_str());
        if inflight_here {
            note(have.len() == acked.len() + 1);
        }
        assert!(
            have.len() == acked.len() || inflight_here && have.len() == acked.len() + 1,
            "{ctx}: photos {have:?} vs {acked:?}"
        );
        assert!(
            d.photos.iter().all(|p| !p.missing),
            "{ctx}: a photo file is missing"
        );
    }
    match (committed, inflight_applied) {
        (Committed::No, Some(true)) => {
            panic!("{ctx}: an edit killed inside its transaction was applied")
        }
        (Committed::Yes, Some(false)) => panic!("{ctx}: a committed edit was lost"),
        _ => {}
    }
    store.reconcile_report().clone()
}

/// One named point: `seeds()` children, each killed at the seeded N-th time it
/// reaches the point. Returns how many runs reached it (all must).
fn crash_point(point: &str, committed: Committed, photos: bool) {
    let n = seeds();
    let mut reached = 0;
    for seed in 0..n {
        let dir = tempfile::tempdir().unwrap();
        // Photo points are reached once per photo (7 per run); edit points
        // once per edit (2 + 14 per run).
        let max_hit = if point.starts_with("photo:") {
            7
        } else {
            2 + EDITS as u64
        };
        let hit = 1 + Rng(seed ^ 0xC0FFEE).below(max_hit);
        let out = run_child(
            dir.path(),
            seed,
            Some(format!("{point}@{hit}")),
            photos,
            false,
            None,
        );
        assert!(
            out.reached,
            "point {point} seed {seed}: never reached hit {hit}"
        );
        reached += 1;
        let report = verify(dir.path(), seed, &out, committed, point);
        match point {
            "photo:after_temp_write" | "photo:after_fsync" => {
                assert_eq!(report.temp_removed.len(), 1, "seed {seed}: {report:?}")
            }
            "photo:after_rename" => {
                assert_eq!(report.orphans_removed.len(), 1, "seed {seed}: {report:?}")
            }
            _ => assert!(report.missing.is_empty(), "seed {seed}: {report:?}"),
        }
    }
    println!("crash point {point}: {reached} of {n} seeds killed there, every invariant held");
}

#[test]
fn kill_when_an_edit_has_begun() {
    crash_point("edit:begun", Committed::No, false);
}

/// The draft row is written and the outbox row is not yet: the kill lands
/// inside the same transaction, so after it there is neither (the audit would
/// see a draft value without its mutation). This is the proof by test of what
/// `persist` guarantees by construction.
#[test]
fn kill_between_the_draft_row_and_the_outbox_row() {
    crash_point("edit:after_draft_row", Committed::No, false);
}

#[test]
fn kill_just_before_commit() {
    crash_point("edit:before_commit", Committed::No, false);
}

#[test]
fn kill_after_commit_before_the_acknowledgement() {
    crash_point("edit:after_commit", Committed::Yes, false);
}

#[test]
fn kill_mid_photo_write_before_fsync() {
    crash_point("photo:after_temp_write", Committed::No, true);
}

#[test]
fn kill_mid_photo_write_after_fsync() {
    crash_point("photo:after_fsync", Committed::No, true);
}

#[test]
fn kill_after_the_photo_rename_before_its_row() {
    crash_point("photo:after_rename", Committed::No, true);
}

/// A kill at an arbitrary moment: right after the N-th acknowledgement, while
/// the child is already into its next edit.
#[test]
fn kill_at_an_arbitrary_moment() {
    let n = seeds();
    for seed in 0..n {
        let dir = tempfile::tempdir().unwrap();
        let after = 1 + Rng(seed ^ 0xBEEF).below(2 + EDITS as u64 - 1) as usize;
        let out = run_child(dir.path(), seed, None, seed % 2 == 0, false, Some(after));
        assert!(out.reached, "seed {seed}");
        verify(dir.path(), seed, &out, Committed::Either, "arbitrary");
    }
    println!("arbitrary kills: {n} seeds, every invariant held");
}

/// Killed inside the upgrade's transaction, from every earlier version (with
/// its fixture rows): the next open upgrades cleanly and keeps every row.
#[test]
fn kill_mid_migration() {
    let n = seeds();
    for seed in 0..n {
        let version = (seed as usize) % schema::HISTORY.len();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(rehome_store::DB_FILE);
        schema::create_at_version(&db, version).unwrap();
        let out = run_child(
            dir.path(),
            seed,
            Some("migration:before_commit@1".into()),
            false,
            true,
            None,
        );
        assert!(out.reached, "seed {seed}");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            v, version as i64,
            "seed {seed}: the killed upgrade left nothing"
        );
        drop(conn);
        let (_c, store) = open_in(dir.path(), seed);
        assert_eq!(rehome_store::integrity_check(&db).unwrap(), "ok");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema::LATEST);
        assert!(store.audit().unwrap().problems.is_empty());
    }
    println!("mid-migration kills: {n} seeds, every invariant held");
}
