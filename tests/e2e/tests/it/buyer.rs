//! The buyer's screens in the real window, against the real server, signed
//! in (through the CLI, on the app's folder and a private keychain):
//!
//! 1. At 390×844 and 1280×800: open a card from the feed (its page shows the
//!    full photos, the price and the seller's card), like it (the heart
//!    changes at once), come back to the feed where it was, see the like in
//!    the Likes tab, follow the seller, open their closet. The server ends
//!    with the like and the follow. The feed's Following chip then shows
//!    that seller's listings alone, a long press says why a card is there,
//!    and For You comes back where it was left.
//! 2. Offline: with the server stopped, like a card and follow its seller;
//!    restart the app, start the server: the server has each once.

use crate::sync::sign_up_with_the_cli;
use rehome_e2e::{AppSession, PrivateKeyring, Server};
use rehome_model::FeedPage;
use rehome_model::api::{ClosetPage, ListingDetail, SellerSummary};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

fn exists(css: &str) -> String {
    format!("return !!document.querySelector({css:?})")
}

/// The server's count of likes of `listing` and followers of `seller`.
fn server_counts(app: &AppSession, listing: &str, seller: &str) -> (u32, u32) {
    let detail: ListingDetail = app.server.get_json(&format!("/v1/listings/{listing}"));
    let summary: SellerSummary = app.server.get_json(&format!("/v1/sellers/{seller}"));
    (detail.like_count, summary.followers)
}

/// Polls the server until its counts are `want` (the app syncs on its own).
async fn wait_for_server_counts(app: &AppSession, listing: &str, seller: &str, want: (u32, u32)) {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = server_counts(app, listing, seller);
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server's (likes, followers) are {got:?}; wanted {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A signed-in buyer's app (and its keychain) with the feed's first cards on
/// screen.
pub(crate) async fn signed_in_buyer(
    width: u32,
    height: u32,
    handle: &str,
) -> (AppSession, PrivateKeyring) {
    let keyring = PrivateKeyring::start();
    // SAFETY: E2E tests run one per process (nextest), and nothing has
    // started a thread that reads the environment yet.
    unsafe { keyring.set_in_this_process() };
    let app = AppSession::start(width, height).await;
    sign_up_with_the_cli(&app, handle);
    app.wait_for(
        "the first cards",
        "return document.querySelectorAll('[data-page=feed] article.card').length >= 4",
        WAIT,
    )
    .await;
    (app, keyring)
}

async fn check(width: u32, height: u32, name: &str) {
    let (app, _keyring) = signed_in_buyer(width, height, &format!("e2e_buyer_{name}")).await;
    let feed: FeedPage = app.server.get_json("/v1/feed?limit=48");
    // A card a little way down, so coming back can show the feed kept its place.
    let card = &feed.items[4];
    let (id, seller) = (card.id.to_string(), card.seller.handle.clone());
    let before = server_counts(&app, &id, &seller);

    let scrolled = app
        .eval(
            "const page = document.querySelector('[data-page=feed]');
             page.scrollTo(0, 120); return page.scrollTop",
        )
        .await
        .as_f64()
        .unwrap_or(0.0);
    assert!(scrolled > 0.0, "the feed scrolls");
    app.wait_for(
        "the card to be mounted",
        &exists(&format!(
            "[data-page=feed] article.card[data-listing='{id}']"
        )),
        WAIT,
    )
    .await;
    app.click(&format!(
        "[data-page=feed] article.card[data-listing='{id}'] img"
    ))
    .await;

    // The listing page: full photos stacked, price, facts, the seller card.
    let page = format!("[data-screen=listing] article.listing[data-listing='{id}']");
    app.wait_for("the listing page", &exists(&page), WAIT).await;
    // Where the feed is, under the page (the click may have scrolled it).
    let scrolled = app
        .eval("return document.querySelector('[data-page=feed]').scrollTop")
        .await
        .as_f64()
        .unwrap_or(-1.0);
    let shown = app
        .eval(&format!(
            "const p = document.querySelector(\"{page}\");
             return {{ price: p.querySelector('.listing-price').textContent,
                      photos: Array.from(p.querySelectorAll('.listing-photo img')).map(i => i.src),
                      seller: p.querySelector('.seller-card').dataset.seller,
                      size: p.querySelector('[data-fact=size]')?.textContent ?? '' }}"
        ))
        .await;
    assert!(
        shown["price"]
            .as_str()
            .is_some_and(|p| p.starts_with(&card.price.to_string())),
        "the page shows the price {}: {shown}",
        card.price
    );
    assert_eq!(shown["seller"].as_str(), Some(seller.as_str()), "{shown}");
    assert_eq!(shown["size"].as_str(), Some(card.size.as_str()), "{shown}");
    let photos: Vec<String> = serde_json::from_value(shown["photos"].clone()).expect("photos");
    assert!(!photos.is_empty(), "the page shows the photos: {shown}");
    assert!(
        photos.iter().all(|src| src.contains(".full")),
        "the listing page shows full photos: {photos:?}"
    );
    app.wait_for(
        "the first full photo to load",
        &format!(
            "const i = document.querySelector(\"{page} .listing-photo img\");
             return i.complete && i.naturalWidth > 0"
        ),
        WAIT,
    )
    .await;
    app.screenshot(&format!("listing-{name}")).await;

    // Like: the heart changes at once, before the core or the server answer
    // (the UI may paint it a frame later, so it is read after two frames).
    let like = format!("{page} .listing-head [data-action=like]");
    let pressed = app
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 const b = document.querySelector(\"{like}\");
                 const was = b.getAttribute('aria-pressed');
                 b.click();
                 requestAnimationFrame(() => requestAnimationFrame(() =>
                     done([was, b.getAttribute('aria-pressed')])));"
            ),
            vec![],
        )
        .await
        .expect("the like's script");
    assert_eq!(
        pressed,
        serde_json::json!(["false", "true"]),
        "optimistic like"
    );

    // Back: the feed where it was, its card's heart filled too.
    app.click("[data-screen=listing] [data-action=back]").await;
    app.wait_for(
        "the listing page to close",
        "return !document.querySelector('[data-screen]')",
        WAIT,
    )
    .await;
    let (top, heart) = {
        let v = app
            .eval(&format!(
                "return [document.querySelector('[data-page=feed]').scrollTop,
                         document.querySelector(\"[data-page=feed] article.card[data-listing='{id}'] [data-action=like]\")?.getAttribute('aria-pressed')]"
            ))
            .await;
        (v[0].as_f64().unwrap_or(-1.0), v[1].clone())
    };
    assert_eq!(top, scrolled, "the feed kept its place");
    assert_eq!(heart, "true", "the card shows the like");

    // The Likes tab lists it.
    app.click("button[data-tab=likes]").await;
    let row = format!("[data-page=likes] .like-row[data-listing='{id}']");
    app.wait_for("the like in the Likes tab", &exists(&row), WAIT)
        .await;
    wait_for_server_counts(&app, &id, &seller, (before.0 + 1, before.1)).await;

    // From the Likes tab: the page again, then follow the seller, then
    // their closet (which shows the follow, and their listings).
    app.click(&format!("{row} [data-action=open-listing]"))
        .await;
    app.wait_for("the listing page", &exists(&page), WAIT).await;
    let card_sel = format!("{page} .seller-card");
    app.click(&format!("{card_sel} [data-action=follow]")).await;
    app.wait_for(
        "the follow to show",
        &format!("return document.querySelector(\"{card_sel}\").dataset.following === 'true'"),
        Duration::from_secs(5),
    )
    .await;
    app.click(&format!("{card_sel} [data-action=open-closet]"))
        .await;
    let closet = format!("[data-screen=closet] [data-closet='{seller}']");
    app.wait_for(
        "the closet with its cards and the follow",
        &format!(
            "const c = document.querySelector(\"{closet}\");
             return c && c.querySelector('.seller-card')?.dataset.following === 'true'
                 && c.querySelectorAll('article.card').length > 0"
        ),
        WAIT,
    )
    .await;
    app.screenshot(&format!("closet-{name}")).await;
    wait_for_server_counts(&app, &id, &seller, (before.0 + 1, before.1 + 1)).await;

    // Esc closes the closet; back closes the listing: the Likes tab again.
    app.eval("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})); return true")
        .await;
    app.wait_for(
        "one screen left",
        "return document.querySelectorAll('[data-screen]').length === 1",
        WAIT,
    )
    .await;
    app.click("[data-screen=listing] [data-action=back]").await;
    app.wait_for(
        "the Likes tab",
        "return !document.querySelector('[data-screen]') && !document.querySelector('[data-page=likes]').hidden",
        WAIT,
    )
    .await;
    following_feed(&app, &seller, name).await;
    app.stop().await;
}

/// Clicks the element `css` where it is on the screen, scrolling nothing.
async fn tap_in_place(app: &AppSession, css: &str) {
    let found = app
        .eval(&format!(
            "const el = document.querySelector('{css}'); if (el) el.click(); return !!el"
        ))
        .await;
    assert_eq!(found, serde_json::json!(true), "no element {css}");
}

/// The feed's Following chip shows only the followed `seller`'s listings, a
/// long press on one says it is there for the follow, and For You comes back
/// where it was left.
async fn following_feed(app: &AppSession, seller: &str, name: &str) {
    let closet: ClosetPage = app
        .server
        .get_json(&format!("/v1/sellers/{seller}/listings?limit=100"));
    assert!(closet.next_cursor.is_none(), "one page holds the closet");
    let theirs: Vec<String> = closet.items.iter().map(|c| c.id.to_string()).collect();
    app.click("button[data-tab=feed]").await;
    let for_you_top = app
        .eval(
            "const page = document.querySelector('[data-page=feed]');
             page.scrollTo(0, 200); return page.scrollTop",
        )
        .await
        .as_f64()
        .unwrap_or(0.0);
    assert!(for_you_top > 0.0, "the feed scrolls");
    // A tap on a chip of the bar that stays at the top. (WebDriver's click
    // first scrolls the element to its place in the flow, which a finger
    // never does, and would move the scroll under test.)
    tap_in_place(app, "[data-feed=following]").await;
    let shown = app
        .wait_for(
            "the Following feed's cards",
            "const chip = document.querySelector('[data-feed=following]');
             const ids = Array.from(document.querySelectorAll('[data-page=feed] article.card'))
                 .map(c => c.dataset.listing);
             return chip.getAttribute('aria-pressed') === 'true' && ids.length > 0
                 && document.querySelector('[data-page=feed] .feed-end') ? ids : null",
            WAIT,
        )
        .await;
    let shown: Vec<String> = serde_json::from_value(shown).expect("card ids");
    assert!(
        shown.iter().all(|id| theirs.contains(id)),
        "Following shows only {seller}'s listings: {shown:?}, theirs {theirs:?}"
    );
    assert_eq!(shown.len(), theirs.len(), "every one of them: {shown:?}");
    app.screenshot(&format!("following-{name}")).await;

    // A long press (contextmenu) says why; Esc closes the sheet only.
    let first = &shown[0];
    app.eval(&format!(
        "document.querySelector(\"[data-page=feed] article.card[data-listing='{first}']\")
             .dispatchEvent(new MouseEvent('contextmenu', {{bubbles: true, cancelable: true}}));
         return true"
    ))
    .await;
    let reasons = app
        .wait_for(
            "the why sheet",
            &format!(
                "const w = document.querySelector(\"[data-why='{first}']\");
                 return w && w.contains(document.activeElement)
                     ? Array.from(w.querySelectorAll('[data-reason]')).map(r => r.dataset.reason) : null"
            ),
            WAIT,
        )
        .await;
    assert_eq!(reasons[0], "followed_seller", "{reasons}");
    app.eval(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})); return true",
    )
    .await;
    app.wait_for(
        "the why sheet to close, the feed still there",
        "return !document.querySelector('[data-why]') && !document.querySelector('[data-page=feed]').hidden",
        WAIT,
    )
    .await;

    // For You again, scrolled where it was left.
    tap_in_place(app, "[data-feed=for_you]").await;
    app.wait_for(
        "For You where it was left",
        &format!(
            "const p = document.querySelector('[data-page=feed]');
             return document.querySelector('[data-feed=for_you]').getAttribute('aria-pressed') === 'true'
                 && Math.abs(p.scrollTop - {for_you_top}) < 1"
        ),
        WAIT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyer_phone_opens_a_card_likes_it_follows_the_seller_and_opens_the_closet() {
    check(390, 844, "phone").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyer_desktop_opens_a_card_likes_it_follows_the_seller_and_opens_the_closet() {
    check(1280, 800, "desktop").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyer_likes_and_follows_made_offline_reach_the_server_once_after_a_restart() {
    let (mut app, _keyring) = signed_in_buyer(390, 844, "e2e_buyer_offline").await;
    let feed: FeedPage = app.server.get_json("/v1/feed?limit=12");
    let card = &feed.items[0];
    let (id, seller) = (card.id.to_string(), card.seller.handle.clone());
    let before = server_counts(&app, &id, &seller);

    // Seen once online: its page (and seller card) is on the device.
    let feed_card = format!("[data-page=feed] article.card[data-listing='{id}']");
    app.click(&format!("{feed_card} img")).await;
    let page = format!("[data-screen=listing] article.listing[data-listing='{id}']");
    app.wait_for("the listing page", &exists(&page), WAIT).await;
    app.click("[data-screen=listing] [data-action=back]").await;

    // The server stops. Like from the card's heart; follow from the page,
    // read from the device's copy.
    let listen = app.server.url.trim_start_matches("http://").to_owned();
    app.server.process.terminate();
    app.click(&format!("{feed_card} [data-action=like]")).await;
    app.wait_for(
        "the card's heart",
        &format!(
            "return document.querySelector(\"{feed_card} [data-action=like]\").getAttribute('aria-pressed') === 'true'"
        ),
        Duration::from_secs(5),
    )
    .await;
    app.click(&format!("{feed_card} img")).await;
    app.wait_for(
        "the page from the device's copy",
        &exists(&format!("{page} [data-offline]")),
        WAIT,
    )
    .await;
    app.click(&format!("{page} .seller-card [data-action=follow]"))
        .await;
    app.wait_for(
        "the follow to show",
        &format!(
            "return document.querySelector(\"{page} .seller-card\").dataset.following === 'true'"
        ),
        Duration::from_secs(5),
    )
    .await;
    // Neither was refused (a refusal takes the tap back and says so).
    app.wait_for(
        "the like and follow kept",
        "return !document.querySelector('.toast[role=alert]')",
        Duration::from_secs(5),
    )
    .await;

    // The app closes and opens again while the server is down, then the
    // server comes back on its port and data: the queued like and follow go
    // out, each once.
    app.restart(390, 844).await;
    app.server = Server::start_demo_on(&app.home.path().join("server"), &listen);
    wait_for_server_counts(&app, &id, &seller, (before.0 + 1, before.1 + 1)).await;
    app.wait_for(
        "the sync to be up to date",
        "return document.querySelector('[data-sync]')?.dataset.sync === 'up_to_date'",
        WAIT,
    )
    .await;
    assert_eq!(
        server_counts(&app, &id, &seller),
        (before.0 + 1, before.1 + 1),
        "one like and one follow on the server"
    );
    app.stop().await;
}
