//! `rehome photo compress`, run as a user would, on generated photos.

use serde_json::Value;
use std::path::Path;

/// A 240x160 JPEG: left half red, right half blue; with an EXIF orientation when given.
fn jpeg(orientation: Option<u16>) -> Vec<u8> {
    let (w, h) = (240u16, 160u16);
    let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|i| {
            if i % u32::from(w) < u32::from(w) / 2 {
                [220, 30, 30]
            } else {
                [30, 30, 220]
            }
        })
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    let Some(orientation) = orientation else {
        return out;
    };
    // APP1 Exif: big-endian TIFF, IFD0 with one entry (Orientation, SHORT)
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    [&out[..2], &app1, &out[2..]].concat()
}

struct Run {
    code: Option<i32>,
    lines: Vec<Value>,
    stderr: String,
}

fn rehome(args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rehome"))
        .args(args)
        .output()
        .expect("run rehome");
    let stdout = String::from_utf8_lossy(&out.stdout);
    Run {
        code: out.status.code(),
        lines: stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn compresses_good_files_and_keeps_going_past_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let upright = write(dir.path(), "upright.jpg", &jpeg(None));
    let rotated = write(dir.path(), "rotated.jpg", &jpeg(Some(6)));
    let good = jpeg(None);
    let truncated = write(dir.path(), "cut.jpg", &good[..good.len() / 2]);
    let text = write(dir.path(), "notes.jpg", b"not a photo at all\n");
    let missing = dir.path().join("missing.jpg").display().to_string();
    let out_arg = out.display().to_string();
    let run = rehome(&[
        "photo", "compress", &upright, &truncated, &rotated, &text, &missing, "--out", &out_arg,
        "--json",
    ]);
    assert_eq!(run.code, Some(1), "exit code; stderr: {}", run.stderr);
    // (input, ok, code, photo size)
    let expected: [(&str, bool, &str, (u64, u64)); 5] = [
        (&upright, true, "", (240, 160)),
        (&truncated, false, "truncated", (0, 0)),
        (&rotated, true, "", (160, 240)),
        (&text, false, "unsupported_format", (0, 0)),
        (&missing, false, "unreadable", (0, 0)),
    ];
    assert_eq!(run.lines.len(), expected.len(), "{:#?}", run.lines);
    for (line, (input, ok, code, size)) in run.lines.iter().zip(expected) {
        assert_eq!(line["input"], input, "{line}");
        assert_eq!(line["ok"], ok, "{line}");
        if !ok {
            assert_eq!(line["code"], code, "{line}");
            assert!(
                line["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{line}"
            );
            continue;
        }
        for (key, edge) in [("photo", 1600), ("thumb", 400)] {
            let file = &line[key];
            let path = file["path"].as_str().unwrap();
            let bytes = std::fs::read(path).unwrap();
            assert_eq!(file["bytes"], bytes.len(), "{line}");
            assert_eq!(file["sha256"].as_str().unwrap().len(), 64);
            assert!(
                file["width"]
                    .as_u64()
                    .unwrap()
                    .max(file["height"].as_u64().unwrap())
                    <= edge
            );
            assert!(
                bytes.starts_with(&[0xFF, 0xD8]) && !bytes.windows(4).any(|w| w == b"Exif"),
                "{path}"
            );
            let stem = Path::new(input).file_stem().unwrap().to_str().unwrap();
            assert!(
                Path::new(path)
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("{stem}.")),
                "{path}"
            );
        }
        assert_eq!(
            (
                line["photo"]["width"].as_u64().unwrap(),
                line["photo"]["height"].as_u64().unwrap()
            ),
            size,
            "{line}"
        );
    }
    assert!(
        run.stderr.contains("3 of 5 photos failed"),
        "{}",
        run.stderr
    );
    // only the four finished outputs are in the folder (no temporary files)
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 4);
}

#[test]
fn settings_are_applied_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "a.jpg", &jpeg(None));
    let out = dir.path().join("out").display().to_string();
    let args = [
        "photo",
        "compress",
        &input,
        "--out",
        &out,
        "--max-edge",
        "120",
        "--thumb-edge",
        "30",
        "--quality",
        "50",
        "--jobs",
        "1",
    ];
    let first = rehome(&args);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let line = &first.lines[0];
    assert_eq!(
        (&line["photo"]["width"], &line["photo"]["height"]),
        (&Value::from(120), &Value::from(80))
    );
    assert_eq!(
        (&line["thumb"]["width"], &line["thumb"]["height"]),
        (&Value::from(30), &Value::from(20))
    );
    let second = rehome(&args);
    assert_eq!(
        first.lines, second.lines,
        "same input and settings, same bytes and names"
    );
}

#[test]
fn invalid_settings_fail_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "a.jpg", &jpeg(None));
    let out = dir.path().join("out").display().to_string();
    let run = rehome(&["photo", "compress", &input, "--out", &out, "--quality", "0"]);
    assert_eq!(run.code, Some(1));
    assert!(run.lines.is_empty());
    let err: Value = serde_json::from_str(run.stderr.lines().last().unwrap()).unwrap();
    assert_eq!(err["code"], "invalid", "{}", run.stderr);
}
