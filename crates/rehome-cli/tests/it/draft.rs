//! `rehome draft …` run as a user would, on a real data folder.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

pub(crate) struct Run {
    pub ok: bool,
    pub out: Value,
    pub err: Value,
}

pub(crate) fn rehome(data: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_rehome"))
        .arg("--data")
        .arg(data)
        .args(args)
        // Nothing here talks to a server; make sure nothing could.
        .env("REHOME_SERVER", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let parse = |b: &[u8]| serde_json::from_slice(b).unwrap_or(Value::Null);
    Run {
        ok: output.status.success(),
        out: parse(&output.stdout),
        // Log lines (warnings) may come first; the error is the last line.
        err: String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .map(|l| parse(l.as_bytes()))
            .unwrap_or(Value::Null),
    }
}

/// The smallest byte string the CLI accepts as a JPEG: SOI, SOF0 (3x2), EOI.
pub(crate) fn tiny_jpeg(dir: &Path, name: &str) -> String {
    // A real 3×2 JPEG: the app compresses every photo, so it must decode.
    let path = dir.join(name);
    let rgb = [
        200u8, 30, 30, 30, 200, 30, 30, 30, 200, 90, 90, 90, 160, 160, 160, 250, 250, 250,
    ];
    jpeg_encoder::Encoder::new_file(&path, 90)
        .unwrap()
        .encode(&rgb, 3, 2, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn a_draft_from_new_to_queued() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = &data;
    let r = rehome(
        d,
        &[
            "draft",
            "new",
            "--title",
            "Linen shirt",
            "--price",
            "€12",
            "--category",
            "tops",
        ],
    );
    assert!(r.ok, "{:?}", r.err);
    let id = r.out["id"].as_str().unwrap().to_owned();
    assert_eq!(r.out["values"]["price"], "€12");
    assert_eq!(r.out["stage"]["stage"], "draft");

    let list = rehome(d, &["draft", "list", "--json"]);
    assert_eq!(list.out.as_array().unwrap().len(), 1);
    assert_eq!(list.out[0]["id"], id.as_str());
    assert_eq!(list.out[0]["priceCents"], 1200);

    // Saved as typed even when invalid, with the problem named.
    let set = rehome(d, &["draft", "set", &id, "price", "12,5O"]);
    assert!(set.ok);
    assert_eq!(set.out["errors"][0]["field"], "price");
    assert_eq!(set.out["errors"][0]["problem"]["kind"], "notANumber");
    let show = rehome(d, &["draft", "show", &id, "--json"]);
    assert_eq!(show.out["values"]["price"], "12,5O");

    let refused = rehome(d, &["draft", "publish", &id]);
    assert!(!refused.ok);
    assert_eq!(refused.err["code"], "invalid");
    assert_eq!(refused.err["field"], "price");

    for (field, value) in [
        ("price", "12.50"),
        ("condition", "like new"),
        ("size", "one size"),
        ("parcel", "500g"),
        ("original_price", "40"),
    ] {
        let r = rehome(d, &["draft", "set", &id, field, value]);
        assert!(r.ok, "{field}: {:?}", r.err);
        assert_eq!(r.out["errors"], Value::Array(vec![]), "{field}");
    }
    let photo = tiny_jpeg(dir.path(), "a.jpg");
    let added = rehome(d, &["draft", "add-photo", &id, &photo]);
    assert!(added.ok, "{:?}", added.err);
    assert_eq!(added.out["photos"][0]["width"], 3);
    // A quarter turn: a new photo id, the sides swapped.
    let before = added.out["photos"][0]["id"].as_str().unwrap().to_owned();
    let turned = rehome(d, &["draft", "rotate-photo", &id, &before]);
    assert!(turned.ok, "{:?}", turned.err);
    let after = &turned.out["photos"][0];
    assert_ne!(after["id"].as_str(), Some(before.as_str()));
    assert_eq!(
        (&after["width"], &after["height"]),
        (&Value::from(2), &Value::from(3))
    );
    let gone = rehome(d, &["draft", "rotate-photo", &id, &before]);
    assert_eq!(gone.err["code"], "not_found");
    let published = rehome(d, &["draft", "publish", &id]);
    assert!(published.ok, "{:?}", published.err);
    assert_eq!(published.out["stage"]["stage"], "queued");
    assert_eq!(
        rehome(d, &["draft", "list"]).out[0]["stage"]["stage"],
        "queued"
    );
}

#[test]
fn new_with_photos_and_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    let a = tiny_jpeg(dir.path(), "a.jpg");
    let b = tiny_jpeg(dir.path(), "b.jpg");
    let r = rehome(
        d,
        &[
            "draft",
            "new",
            "--title",
            "Wool coat",
            "--price",
            "80",
            "--description",
            "Warm",
            "--category",
            "outerwear",
            "--brand",
            "COS",
            "--size",
            "M",
            "--condition",
            "good",
            "--colour",
            "grey",
            "--original-price",
            "200",
            "--parcel",
            "large",
            "--photo",
            &a,
            "--photo",
            &b,
        ],
    );
    assert!(r.ok, "{:?}", r.err);
    assert_eq!(r.out["photos"].as_array().unwrap().len(), 2);
    assert_eq!(r.out["readiness"]["ready"], true);
    assert_eq!(r.out["values"]["originalPrice"], "200");
}

#[test]
fn delete_then_undo() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    let id = rehome(d, &["draft", "new", "--title", "x", "--price", "5"]).out["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let del = rehome(d, &["draft", "delete", &id]);
    assert!(del.ok);
    assert!(del.out["undoUntil"].as_u64().unwrap() > 0);
    assert_eq!(rehome(d, &["draft", "list"]).out, Value::Array(vec![]));
    let gone = rehome(d, &["draft", "show", &id]);
    assert_eq!(gone.err["code"], "not_found");
    assert!(rehome(d, &["draft", "undo-delete", &id]).ok);
    assert_eq!(
        rehome(d, &["draft", "list"]).out.as_array().unwrap().len(),
        1
    );
    let copy = rehome(d, &["draft", "duplicate", &id]);
    assert!(copy.ok);
    assert_eq!(
        rehome(d, &["draft", "list"]).out.as_array().unwrap().len(),
        2
    );
}

/// Each case: arguments (ID is replaced by a real draft id) and the error code.
#[test]
fn errors_exit_non_zero_with_the_ui_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    let id = rehome(d, &["draft", "new", "--title", "x", "--price", "5"]).out["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let not_jpeg = dir.path().join("x.png");
    std::fs::write(&not_jpeg, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let not_jpeg = not_jpeg.to_string_lossy().into_owned();
    let cases: &[(&[&str], &str)] = &[
        (&["draft", "show", "not-an-id"], "invalid"),
        (
            &["draft", "show", "0190a000-0000-7000-8000-000000000001"],
            "not_found",
        ),
        (&["draft", "set", "ID", "owner", "me"], "invalid"),
        (&["draft", "publish", "ID"], "invalid"),
        (&["draft", "add-photo", "ID", &not_jpeg], "bad_photo"),
        (
            &["draft", "add-photo", "ID", "/nonexistent.jpg"],
            "bad_photo",
        ),
        (
            &[
                "draft",
                "undo-delete",
                "0190a000-0000-7000-8000-000000000001",
            ],
            "not_found",
        ),
    ];
    for (args, code) in cases {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "ID" { id.as_str() } else { a })
            .collect();
        let r = rehome(d, &args);
        assert!(!r.ok, "{args:?}");
        assert_eq!(r.err["code"], *code, "{args:?}: {:?}", r.err);
    }
}

#[test]
fn a_corrupt_database_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    assert!(rehome(d, &["draft", "new", "--title", "x", "--price", "5"]).ok);
    let db = d.join("rehome.sqlite3");
    let _ = std::fs::remove_file(d.join("rehome.sqlite3-wal"));
    let _ = std::fs::remove_file(d.join("rehome.sqlite3-shm"));
    std::fs::write(&db, vec![0x5Au8; 8192]).unwrap();
    let r = rehome(d, &["draft", "new", "--title", "y", "--price", "5"]);
    assert!(!r.ok);
    assert_eq!(r.err["code"], "corrupt", "{:?}", r.err);
    assert!(
        r.err["message"]
            .as_str()
            .unwrap()
            .contains("kept in memory"),
        "{:?}",
        r.err
    );
    assert_eq!(rehome(d, &["draft", "list"]).err["code"], "corrupt");
}

/// `rehome … | head`: a reader that has gone away ends the command quietly,
/// with the edit saved, instead of a panic. The pipe's read end is closed
/// before `rehome` starts, so every write meets a broken pipe.
#[test]
fn a_closed_stdout_ends_quietly_and_keeps_the_edit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rehome"))
        .args([
            "--data", data, "draft", "new", "--title", "Piped", "--price", "9",
        ])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run rehome");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
    let list = rehome(dir.path(), &["draft", "list", "--json"]);
    let titles: Vec<&str> = list
        .out
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Piped"], "the draft was saved");
}

#[test]
fn originals_are_kept_only_after_the_seller_turns_the_setting_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let originals = |d: &Path| -> Vec<String> {
        match std::fs::read_dir(d.join("originals")) {
            Ok(entries) => {
                let mut names: Vec<String> = entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                names
            }
            Err(_) => Vec::new(),
        }
    };
    let shown = rehome(d, &["settings"]);
    assert!(shown.ok, "{:?}", shown.err);
    assert_eq!(shown.out["keepOriginals"], false);

    let id = rehome(
        d,
        &["draft", "new", "--title", "Wool coat", "--price", "40"],
    )
    .out["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = tiny_jpeg(d, "first.jpg");
    assert!(rehome(d, &["draft", "add-photo", &id, &first]).ok);
    assert_eq!(originals(d), Vec::<String>::new(), "kept without asking");

    let on = rehome(d, &["settings", "--keep-originals", "on"]);
    assert!(on.ok, "{:?}", on.err);
    assert_eq!(on.out["keepOriginals"], true);
    assert_eq!(rehome(d, &["settings"]).out["keepOriginals"], true);
    let second = d.join("second.jpg");
    jpeg_encoder::Encoder::new_file(&second, 70)
        .unwrap()
        .encode(&[9u8; 4 * 4 * 3], 4, 4, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    assert!(rehome(d, &["draft", "add-photo", &id, &second.to_string_lossy()]).ok);
    let bytes = std::fs::read(&second).unwrap();
    let name = format!("{:x}.jpg", Sha256::digest(&bytes));
    assert_eq!(originals(d), vec![name.clone()]);
    assert_eq!(
        std::fs::read(d.join("originals").join(&name)).unwrap(),
        bytes
    );

    let off = rehome(d, &["settings", "--keep-originals", "off"]);
    assert_eq!(off.out["keepOriginals"], false);
    let bad = rehome(d, &["settings", "--keep-originals", "maybe"]);
    assert!(!bad.ok, "an unknown value is refused");
    assert_eq!(rehome(d, &["settings"]).out["keepOriginals"], false);
}

#[test]
fn the_theme_is_a_device_setting_kept_beside_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    assert_eq!(rehome(d, &["settings"]).out["theme"], "system");
    let dark = rehome(d, &["settings", "--theme", "dark"]);
    assert!(dark.ok, "{:?}", dark.err);
    assert_eq!(dark.out["theme"], "dark");
    let on = rehome(d, &["settings", "--keep-originals", "on"]);
    assert_eq!(
        (on.out["theme"].as_str(), on.out["keepOriginals"].as_bool()),
        (Some("dark"), Some(true)),
        "changing one setting keeps the other"
    );
    let bad = rehome(d, &["settings", "--theme", "sepia"]);
    assert!(!bad.ok, "an unknown theme is refused");
    assert_eq!(rehome(d, &["settings"]).out["theme"], "dark");
    assert_eq!(
        rehome(d, &["settings", "--theme", "light"]).out["theme"],
        "light"
    );
}

#[test]
fn a_sku_is_kept_exactly_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    for sku in ["0012345678901234", " 00 7 ", "é🧥-1"] {
        let r = rehome(
            d,
            &[
                "draft", "new", "--title", "Coat", "--price", "40", "--sku", sku,
            ],
        );
        assert!(r.ok, "{sku:?}: {}", r.err);
        assert_eq!(r.out["values"]["sku"], sku);
        let id = r.out["id"].as_str().unwrap().to_owned();
        let shown = rehome(d, &["draft", "show", &id, "--json"]);
        assert_eq!(shown.out["values"]["sku"], sku, "read back");
    }
    let r = rehome(d, &["draft", "new", "--title", "Coat", "--price", "40"]);
    let id = r.out["id"].as_str().unwrap().to_owned();
    let set = rehome(d, &["draft", "set", &id, "sku", "000042"]);
    assert!(set.ok, "{}", set.err);
    assert_eq!(set.out["draft"]["values"]["sku"], "000042");
}
