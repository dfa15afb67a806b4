//! A fixed-rate (open-loop) load generator for `GET /v1/feed`, wrk2-style:
//! requests are scheduled at exact intervals and each latency is measured from
//! its *scheduled* start, so a stalled server cannot hide queueing delay
//! (no coordinated omission). Debian's wrk has no `-R`, hence this.
//!
//! `cargo run --release -p rehome-server --example feed_load -- URL RATE SECONDS [CONNECTIONS]`
//! (set `FEED_TOKEN` to send `Authorization: Bearer …`, for the personalised feed)

use std::time::{Duration, Instant};

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8787/v1/feed".into());
    let rate: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(500.0);
    let seconds: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20.0);
    let conns: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(32);
    let mut headers = reqwest::header::HeaderMap::new();
    if let Ok(token) = std::env::var("FEED_TOKEN")
        && let Ok(v) = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
    {
        headers.insert(reqwest::header::AUTHORIZATION, v);
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(conns)
        .default_headers(headers)
        .build()
        .expect("an HTTP client");
    // Warm up: connections, SQLite page cache.
    for _ in 0..200 {
        let _ = client
            .get(&url)
            .send()
            .await
            .and_then(|r| r.error_for_status());
    }
    let total = (rate * seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now() + Duration::from_millis(50);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Result<Duration, String>>();
    for i in 0..total {
        let scheduled = start + interval * i as u32;
        tokio::time::sleep_until(scheduled.into()).await;
        let client = client.clone();
        let url = url.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            let res = async {
                let r = client.get(&url).send().await.map_err(|e| e.to_string())?;
                if !r.status().is_success() {
                    return Err(format!("status {}", r.status()));
                }
                r.bytes().await.map_err(|e| e.to_string())?;
                Ok(())
            }
            .await;
            let _ = tx.send(res.map(|()| scheduled.elapsed()));
        });
    }
    drop(tx);
    let mut lat = Vec::with_capacity(total);
    let mut errors = 0usize;
    while let Some(r) = rx.recv().await {
        match r {
            Ok(d) => lat.push(d),
            Err(_) => errors += 1,
        }
    }
    let wall = start.elapsed().as_secs_f64();
    lat.sort();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        lat[i].as_secs_f64() * 1000.0
    };
    println!(
        "target {rate:.0} req/s for {seconds:.0} s: {} ok, {errors} errors, achieved {:.0} req/s",
        lat.len(),
        lat.len() as f64 / wall
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(0.999),
        pct(1.0)
    );
}
