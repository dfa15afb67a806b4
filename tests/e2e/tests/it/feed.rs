//! The feed shows the server's listings with their photos, at phone and desktop
//! widths, and loads the next page as the buyer scrolls.

use rehome_e2e::AppSession;
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

    // The first page renders, in the server's order.
    app.wait_for(
        "the first page of cards",
        "return document.querySelectorAll('article.card').length >= 12",
        WAIT,
    )
    .await;
    let shown: Vec<String> = serde_json::from_value(app.eval(CARD_IDS).await).expect("card ids");
    assert_eq!(
        &shown[..12],
        &expected[..],
        "cards in the server's feed order"
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

    // Their photos load through the app's photo scheme (natural width > 0).
    app.wait_for(
        "the first cards' photos to load",
        "const imgs = Array.from(document.querySelectorAll('article.card img.card-photo')).slice(0, 3);
         return imgs.length === 3 && imgs.every(i => i.complete && i.naturalWidth > 0)",
        WAIT,
    )
    .await;
    let src = app
        .eval("return document.querySelector('img.card-photo').currentSrc")
        .await;
    assert!(
        src.as_str().is_some_and(|s| s.starts_with("rehome-photo:") || s.contains("rehome-photo.localhost")),
        "photos come from the app's scheme, not the server: {src}"
    );

    // The frame fits the width: a bottom bar on phones, a sidebar on desktops.
    let nav = app
        .eval(
            "const r = document.querySelector('nav.tabs').getBoundingClientRect();
             return { left: r.left, bottom: r.bottom, width: r.width, height: r.height,
                      vw: window.innerWidth, vh: window.innerHeight }",
        )
        .await;
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

    // Scrolling to the end loads the next page.
    app.eval("document.querySelector('[data-page=feed]').scrollTo(0, 1e9)")
        .await;
    app.wait_for(
        "the second page after scrolling",
        "return document.querySelectorAll('article.card').length > 12",
        WAIT,
    )
    .await;
    let shown: Vec<String> = serde_json::from_value(app.eval(CARD_IDS).await).expect("card ids");
    let mut unique = shown.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), shown.len(), "no card shown twice");

    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_feed_shows_listings_with_photos_and_pages_on_scroll() {
    check(Viewport {
        name: "phone",
        width: 390,
        height: 844,
        sidebar: false,
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
    })
    .await;
}
