//! The sync wire: pull sends changes since a cookie; malformed push bodies are
//! 4xx problems.

use crate::support::{expect_problem, start};
use crate::sync::{create, listing_id};
use rehome_model::Money;
use rehome_model::sync::{ListingStatus, Mutation, PatchOp};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn pull_sends_changes_since_the_cookie() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller6").await;
    let (other, _) = t.sign_up("other6").await;
    let c = Uuid::from_u128(1);
    let a = listing_id(8);
    let b = listing_id(9);
    t.push(
        &token,
        c,
        vec![(1, create(a, "A", 1000)), (2, create(b, "B", 1000))],
    )
    .await;
    t.push(
        &other,
        c,
        vec![(1, create(listing_id(10), "not mine", 1000))],
    )
    .await;
    let first = t.pull(&token, c, None).await;
    assert_eq!(first.patch.len(), 2);
    assert_eq!(first.last_mutation_id, 2);
    let again = t.pull(&token, c, Some(first.cookie.clone())).await;
    assert!(again.patch.is_empty());
    t.push(
        &token,
        c,
        vec![
            (3, Mutation::DeleteListing { listing_id: b }),
            (
                4,
                Mutation::SetPrice {
                    listing_id: a,
                    price: Money(900),
                    base_version: 0,
                },
            ),
        ],
    )
    .await;
    let next = t.pull(&token, c, Some(again.cookie.clone())).await;
    assert_eq!(next.last_mutation_id, 4);
    let mut ops: Vec<String> = next
        .patch
        .iter()
        .map(|op| match op {
            PatchOp::Put { listing } => format!(
                "put {} {} v{} {:?}",
                listing.fields.title.clone().unwrap_or_default(),
                listing.price.0,
                listing.price_version,
                listing.status
            ),
            PatchOp::Del { id } => format!("del {}", if *id == b { "B" } else { "?" }),
        })
        .collect();
    ops.sort();
    assert_eq!(
        ops,
        vec![
            "del B".to_owned(),
            format!("put A 900 v1 {:?}", ListingStatus::Draft)
        ]
    );
    for cookie in ["abc", "-1", "1.5"] {
        let res = t
            .post_json(
                Some(&token),
                "/v1/sync/pull",
                &json!({"clientId": c, "cookie": cookie}),
            )
            .await;
        let p = expect_problem(res, 400, "bad_cursor").await;
        assert_eq!(p["field"], "cookie");
    }
}

#[tokio::test]
async fn malformed_push_bodies_are_4xx_problems() {
    let t = start(false).await;
    let (token, _) = t.sign_up("seller7").await;
    let send = |body: &'static str, ct: &'static str| {
        let t = &t;
        let token = token.clone();
        async move {
            t.http
                .post(t.url("/v1/sync/push"))
                .bearer_auth(token)
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let cid = "00000000-0000-0000-0000-000000000001";
    let _ = cid;
    for (body, status, code, field) in [
        ("{", 400, "bad_request", ""),
        ("", 400, "bad_request", ""),
        ("[]", 422, "bad_request", ""),
        (
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[],"extra":1}"#,
            422,
            "bad_request",
            "extra",
        ),
        (
            r#"{"clientId":"nope","mutations":[]}"#,
            422,
            "bad_request",
            "clientId",
        ),
        (
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":"x","name":"like","args":{}}]}"#,
            422,
            "bad_request",
            "mutations[0].id",
        ),
        (
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":1,"name":"teleport","args":{}}]}"#,
            422,
            "bad_request",
            "",
        ),
        (
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":1,"name":"setPrice","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101","price":"cheap","baseVersion":0}}]}"#,
            422,
            "bad_request",
            "",
        ),
        (
            r#"{"clientId":"00000000-0000-0000-0000-000000000001","mutations":[{"id":-1,"name":"like","args":{"listingId":"018bcfe5-6800-7101-8101-010101010101"}}]}"#,
            422,
            "bad_request",
            "",
        ),
    ] {
        let res = send(body, "application/json").await;
        let p = expect_problem(res, status, code).await;
        if !field.is_empty() {
            assert_eq!(p["field"], field, "{body}");
        }
    }
    let res = send("{}", "text/plain").await;
    expect_problem(res, 415, "bad_request").await;
    // Oversized: over the 256 KiB body limit.
    let huge = format!(
        r#"{{"clientId":"{cid}","mutations":[],"pad":"{}"}}"#,
        "x".repeat(300 * 1024)
    );
    let res = t
        .http
        .post(t.url("/v1/sync/push"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_problem(res, 413, "too_large").await;
    // Unauthenticated.
    let res = t
        .post_json(
            None,
            "/v1/sync/push",
            &json!({"clientId": cid, "mutations": []}),
        )
        .await;
    expect_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn mutation_ids_past_i64_max_are_refused_before_anything_is_applied() {
    let t = start(false).await;
    let (token, _) = t.sign_up("bigids").await;
    let c = Uuid::from_u128(12);
    let body = |ids: [u64; 2]| {
        use rehome_model::sync::{ClientId, MutationEnvelope, PushRequest};
        serde_json::to_value(PushRequest {
            client_id: ClientId(c),
            mutations: vec![
                MutationEnvelope {
                    id: ids[0],
                    mutation: create(listing_id(1), "A", 1000),
                },
                MutationEnvelope {
                    id: ids[1],
                    mutation: create(listing_id(2), "B", 1000),
                },
            ],
        })
        .unwrap()
    };
    for too_big in [i64::MAX as u64 + 1, u64::MAX] {
        let res = t
            .post_json(Some(&token), "/v1/sync/push", &body([1, too_big]))
            .await;
        let problem = expect_problem(res, 422, "bad_request").await;
        assert_eq!(problem["field"], "mutations[1].id");
    }
    // Nothing of the refused pushes was applied; i64::MAX itself is fine,
    // exactly once.
    let pulled = t.pull(&token, c, None).await;
    assert!(pulled.patch.is_empty(), "{pulled:?}");
    assert_eq!(pulled.last_mutation_id, 0);
    let max = i64::MAX as u64;
    for _ in 0..2 {
        let res = t
            .post_json(Some(&token), "/v1/sync/push", &body([max - 1, max]))
            .await;
        assert_eq!(res.status(), 200);
        let res: rehome_model::sync::PushResponse = res.json().await.unwrap();
        assert_eq!(res.last_mutation_id, max);
        assert_eq!(crate::sync::outcome_codes(&res), ["applied", "applied"]);
    }
    assert_eq!(t.pull(&token, c, None).await.patch.len(), 2);
}
