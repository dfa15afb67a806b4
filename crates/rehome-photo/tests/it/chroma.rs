//! YCbCr JPEGs take the planar route (decode to the file's own planes, resize
//! each to 4:2:0, orient, encode the planes): every chroma subsampling a camera
//! or an editor writes, odd sizes (libjpeg pads planes to whole chroma
//! samples), DCT scaling and orientation, checked by the colours that come out.

use crate::fixtures::*;
use crate::pipeline::assert_clean_output;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use rehome_photo::{Limits, Settings, compress};

struct Case {
    sampling: SamplingFactor,
    /// Upright (visual) size.
    size: (u32, u32),
    orientation: u8,
    /// Upright size of the 1600 px photo.
    expected: (u32, u32),
}

fn stored_jpeg(case: &Case) -> Vec<u8> {
    let (vw, vh) = case.size;
    let (sw, sh, px) = stored_for_orientation(&scene(vw, vh), vw, vh, case.orientation);
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, 92);
    enc.set_sampling_factor(case.sampling);
    enc.encode(&px, sw as u16, sh as u16, ColorType::Rgb)
        .unwrap();
    with_exif(&out, &exif_tiff(case.orientation.into(), true))
}

/// Mean colour of a strip `width` pixels wide along the right edge, over the
/// middle of the top and of the bottom half.
fn right_edge(rgb: &[u8], w: u32, h: u32) -> [[u8; 3]; 2] {
    let strip = 2.min(w);
    [
        mean(rgb, w, w - strip, h / 8, strip, h / 4),
        mean(rgb, w, w - strip, h / 2 + h / 8, strip, h / 4),
    ]
}

/// Same along the bottom edge, over the middle of the left and right half.
fn bottom_edge(rgb: &[u8], w: u32, h: u32) -> [[u8; 3]; 2] {
    let strip = 2.min(h);
    [
        mean(rgb, w, w / 8, h - strip, w / 4, strip),
        mean(rgb, w, w / 2 + w / 8, h - strip, w / 4, strip),
    ]
}

fn check(case: &Case) {
    let settings = Settings::default();
    let input = stored_jpeg(case);
    let out = compress(&input, &settings, &Limits::default()).unwrap_or_else(|e| {
        panic!(
            "{:?} {:?} orientation {}: {e}",
            case.sampling, case.size, case.orientation
        )
    });
    let label = format!(
        "{:?} {}x{} orientation {}",
        case.sampling, case.size.0, case.size.1, case.orientation
    );
    assert_clean_output(&out, &settings);
    assert_eq!(
        (out.photo.width, out.photo.height),
        case.expected,
        "{label}: photo size"
    );
    let tolerance = 24;
    for (name, jpeg) in [("photo", &out.photo.jpeg), ("thumb", &out.thumb.jpeg)] {
        let got = quadrants(jpeg);
        for (q, (g, want)) in got.iter().zip([RED, GREEN, BLUE, WHITE]).enumerate() {
            assert!(
                close(*g, want, tolerance),
                "{label} {name}: quadrant {q} is {g:?}, expected {want:?}"
            );
        }
        // The last column and row are where padding to whole chroma samples
        // would show as a wrong colour.
        let (w, h, px) = decode_rgb(jpeg);
        let [top_right, bottom_right] = right_edge(&px, w, h);
        let [bottom_left, _] = bottom_edge(&px, w, h);
        for (edge, g, want) in [
            ("right edge, top", top_right, GREEN),
            ("right edge, bottom", bottom_right, WHITE),
            ("bottom edge, left", bottom_left, BLUE),
        ] {
            assert!(
                close(g, want, tolerance),
                "{label} {name}: {edge} is {g:?}, expected {want:?}"
            );
        }
    }
}

#[test]
fn every_chroma_subsampling_odd_size_scale_and_orientation_keeps_its_colours() {
    use SamplingFactor::*;
    let mut cases = Vec::new();
    for sampling in [R_4_4_4, R_4_2_2, R_4_2_0, R_4_4_0, R_4_1_1] {
        for orientation in [1, 6] {
            cases.extend([
                // small and odd: no resize of the photo, the thumbnail is
                Case {
                    sampling,
                    size: (333, 221),
                    orientation,
                    expected: (333, 221),
                },
                // odd, decoded at 1/2 (1606x1205), then resized
                Case {
                    sampling,
                    size: (3211, 2409),
                    orientation,
                    expected: (1600, 1200),
                },
                // odd and tall, decoded at full scale
                Case {
                    sampling,
                    size: (1001, 2001),
                    orientation,
                    expected: (800, 1600),
                },
            ]);
        }
    }
    for case in &cases {
        check(case);
    }
}

#[test]
fn a_camera_file_with_a_libjpeg_warning_is_still_compressed() {
    // Stray bytes before the end-of-image marker: libjpeg warns ("extraneous
    // bytes before marker 0xd9") and decodes the whole image; cameras and
    // editors write such files, and refusing them would lose the seller's photo.
    let clean = rgb_jpeg(640, 480);
    let eoi = clean.len() - 2;
    assert_eq!(clean[eoi..], [0xFF, 0xD9]);
    let mut warned = clean[..eoi].to_vec();
    warned.extend_from_slice(&[0x12, 0x34, 0x56]);
    warned.extend_from_slice(&[0xFF, 0xD9]);
    let out = compress(&warned, &Settings::default(), &Limits::default()).unwrap();
    assert_eq!((out.photo.width, out.photo.height), (640, 480));
    let got = quadrants(&out.photo.jpeg);
    for (g, want) in got.iter().zip([RED, GREEN, BLUE, WHITE]) {
        assert!(close(*g, want, 16), "{g:?} vs {want:?}");
    }
}
