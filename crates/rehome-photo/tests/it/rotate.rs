//! `rotate`: a quarter turn clockwise per step, checked by the output's size and
//! by where the scene's coloured quadrants land.

use crate::fixtures::*;
use rehome_photo::{Limits, Settings, compress, rotate};

/// The 320×240 scene as the pipeline stores it.
fn upright() -> rehome_photo::Encoded {
    compress(
        &rgb_jpeg(320, 240),
        &Settings::default(),
        &Limits::default(),
    )
    .unwrap()
    .photo
}

/// One case: quarter turns, then the expected size and quadrants
/// [top-left, top-right, bottom-left, bottom-right] of a 320×240 scene
/// (red, green / blue, white when upright).
fn check(turns: u8, size: (u32, u32), expected: [[u8; 3]; 4]) {
    let upright = upright();
    let turned = rotate(&upright.jpeg, turns, 80, &Limits::default()).unwrap();
    assert_eq!((turned.width, turned.height), size, "{turns} turns: size");
    let (w, h, _) = decode_rgb(&turned.jpeg);
    assert_eq!((w, h), size, "{turns} turns: decoded size");
    let q = quadrants(&turned.jpeg);
    for (i, (got, want)) in q.iter().zip(expected).enumerate() {
        assert!(
            close(*got, want, 40),
            "{turns} turns: quadrant {i} is {got:?}, want {want:?}"
        );
    }
    // No metadata: only the JFIF header before the frame.
    let markers: Vec<u8> = jpeg_segments(&turned.jpeg).iter().map(|s| s.0).collect();
    assert!(
        !markers
            .iter()
            .any(|m| (0xE1..=0xEF).contains(m) || *m == 0xFE),
        "{turns} turns: metadata segments {markers:x?}"
    );
    // Deterministic.
    assert_eq!(
        rotate(&upright.jpeg, turns, 80, &Limits::default()).unwrap(),
        turned
    );
}

#[test]
fn quarter_turns_move_the_corners_clockwise() {
    check(0, (320, 240), [RED, GREEN, BLUE, WHITE]);
    // clockwise: the left column (red over blue) becomes the top row, blue first
    check(1, (240, 320), [BLUE, RED, WHITE, GREEN]);
    check(2, (320, 240), [WHITE, BLUE, GREEN, RED]);
    check(3, (240, 320), [GREEN, WHITE, RED, BLUE]);
    check(5, (240, 320), [BLUE, RED, WHITE, GREEN]);
}

#[test]
fn four_turns_come_back_close_to_the_start() {
    let upright = upright();
    let psnr = |a: &[u8], b: &[u8]| {
        let mse = a
            .iter()
            .zip(b)
            .map(|(x, y)| f64::from(x.abs_diff(*y)).powi(2))
            .sum::<f64>()
            / a.len() as f64;
        10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
    };
    let (_, _, start) = decode_rgb(&upright.jpeg);
    // Half turns compare pixel for pixel with the start turned twice.
    let half = rotate(&upright.jpeg, 2, 80, &Limits::default()).unwrap();
    let back = rotate(&half.jpeg, 2, 80, &Limits::default()).unwrap();
    let two_generations = psnr(&start, &decode_rgb(&back.jpeg).2);
    let mut jpeg = upright.jpeg.clone();
    for _ in 0..4 {
        jpeg = rotate(&jpeg, 1, 80, &Limits::default()).unwrap().jpeg;
    }
    let four_generations = psnr(&start, &decode_rgb(&jpeg).2);
    eprintln!("PSNR after 2 generations {two_generations:.1} dB, after 4 {four_generations:.1} dB");
    // Hard colour edges are JPEG's worst case; a wrong turn would be ~10 dB.
    assert!(two_generations > 34.0, "{two_generations:.1} dB");
    assert!(four_generations > 32.0, "{four_generations:.1} dB");
}

#[test]
fn rotate_refuses_what_is_not_a_jpeg() {
    let png = png16(8, 8);
    let err = rotate(&png, 1, 80, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "unsupported_format");
    assert_eq!(
        rotate(&[], 1, 80, &Limits::default()).unwrap_err().code(),
        "empty"
    );
    let jpeg = rgb_jpeg(16, 16);
    assert_eq!(
        rotate(&jpeg, 1, 0, &Limits::default()).unwrap_err().code(),
        "invalid_settings"
    );
}
