//! `rotate`: a quarter turn clockwise per step, checked by the output's size and
//! by where the scene's coloured quadrants land.

use crate::fixtures::*;
use rehome_photo::{Limits, Settings, compress, rotate};

/// One case: quarter turns, then the expected quadrants [top-left, top-right,
/// bottom-left, bottom-right] of the scene (red, green / blue, white when
/// upright). Checked on a 320×240 photo (whole MCUs: a lossless turn) and a
/// 320×250 one (not: a re-encode).
fn check(turns: u8, expected: [[u8; 3]; 4]) {
    for (w, h) in [(320, 240), (320, 250)] {
        let size = if turns % 2 == 1 { (h, w) } else { (w, h) };
        let upright = stored(w, h);
        check_one(&upright, turns, size, expected);
    }
}

fn check_one(upright: &[u8], turns: u8, size: (u32, u32), expected: [[u8; 3]; 4]) {
    let turned = rotate(upright, turns, 80, &Limits::default()).unwrap();
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
        rotate(upright, turns, 80, &Limits::default()).unwrap(),
        turned
    );
}

#[test]
fn quarter_turns_move_the_corners_clockwise() {
    check(0, [RED, GREEN, BLUE, WHITE]);
    // clockwise: the left column (red over blue) becomes the top row, blue first
    check(1, [BLUE, RED, WHITE, GREEN]);
    check(2, [WHITE, BLUE, GREEN, RED]);
    check(3, [GREEN, WHITE, RED, BLUE]);
    check(5, [BLUE, RED, WHITE, GREEN]);
}

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(x.abs_diff(*y)).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
}

/// The scene as the pipeline stores it at `w`×`h`.
fn stored(w: u32, h: u32) -> Vec<u8> {
    compress(&rgb_jpeg(w, h), &Settings::default(), &Limits::default())
        .unwrap()
        .photo
        .jpeg
}

/// `rgb` (`w`×`h`) turned a quarter clockwise, pixel by pixel.
fn turned_pixels(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len());
    for y in 0..w {
        for x in 0..h {
            // the pixel shown at (x, y) after a clockwise turn
            let (sx, sy) = (y, h - 1 - x);
            let i = ((sy * w + sx) * 3) as usize;
            out.extend_from_slice(&rgb[i..i + 3]);
        }
    }
    out
}

#[test]
fn whole_mcu_photos_turn_losslessly_and_others_lose_one_generation_a_turn() {
    // 320x240 is 20x15 MCUs of 16 px: the blocks move, nothing is re-encoded.
    let jpeg = stored(320, 240);
    let (w, h, start) = decode_rgb(&jpeg);
    let once = rotate(&jpeg, 1, 80, &Limits::default()).unwrap();
    let (tw, th, turned) = decode_rgb(&once.jpeg);
    assert_eq!((tw, th), (h, w));
    let worst = turned
        .iter()
        .zip(turned_pixels(&start, w, h))
        .map(|(a, b)| a.abs_diff(b))
        .max()
        .unwrap();
    // The same coefficients, so the same pixels up to the decoder's chroma
    // upsampling at block edges; a re-encode at q80 differs by tens of levels.
    assert!(
        worst <= 2,
        "a lossless turn changed a pixel by {worst} levels"
    );
    let mut back = jpeg.clone();
    for _ in 0..4 {
        back = rotate(&back, 1, 80, &Limits::default()).unwrap().jpeg;
    }
    assert_eq!(
        decode_rgb(&back).2,
        start,
        "four lossless turns give back every pixel"
    );

    // 320x250: 250 rows are not whole MCUs, so each turn decodes and encodes.
    let jpeg = stored(320, 250);
    let (_, _, start) = decode_rgb(&jpeg);
    let half = rotate(&jpeg, 2, 80, &Limits::default()).unwrap();
    let back_two = rotate(&half.jpeg, 2, 80, &Limits::default()).unwrap();
    let two_generations = psnr(&start, &decode_rgb(&back_two.jpeg).2);
    let mut back = jpeg.clone();
    for _ in 0..4 {
        back = rotate(&back, 1, 80, &Limits::default()).unwrap().jpeg;
    }
    let four_generations = psnr(&start, &decode_rgb(&back).2);
    eprintln!("PSNR after 2 generations {two_generations:.1} dB, after 4 {four_generations:.1} dB");
    assert!(
        decode_rgb(&back).2 != start,
        "a re-encoded turn is expected to lose something"
    );
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
