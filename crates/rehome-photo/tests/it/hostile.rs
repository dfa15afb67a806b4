//! Bad input: each gets a clear error code (or a correct result), never a panic.

use crate::fixtures::*;
use rehome_model::ErrorCode;
use rehome_photo::{Limits, PhotoError, Settings, compress};

fn err(input: &[u8], limits: &Limits) -> PhotoError {
    compress(input, &Settings::default(), limits).expect_err("should be refused")
}

/// (name, input, expected code, substring expected in the message)
fn cases() -> Vec<(&'static str, Vec<u8>, &'static str, &'static str)> {
    let jpg = rgb_jpeg(256, 192);
    let png_ok = png16(64, 48);
    let webp = webp_lossless(&scene(64, 48), 64, 48);
    vec![
        ("zero bytes", Vec::new(), "empty", "empty"),
        (
            "text",
            b"hello, this is not a photo\n".to_vec(),
            "unsupported_format",
            "text",
        ),
        (
            "gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "unsupported_format",
            "GIF",
        ),
        (
            "pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            "unsupported_format",
            "PDF",
        ),
        (
            "pdf/jpeg polyglot",
            [b"%PDF-1.4\n".to_vec(), jpg.clone()].concat(),
            "unsupported_format",
            "PDF",
        ),
        (
            "html",
            b"<!DOCTYPE html><html><img src=x onerror=alert(1)>".to_vec(),
            "unsupported_format",
            "HTML",
        ),
        (
            "svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            "unsupported_format",
            "SVG",
        ),
        (
            "zip",
            b"PK\x03\x04\x14\x00\x00\x00".to_vec(),
            "unsupported_format",
            "ZIP",
        ),
        (
            "tiff",
            b"II*\x00\x08\x00\x00\x00".to_vec(),
            "unsupported_format",
            "TIFF",
        ),
        (
            "bmp",
            b"BM\x36\x00\x00\x00\x00\x00".to_vec(),
            "unsupported_format",
            "BMP",
        ),
        (
            "avif",
            b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf".to_vec(),
            "unsupported_format",
            "AVIF",
        ),
        (
            "mp4",
            b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2".to_vec(),
            "unsupported_format",
            "MP4",
        ),
        (
            "binary noise",
            vec![0x13, 0x37, 0xc0, 0xde, 0x00, 0x01],
            "unsupported_format",
            "unknown (first bytes 13 37 c0 de 00 01)",
        ),
        (
            "riff wave",
            b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec(),
            "unsupported_format",
            "RIFF WAVE",
        ),
        ("jpeg soi only", vec![0xFF, 0xD8, 0xFF], "truncated", "JPEG"),
        (
            "jpeg cut in header",
            jpg[..100].to_vec(),
            "truncated",
            "JPEG",
        ),
        (
            "jpeg cut in scan",
            jpg[..jpg.len() / 2].to_vec(),
            "truncated",
            "end-of-image",
        ),
        (
            "jpeg cut before eoi",
            jpg[..jpg.len() - 2].to_vec(),
            "truncated",
            "JPEG",
        ),
        (
            "jpeg bomb 60000x60000",
            jpeg_with_size(&jpg, 60000, 60000),
            "too_many_pixels",
            "60000x60000",
        ),
        (
            "jpeg 65535x1",
            jpeg_with_size(&jpg, 65535, 1),
            "too_many_pixels",
            "px a side",
        ),
        ("jpeg 0x0", jpeg_with_size(&jpg, 0, 0), "corrupt", "zero"),
        (
            "jpeg 12000x12000 over pixel count",
            jpeg_with_size(&jpg, 12000, 12000),
            "too_many_pixels",
            "pixels",
        ),
        (
            "jpeg lossless sof3",
            {
                let mut j = jpg.clone();
                let p = j.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
                j[p + 1] = 0xC3;
                j
            },
            "unsupported_variant",
            "lossless",
        ),
        (
            "jpeg bad segment length",
            {
                let mut j = jpg.clone();
                j[4] = 0;
                j[5] = 1;
                j
            },
            "corrupt",
            "length",
        ),
        (
            "jpeg garbage after soi",
            [vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0], vec![0x42; 64]].concat(),
            "corrupt",
            "marker",
        ),
        (
            "png bomb 60000x60000",
            png_bomb(60000, 60000),
            "too_many_pixels",
            "60000x60000",
        ),
        (
            "png bomb 2^31 wide",
            png_bomb(1 << 31, 1),
            "too_many_pixels",
            "px a side",
        ),
        (
            "png cut",
            png_ok[..png_ok.len() / 2].to_vec(),
            "truncated",
            "PNG",
        ),
        ("png header only", png_ok[..20].to_vec(), "truncated", "PNG"),
        (
            "png bad crc",
            {
                let mut p = png_ok.clone();
                p[30] ^= 0xFF;
                p
            },
            "corrupt",
            "PNG",
        ),
        (
            "webp bomb 60000x60000",
            webp_bomb(60000, 60000),
            "too_many_pixels",
            "60000x60000",
        ),
        (
            "webp cut",
            webp[..webp.len() / 2].to_vec(),
            "truncated",
            "WebP",
        ),
        (
            "webp riff only",
            b"RIFF\x04\x00\x00\x00WEBP".to_vec(),
            "truncated",
            "WebP",
        ),
        (
            "heif brand without boxes",
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic".to_vec(),
            if cfg!(feature = "heic") {
                "corrupt"
            } else {
                "unsupported_variant"
            },
            "HEIF",
        ),
    ]
}

#[test]
fn hostile_inputs_get_clear_error_codes() {
    for (name, input, code, message) in cases() {
        let e = err(&input, &Limits::default());
        assert_eq!(e.code(), code, "{name}: {e}");
        assert!(
            e.to_string().contains(message),
            "{name}: {e:?} should mention {message:?}"
        );
        let expected_edge = match code {
            "too_many_pixels" | "too_many_bytes" | "memory_limit" => ErrorCode::TooLarge,
            _ => ErrorCode::BadPhoto,
        };
        assert_eq!(e.error_code(), expected_edge, "{name}");
        let api: rehome_model::ApiError = e.into();
        assert_eq!(api.code, expected_edge);
    }
}

#[test]
fn limits_are_enforced_before_decoding() {
    let jpg = rgb_jpeg(640, 480);
    let cases: &[(&str, Vec<u8>, Limits, &str)] = &[
        (
            "bytes",
            jpg.clone(),
            Limits {
                max_input_bytes: 1000,
                ..Limits::default()
            },
            "too_many_bytes",
        ),
        (
            "side",
            jpg.clone(),
            Limits {
                max_side: 600,
                ..Limits::default()
            },
            "too_many_pixels",
        ),
        (
            "pixels",
            jpg.clone(),
            Limits {
                max_pixels: 640 * 480 - 1,
                ..Limits::default()
            },
            "too_many_pixels",
        ),
        (
            "jpeg memory",
            jpg.clone(),
            Limits {
                max_decode_bytes: 100_000,
                ..Limits::default()
            },
            "memory_limit",
        ),
        (
            "png memory",
            png16(640, 480),
            Limits {
                max_decode_bytes: 1_000_000,
                ..Limits::default()
            },
            "memory_limit",
        ),
        (
            "webp memory",
            webp_lossless(&scene(640, 480), 640, 480),
            Limits {
                max_decode_bytes: 1_000_000,
                ..Limits::default()
            },
            "memory_limit",
        ),
        // a real zlib bomb: 8000x8000 of zeros is ~190 MB decoded from ~200 KB
        (
            "png zlib bomb",
            png(
                8000,
                8000,
                png::ColorType::Rgb,
                png::BitDepth::Eight,
                &vec![0; 8000 * 8000 * 3],
            ),
            Limits {
                max_decode_bytes: 64 << 20,
                ..Limits::default()
            },
            "memory_limit",
        ),
    ];
    for (name, input, limits, code) in cases {
        let e = err(input, limits);
        assert_eq!(e.code(), *code, "{name}: {e}");
        assert_eq!(e.error_code(), ErrorCode::TooLarge, "{name}");
    }
}

#[test]
fn invalid_settings_are_refused() {
    let jpg = rgb_jpeg(64, 64);
    for settings in [
        Settings {
            max_edge: 0,
            ..Settings::default()
        },
        Settings {
            max_edge: 100_000,
            ..Settings::default()
        },
        Settings {
            thumb_edge: 0,
            ..Settings::default()
        },
        Settings {
            thumb_edge: 2000,
            ..Settings::default()
        },
        Settings {
            quality: 0,
            ..Settings::default()
        },
        Settings {
            quality: 101,
            ..Settings::default()
        },
    ] {
        let e = compress(&jpg, &settings, &Limits::default()).unwrap_err();
        assert_eq!(e.code(), "invalid_settings", "{settings:?}");
        assert_eq!(e.error_code(), ErrorCode::Invalid);
    }
}
