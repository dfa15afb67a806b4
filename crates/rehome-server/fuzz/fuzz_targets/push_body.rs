//! Fuzz the `POST /v1/sync/push` body parser: any bytes must give a value or a
//! clean error (never a panic), and whatever parses must survive a round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehome_model::sync::PushRequest;

#[path = "../../src/body.rs"]
#[allow(dead_code)]
mod body;

fuzz_target!(|data: &[u8]| {
    match body::parse_json::<PushRequest>(data) {
        Ok(req) => {
            let again = serde_json::to_vec(&req).expect("a parsed request serialises");
            let back: PushRequest = body::parse_json(&again).expect("what we write, we read");
            assert_eq!(back, req);
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
});
