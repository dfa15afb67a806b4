//! Extra corpus: real phone and camera photos in ../shared/photos (or
//! $REHOME_PHOTO_CORPUS). Skipped cleanly when absent: a fresh clone has none.

use rehome_photo::{Limits, Settings, compress};
use std::path::PathBuf;

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REHOME_PHOTO_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/photos")
        });
    dir.is_dir().then_some(dir)
}

fn files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jpg" | "jpeg" | "png" | "webp" | "heic")
        ) {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_photo_compresses_upright_and_clean() {
    let Some(dir) = corpus_dir() else {
        println!(
            "SKIPPED: no photo corpus at ../shared/photos (set REHOME_PHOTO_CORPUS to use one)"
        );
        return;
    };
    let files = files(&dir);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".heic") && cfg!(not(feature = "heic")) {
            continue;
        }
        let input = std::fs::read(path).unwrap();
        let c = compress(&input, &Settings::default(), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        crate::pipeline::assert_clean_output(&c, &Settings::default());
        // orientation/landscape_N.jpg and portrait_N.jpg must come out upright
        if name.starts_with("landscape_") {
            assert!(
                c.photo.width > c.photo.height,
                "{name}: {}x{}",
                c.photo.width,
                c.photo.height
            );
        }
        if name.starts_with("portrait_") || name.ends_with(".heic") {
            assert!(
                c.photo.width < c.photo.height,
                "{name}: {}x{}",
                c.photo.width,
                c.photo.height
            );
        }
        println!(
            "{name}: {}x{} {} B, thumb {} B",
            c.photo.width,
            c.photo.height,
            c.photo.bytes(),
            c.thumb.bytes()
        );
    }
    println!("corpus: {} files from {}", files.len(), dir.display());
}
