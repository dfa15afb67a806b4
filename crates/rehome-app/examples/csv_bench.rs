//! A 10,000-row CSV previewed (a benchmark, not a test):
//!
//!     cargo run --release -p rehome-app --example csv_bench [N]
//!
//! Generates N rows (default 10,000; accents, quoted descriptions with
//! newlines, 16-digit SKUs), then times the import's dry run (decode, parse,
//! every cell checked, every row matched and planned in a transaction that is
//! rolled back: the preview the window shows) against, as the peer in the
//! same run, the `csv` crate's bare parse of the same bytes.

use rehome_app::{App, AppConfig, CsvImportOptions};
use std::time::{Duration, Instant};

fn median(mut f: impl FnMut() -> Duration, runs: usize) -> Duration {
    let mut d: Vec<Duration> = (0..runs).map(|_| f()).collect();
    d.sort();
    d[d.len() / 2]
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let mut text = String::from("title,price,brand,size,condition,category,sku,description\n");
    for i in 0..n {
        text.push_str(&format!(
            "Robe d'été {i},{}.{:02},Acné,M,good,dresses,{i:016},\"Worn twice,\nno marks\"\n",
            5 + i % 200,
            i % 100
        ));
    }
    let bytes = text.into_bytes();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::open(AppConfig::in_dir(dir.path().to_owned(), None)).expect("app");
    let options = CsvImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let preview = median(
        || {
            let t = Instant::now();
            let r = app
                .csv_import_bytes(&bytes, "bench.csv", &options)
                .expect("preview");
            assert_eq!(r.created as usize, n);
            t.elapsed()
        },
        3,
    );
    let bare = median(
        || {
            let t = Instant::now();
            let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
            let mut record = csv::StringRecord::new();
            let mut rows = 0;
            while reader.read_record(&mut record).expect("parse") {
                rows += 1;
            }
            assert_eq!(rows, n);
            t.elapsed()
        },
        5,
    );
    println!("rows: {n}, bytes: {}", bytes.len());
    println!(
        "preview (decode, parse, check, plan, roll back): {:>8.1} ms (goal <= 1000 ms)",
        preview.as_secs_f64() * 1000.0
    );
    println!(
        "peer: csv crate's bare parse:                    {:>8.1} ms",
        bare.as_secs_f64() * 1000.0
    );
    println!("ratio: {:.1}x", preview.as_secs_f64() / bare.as_secs_f64());
}
