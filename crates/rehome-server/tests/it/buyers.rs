//! What buyers need from the server: the seller card and closets by handle,
//! likes with their price then and their status now, the seen signal, the
//! Following feed, sorted search, and a large demo catalogue.

use crate::support::{TestServer, config, expect_problem, start, start_with};
use rehome_model::api::{ClosetPage, LikedListing, SellerSummary, Session};
use rehome_model::sync::{ListingStatus, Mutation};
use rehome_model::{FeedPage, ListingCard, ListingId, Money};
use serde_json::{Value, json};
use uuid::Uuid;

/// Every item of a list, following cursors (pages of `limit`).
async fn pages<T: serde::de::DeserializeOwned>(
    t: &TestServer,
    token: Option<&str>,
    path: &str,
    limit: u32,
) -> Vec<T> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            None => format!("{path}{sep}limit={limit}"),
        };
        let mut req = t.http.get(t.url(&url));
        if let Some(tok) = token {
            req = req.bearer_auth(tok);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        let page: FeedPage<T> = res.json().await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c.0),
            None => return out,
        }
        assert!(out.len() < 100_000, "paging does not end");
    }
}

async fn demo_sign_in(t: &TestServer, handle: &str) -> Session {
    t.sign_in(handle, rehome_server::demo::DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap()
}

async fn seller_card(t: &TestServer, token: Option<&str>, key: &str) -> SellerSummary {
    let mut req = t.http.get(t.url(&format!("/v1/sellers/{key}")));
    if let Some(tok) = token {
        req = req.bearer_auth(tok);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "seller {key}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn seller_cards_and_closets_by_handle_or_id_with_counts() {
    let t = start(true).await;
    let vera = demo_sign_in(&t, "vintage_vera").await;
    let ana = demo_sign_in(&t, "ana_buys").await;
    let by_handle = seller_card(&t, None, "vintage_vera").await;
    let by_id = seller_card(&t, None, &vera.user_id.to_string()).await;
    assert_eq!(by_handle, by_id);
    let closet: Vec<ListingCard> = pages(&t, None, "/v1/sellers/vintage_vera/listings", 3).await;
    assert_eq!(
        (
            by_handle.handle.as_str(),
            by_handle.live_listings as usize,
            by_handle.sold,
            by_handle.followers,
            by_handle.followed
        ),
        ("vintage_vera", closet.len(), 0, 0, false)
    );
    assert!(closet.iter().all(|c| c.seller.id == vera.user_id));

    // Ana follows Vera; Vera sells one listing.
    t.push(
        &ana.token,
        Uuid::from_u128(1),
        vec![(
            1,
            Mutation::Follow {
                seller_id: vera.user_id,
            },
        )],
    )
    .await;
    t.push(
        &vera.token,
        Uuid::from_u128(2),
        vec![(
            1,
            Mutation::MarkSold {
                listing_id: closet[0].id,
            },
        )],
    )
    .await;
    let seen_by_ana = seller_card(&t, Some(&ana.token), "vintage_vera").await;
    assert_eq!(
        (
            seen_by_ana.live_listings as usize,
            seen_by_ana.sold,
            seen_by_ana.followers,
            seen_by_ana.followed
        ),
        (closet.len() - 1, 1, 1, true)
    );
    assert!(!seller_card(&t, None, "vintage_vera").await.followed);
    // The closet's every page carries the card; the listing page too.
    let page: ClosetPage = t
        .get_authed(&ana.token, "/v1/sellers/vintage_vera/listings?limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((page.seller, page.items.len()), (seen_by_ana.clone(), 2));
    let detail: Value = t
        .get_authed(&ana.token, &format!("/v1/listings/{}", closet[1].id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["seller"],
        serde_json::to_value(&seen_by_ana).unwrap()
    );

    for path in [
        "/v1/sellers/nobody_here",
        "/v1/sellers/nobody_here/listings",
        "/v1/sellers/00000000-0000-7000-8000-000000000000",
        "/v1/sellers/Not%20A%20Handle/listings",
    ] {
        let p = expect_problem(
            t.http.get(t.url(path)).send().await.unwrap(),
            404,
            "not_found",
        )
        .await;
        assert_eq!(p["field"], "seller", "{path}");
    }
}

#[tokio::test]
async fn likes_carry_the_price_then_and_the_status_now() {
    let t = start(true).await;
    let vera = demo_sign_in(&t, "vintage_vera").await;
    let (buyer, _) = t.sign_up("likes_buyer").await;
    let closet: Vec<ListingCard> = pages(&t, None, "/v1/sellers/vintage_vera/listings", 20).await;
    let (a, b, c) = (&closet[0], &closet[1], &closet[2]);
    let likes = [a, b, c]
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, Mutation::Like { listing_id: l.id }))
        .collect();
    t.push(&buyer, Uuid::from_u128(1), likes).await;
    // A drops in price, B sells, then a new like of B is refused as not_found.
    let cheaper = Money(a.price.0 - 300);
    t.push(
        &vera.token,
        Uuid::from_u128(2),
        vec![
            (
                1,
                Mutation::SetPrice {
                    listing_id: a.id,
                    price: cheaper,
                    base_version: 0,
                },
            ),
            (2, Mutation::MarkSold { listing_id: b.id }),
        ],
    )
    .await;
    let liked: Vec<LikedListing> = pages(&t, Some(&buyer), "/v1/me/likes", 2).await;
    let view: Vec<(ListingId, i64, i64, Option<i64>, ListingStatus)> = liked
        .iter()
        .map(|l| {
            (
                l.card.id,
                l.card.price.0,
                l.price_at_like.0,
                l.price_drop().map(|m| m.0),
                l.status,
            )
        })
        .collect();
    assert_eq!(
        view,
        vec![
            (c.id, c.price.0, c.price.0, None, ListingStatus::Live),
            (b.id, b.price.0, b.price.0, None, ListingStatus::Sold),
            (a.id, cheaper.0, a.price.0, Some(300), ListingStatus::Live),
        ],
        "latest like first"
    );
    assert!(liked.windows(2).all(|w| w[0].liked_at >= w[1].liked_at));

    let (late, _) = t.sign_up("late_buyer").await;
    let res = t
        .push(
            &late,
            Uuid::from_u128(3),
            vec![
                (1, Mutation::Like { listing_id: b.id }),
                (
                    2,
                    Mutation::Like {
                        listing_id: crate::sync::listing_id(201),
                    },
                ),
                (3, Mutation::Like { listing_id: a.id }),
            ],
        )
        .await;
    assert_eq!(
        crate::sync::outcome_codes(&res),
        ["not_found:listingId", "not_found:listingId", "applied"]
    );
    let late_likes: Vec<LikedListing> = pages(&t, Some(&late), "/v1/me/likes", 5).await;
    assert_eq!(
        late_likes
            .iter()
            .map(|l| (l.card.id, l.price_at_like))
            .collect::<Vec<_>>(),
        [(a.id, cheaper)]
    );
}

#[tokio::test]
async fn seen_listings_fall_below_unseen_ones_in_for_you() {
    let t = start(true).await;
    let (buyer, _) = t.sign_up("seen_buyer").await;
    let before: Vec<ListingCard> = pages(&t, Some(&buyer), "/v1/feed", 25).await;
    let first: Vec<ListingId> = before.iter().take(5).map(|c| c.id).collect();
    let res = t
        .post_json(Some(&buyer), "/v1/me/seen", &json!({"listingIds": first}))
        .await;
    assert_eq!(res.status(), 204);
    // Again (repeats are fine), with an id of nothing.
    let again = json!({"listingIds": [first[0], crate::sync::listing_id(9)]});
    assert_eq!(
        t.post_json(Some(&buyer), "/v1/me/seen", &again)
            .await
            .status(),
        204
    );
    let after: Vec<ListingCard> = pages(&t, Some(&buyer), "/v1/feed", 25).await;
    assert_eq!(after.len(), before.len(), "nothing dropped");
    let tail: Vec<ListingId> = after[after.len() - 5..].iter().map(|c| c.id).collect();
    let mut want = first.clone();
    want.sort_by_key(|id| before.iter().position(|c| c.id == *id));
    assert_eq!(tail, want, "the seen ones last, in their old order");
    // Another buyer's feed (same sizes, nothing seen) is not touched.
    let (other, _) = t.sign_up("other_buyer").await;
    let theirs: Vec<ListingCard> = pages(&t, Some(&other), "/v1/feed", 25).await;
    assert_eq!(theirs, before);

    // Bad batches name the field.
    let many: Vec<ListingId> = (0..=rehome_model::api::SEEN_BATCH_MAX)
        .map(|i| crate::sync::listing_id(i as u8))
        .collect();
    for (body, status, field) in [
        (json!({"listingIds": []}), 422, "listingIds"),
        (json!({"listingIds": many}), 422, "listingIds"),
        (json!({"listingIds": ["nope"]}), 422, "listingIds[0]"),
        (json!({"ids": []}), 422, "ids"),
    ] {
        let res = t.post_json(Some(&buyer), "/v1/me/seen", &body).await;
        assert_eq!(res.status().as_u16(), status, "{body}");
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["field"], field, "{body}: {p}");
    }
    let res = t
        .post_json(None, "/v1/me/seen", &json!({"listingIds": first}))
        .await;
    expect_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_cursor_keeps_its_order_while_the_buyer_taps() {
    let t = start(true).await;
    let (buyer, _) = t.sign_up("tapping_buyer").await;
    let all: Vec<ListingCard> = pages(&t, Some(&buyer), "/v1/feed", 100).await;
    // Page through in 6s, marking each page seen and following the seller
    // of its first card before asking for the next.
    let mut got = Vec::new();
    let mut cursor: Option<String> = None;
    let mut n = 0;
    loop {
        let url = match &cursor {
            Some(c) => format!("/v1/feed?limit=6&cursor={c}"),
            None => "/v1/feed?limit=6".to_owned(),
        };
        let page: FeedPage<ListingCard> = t.get_authed(&buyer, &url).await.json().await.unwrap();
        let ids: Vec<ListingId> = page.items.iter().map(|c| c.id).collect();
        if let Some(c) = page.items.first() {
            n += 1;
            t.post_json(Some(&buyer), "/v1/me/seen", &json!({"listingIds": ids}))
                .await;
            t.push(
                &buyer,
                Uuid::from_u128(1),
                vec![(
                    n,
                    Mutation::Follow {
                        seller_id: c.seller.id,
                    },
                )],
            )
            .await;
        }
        got.extend(ids);
        match page.next_cursor {
            Some(c) => cursor = Some(c.0),
            None => break,
        }
    }
    assert_eq!(
        got,
        all.iter().map(|c| c.id).collect::<Vec<_>>(),
        "the order the first page promised"
    );
}

#[tokio::test]
async fn for_you_says_why_each_card_is_there() {
    use rehome_model::feed::FeedReason;
    let t = start(true).await;
    let (buyer, _) = t.sign_up("curious_buyer").await;
    let kai = seller_card(&t, None, "closet_kai").await;
    let anon: Vec<ListingCard> = pages(&t, None, "/v1/feed", 100).await;
    let liked = anon
        .iter()
        .find(|c| c.seller.id != kai.id && !c.brand.is_empty())
        .expect("a branded listing by someone else")
        .clone();
    t.push(
        &buyer,
        Uuid::from_u128(7),
        vec![
            (1, Mutation::Follow { seller_id: kai.id }),
            (
                2,
                Mutation::Like {
                    listing_id: liked.id,
                },
            ),
        ],
    )
    .await;
    let mine: Vec<ListingCard> = pages(&t, Some(&buyer), "/v1/feed", 25).await;
    assert_eq!(mine.len(), anon.len(), "every live listing, once");
    let (mut followed, mut branded) = (0, 0);
    for card in &mine {
        let is_kai = card.seller.id == kai.id;
        let same_brand = card.brand.eq_ignore_ascii_case(&liked.brand);
        followed += usize::from(is_kai);
        branded += usize::from(same_brand);
        assert_eq!(
            card.reasons.contains(&FeedReason::FollowedSeller),
            is_kai,
            "{card:?}"
        );
        assert_eq!(
            card.reasons.contains(&FeedReason::LikedBrand),
            same_brand,
            "{card:?}"
        );
    }
    assert!(followed > 0 && branded > 0, "both reasons were tried");
    // The buyer signed up in size M: "your size" marks items a search in M
    // finds, and not every item is one.
    let in_m: Vec<ListingCard> = pages(&t, None, "/v1/search?size=M", 100).await;
    let sized: Vec<&ListingCard> = mine
        .iter()
        .filter(|c| c.reasons.contains(&FeedReason::YourSize))
        .collect();
    assert!(!sized.is_empty() && sized.len() < mine.len());
    for card in sized {
        assert!(in_m.iter().any(|c| c.id == card.id), "{card:?}");
    }
    // Signed out, no card is there for a follow; Following is all follows;
    // other lists say nothing of why.
    assert!(
        anon.iter()
            .all(|c| !c.reasons.contains(&FeedReason::FollowedSeller))
    );
    let following: Vec<ListingCard> = pages(&t, Some(&buyer), "/v1/feed?following=true", 25).await;
    assert!(!following.is_empty());
    for card in &following {
        assert_eq!(
            card.reasons.first(),
            Some(&FeedReason::FollowedSeller),
            "{card:?}"
        );
    }
    let closet: Vec<ListingCard> =
        pages(&t, Some(&buyer), "/v1/sellers/closet_kai/listings", 25).await;
    assert!(!closet.is_empty() && closet.iter().all(|c| c.reasons.is_empty()));
}

#[tokio::test]
async fn the_following_feed_is_the_newest_from_followed_sellers() {
    let t = start(true).await;
    let (buyer, _) = t.sign_up("follower").await;
    let res = t.get_authed(&buyer, "/v1/feed?following=true").await;
    assert_eq!(res.status(), 200);
    let empty: FeedPage<ListingCard> = res.json().await.unwrap();
    assert!(empty.items.is_empty() && empty.next_cursor.is_none());
    let kai = seller_card(&t, None, "closet_kai").await;
    let theo = seller_card(&t, None, "thrift_theo").await;
    t.push(
        &buyer,
        Uuid::from_u128(1),
        vec![
            (1, Mutation::Follow { seller_id: kai.id }),
            (2, Mutation::Follow { seller_id: theo.id }),
        ],
    )
    .await;
    let following: Vec<ListingCard> = pages(&t, Some(&buyer), "/v1/feed?following=true", 4).await;
    let anon: Vec<ListingCard> = pages(&t, None, "/v1/feed", 100).await;
    let want: Vec<ListingId> = anon
        .iter()
        .filter(|c| c.seller.id == kai.id || c.seller.id == theo.id)
        .map(|c| c.id)
        .collect();
    assert_eq!(following.iter().map(|c| c.id).collect::<Vec<_>>(), want);
    assert_eq!(
        want.len(),
        (kai.live_listings + theo.live_listings) as usize
    );
    // Anonymous: there is nobody to follow for.
    let res = t
        .http
        .get(t.url("/v1/feed?following=true"))
        .send()
        .await
        .unwrap();
    let p = expect_problem(res, 401, "unauthorized").await;
    assert_eq!(p["field"], "following");
    // A For You cursor is not a Following one.
    let (_, page) = (
        0,
        t.get_authed(&buyer, "/v1/feed?limit=2")
            .await
            .json::<Value>()
            .await
            .unwrap(),
    );
    let c = page["nextCursor"].as_str().unwrap();
    let res = t
        .get_authed(&buyer, &format!("/v1/feed?following=true&cursor={c}"))
        .await;
    expect_problem(res, 400, "bad_cursor").await;
    let res = t.get_authed(&buyer, "/v1/feed?following=maybe").await;
    let p = expect_problem(res, 400, "bad_request").await;
    assert_eq!(p["field"], "following");
}

#[tokio::test]
async fn search_sorts_by_price_both_ways_across_pages() {
    let t = start(true).await;
    let newest: Vec<ListingCard> = pages(&t, None, "/v1/search?category=tops", 100).await;
    let asc: Vec<ListingCard> = pages(&t, None, "/v1/search?category=tops&sort=price_asc", 2).await;
    let desc: Vec<ListingCard> =
        pages(&t, None, "/v1/search?category=tops&sort=price_desc", 3).await;
    let by_newest: Vec<ListingCard> =
        pages(&t, None, "/v1/search?category=tops&sort=newest", 2).await;
    assert!(newest.len() >= 4, "enough tops to page");
    assert_eq!(by_newest, newest);
    let mut want = newest.clone();
    want.sort_by(|a, b| a.price.cmp(&b.price).then(b.id.cmp(&a.id)));
    assert_eq!(asc, want, "cheapest first, every card once");
    want.sort_by(|a, b| b.price.cmp(&a.price).then(b.id.cmp(&a.id)));
    assert_eq!(desc, want, "dearest first, every card once");
    let res = t
        .http
        .get(t.url("/v1/search?sort=cheapest"))
        .send()
        .await
        .unwrap();
    let p = expect_problem(res, 422, "invalid").await;
    assert_eq!(p["field"], "sort");
    // A cursor of one order is not one of another.
    let (_, page) = t
        .get_json("/v1/search?category=tops&sort=price_asc&limit=1")
        .await;
    let c = page["nextCursor"].as_str().unwrap();
    let res = t
        .http
        .get(t.url(&format!(
            "/v1/search?category=tops&sort=price_desc&cursor={c}"
        )))
        .send()
        .await
        .unwrap();
    expect_problem(res, 400, "bad_cursor").await;
}

#[tokio::test]
async fn a_larger_demo_catalogue_is_spread_like_the_first_and_seeded_once() {
    let dir = tempfile::tempdir().unwrap();
    // A data dir seeded with the usual 60 first, then asked for 600.
    drop(rehome_server::App::open(config(dir.path(), true)).unwrap());
    let mut cfg = config(dir.path(), true);
    cfg.demo_listings = 600;
    drop(rehome_server::App::open(cfg.clone()).unwrap());
    let t = start_with(cfg, dir).await;
    let feed: Vec<ListingCard> = pages(&t, None, "/v1/feed", 100).await;
    assert_eq!(feed.len(), 600);
    let ids: std::collections::HashSet<ListingId> = feed.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), 600, "each once");
    assert_eq!(
        t.server.app.state.store.count_listings("live").unwrap(),
        600
    );
    let sellers: std::collections::HashSet<&str> =
        feed.iter().map(|c| c.seller.handle.as_str()).collect();
    let brands: std::collections::HashSet<&str> = feed.iter().map(|c| c.brand.as_str()).collect();
    let sizes: std::collections::HashSet<&str> = feed.iter().map(|c| c.size.as_str()).collect();
    assert!(
        sellers.len() >= 70,
        "about 8 listings a seller: {}",
        sellers.len()
    );
    assert_eq!(brands.len(), 14);
    assert!(sizes.len() >= 15, "{sizes:?}");
    assert!(
        feed.iter()
            .all(|c| c.cover.is_some() && (800..=12_300).contains(&c.price.0))
    );
    // Newest first, like the 60; a seller past the first block has a closet.
    assert!(feed.windows(2).all(|w| w[0].id != w[1].id));
    let extra = feed
        .iter()
        .find(|c| c.seller.handle.starts_with("demo_seller_"))
        .unwrap();
    let card = seller_card(&t, None, &extra.seller.handle).await;
    assert!((1..=8).contains(&card.live_listings), "{card:?}");
    // A photo past the first 60 listings is drawn on its first request.
    let last = feed.last().unwrap().cover.as_ref().unwrap();
    let res = t
        .http
        .get(t.url(&format!("/v1/photos/{}/thumb", last.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    // The background warm-up would draw only the first 60 listings' photos.
    let pending = t.server.app.state.store.pending_demo_shots().unwrap();
    let warmed = pending
        .iter()
        .filter(|(_, spec)| rehome_server::demo::drawn_at_start(spec))
        .count();
    assert!(
        pending.len() > 1000 && warmed <= 180,
        "{warmed} of {}",
        pending.len()
    );
}

#[tokio::test]
async fn search_takes_several_sizes_as_one_filter() {
    let t = start(true).await;
    let of = |cards: &[ListingCard]| -> std::collections::BTreeSet<ListingId> {
        cards.iter().map(|c| c.id).collect()
    };
    let m: Vec<ListingCard> = pages(&t, None, "/v1/search?size=M", 100).await;
    let w30: Vec<ListingCard> = pages(&t, None, "/v1/search?size=W30", 100).await;
    let both: Vec<ListingCard> = pages(&t, None, "/v1/search?size=M%3B%20W30%3B", 7).await;
    assert!(!m.is_empty() && !w30.is_empty());
    let union: std::collections::BTreeSet<ListingId> = of(&m).union(&of(&w30)).copied().collect();
    assert_eq!(of(&both), union);
    let many = vec!["M"; 21].join(";");
    let res = t
        .http
        .get(t.url(&format!("/v1/search?size={many}")))
        .send()
        .await
        .unwrap();
    let p = expect_problem(res, 422, "invalid").await;
    assert_eq!(p["field"], "size");
}

#[test]
fn for_you_scores_a_window_and_pages_exactly_as_scoring_everything() {
    use rehome_server::storage::{CardList, Keyset, NewUser, Storage};
    let dir = tempfile::tempdir().unwrap();
    let store = Storage::open(dir.path()).unwrap();
    let now = 1_800_000_000_000;
    // 2,500 listings, one every ~47 minutes: 81 days, more than the window.
    rehome_server::demo::seed(&store, now, 2500, || "!".into()).unwrap();
    let viewer = rehome_model::UserId::from_parts(7, [7; 10]);
    let all = store
        .cards(&CardList::Feed { viewer: None }, None, 0, 5000)
        .unwrap();
    assert_eq!(all.len(), 2500);
    store
        .write(|tx| {
            tx.insert_user(
                &NewUser {
                    id: viewer,
                    handle: "window_viewer".into(),
                    password_hash: "!".into(),
                    sizes: vec!["M".into(), "EU 42".into()],
                },
                now,
            )?;
            // An old seller followed, an old brand liked, new and old ones seen.
            tx.follow(&viewer, &all[2400].card.seller.id, now)?;
            tx.like(&viewer, &all[2300].card.id, now)?;
            let seen: Vec<ListingId> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 7 == 0)
                .map(|(_, r)| r.card.id)
                .collect();
            tx.mark_seen(&viewer, &seen, now).map(|_| ())
        })
        .unwrap();
    let list = CardList::Feed {
        viewer: Some(viewer),
    };
    let page_all = |bounded: bool, limit: u32| -> Vec<ListingId> {
        let mut out = Vec::new();
        let mut after: Option<Keyset> = None;
        loop {
            let rows = store
                .cards_within(&list, after.as_ref(), now, limit, bounded)
                .unwrap();
            out.extend(rows.iter().map(|r| r.card.id));
            match rows.last() {
                Some(r) if rows.len() == limit as usize => after = Some(r.keyset.clone()),
                _ => return out,
            }
        }
    };
    for limit in [21, 100] {
        let windowed = page_all(true, limit);
        assert_eq!(windowed.len(), 2500, "every card once");
        assert_eq!(windowed, page_all(false, limit), "pages of {limit}");
    }
}
