//! Good inputs: orientation, colour, formats, limits on the output, no metadata, determinism.

use crate::fixtures::*;
use rehome_photo::{Compressed, Format, Limits, Settings, compress};

fn run(input: &[u8]) -> Compressed {
    compress(input, &Settings::default(), &Limits::default()).unwrap()
}

/// Every output: a baseline JPEG whose only header segment is APP0 JFIF, with
/// no EXIF (checked with kamadak-exif), no GPS, no XMP, no ICC, no comment,
/// within the requested edges, and with a correct SHA-256.
pub fn assert_clean_output(c: &Compressed, settings: &Settings) {
    use sha2::Digest;
    for (name, e, edge) in [
        ("photo", &c.photo, settings.max_edge),
        ("thumb", &c.thumb, settings.thumb_edge),
    ] {
        assert!(
            e.width.max(e.height) <= edge,
            "{name} {}x{} over {edge}",
            e.width,
            e.height
        );
        let segments = jpeg_segments(&e.jpeg);
        let markers: Vec<u8> = segments
            .iter()
            .map(|(m, _)| *m)
            .filter(|m| (0xE0..=0xEF).contains(m) || *m == 0xFE)
            .collect();
        assert_eq!(
            markers,
            vec![0xE0],
            "{name}: only APP0 expected, got {markers:02x?}"
        );
        assert!(
            segments.iter().any(|(m, _)| *m == 0xC0),
            "{name}: baseline SOF0 expected"
        );
        let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&e.jpeg));
        assert!(exif.is_err(), "{name}: EXIF found in the output");
        for needle in [
            &b"Exif"[..],
            b"GPS",
            b"http://ns.adobe.com",
            b"ICC_PROFILE",
            b"TestCam",
        ] {
            assert!(
                !e.jpeg.windows(needle.len()).any(|w| w == needle),
                "{name}: {:?} in output",
                String::from_utf8_lossy(needle)
            );
        }
        let digest: [u8; 32] = sha2::Sha256::digest(&e.jpeg).into();
        assert_eq!(digest, e.sha256, "{name}: sha256");
        assert_eq!(e.sha256_hex().len(), 64);
        let (w, h, _) = decode_rgb(&e.jpeg);
        assert_eq!((w, h), (e.width, e.height), "{name}: reported size");
    }
    assert!(c.thumb.width <= c.photo.width && c.thumb.height <= c.photo.height);
}

#[test]
fn exif_orientation_1_to_8_comes_out_upright() {
    // an upright 320x240 scene stored as a camera would for each orientation
    for orientation in 1..=8u8 {
        let input = oriented_jpeg(320, 240, orientation);
        let c = run(&input);
        assert_clean_output(&c, &Settings::default());
        assert_eq!(c.source.orientation, orientation);
        assert_eq!(
            (c.photo.width, c.photo.height),
            (320, 240),
            "orientation {orientation}: aspect"
        );
        assert_eq!(
            (c.thumb.width, c.thumb.height),
            (320, 240),
            "thumb never upscaled"
        );
        let q = quadrants(&c.photo.jpeg);
        let expected = [RED, GREEN, BLUE, WHITE];
        for (i, (got, want)) in q.iter().zip(expected).enumerate() {
            assert!(
                close(*got, want, 40),
                "orientation {orientation}: quadrant {i} is {got:?}, want {want:?}"
            );
        }
    }
}

#[test]
fn orientation_on_a_large_photo_with_dct_scaling() {
    // 2400x1800 upright, stored rotated (orientation 6: 1800x2400 stored)
    let input = oriented_jpeg(2400, 1800, 6);
    let c = run(&input);
    assert_eq!((c.source.width, c.source.height), (1800, 2400));
    assert_eq!((c.photo.width, c.photo.height), (1600, 1200));
    assert_eq!((c.thumb.width, c.thumb.height), (400, 300));
    let q = quadrants(&c.thumb.jpeg);
    assert!(
        close(q[0], RED, 40) && close(q[1], GREEN, 40) && close(q[2], BLUE, 40),
        "{q:?}"
    );
}

struct Case {
    name: &'static str,
    input: Vec<u8>,
    format: Format,
    size: (u32, u32),
    /// expected colours of the quadrants [TL, TR, BL, BR]
    quadrants: [[u8; 3]; 4],
}

fn check(case: &Case) {
    let c = run(&case.input);
    assert_clean_output(&c, &Settings::default());
    assert_eq!(c.source.format, case.format, "{}", case.name);
    assert_eq!((c.photo.width, c.photo.height), case.size, "{}", case.name);
    let q = quadrants(&c.photo.jpeg);
    for (i, (got, want)) in q.iter().zip(case.quadrants).enumerate() {
        assert!(
            close(*got, want, 40),
            "{}: quadrant {i} is {got:?}, want {want:?}",
            case.name
        );
    }
}

#[test]
fn formats_and_colour_models() {
    let (w, h) = (200, 120);
    let scene_q = [RED, GREEN, BLUE, WHITE];
    let grey_scene: Vec<u8> = scene(w, h).chunks(3).map(|p| p[1]).collect();
    let g = |c: [u8; 3]| [c[1]; 3];
    // CMYK ink amounts for the scene colours (C = 255 - R, ..., K = 0)
    let cmyk: Vec<u8> = scene(w, h)
        .chunks(3)
        .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], 0])
        .collect();
    let cases = vec![
        Case {
            name: "rgb jpeg",
            input: rgb_jpeg(w, h),
            format: Format::Jpeg,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "grayscale jpeg",
            input: jpeg(&grey_scene, w, h, jpeg_encoder::ColorType::Luma),
            format: Format::Jpeg,
            size: (w, h),
            quadrants: [g(RED), g(GREEN), g(BLUE), WHITE],
        },
        Case {
            name: "cmyk jpeg (adobe)",
            input: jpeg(&cmyk, w, h, jpeg_encoder::ColorType::Cmyk),
            format: Format::Jpeg,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "ycck jpeg (adobe)",
            input: jpeg(&cmyk, w, h, jpeg_encoder::ColorType::CmykAsYcck),
            format: Format::Jpeg,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "progressive jpeg",
            input: {
                let mut out = Vec::new();
                let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
                enc.set_progressive(true);
                enc.encode(
                    &scene(w, h),
                    w as u16,
                    h as u16,
                    jpeg_encoder::ColorType::Rgb,
                )
                .unwrap();
                out
            },
            format: Format::Jpeg,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "jpeg with xmp, icc and comment",
            input: {
                let j = rgb_jpeg(w, h);
                let j = with_segment(&j, 0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta GPS/>");
                let j = with_segment(&j, 0xE2, b"ICC_PROFILE\0\x01\x01not-a-real-profile");
                with_segment(&j, 0xFE, b"TestCam comment")
            },
            format: Format::Jpeg,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "16-bit png",
            input: png16(w, h),
            format: Format::Png,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "palette png",
            input: png_palette(w, h),
            format: Format::Png,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "png alpha onto white",
            input: png_alpha(w, h),
            format: Format::Png,
            size: (w, h),
            quadrants: [WHITE, [0; 3], WHITE, [0; 3]],
        },
        Case {
            name: "grayscale png",
            input: png(
                w,
                h,
                png::ColorType::Grayscale,
                png::BitDepth::Eight,
                &grey_scene,
            ),
            format: Format::Png,
            size: (w, h),
            quadrants: [g(RED), g(GREEN), g(BLUE), WHITE],
        },
        Case {
            name: "apng first frame",
            input: apng(w, h),
            format: Format::Png,
            size: (w, h),
            quadrants: [RED; 4],
        },
        Case {
            name: "lossless webp",
            input: webp_lossless(&scene(w, h), w, h),
            format: Format::Webp,
            size: (w, h),
            quadrants: scene_q,
        },
        Case {
            name: "animated webp first frame",
            input: animated_webp(w, h),
            format: Format::Webp,
            size: (w, h),
            quadrants: [RED; 4],
        },
        Case {
            name: "jpeg with a zip appended (polyglot)",
            input: [rgb_jpeg(w, h), b"PK\x03\x04 zip payload".to_vec()].concat(),
            format: Format::Jpeg,
            size: (w, h),
            quadrants: scene_q,
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn animated_inputs_are_reported() {
    assert!(run(&apng(32, 32)).source.animated);
    assert!(run(&animated_webp(32, 32)).source.animated);
    assert!(!run(&rgb_jpeg(32, 32)).source.animated);
}

#[test]
fn polyglot_payload_does_not_survive() {
    let input = [rgb_jpeg(64, 64), b"PK\x03\x04 secret".to_vec()].concat();
    let c = run(&input);
    assert!(!c.photo.jpeg.windows(6).any(|w| w == b"secret"));
}

#[test]
fn resizes_to_the_edges_and_never_upscales() {
    type Size = (u32, u32);
    // (input size, settings, expected photo size, expected thumb size)
    let cases: &[(Size, Settings, Size, Size)] = &[
        ((2400, 1600), Settings::default(), (1600, 1067), (400, 267)),
        ((1600, 2400), Settings::default(), (1067, 1600), (267, 400)),
        ((1000, 500), Settings::default(), (1000, 500), (400, 200)),
        ((300, 200), Settings::default(), (300, 200), (300, 200)),
        (
            (2400, 1600),
            Settings {
                max_edge: 800,
                thumb_edge: 100,
                quality: 60,
            },
            (800, 533),
            (100, 67),
        ),
        ((4000, 10), Settings::default(), (1600, 4), (400, 1)),
    ];
    for ((w, h), settings, photo, thumb) in cases {
        let c = compress(&rgb_jpeg(*w, *h), settings, &Limits::default()).unwrap();
        assert_clean_output(&c, settings);
        assert_eq!(
            (c.photo.width, c.photo.height),
            *photo,
            "{w}x{h} {settings:?}"
        );
        assert_eq!(
            (c.thumb.width, c.thumb.height),
            *thumb,
            "{w}x{h} {settings:?}"
        );
    }
}

#[test]
fn quality_setting_changes_size() {
    let input = rgb_jpeg(800, 600);
    let size = |quality| {
        compress(
            &input,
            &Settings {
                quality,
                ..Settings::default()
            },
            &Limits::default(),
        )
        .unwrap()
        .photo
        .jpeg
        .len()
    };
    assert!(size(30) < size(95));
}

#[test]
fn deterministic_across_runs_and_threads() {
    let inputs = [
        oriented_jpeg(900, 700, 6),
        png16(300, 200),
        animated_webp(64, 48),
    ];
    for input in &inputs {
        let a = run(input);
        let b = std::thread::scope(|s| s.spawn(|| run(input)).join().unwrap());
        assert_eq!(a, b);
    }
}

#[test]
fn gps_exif_is_parsed_from_the_input_but_absent_from_the_output() {
    let input = oriented_jpeg(120, 80, 1);
    // the fixture really carries GPS (so the absence check below means something)
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&input))
        .unwrap();
    assert!(
        exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );
    assert!(
        exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
            .is_some()
    );
    assert_clean_output(&run(&input), &Settings::default());
}

#[test]
fn check_jpeg_reads_headers_without_decoding() {
    let limits = Limits::default();
    let info = rehome_photo::check_jpeg(&rgb_jpeg(640, 480), &limits).unwrap();
    assert_eq!(
        (info.width, info.height, info.progressive, info.components),
        (640, 480, false, 3)
    );
    let mut prog = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut prog, 80);
    enc.set_progressive(true);
    enc.encode(&scene(64, 32), 64, 32, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    assert!(
        rehome_photo::check_jpeg(&prog, &limits)
            .unwrap()
            .progressive
    );
    // our own output passes the upload check
    let out = run(&rgb_jpeg(64, 32));
    assert_eq!(
        rehome_photo::check_jpeg(&out.photo.jpeg, &limits)
            .unwrap()
            .width,
        64
    );
    let cases: &[(Vec<u8>, &str)] = &[
        (Vec::new(), "empty"),
        (png16(8, 8), "unsupported_format"),
        (
            jpeg_with_size(&rgb_jpeg(64, 64), 60000, 60000),
            "too_many_pixels",
        ),
        (rgb_jpeg(64, 64)[..300].to_vec(), "truncated"),
        (b"\xff\xd8\xff\xe0\x00\x01".to_vec(), "corrupt"),
    ];
    for (input, code) in cases {
        let err = rehome_photo::check_jpeg(input, &limits).unwrap_err();
        assert_eq!(err.code(), *code, "{err}");
    }
}

#[test]
fn exif_orientation_in_png_and_webp_is_applied() {
    let (vw, vh) = (120, 80);
    let upright = scene(vw, vh);
    // PNG with an eXIf chunk, orientation 6
    let (sw, sh, stored) = stored_for_orientation(&upright, vw, vh, 6);
    let mut info = png::Info::with_size(sw, sh);
    info.color_type = png::ColorType::Rgb;
    info.bit_depth = png::BitDepth::Eight;
    let tiff = exif_tiff(6, true);
    info.exif_metadata = Some(tiff.clone().into());
    let mut png_bytes = Vec::new();
    {
        let enc = png::Encoder::with_info(&mut png_bytes, info).unwrap();
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(&stored).unwrap();
    }
    // WebP with an EXIF chunk, orientation 8
    let (sw, sh, stored) = stored_for_orientation(&upright, vw, vh, 8);
    let mut webp_bytes = Vec::new();
    let mut enc = image_webp::WebPEncoder::new(&mut webp_bytes);
    enc.set_exif_metadata(exif_tiff(8, true));
    enc.encode(&stored, sw, sh, image_webp::ColorType::Rgb8)
        .unwrap();
    for (name, input, orientation) in [("png", png_bytes, 6), ("webp", webp_bytes, 8)] {
        let c = run(&input);
        assert_clean_output(&c, &Settings::default());
        assert_eq!(c.source.orientation, orientation, "{name}");
        assert_eq!((c.photo.width, c.photo.height), (vw, vh), "{name}");
        let q = quadrants(&c.photo.jpeg);
        for (got, want) in q.iter().zip([RED, GREEN, BLUE, WHITE]) {
            assert!(close(*got, want, 40), "{name}: {q:?}");
        }
    }
}
