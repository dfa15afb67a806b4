//! The grid's benchmark in the real window at 1280×800 (not a test: ignored,
//! run by `cargo xtask bench grid`, which prints the figures): with 1,000
//! and then 10,000 drafts, how long from the Drafts tab's click to the first
//! row painted (just after the start, and again from the Feed), how many rows are mounted, and how long an arrow key takes
//! to repaint (median, p95, max of 100 presses). The 1,000-row run is the
//! peer: the figures should not grow with the rows.

use rehome_e2e::{AppSession, Server, rehome_cli};

const DESKTOP: (u32, u32) = (1280, 800);

const OPEN: &str = "const done = arguments[arguments.length - 1];
const t0 = performance.now();
document.querySelector('button[data-tab=drafts]').click();
const check = () => {
  const c = document.querySelector('.grid-row[data-row=\"0\"] [data-col=price]');
  if (c && c.innerText) {
    requestAnimationFrame(() => done({
      ms: performance.now() - t0,
      total: document.querySelector('.grid-scroll').dataset.gridTotal,
      mounted: document.querySelectorAll('.grid-row').length,
    }));
  } else {
    requestAnimationFrame(check);
  }
};
check();";

const ARROWS: &str = "const done = arguments[arguments.length - 1];
const el = document.querySelector('.grid-scroll');
el.focus();
const times = [];
const step = () => {
  if (times.length === 100) {
    times.sort((a, b) => a - b);
    done({ median: times[50], p95: times[95], max: times[99],
           mounted: document.querySelectorAll('.grid-row').length });
    return;
  }
  const t0 = performance.now();
  el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
  requestAnimationFrame(() => { times.push(performance.now() - t0); setTimeout(step, 0); });
};
step();";

async fn run(rows: usize) {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data/app.rehome");
    std::fs::create_dir_all(&data).expect("data dir");
    let file = home.path().join("stock.csv");
    let mut csv = String::from("title,price,brand,sku\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Item {i:05},{}.50,Brand {},SKU{i:06}\n",
            5 + i % 90,
            i % 37
        ));
    }
    std::fs::write(&file, csv).expect("write the CSV");
    let made = rehome_cli(
        &data,
        &["csv", "import", file.to_str().unwrap(), "--json"],
        "",
    );
    assert_eq!(made["created"], rows, "{made}");
    let server = Server::start_demo(&home.path().join("server"));
    let app = AppSession::start_in(home, server, DESKTOP.0, DESKTOP.1).await;
    let first = app.client.execute_async(OPEN, vec![]).await.expect("open");
    // Again, once the app has settled: the Feed, then the Drafts tab.
    app.click("button[data-tab=feed]").await;
    let open = app.client.execute_async(OPEN, vec![]).await.expect("open");
    let keys = app
        .client
        .execute_async(ARROWS, vec![])
        .await
        .expect("arrows");
    println!(
        "grid {rows} rows: first open {:.1} ms, open again {:.1} ms (total {}, mounted {}); arrow repaint median {:.1} ms, p95 {:.1} ms, max {:.1} ms (mounted {})",
        first["ms"].as_f64().unwrap_or(f64::NAN),
        open["ms"].as_f64().unwrap_or(f64::NAN),
        open["total"],
        open["mounted"],
        keys["median"].as_f64().unwrap_or(f64::NAN),
        keys["p95"].as_f64().unwrap_or(f64::NAN),
        keys["max"].as_f64().unwrap_or(f64::NAN),
        keys["mounted"],
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: cargo xtask bench grid"]
async fn grid_bench() {
    run(1_000).await;
    run(10_000).await;
}
