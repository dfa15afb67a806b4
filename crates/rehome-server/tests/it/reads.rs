//! Search, closets, likes, the personalised feed and listing pages.

use crate::support::{expect_problem, start};
use rehome_model::api::Session;
use rehome_model::sync::Mutation;
use rehome_model::{Category, FeedPage, ListingCard, ListingId};
use serde_json::Value;
use uuid::Uuid;

async fn all_pages(
    t: &crate::support::TestServer,
    token: Option<&str>,
    path: &str,
) -> Vec<ListingCard> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit=4&cursor={c}"),
            None => format!("{path}{sep}limit=4"),
        };
        let mut req = t.http.get(t.url(&url));
        if let Some(tok) = token {
            req = req.bearer_auth(tok);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        let page: FeedPage<ListingCard> = res.json().await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c.0),
            None => return out,
        }
    }
}

/// A property every result of a search must have (card, listing page).
type Holds = dyn Fn(&ListingCard, &Value) -> bool;

/// Whether the listing page `d` with size label `label` fits a buyer of `size`.
fn fits_size(d: &Value, size: &str, label: &str) -> bool {
    let category = Category::parse(d["category"].as_str().unwrap()).unwrap();
    rehome_model::size::fits(category, &[size], label)
}

async fn detail(t: &crate::support::TestServer, id: ListingId) -> Value {
    t.get_json(&format!("/v1/listings/{id}")).await.1
}

#[tokio::test]
async fn search_filters_each_hold_for_every_result_across_pages() {
    let t = start(true).await;
    let everything = all_pages(&t, None, "/v1/search").await;
    assert_eq!(everything.len(), 60);
    let cases: Vec<(&str, Box<Holds>)> = vec![
        ("category=shoes", Box::new(|_, d| d["category"] == "shoes")),
        (
            "condition=like_new",
            Box::new(|_, d| d["condition"] == "like_new"),
        ),
        ("brand=zara", Box::new(|c, _| c.brand == "Zara")),
        // Sizes match across systems, as the model reads labels: "M" finds
        // W30 trousers too, and bags and scarves (one size) fit everyone.
        ("size=M", Box::new(|c, d| fits_size(d, "M", &c.size))),
        (
            "size=UK+10",
            Box::new(|c, d| fits_size(d, "UK 10", &c.size)),
        ),
        (
            "size=42&category=shoes",
            Box::new(|c, d| d["category"] == "shoes" && fits_size(d, "42", &c.size)),
        ),
        (
            "minPrice=2000&maxPrice=5000",
            Box::new(|c, _| (2000..=5000).contains(&c.price.0)),
        ),
        (
            "q=navy",
            Box::new(|c, d| {
                format!("{} {} {}", c.title, d["description"], d["colour"])
                    .to_lowercase()
                    .contains("navy")
            }),
        ),
        (
            "q=striped+scarf",
            Box::new(|c, d| {
                format!("{} {}", c.title, d["description"]).contains("striped")
                    && format!("{} {}", c.title, d["description"]).contains("scarf")
            }),
        ),
        (
            "category=tops&maxPrice=6000",
            Box::new(|c, d| d["category"] == "tops" && c.price.0 <= 6000),
        ),
    ];
    for (query, holds) in cases {
        let found = all_pages(&t, None, &format!("/v1/search?{query}")).await;
        assert!(!found.is_empty(), "{query} finds something in the demo");
        for card in &found {
            assert!(
                holds(card, &detail(&t, card.id).await),
                "{query}: {}",
                card.title
            );
        }
        // Completeness: nothing that matches is missing.
        let mut expected = 0;
        for card in &everything {
            if holds(card, &detail(&t, card.id).await) {
                expected += 1;
            }
        }
        assert_eq!(found.len(), expected, "{query}");
    }
    // Across systems, by label: a UK 10 buyer finds the M tops, a 42 buyer the
    // EU 42 shoes, and W30 trousers are in a medium.
    for (query, label) in [
        ("size=UK+10&category=tops", "M"),
        ("size=42&category=shoes", "EU 42"),
        ("size=M&category=trousers", "W30"),
    ] {
        let found = all_pages(&t, None, &format!("/v1/search?{query}")).await;
        assert!(!found.is_empty(), "{query}");
        assert!(found.iter().all(|c| c.size == label), "{query}: {found:?}");
    }
    for (query, field) in [
        ("category=hats", "category"),
        ("condition=mint", "condition"),
        ("minPrice=10&maxPrice=5", "minPrice"),
    ] {
        let res = t
            .http
            .get(t.url(&format!("/v1/search?{query}")))
            .send()
            .await
            .unwrap();
        let p = expect_problem(res, 422, "invalid").await;
        assert_eq!(p["field"], field);
    }
    // A cursor from one search does not work for another.
    let (_, page) = t.get_json("/v1/search?category=tops&limit=1").await;
    let c = page["nextCursor"].as_str().unwrap();
    let res = t
        .http
        .get(t.url(&format!("/v1/search?category=shoes&cursor={c}")))
        .send()
        .await
        .unwrap();
    expect_problem(res, 400, "bad_cursor").await;
}

#[tokio::test]
async fn closets_likes_and_listing_pages() {
    let t = start(true).await;
    let res = t
        .sign_in("ana_buys", rehome_server::demo::DEMO_PASSWORD)
        .await;
    let ana: Session = res.json().await.unwrap();
    let feed = all_pages(&t, None, "/v1/feed").await;
    let seller = feed[0].seller.clone();
    let closet = all_pages(&t, None, &format!("/v1/sellers/{}/listings", seller.id)).await;
    assert!(closet.len() >= 7);
    assert!(closet.iter().all(|c| c.seller == seller));
    let res = t
        .http
        .get(t.url("/v1/sellers/00000000-0000-7000-8000-000000000000/listings"))
        .send()
        .await
        .unwrap();
    expect_problem(res, 404, "not_found").await;

    let picks = [feed[3].id, feed[10].id, feed[20].id];
    let likes = picks
        .iter()
        .enumerate()
        .map(|(i, id)| (i as u64 + 1, Mutation::Like { listing_id: *id }))
        .collect();
    t.push(&ana.token, Uuid::from_u128(1), likes).await;
    let liked = all_pages(&t, Some(&ana.token), "/v1/me/likes").await;
    assert_eq!(liked.len(), 3);
    assert!(liked.iter().all(|c| c.like_count == 1));
    t.push(
        &ana.token,
        Uuid::from_u128(1),
        vec![(
            4,
            Mutation::Unlike {
                listing_id: picks[1],
            },
        )],
    )
    .await;
    let liked: Vec<ListingId> = all_pages(&t, Some(&ana.token), "/v1/me/likes")
        .await
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(liked.len(), 2);
    assert!(!liked.contains(&picks[1]));

    let d: Value = t
        .get_authed(&ana.token, &format!("/v1/listings/{}", picks[0]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["liked"], true);
    assert_eq!(d["likeCount"], 1);
    assert!(!d["photos"].as_array().unwrap().is_empty());
    let anon = detail(&t, picks[0]).await;
    assert_eq!(anon["liked"], false);
    for path in [
        "/v1/listings/nope",
        "/v1/listings/00000000-0000-7000-8000-000000000000",
    ] {
        expect_problem(
            t.http.get(t.url(path)).send().await.unwrap(),
            404,
            "not_found",
        )
        .await;
    }
    // Someone else's draft is invisible; the owner sees it.
    let (seller_token, _) = t.sign_up("drafter").await;
    let draft = crate::sync::listing_id(77);
    t.push(
        &seller_token,
        Uuid::from_u128(1),
        vec![(1, crate::sync::create(draft, "Secret", 1000))],
    )
    .await;
    expect_problem(
        t.get_authed(&ana.token, &format!("/v1/listings/{draft}"))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        t.get_authed(&seller_token, &format!("/v1/listings/{draft}"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_feed_is_personalised_by_follows_liked_brands_and_sizes() {
    let t = start(true).await;
    let anon = all_pages(&t, None, "/v1/feed").await;
    let (token, _) = t.sign_up("picky").await;
    // Signed-in feed with no follows, likes or matching sizes beyond "M".
    let followed = anon[anon.len() - 1].seller.clone();
    t.push(
        &token,
        Uuid::from_u128(1),
        vec![(
            1,
            Mutation::Follow {
                seller_id: followed.id,
            },
        )],
    )
    .await;
    let mine = all_pages(&t, Some(&token), "/v1/feed").await;
    assert_eq!(mine.len(), anon.len());
    let n = anon.iter().filter(|c| c.seller.id == followed.id).count();
    assert!(n > 0);
    assert!(
        mine[..n].iter().all(|c| c.seller.id == followed.id),
        "followed seller first"
    );
    // Items in size "M" (letters, or a W30 waist) rank above the rest (all
    // within 47 h of each other); bags and one-size items gain nothing.
    let rest = &mine[n..];
    let mut in_size = Vec::new();
    for c in rest {
        let d = detail(&t, c.id).await;
        let category = Category::parse(d["category"].as_str().unwrap()).unwrap();
        in_size.push(
            rehome_model::size::is_sized(category)
                && fits_size(&d, "M", &c.size)
                && !c.size.eq_ignore_ascii_case("one size"),
        );
    }
    let first_other = in_size.iter().position(|m| !m).unwrap_or(rest.len());
    assert!(first_other > 0, "some items are in size M");
    assert!(
        in_size[first_other..].iter().all(|m| !m),
        "size matches come first: {:?}",
        rest.iter().map(|c| &c.size).collect::<Vec<_>>()
    );
    assert!(
        rest[..first_other].iter().any(|c| c.size == "W30"),
        "a W30 waist counts as M"
    );
    // A cursor is bound to its viewer.
    let (_, page) = t.get_json("/v1/feed?limit=2").await;
    let c = page["nextCursor"].as_str().unwrap();
    expect_problem(
        t.get_authed(&token, &format!("/v1/feed?cursor={c}")).await,
        400,
        "bad_cursor",
    )
    .await;
    // Liking a brand lifts that brand.
    let (token2, _) = t.sign_up("brandy").await;
    t.push(
        &token2,
        Uuid::from_u128(1),
        vec![(
            1,
            Mutation::Like {
                listing_id: anon[59].id,
            },
        )],
    )
    .await;
    let brand = anon[59].brand.clone();
    let feed2 = all_pages(&t, Some(&token2), "/v1/feed").await;
    let top: Vec<&ListingCard> = feed2.iter().take_while(|c| c.brand == brand).collect();
    assert!(!top.is_empty() && feed2[0].brand == brand);
}
