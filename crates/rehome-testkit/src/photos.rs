//! Generated JPEGs for tests: no test depends on a real photo file.

use std::sync::OnceLock;

/// A camera-like JPEG (`w`×`h`, q80 4:2:0, like the photo pipeline's output),
/// different for every seed: smooth shading plus noise, so it compresses like
/// a photo (a few hundred KiB at 1600×1200).
pub fn camera_jpeg(seed: u64, w: u16, h: u16) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut pixels = Vec::with_capacity(w as usize * h as usize * 3);
    let (fx, fy) = ((seed % 7 + 1) as u32, (seed % 5 + 1) as u32);
    for y in 0..h as u32 {
        for x in 0..w as u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state & 0x1f) as u32;
            let r = (x * fx / 7 + noise) & 0xff;
            let g = (y * fy / 5 + noise) & 0xff;
            let b = ((x + y) / 9 + (seed as u32 & 0x7f) + noise) & 0xff;
            pixels.extend_from_slice(&[r as u8, g as u8, b as u8]);
        }
    }
    encode(
        &pixels,
        w,
        h,
        80,
        Some(jpeg_encoder::SamplingFactor::R_4_2_0),
    )
}

/// A camera-sized 1600×1200 JPEG, unique for every seed, cheaply: one of four
/// encoded pictures (made once per process) with the seed in a comment
/// segment, so the bytes and the SHA-256 differ while the picture stays a
/// valid JPEG of the same size. Encoding 160 distinct pictures in a debug
/// build takes minutes; this takes a few seconds.
pub fn camera_photo(seed: u64) -> Vec<u8> {
    static BASES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let bases = BASES.get_or_init(|| (0..4).map(|i| camera_jpeg(1000 + i, 1600, 1200)).collect());
    let base = &bases[(seed % 4) as usize];
    let text = format!("rehome test photo {seed}");
    let len = (text.len() + 2) as u16;
    let mut out = Vec::with_capacity(base.len() + text.len() + 4);
    out.extend_from_slice(&base[..2]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&base[2..]);
    out
}

/// A gradient with a checkerboard of 64 px blocks whose blue is `tint`: easy
/// to tell apart on a screenshot, cheap to encode (q85).
pub fn checkered_jpeg(w: u16, h: u16, tint: u8) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h {
        for x in 0..w {
            let block = (x / 64 + y / 64) % 2 == 0;
            pixels.extend([
                (x % 256) as u8,
                (y % 256) as u8,
                if block { tint } else { 40 },
            ]);
        }
    }
    encode(&pixels, w, h, 85, None)
}

fn encode(
    rgb: &[u8],
    w: u16,
    h: u16,
    quality: u8,
    sampling: Option<jpeg_encoder::SamplingFactor>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    if let Some(sampling) = sampling {
        encoder.set_sampling_factor(sampling);
    }
    encoder
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode a generated JPEG");
    out
}
