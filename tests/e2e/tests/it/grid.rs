//! A power-seller's grid in the real window at 1280×800: 30 drafts made
//! with the CLI, sorted by title, three selected with a click and a
//! Shift-click, −10 % previewed row by row, committed, undone (button) and
//! redone (Ctrl+Shift+Z), each checked in the grid and in the store; then a
//! CSV imported with its preview first; a row copied and pasted over another
//! with Ctrl+C and Ctrl+V. The native file dialog cannot be
//! driven by WebDriver: the app is started with `REHOME_E2E_PICK_FILE`, a
//! path the core takes instead of the dialog's.

use rehome_e2e::{AppSession, Server, rehome_cli};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const DESKTOP: (u32, u32) = (1280, 800);

/// Every draft's price in the store, by title (as the CLI lists them).
fn stored_prices(app: &AppSession) -> BTreeMap<String, String> {
    app.rehome(&["draft", "list", "--json"])
        .as_array()
        .expect("a JSON array of drafts")
        .iter()
        .map(|d| {
            (
                d["title"].as_str().unwrap_or_default().to_owned(),
                d["price"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A script that is true when row `row` shows `price` in its price cell.
fn row_price_is(row: usize, price: &str) -> String {
    format!(
        "return document.querySelector('.grid-row[data-row=\"{row}\"] [data-col=price]')?.innerText === '{price}'"
    )
}

/// A real click on row `row`'s title cell, with Shift held when `shift`
/// (dispatched in the page: the same handler a mouse click reaches).
async fn click_row(app: &AppSession, row: usize, shift: bool) {
    if !shift {
        app.click(&format!(".grid-row[data-row=\"{row}\"] [data-col=title]"))
            .await;
        return;
    }
    app.eval(&format!(
        "document.querySelector('.grid-row[data-row=\"{row}\"] [data-col=title]')
           .dispatchEvent(new MouseEvent('click', {{bubbles: true, shiftKey: true}})); return true"
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_selects_previews_commits_undoes_redoes_and_imports_in_the_grid() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data/app.rehome");
    std::fs::create_dir_all(&data).expect("data dir");
    let stock = home.path().join("stock.csv");
    let mut csv = String::from("title,price,sku\n");
    for i in (1..=30).rev() {
        csv.push_str(&format!("Item {i:02},{}.00,00123456789012{i:02}\n", 9 + i));
    }
    std::fs::write(&stock, csv).expect("write stock.csv");
    let made = rehome_cli(
        &data,
        &["csv", "import", stock.to_str().unwrap(), "--json"],
        "",
    );
    assert_eq!(made["created"], 30, "{made}");
    let new_file: PathBuf = home.path().join("new-stock.csv");
    std::fs::write(&new_file, "Title,Price\nImported jacket,45.00\n").expect("write");

    let server = Server::start_demo(&home.path().join("server"));
    let env = vec![("REHOME_E2E_PICK_FILE".to_owned(), new_file.clone())];
    let app = AppSession::start_in_env(home, server, DESKTOP.0, DESKTOP.1, env).await;

    // The Drafts tab is the grid at this width: all 30, only some mounted.
    app.click("button[data-tab=drafts]").await;
    app.wait_for(
        "the grid with 30 rows",
        "return document.querySelector('.grid-scroll')?.dataset.gridTotal === '30' \
         && !!document.querySelector('.grid-row[data-row=\"0\"] [data-col=price]')?.innerText",
        WAIT,
    )
    .await;
    let mounted = app
        .eval("return document.querySelectorAll('.grid-row').length")
        .await;
    assert!(
        mounted.as_u64().is_some_and(|n| n <= 44),
        "mounted rows stay within the visible ones + 20: {mounted}"
    );

    // Sort by title: Item 01 (10.00), Item 02 (11.00), … from the top.
    app.click("[data-sort=title]").await;
    app.wait_for("Item 01 first", &row_price_is(0, "10.00"), WAIT)
        .await;
    app.screenshot("grid-desktop").await;

    // Click the first row, Shift-click the third: three selected.
    click_row(&app, 0, false).await;
    click_row(&app, 2, true).await;
    app.wait_for(
        "three rows selected",
        "return document.querySelector('[data-grid-counts]')?.innerText === '30 rows · 3 selected' \
         && document.querySelectorAll('.grid-row[aria-selected=true]').length === 3",
        WAIT,
    )
    .await;

    // −10 %: the preview lists each row before → after, and writes nothing.
    app.type_into("[data-bulk=price-amount]", "-10").await;
    app.click("[data-action=preview-price]").await;
    let preview = app
        .wait_for(
            "the preview of three changes",
            "const rows = Array.from(document.querySelectorAll('[data-preview=bulk] tr[data-change]'));
             return rows.length === 3 ? rows.map(r => r.querySelector('.before').innerText + '>' + r.querySelector('.after').innerText).sort() : null",
            WAIT,
        )
        .await;
    assert_eq!(
        preview,
        serde_json::json!(["10.00>9.00", "11.00>9.90", "12.00>10.80"])
    );
    assert_eq!(
        stored_prices(&app)["Item 01"],
        "10.00",
        "a preview writes nothing"
    );

    // Commit: the grid and the store both show the new prices.
    app.click("[data-action=bulk-commit]").await;
    app.wait_for("9.00 in the grid", &row_price_is(0, "9.00"), WAIT)
        .await;
    let prices = stored_prices(&app);
    assert_eq!(
        (
            &prices["Item 01"][..],
            &prices["Item 03"][..],
            &prices["Item 04"][..]
        ),
        ("9.00", "10.80", "13.00")
    );

    // Undo (the toolbar), then redo (Ctrl+Shift+Z on the grid).
    app.click("[data-action=bulk-undo]").await;
    app.wait_for("10.00 back in the grid", &row_price_is(0, "10.00"), WAIT)
        .await;
    assert_eq!(
        stored_prices(&app)["Item 03"],
        "12.00",
        "undone in the store"
    );
    app.type_into(".grid-scroll", "\u{E009}\u{E008}z").await;
    app.wait_for("9.00 again in the grid", &row_price_is(0, "9.00"), WAIT)
        .await;
    assert_eq!(
        stored_prices(&app)["Item 03"],
        "10.80",
        "redone in the store"
    );

    // Import a CSV: the preview first (nothing written), then the commit.
    app.click("[data-action=csv-import]").await;
    app.wait_for(
        "the import preview",
        "const p = document.querySelector('[data-preview=csv]');
         return p && p.querySelector('h2').innerText.startsWith('new-stock.csv: 1 new') \
           && p.querySelector('tr[data-line=\"2\"]')?.dataset.status === 'created'",
        WAIT,
    )
    .await;
    assert_eq!(stored_prices(&app).len(), 30, "a preview imports nothing");
    app.click("[data-action=csv-commit]").await;
    app.wait_for(
        "31 rows in the grid",
        "return document.querySelector('.grid-scroll')?.dataset.gridTotal === '31'",
        WAIT,
    )
    .await;
    let prices = stored_prices(&app);
    assert_eq!(
        (prices.len(), &prices["Imported jacket"][..]),
        (31, "45.00")
    );

    // Ctrl+C the jacket's row (first by title), Ctrl+V it over Item 05's
    // from the title column: through the real clipboard, as tab-separated text.
    app.wait_for(
        "the jacket first",
        "return document.querySelector('.grid-row[data-row=\"0\"] [data-col=title]')?.innerText === 'Imported jacket'",
        WAIT,
    )
    .await;
    click_row(&app, 0, false).await;
    app.type_into(".grid-scroll", "\u{E009}c").await;
    click_row(&app, 5, false).await;
    app.type_into(".grid-scroll", "\u{E009}v").await;
    app.wait_for(
        "the pasted row in the grid",
        "return document.querySelector('.grid-row[data-row=\"1\"] [data-col=title]')?.innerText === 'Imported jacket' \
         && document.querySelector('.grid-row[data-row=\"1\"] [data-col=price]')?.innerText === '45.00'",
        WAIT,
    )
    .await;
    let titles: Vec<String> = app
        .rehome(&["draft", "list", "--json"])
        .as_array()
        .expect("drafts")
        .iter()
        .map(|d| d["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        titles.iter().filter(|t| *t == "Imported jacket").count(),
        2,
        "pasted into the store: {titles:?}"
    );
    assert!(!titles.iter().any(|t| t == "Item 05"), "{titles:?}");
    app.stop().await;
}
