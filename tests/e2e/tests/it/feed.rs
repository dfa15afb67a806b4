//! The feed shows the server's listings with their photos in a virtual grid
//! (two columns on phones, more on desktops), loads the next page well before
//! the buyer reaches the end, mounts only the cards near the window, and starts
//! over from the refresh button. At 10,000 listings the feed scrolls to its
//! end with no more cards and elements mounted than at 100.

use rehome_e2e::{AppSession, Server};
use rehome_model::FeedPage;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// The ids of the cards on screen, in order.
const CARD_IDS: &str =
    "return Array.from(document.querySelectorAll('article.card')).map(c => c.dataset.listing)";

struct Viewport {
    name: &'static str,
    width: u32,
    height: u32,
    /// At desktop widths the tabs form a sidebar; on phones a bottom bar.
    sidebar: bool,
    /// How many columns the grid may have.
    columns: std::ops::RangeInclusive<u64>,
}

async fn check(viewport: Viewport) {
    let app = AppSession::start(viewport.width, viewport.height).await;
    let first_page: FeedPage = app.server.get_json("/v1/feed?limit=12");
    assert_eq!(
        first_page.items.len(),
        12,
        "the demo server seeds at least a page of listings"
    );
    let expected: Vec<String> = first_page.items.iter().map(|c| c.id.to_string()).collect();

    // The first cards render, in the server's order, in whole rows of the
    // grid: two columns on a phone, more on a desktop.
    app.wait_for(
        "the first cards",
        "return document.querySelectorAll('article.card').length >= 8",
        WAIT,
    )
    .await;
    let shown: Vec<String> = serde_json::from_value(app.eval(CARD_IDS).await).expect("card ids");
    let n = shown.len().min(12);
    assert_eq!(
        &shown[..n],
        &expected[..n],
        "cards in the server's feed order"
    );
    let columns = app
        .eval("return Number(document.querySelector('.card-grid').dataset.columns)")
        .await
        .as_u64()
        .unwrap_or(0);
    assert!(
        viewport.columns.contains(&columns),
        "{} columns at {} px; wanted {:?}",
        columns,
        viewport.width,
        viewport.columns
    );

    // Each card shows its price, brand and size as the server sent them.
    let first = &first_page.items[0];
    let text = app
        .eval("return document.querySelector('article.card .card-body').innerText")
        .await;
    let text = text.as_str().unwrap_or_default();
    for part in [
        first.price.to_string(),
        first.brand.clone(),
        first.size.clone(),
    ] {
        assert!(
            text.contains(&part),
            "the first card shows {part:?}; it reads {text:?}"
        );
    }

    // Their thumbnails load through the app's photo scheme (natural width > 0),
    // never the full photo.
    app.wait_for(
        "the first cards' photos to load",
        "const imgs = Array.from(document.querySelectorAll('article.card img.card-photo')).slice(0, 3);
         return imgs.length === 3 && imgs.every(i => i.complete && i.naturalWidth > 0)",
        WAIT,
    )
    .await;
    let srcs = app
        .eval("return Array.from(document.querySelectorAll('img.card-photo')).map(i => i.currentSrc || i.src)")
        .await;
    let srcs: Vec<String> = serde_json::from_value(srcs).expect("photo sources");
    assert!(!srcs.is_empty());
    for src in &srcs {
        assert!(
            (src.starts_with("rehome-photo:") || src.contains("rehome-photo.localhost"))
                && src.contains(".thumb"),
            "cards load thumbnails from the app's scheme: {src}"
        );
    }

    // Every card has the same size, and its photo keeps a 4:5 aspect whether
    // or not it has loaded: the layout never jumps.
    let sizes = app
        .eval(
            "return Array.from(document.querySelectorAll('article.card')).map(c => {
                 const r = c.getBoundingClientRect();
                 const p = c.querySelector('img.card-photo').getBoundingClientRect();
                 return [Math.round(r.width), Math.round(r.height), p.height / p.width];
             })",
        )
        .await;
    let sizes: Vec<(i64, i64, f64)> = serde_json::from_value(sizes).expect("card sizes");
    let (w, h, _) = sizes[0];
    assert!(w > 100 && h > w, "a portrait card: {w}x{h}");
    for (cw, ch, ratio) in &sizes {
        assert!(
            (*cw - w).abs() <= 1 && (*ch - h).abs() <= 1 && (ratio - 1.25).abs() < 0.02,
            "every card {w}x{h} with a 4:5 photo: {sizes:?}"
        );
    }

    // The frame fits the width: a bottom bar on phones, a sidebar on desktops.
    // The sync indicator has its place in that bar, never over the pages.
    app.wait_for(
        "the sync indicator",
        "return !!document.querySelector('.sync-indicator')",
        WAIT,
    )
    .await;
    let nav = app
        .eval(
            "const r = document.querySelector('.bar').getBoundingClientRect();
             const s = document.querySelector('.sync-indicator').getBoundingClientRect();
             const p = document.querySelector('main.pages').getBoundingClientRect();
             const inBar = s.width > 0 && s.left >= r.left && s.right <= r.right
                 && s.top >= r.top && s.bottom <= r.bottom;
             const overPages = s.left < p.right && s.right > p.left
                 && s.top < p.bottom && s.bottom > p.top;
             return { left: r.left, bottom: r.bottom, width: r.width, height: r.height,
                      vw: window.innerWidth, vh: window.innerHeight,
                      syncInBar: inBar, syncOverPages: overPages }",
        )
        .await;
    assert_eq!(
        (&nav["syncInBar"], &nav["syncOverPages"]),
        (&serde_json::json!(true), &serde_json::json!(false)),
        "the sync indicator sits in the bar: {nav}"
    );
    let f = |k: &str| nav[k].as_f64().unwrap_or(f64::NAN);
    assert_eq!(
        f("vw"),
        viewport.width as f64,
        "the viewport is {}px wide",
        viewport.width
    );
    if viewport.sidebar {
        assert!(
            f("left") == 0.0 && f("height") >= f("vh") - 1.0 && f("width") < 300.0,
            "a full-height sidebar: {nav}"
        );
    } else {
        assert!(
            f("bottom") >= f("vh") - 1.0 && f("width") >= f("vw") - 1.0,
            "a bottom bar across the width: {nav}"
        );
    }
    app.screenshot(&format!("feed-{}", viewport.name)).await;

    // Scrolling down loads the rest, page by page, and only the cards near
    // the window stay in the document.
    let all: FeedPage = app.server.get_json("/v1/feed?limit=100");
    let total = all.items.len();
    let loaded = || async {
        app.eval("return Number(document.querySelector('.card-grid').dataset.loaded)")
            .await
            .as_u64()
            .unwrap_or(0) as usize
    };
    let mut most_mounted = 0;
    let mut most_elements = 0;
    for _ in 0..40 {
        let counts = app
            .eval(
                "const page = document.querySelector('[data-page=feed]');
                 page.scrollBy(0, page.clientHeight);
                 return [document.querySelectorAll('article.card').length,
                         document.body.getElementsByTagName('*').length]",
            )
            .await;
        let (mounted, elements): (usize, usize) = serde_json::from_value(counts).expect("counts");
        most_mounted = most_mounted.max(mounted);
        most_elements = most_elements.max(elements);
        if loaded().await >= total {
            break;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    app.wait_for(
        "every listing loaded",
        &format!("return Number(document.querySelector('.card-grid').dataset.loaded) === {total}"),
        WAIT,
    )
    .await;
    app.eval("const page = document.querySelector('[data-page=feed]'); page.scrollTo(0, page.scrollHeight)")
        .await;
    app.wait_for(
        "the end of the feed",
        "return document.querySelector('.feed-end') !== null",
        WAIT,
    )
    .await;
    let shown: Vec<String> = serde_json::from_value(app.eval(CARD_IDS).await).expect("card ids");
    let mut unique = shown.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), shown.len(), "no card shown twice");
    let last = all.items.last().expect("a last listing").id.to_string();
    assert!(
        shown.contains(&last),
        "the last listing is mounted at the end"
    );
    assert!(
        shown.len() < total,
        "only the cards near the window are mounted: {} of {total}",
        shown.len()
    );
    assert!(
        most_mounted <= 60 && most_elements <= 800,
        "at most 60 cards and 800 elements: {most_mounted} cards, {most_elements} elements"
    );

    // The refresh button (desktop) starts over: back at the top, the newest
    // first, and no longer at the end (only the first pages are loaded again).
    if viewport.sidebar {
        app.click("[data-action=refresh-feed]").await;
        app.wait_for(
            "the feed to start over at the top",
            &format!(
                "const page = document.querySelector('[data-page=feed]');
                 const c = document.querySelector('article.card');
                 const loaded = Number(document.querySelector('.card-grid').dataset.loaded);
                 return page.scrollTop === 0 && document.querySelector('.feed-end') === null
                     && loaded > 0 && loaded < {total} && c !== null && c.dataset.listing === '{}'",
                expected[0]
            ),
            WAIT,
        )
        .await;
    }

    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_feed_shows_listings_with_photos_and_pages_on_scroll() {
    check(Viewport {
        name: "phone",
        width: 390,
        height: 844,
        sidebar: false,
        columns: 2..=2,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_feed_shows_listings_with_photos_and_a_sidebar() {
    check(Viewport {
        name: "desktop",
        width: 1280,
        height: 800,
        sidebar: true,
        columns: 4..=6,
    })
    .await;
}

/// Scrolls the feed of `--demo-listings 10000` to its end at phone size,
/// jumping to the bottom as each page arrives: at every stop at most 60
/// cards and 800 elements are mounted, and the last listing is reached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_feed_of_10000_listings_scrolls_to_the_end_with_few_cards_mounted() {
    const LISTINGS: usize = 10_000;
    let home = tempfile::tempdir().expect("temp dir");
    let server = Server::start_demo_with(
        &home.path().join("server"),
        "127.0.0.1:0",
        &["--demo-listings", &LISTINGS.to_string()],
    );
    let app = AppSession::start_in(home, server, 390, 844).await;
    app.wait_for(
        "the first cards",
        "return document.querySelectorAll('article.card').length >= 8",
        WAIT,
    )
    .await;
    let mut stops = 0;
    let mut most = (0, 0);
    let mut last_loaded = 0;
    let mut since_growth = std::time::Instant::now();
    loop {
        // Counted after the last jump's render, then the next jump.
        let state = app
            .eval(
                "const page = document.querySelector('[data-page=feed]');
                 const counts = [document.querySelectorAll('article.card').length,
                     document.body.getElementsByTagName('*').length,
                     Number(document.querySelector('.card-grid').dataset.loaded),
                     document.querySelector('.feed-end') !== null];
                 page.scrollTo(0, page.scrollHeight);
                 return counts",
            )
            .await;
        let (mounted, elements, loaded, ended): (usize, usize, usize, bool) =
            serde_json::from_value(state).expect("counts");
        stops += 1;
        if stops % 100 == 0 {
            eprintln!(
                "PROGRESS stop {stops}: {loaded} loaded, {mounted} cards, {elements} elements"
            );
        }
        most = (most.0.max(mounted), most.1.max(elements));
        assert!(
            mounted <= 60 && elements <= 800,
            "at most 60 cards and 800 elements at stop {stops} ({loaded} loaded): \
             {mounted} cards, {elements} elements"
        );
        if ended {
            assert_eq!(loaded, LISTINGS, "the end comes after every listing");
            break;
        }
        if loaded > last_loaded {
            (last_loaded, since_growth) = (loaded, std::time::Instant::now());
        }
        assert!(
            since_growth.elapsed() < WAIT,
            "the feed stopped growing at {last_loaded} of {LISTINGS}"
        );
    }
    // The server's own last card (an anonymous feed: newest first) is
    // among the cards mounted at the end.
    let mut last = None;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/v1/feed?limit=100".to_owned(),
            Some(c) => format!("/v1/feed?limit=100&cursor={c}"),
        };
        let page: FeedPage = app.server.get_json(&path);
        last = page.items.last().map(|c| c.id.to_string()).or(last);
        match page.next_cursor {
            Some(c) => cursor = Some(c.0),
            None => break,
        }
    }
    let last = last.expect("the server's feed has cards");
    let shown: Vec<String> = serde_json::from_value(app.eval(CARD_IDS).await).expect("card ids");
    assert!(
        shown.contains(&last),
        "the server's last card {last} is mounted at the end: {shown:?}"
    );
    eprintln!(
        "feed of {LISTINGS}: {stops} stops, at most {} cards and {} elements mounted",
        most.0, most.1
    );
    app.stop().await;
}
