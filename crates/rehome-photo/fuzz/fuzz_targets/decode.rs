//! Fuzz the whole pipeline (sniff, header checks, every decoder, resize,
//! orientation, encode), the quarter turn (lossless or re-encoded) and the
//! upload re-check. Small limits keep each run
//! cheap; any panic, abort or sanitizer report is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehome_photo::{Limits, Settings};

fuzz_target!(|data: &[u8]| {
    let settings = Settings {
        max_edge: 256,
        thumb_edge: 64,
        quality: 70,
    };
    let limits = Limits {
        max_input_bytes: 1 << 20,
        max_side: 4096,
        max_pixels: 1 << 22,
        max_decode_bytes: 64 << 20,
    };
    let _ = rehome_photo::compress(data, &settings, &limits);
    let _ = rehome_photo::check_jpeg(data, &limits);
    let turns = data.last().map_or(1, |b| b % 4);
    let _ = rehome_photo::rotate(data, turns, 70, &limits);
});
