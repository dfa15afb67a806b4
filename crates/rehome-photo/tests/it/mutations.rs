//! Stable-Rust stand-in for fuzzing: seeded random mutations of the fixtures
//! through the whole pipeline. Any result is fine; a panic is a failure.
//! REHOME_PHOTO_MUTATIONS sets the count (default 5000, CI-sized).

use crate::fixtures::*;
use rehome_photo::{Limits, Settings, compress};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        if out.is_empty() {
            break;
        }
        let at = rng.below(out.len());
        match rng.below(7) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = [0x00, 0xFF, 0x7F, 0x80, 0xD9, 0xDA][rng.below(6)],
            2 => out.truncate(at.max(1)),
            3 => {
                let len = rng.below(64).min(out.len() - at);
                out.drain(at..at + len);
            }
            4 => {
                let from = rng.below(out.len());
                let len = rng.below(32).min(out.len() - from);
                let chunk = out[from..from + len].to_vec();
                out.splice(at..at, chunk);
            }
            5 => {
                // big-endian 16-bit "size" field set to something extreme
                if at + 1 < out.len() {
                    let v: u16 = [0, 1, 0xFFFF, 0x8000, 0x7FFF][rng.below(5)];
                    out[at..at + 2].copy_from_slice(&v.to_be_bytes());
                }
            }
            _ => {
                let v: u32 = [0, 1, u32::MAX, 0x8000_0000, 0x7FFF_FFFF][rng.below(5)];
                if at + 3 < out.len() {
                    out[at..at + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
    out
}

#[test]
fn seeded_mutations_never_panic() {
    let count: usize = std::env::var("REHOME_PHOTO_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let seeds = [
        oriented_jpeg(48, 32, 6),
        {
            let mut out = Vec::new();
            let mut enc = jpeg_encoder::Encoder::new(&mut out, 80);
            enc.set_progressive(true);
            enc.encode(&scene(40, 24), 40, 24, jpeg_encoder::ColorType::Rgb)
                .unwrap();
            out
        },
        jpeg(
            &scene(32, 16)
                .chunks(3)
                .flat_map(|p| [p[0], p[1], p[2], 0])
                .collect::<Vec<_>>(),
            32,
            16,
            jpeg_encoder::ColorType::Cmyk,
        ),
        png16(24, 16),
        png_alpha(24, 16),
        png_palette(24, 16),
        apng(16, 16),
        webp_lossless(&scene(24, 16), 24, 16),
        animated_webp(16, 16),
        // One of our own outputs, whole MCUs: `rotate` turns it losslessly.
        compress(&rgb_jpeg(48, 32), &Settings::default(), &Limits::default())
            .unwrap()
            .photo
            .jpeg,
        // Most of this one is a Display P3 profile: mutations reach qcms.
        crate::icc::tagged_jpeg(
            [200, 60, 40],
            Some(&crate::icc::icc_profile(
                crate::icc::DISPLAY_P3,
                crate::icc::Trc::Srgb,
            )),
        ),
    ];
    let settings = Settings {
        max_edge: 32,
        thumb_edge: 8,
        quality: 50,
    };
    // small limits keep hostile sizes cheap while still exercising every branch
    let limits = Limits {
        max_input_bytes: 1 << 20,
        max_side: 4096,
        max_pixels: 1 << 20,
        max_decode_bytes: 16 << 20,
    };
    let mut rng = XorShift(0x5EED_1234_ABCD_0001);
    let (mut ok, mut refused) = (0, 0);
    for i in 0..count {
        let seed = &seeds[i % seeds.len()];
        let input = mutate(&mut rng, seed);
        let result = std::panic::catch_unwind(|| compress(&input, &settings, &limits));
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => panic!(
                "panic on mutation {i} of seed {}: {:02x?}",
                i % seeds.len(),
                input
            ),
        }
        let _ = rehome_photo::check_jpeg(&input, &limits);
        let turned = std::panic::catch_unwind(|| {
            rehome_photo::rotate(&input, 1 + (i % 3) as u8, 50, &limits)
        });
        assert!(
            turned.is_ok(),
            "rotate panicked on mutation {i} of seed {}: {:02x?}",
            i % seeds.len(),
            input
        );
    }
    println!("{count} mutations: {ok} decoded, {refused} refused, 0 panics");
    assert_eq!(ok + refused, count);
}
