//! HEIC generated at test time with `heif-enc` (Debian libheif-examples).

use crate::fixtures::*;
use rehome_photo::{Format, Limits, Settings, compress};

fn heif_enc(png: &[u8]) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.png"), dir.path().join("out.heic"));
    std::fs::write(&input, png).unwrap();
    match std::process::Command::new("heif-enc")
        .arg("-q")
        .arg("90")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
    {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("SKIPPED: heif-enc is not installed (apt-get install libheif-examples)");
            None
        }
        Err(e) => panic!("heif-enc: {e}"),
        Ok(out) => {
            assert!(
                out.status.success(),
                "heif-enc failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(std::fs::read(&output).unwrap())
        }
    }
}

#[test]
fn heic_from_heif_enc() {
    let (w, h) = (640, 480);
    let png = png(
        w,
        h,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        &scene(w, h),
    );
    let Some(heic) = heif_enc(&png) else { return };
    let result = compress(&heic, &Settings::default(), &Limits::default());
    if cfg!(not(feature = "heic")) {
        assert_eq!(result.unwrap_err().code(), "unsupported_variant");
        return;
    }
    let c = result.unwrap();
    crate::pipeline::assert_clean_output(&c, &Settings::default());
    assert_eq!(c.source.format, Format::Heif);
    assert_eq!((c.photo.width, c.photo.height), (w, h));
    let q = quadrants(&c.photo.jpeg);
    for (got, want) in q.iter().zip([RED, GREEN, BLUE, WHITE]) {
        assert!(close(*got, want, 40), "{q:?}");
    }
    // a cut HEIC is refused cleanly
    let e = compress(
        &heic[..heic.len() / 2],
        &Settings::default(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(e.code(), "truncated" | "corrupt"), "{e}");
}
