//! Offers: the counter chain, one negotiation per buyer and listing, expiry,
//! the sale to the accepting buyer (every other open offer closed), offers
//! to likers (only those who liked first), the seller's floor, stale answers,
//! and `GET /v1/offers` on both sides.
//!
//! Each test is a table of steps, `(who, mutation, expected outcome code)`,
//! run through [`Market::check`]; consecutive steps of one person go in one
//! push (one batch), as a device would send them.

use crate::notifications::publish;
use crate::support::{TestServer, config, manual_clock, start_with};
use crate::sync::outcome_code;
use rehome_model::FeedPage;
use rehome_model::api::{Notification, NotificationKind};
use rehome_model::offers::OfferList;
use rehome_model::sync::{Mutation, MutationOutcome};
use rehome_model::{ListingId, Money, UserId};
use rehome_server::ManualClock;
use std::sync::Arc;
use uuid::Uuid;

const NOON: i64 = 1_800_000_000_000 / 86_400_000 * 86_400_000 + 12 * 3_600_000;
const DAY: i64 = 24 * 3_600_000;
const S: usize = 0;
const B: usize = 1;
const O: usize = 2;

struct Person {
    token: String,
    id: UserId,
    client: Uuid,
    next: u64,
}

struct Market {
    t: TestServer,
    clock: Arc<ManualClock>,
    people: Vec<Person>,
}

impl Market {
    /// A server at `NOON` with a seller (`S`) and the others signed up.
    async fn new(handles: &[&str]) -> Market {
        let dir = tempfile::tempdir().unwrap();
        let clock = manual_clock(NOON);
        let mut cfg = config(dir.path(), false);
        cfg.clock = clock.clone();
        let t = start_with(cfg, dir).await;
        let mut people = Vec::new();
        for (i, h) in handles.iter().enumerate() {
            let (token, id) = t.sign_up(h).await;
            people.push(Person {
                token,
                id,
                client: Uuid::from_u128(1000 + i as u128),
                next: 1,
            });
        }
        Market { t, clock, people }
    }

    /// The seller's live listing number `n` at `price`.
    async fn listing(&mut self, n: u8, price: i64) -> ListingId {
        let s = &mut self.people[S];
        let id = publish(&self.t, &s.token, s.client, s.next, n, price).await;
        s.next += 3;
        id
    }

    /// Runs `steps` and asserts every outcome code at once (a failing run
    /// shows the whole table).
    async fn check(&mut self, steps: Vec<(usize, Mutation, &str)>) -> Vec<MutationOutcome> {
        let expected: Vec<String> = steps
            .iter()
            .enumerate()
            .map(|(i, (who, _, code))| format!("{i}: {who} {code}"))
            .collect();
        let mut outcomes = Vec::new();
        let mut i = 0;
        while i < steps.len() {
            let who = steps[i].0;
            let mut batch = Vec::new();
            while i < steps.len() && steps[i].0 == who {
                let p = &mut self.people[who];
                batch.push((p.next, steps[i].1.clone()));
                p.next += 1;
                i += 1;
            }
            let p = &self.people[who];
            let r = self.t.push(&p.token, p.client, batch).await;
            outcomes.extend(r.results.into_iter().map(|x| x.outcome));
        }
        let got: Vec<String> = outcomes
            .iter()
            .zip(&steps)
            .enumerate()
            .map(|(i, (o, (who, _, _)))| format!("{i}: {who} {}", outcome_code(o)))
            .collect();
        assert_eq!(got, expected);
        outcomes
    }

    /// `who`'s offers as `GET /v1/offers?role=…` lists them, one line each:
    /// `role amount state[ reason][ sold to N]`.
    async fn offers(&self, who: usize, role: Option<&str>) -> Vec<String> {
        let path = match role {
            Some(r) => format!("/v1/offers?role={r}"),
            None => "/v1/offers".to_owned(),
        };
        let res = self.t.get_authed(&self.people[who].token, &path).await;
        assert_eq!(res.status(), 200, "offers");
        let list: OfferList = res.json().await.unwrap();
        list.items
            .iter()
            .map(|o| {
                let mut line = format!(
                    "{} {} {}",
                    serde_json::to_value(o.role).unwrap().as_str().unwrap(),
                    o.amount.0,
                    o.state.as_str()
                );
                if let Some(r) = &o.closed_reason {
                    line += &format!(" {r}");
                }
                if let Some(b) = o.sold_to {
                    let n = self.people.iter().position(|p| p.id == b).unwrap();
                    line += &format!(" sold to {n}");
                }
                line
            })
            .collect()
    }

    /// `who`'s notifications: kind and listing, newest first.
    async fn inbox(&self, who: usize) -> Vec<(NotificationKind, ListingId)> {
        let page: FeedPage<Notification> = self
            .t
            .get_authed(&self.people[who].token, "/v1/notifications?limit=100")
            .await
            .json()
            .await
            .unwrap();
        page.items
            .iter()
            .map(|n| (n.kind, n.listing_id.unwrap()))
            .collect()
    }
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn make(n: u128, listing_id: ListingId, amount: i64) -> Mutation {
    Mutation::MakeOffer {
        offer_id: id(n),
        listing_id,
        amount: Money(amount),
    }
}

fn counter(n: u128, reply: u128, amount: i64) -> Mutation {
    Mutation::CounterOffer {
        offer_id: id(n),
        reply_to: id(reply),
        amount: Money(amount),
    }
}

fn accept(n: u128) -> Mutation {
    Mutation::AcceptOffer { offer_id: id(n) }
}

fn decline(n: u128) -> Mutation {
    Mutation::DeclineOffer { offer_id: id(n) }
}

#[tokio::test]
async fn a_counter_chain_ends_sold_to_the_buyer_and_closes_the_other_offers() {
    let mut m = Market::new(&["chain_seller", "chain_buyer", "chain_other"]).await;
    let l = m.listing(90, 5000).await;
    m.check(vec![
        (B, make(1, l, 4000), "applied"),
        (O, make(2, l, 3900), "applied"),
        // One open negotiation per buyer and listing.
        (B, make(3, l, 4100), "conflict:listingId"),
        (S, counter(4, 1, 4600), "applied"),
        // The seller cannot take their own counter; the buyer's offer is
        // no longer open once countered.
        (S, accept(4), "forbidden:offerId"),
        (S, accept(1), "conflict:offerId"),
        // Only the receiver counters.
        (O, counter(5, 4, 4500), "forbidden:replyTo"),
        (B, counter(6, 4, 4300), "applied"),
        (S, accept(6), "applied"),
        // Stale: the listing sold meanwhile.
        (S, accept(2), "sold:listingId"),
        (O, make(7, l, 4400), "sold:listingId"),
    ])
    .await;
    assert_eq!(
        m.offers(B, None).await,
        [
            "sent 4300 accepted sold to 1",
            "received 4600 countered",
            "sent 4000 countered"
        ]
    );
    assert_eq!(
        m.offers(S, Some("received")).await,
        [
            "received 4300 accepted sold to 1",
            "received 3900 declined sold",
            "received 4000 countered"
        ]
    );
    assert_eq!(m.offers(S, Some("sent")).await, ["sent 4600 countered"]);
    assert_eq!(m.offers(O, Some("sent")).await, ["sent 3900 declined sold"]);
    assert_eq!(m.offers(O, Some("received")).await, Vec::<String>::new());
    // The other buyer hears their offer was declined (the listing sold).
    assert_eq!(
        m.inbox(O).await,
        [(NotificationKind::OfferDeclined, l)],
        "told once, about the closed offer"
    );
    let (_, detail) = m.t.get_json(&format!("/v1/listings/{l}")).await;
    assert_eq!(
        (detail["status"].as_str(), detail["price"].as_i64()),
        (Some("sold"), Some(4300))
    );
}

#[tokio::test]
async fn offers_expire_after_24_hours_and_then_no_longer_block_a_new_one() {
    let mut m = Market::new(&["exp_seller", "exp_buyer"]).await;
    let l = m.listing(91, 5000).await;
    m.check(vec![(B, make(1, l, 4000), "applied")]).await;
    m.clock.advance(DAY - 1);
    assert_eq!(m.offers(B, Some("sent")).await, ["sent 4000 open"]);
    m.clock.advance(1);
    assert_eq!(m.offers(B, Some("sent")).await, ["sent 4000 expired"]);
    m.check(vec![
        (S, accept(1), "offer_expired:offerId"),
        (S, counter(2, 1, 4500), "conflict:replyTo"),
        (B, make(3, l, 4100), "applied"),
        (S, counter(4, 3, 4700), "applied"),
    ])
    .await;
    m.clock.advance(DAY);
    m.check(vec![
        (B, counter(5, 4, 4200), "offer_expired:replyTo"),
        (B, accept(4), "conflict:offerId"),
    ])
    .await;
    assert_eq!(
        m.offers(S, None).await,
        [
            "sent 4700 expired",
            "received 4100 countered",
            "received 4000 expired"
        ]
    );
}

#[tokio::test]
async fn only_those_who_liked_before_an_offer_to_likers_may_take_it() {
    let mut m = Market::new(&["likers_seller", "likers_early", "likers_late"]).await;
    let l = m.listing(92, 5000).await;
    let like = Mutation::Like { listing_id: l };
    m.check(vec![
        (B, like.clone(), "applied"),
        (
            S,
            Mutation::OfferToLikers {
                offer_id: id(1),
                listing_id: l,
                amount: Money(3500),
            },
            "applied",
        ),
        // One batch: a like, then the discount. Refused.
        (O, like, "applied"),
        (O, accept(1), "forbidden:offerId"),
        (B, counter(2, 1, 3000), "invalid:replyTo"),
        (B, accept(1), "applied"),
    ])
    .await;
    assert_eq!(
        m.offers(B, None).await,
        ["received 3500 accepted sold to 1"]
    );
    assert_eq!(m.offers(O, None).await, Vec::<String>::new());
    assert_eq!(m.offers(S, None).await, ["sent 3500 accepted sold to 1"]);
}

#[tokio::test]
async fn a_price_below_the_sellers_floor_is_refused_with_the_floor() {
    let mut m = Market::new(&["floor_seller", "floor_buyer"]).await;
    let l = m.listing(93, 5000).await;
    let floor = |f: Option<i64>| Mutation::SetOfferFloor {
        listing_id: l,
        floor: f.map(Money),
    };
    let outcomes = m
        .check(vec![
            (B, floor(Some(1000)), "forbidden:listingId"),
            (S, floor(Some(4200)), "applied"),
            (B, make(1, l, 4199), "invalid:amount"),
            (B, make(2, l, 4200), "applied"),
            (S, counter(3, 2, 4800), "applied"),
            (B, counter(4, 3, 4100), "invalid:amount"),
            (B, decline(3), "applied"),
            (S, floor(None), "applied"),
            (B, make(5, l, 4000), "applied"),
            (B, make(6, l, 4000), "conflict:listingId"),
        ])
        .await;
    let MutationOutcome::Rejected { error } = &outcomes[2] else {
        unreachable!()
    };
    assert_eq!(error.message, "The seller takes no offer below 42.00");
}

#[tokio::test]
async fn an_answer_to_an_offer_on_a_listing_sold_meanwhile_says_sold() {
    let mut m = Market::new(&["stale_seller", "stale_buyer"]).await;
    let l = m.listing(94, 5000).await;
    m.check(vec![
        (B, make(1, l, 4000), "applied"),
        (S, counter(2, 1, 4500), "applied"),
        (S, Mutation::MarkSold { listing_id: l }, "applied"),
        (B, accept(2), "sold:listingId"),
        (B, counter(3, 2, 4400), "sold:listingId"),
        (B, decline(2), "sold:listingId"),
        (B, make(4, l, 4000), "sold:listingId"),
    ])
    .await;
    assert_eq!(
        m.offers(B, None).await,
        ["received 4500 declined sold", "sent 4000 countered"]
    );
}

#[tokio::test]
async fn offers_need_a_sign_in_and_a_known_role() {
    let m = Market::new(&["role_seller"]).await;
    let res = m.t.http.get(m.t.url("/v1/offers")).send().await.unwrap();
    crate::support::expect_problem(res, 401, "unauthorized").await;
    let res =
        m.t.get_authed(&m.people[S].token, "/v1/offers?role=both")
            .await;
    crate::support::expect_problem(res, 400, "bad_request").await;
}
