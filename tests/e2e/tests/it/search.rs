//! Search in the real window at 390×844 and 1280×800: with My size on (the
//! buyer's sizes typed on the Me tab on the phone, set through the CLI on the
//! desktop) the results are the server's for those sizes; one tap turns it
//! off; a category chip, a sort and typed text each start the results over,
//! always in the server's order. The search run is one tap away on the
//! screen opened again, and gone once cleared.

use crate::buyer::signed_in_buyer;
use rehome_e2e::AppSession;
use rehome_model::FeedPage;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// The first ids of the server's own search (anonymous, so sizes are given).
fn server_ids(app: &AppSession, query: &str) -> Vec<String> {
    let page: FeedPage = app.server.get_json(&format!("/v1/search?{query}&limit=8"));
    page.items.iter().map(|c| c.id.to_string()).collect()
}

/// Waits until the search screen's first cards are `want`, in order.
async fn wait_for_results(app: &AppSession, what: &str, want: &[String]) {
    let want_json = serde_json::to_string(want).expect("ids");
    app.wait_for(
        what,
        &format!(
            "const ids = Array.from(document.querySelectorAll('[data-screen=search] article.card'))
                 .map(c => c.dataset.listing).slice(0, {n});
             const none = !!document.querySelector('[data-screen=search] .search-none');
             return JSON.stringify(ids) === JSON.stringify({want_json}) && (ids.length > 0 || none)",
            n = want.len()
        ),
        WAIT,
    )
    .await;
}

/// `sizes_in_me`: the buyer types their sizes on the Me tab (else the CLI sets them).
async fn check(width: u32, height: u32, name: &str, sizes_in_me: bool) {
    let (app, _keyring) = signed_in_buyer(width, height, &format!("e2e_search_{name}")).await;
    if sizes_in_me {
        // Typed on the Me tab, saved on the account.
        app.click("button[data-tab=me]").await;
        app.wait_for(
            "the sizes field",
            "return !!document.querySelector('[data-setting=sizes] #my-sizes')",
            WAIT,
        )
        .await;
        app.type_into("#my-sizes", "M").await;
        app.click("[data-action=save-sizes]").await;
        app.wait_for(
            "the sizes saved",
            "return document.querySelector('#my-sizes')?.dataset.saved === 'M'",
            WAIT,
        )
        .await;
        let kept = app.rehome(&["profile", "sizes", "--json"]);
        assert_eq!(kept["sizes"], serde_json::json!(["M"]), "{kept}");
        app.click("button[data-tab=feed]").await;
    } else {
        app.rehome(&["profile", "sizes", "M", "--json"]);
    }
    let mine = server_ids(&app, "size=M&sort=newest");
    let all = server_ids(&app, "sort=newest");
    assert!(
        !mine.is_empty() && mine != all,
        "the demo data has items in M and others: {mine:?} / {all:?}"
    );

    app.click("[data-action=open-search]").await;
    app.wait_for(
        "the search screen, My size on",
        "return document.querySelector('[data-screen=search] [data-chip=my-size]')?.getAttribute('aria-pressed') === 'true'",
        WAIT,
    )
    .await;
    wait_for_results(&app, "results in my size", &mine).await;
    app.screenshot(&format!("search-{name}")).await;

    app.click("[data-screen=search] [data-chip=my-size]").await;
    wait_for_results(&app, "every size", &all).await;

    // The filters fold open.
    app.click("[data-screen=search] [data-action=filters]")
        .await;
    app.click("[data-screen=search] [data-chip=category][data-value=shoes]")
        .await;
    wait_for_results(
        &app,
        "shoes",
        &server_ids(&app, "category=shoes&sort=newest"),
    )
    .await;
    app.click("[data-screen=search] [data-chip=sort][data-value=price_asc]")
        .await;
    let cheapest_shoes = server_ids(&app, "category=shoes&sort=price_asc");
    wait_for_results(&app, "the cheapest shoes first", &cheapest_shoes).await;

    // Text: a brand of one of those shoes.
    let first: FeedPage = app
        .server
        .get_json("/v1/search?category=shoes&sort=price_asc&limit=1");
    let brand = first.items[0].brand.clone();
    app.type_into("#search-q", &brand).await;
    app.click("[data-screen=search] [data-action=search]").await;
    let q: String = brand
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let of_brand = server_ids(&app, &format!("q={q}&category=shoes&sort=price_asc"));
    wait_for_results(&app, "shoes of that brand", &of_brand).await;
    recent_searches(&app, &brand, &of_brand).await;
    app.stop().await;
}

/// The search just run is one tap away on a search screen opened afresh;
/// the tap runs it again as it was; cleared, the recent ones are gone.
async fn recent_searches(app: &AppSession, brand: &str, of_brand: &[String]) {
    let search_screen = "[data-screen=search]";
    app.click(&format!("{search_screen} [data-action=back]"))
        .await;
    app.wait_for(
        "the search screen closed",
        &format!("return !document.querySelector('{search_screen}')"),
        WAIT,
    )
    .await;
    app.click("[data-action=open-search]").await;
    let brand_json = serde_json::to_string(brand).expect("brand");
    app.wait_for(
        "the brand search first among the recent ones",
        &format!(
            "const first = document.querySelector('{search_screen} [data-recent]');
             return !!first && first.textContent.includes({brand_json})
                 && document.querySelector('#search-q').value === ''"
        ),
        WAIT,
    )
    .await;
    app.click(&format!("{search_screen} [data-recent]")).await;
    wait_for_results(app, "the recent search run again", of_brand).await;
    let typed = app
        .eval("return document.querySelector('#search-q').value")
        .await;
    assert_eq!(
        typed,
        serde_json::json!(brand),
        "its words back in the field"
    );
    let shoes = app
        .eval(&format!(
            "return document.querySelector('{search_screen} [data-chip=category][data-value=shoes]').getAttribute('aria-pressed')"
        ))
        .await;
    assert_eq!(shoes, serde_json::json!("true"), "its filters back on");

    // Cleared: once nothing is typed, no recent row comes back.
    app.click(&format!("{search_screen} [data-action=back]"))
        .await;
    app.click("[data-action=open-search]").await;
    app.wait_for(
        "the recent searches again",
        &format!(
            "return !!document.querySelector('{search_screen} [data-action=forget-searches]')"
        ),
        WAIT,
    )
    .await;
    app.click(&format!("{search_screen} [data-action=forget-searches]"))
        .await;
    app.wait_for(
        "the recent searches cleared",
        &format!("return !document.querySelector('{search_screen} [data-recent]')"),
        WAIT,
    )
    .await;
    let file = std::fs::read_to_string(app.data_dir().join("recent_searches.json"))
        .expect("the recent searches file");
    assert_eq!(file.trim(), "[]", "cleared on the device too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyer_phone_searches_with_chips_sort_text_and_my_size() {
    check(390, 844, "phone", true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyer_desktop_searches_with_chips_sort_text_and_my_size() {
    check(1280, 800, "desktop", false).await;
}
