//! The OpenAPI document: checked in, served, and true to real traffic.

use crate::support::start;
use rehome_model::sync::{ListingFields, Mutation, Parcel};
use rehome_model::{Money, PhotoId, UserId};
use serde_json::{Value, json};
use uuid::Uuid;

const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

#[tokio::test]
async fn the_checked_in_document_matches_the_served_one() {
    let t = start(false).await;
    let res = t.http.get(t.url("/v1/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let served = res.text().await.unwrap();
    assert_eq!(served, rehome_server::openapi::document());
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(CHECKED_IN, &served).unwrap();
    }
    let checked_in = std::fs::read_to_string(CHECKED_IN).unwrap_or_default();
    assert!(
        checked_in == served,
        "crates/rehome-server/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo nextest run -p rehome-server openapi` and commit it"
    );
    let doc: Value = serde_json::from_str(&served).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // Every $ref resolves.
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {r}"
        );
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// A small JSON Schema checker for what utoipa emits: $ref, type (incl. null),
/// enum, properties/required (and no undeclared keys outside allOf), items,
/// oneOf (exactly one), allOf (all, extra keys allowed).
fn check(doc: &Value, schema: &Value, v: &Value, path: &str, strict: bool) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let s = doc["components"]["schemas"]
            .get(name)
            .ok_or(format!("{path}: dangling {r}"))?;
        return check(doc, s, v, path, strict);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(doc, s, v, path, false)?;
        }
        if strict && let (Some(obj), true) = (v.as_object(), true) {
            let mut known = std::collections::HashSet::new();
            for s in all {
                declared_keys(doc, s, v, &mut known);
            }
            for k in obj.keys() {
                if !known.contains(k) {
                    return Err(format!("{path}: undeclared key {k}"));
                }
            }
        }
        return Ok(());
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let ok = one
            .iter()
            .filter(|s| check(doc, s, v, path, strict).is_ok())
            .count();
        return if ok == 1 {
            Ok(())
        } else {
            Err(format!("{path}: {ok} oneOf branches match {v}"))
        };
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{path}: {v} not in {e:?}"));
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !fits {
            return Err(format!("{path}: {v} is not {types:?}"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    return Err(format!("{path}: missing {r}"));
                }
            }
        }
        if let Some(props) = props {
            for (k, val) in obj {
                match props.get(k) {
                    Some(s) => check(doc, s, val, &format!("{path}.{k}"), true)?,
                    None if strict => return Err(format!("{path}: undeclared key {k}")),
                    None => {}
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{path}[{i}]"), true)?;
        }
    }
    Ok(())
}

fn declared_keys(
    doc: &Value,
    schema: &Value,
    v: &Value,
    out: &mut std::collections::HashSet<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        if let Some(s) = doc["components"]["schemas"].get(name) {
            declared_keys(doc, s, v, out);
        }
        return;
    }
    if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        for s in branches {
            if check(doc, s, v, "", false).is_ok() {
                declared_keys(doc, s, v, out);
            }
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.extend(props.keys().cloned());
    }
}

fn conforms(doc: &Value, component: &str, v: &Value) {
    let schema = json!({"$ref": format!("#/components/schemas/{component}")});
    if let Err(e) = check(doc, &schema, v, component, true) {
        panic!("{e}\nvalue: {v}");
    }
}

#[tokio::test]
async fn real_requests_and_responses_match_the_document() {
    let t = start(true).await;
    let doc: Value = serde_json::from_str(&rehome_server::openapi::document()).unwrap();
    // The validator itself refuses what it should.
    for bad in [
        json!({"items": []}),
        json!({"items": [{"id": 1}]}),
        json!({"items": [], "nextCursor": 5}),
        json!({"items": [], "x": 1}),
    ] {
        let s = json!({"$ref": "#/components/schemas/FeedPage_ListingCard"});
        assert!(
            check(&doc, &s, &bad, "", true).is_err() || bad == json!({"items": []}),
            "{bad}"
        );
    }

    let (_, feed) = t.get_json("/v1/feed?limit=3").await;
    conforms(&doc, "FeedPage_ListingCard", &feed);
    let (_, search) = t.get_json("/v1/search?category=tops&limit=2").await;
    conforms(&doc, "FeedPage_ListingCard", &search);
    let id = feed["items"][0]["id"].as_str().unwrap().to_owned();
    let (_, detail) = t.get_json(&format!("/v1/listings/{id}")).await;
    conforms(&doc, "ListingDetail", &detail);
    let (_, problem) = t.get_json("/v1/feed?cursor=bad").await;
    conforms(&doc, "ProblemBody", &problem);

    let sign_up = json!({"handle": "schema_user", "password": "password1", "sizes": ["M"]});
    conforms(&doc, "SignUpRequest", &sign_up);
    let session: Value = t
        .post_json(None, "/v1/auth/sign-up", &sign_up)
        .await
        .json()
        .await
        .unwrap();
    conforms(&doc, "Session", &session);
    let token = session["token"].as_str().unwrap().to_owned();
    conforms(
        &doc,
        "SignInRequest",
        &json!({"handle": "a", "password": "b"}),
    );
    let settings = json!({"sizes": ["S"], "notifications": {"dailyBudget": 3, "quietStart": 0, "quietEnd": 60}});
    conforms(&doc, "SettingsUpdate", &settings);
    let me: Value = t
        .http
        .put(t.url("/v1/me/settings"))
        .bearer_auth(&token)
        .json(&settings)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    conforms(&doc, "Me", &me);

    // Every mutation, as the model serialises it.
    let l = crate::sync::listing_id(90);
    let listing_id: rehome_model::ListingId = id.parse().unwrap();
    let photo = PhotoId::from_parts(1, [1; 10]);
    let offer = Uuid::from_u128(1);
    let seller: UserId = feed["items"][0]["seller"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let fields = ListingFields {
        parcel: Some(Parcel::Weight(500)),
        original_price: Some(Money(9000)),
        colour: Some("Red".into()),
        ..crate::sync::full_fields("Schema")
    };
    let all = vec![
        Mutation::CreateListing {
            listing_id: l,
            fields: fields.clone(),
            price: Money(5000),
            quantity: 1,
        },
        Mutation::UpdateListing {
            listing_id: l,
            fields: ListingFields {
                parcel: Some(Parcel::Small),
                ..Default::default()
            },
        },
        Mutation::SetPrice {
            listing_id: l,
            price: Money(4000),
            base_version: 0,
        },
        Mutation::SetPrice {
            listing_id: l,
            price: Money(3000),
            base_version: 0,
        },
        Mutation::SetQuantity {
            listing_id: l,
            quantity: 2,
            base_version: 0,
        },
        Mutation::AttachPhoto {
            listing_id: l,
            photo_id: photo,
            sha256: "b".repeat(64),
            position: 0,
        },
        Mutation::ReorderPhotos {
            listing_id: l,
            photo_ids: vec![photo],
        },
        Mutation::DetachPhoto {
            listing_id: l,
            photo_id: photo,
        },
        Mutation::Publish {
            listing_id: l,
            base_version: 0,
        },
        Mutation::Delist {
            listing_id: l,
            base_version: 0,
        },
        Mutation::Relist {
            listing_id: l,
            base_version: 0,
        },
        Mutation::Like { listing_id },
        Mutation::Unlike { listing_id },
        Mutation::Follow { seller_id: seller },
        Mutation::Unfollow { seller_id: seller },
        Mutation::MakeOffer {
            offer_id: offer,
            listing_id,
            amount: Money(500),
        },
        Mutation::AcceptOffer { offer_id: offer },
        Mutation::DeclineOffer { offer_id: offer },
        Mutation::OfferToLikers {
            offer_id: Uuid::from_u128(2),
            listing_id: l,
            amount: Money(100),
        },
        Mutation::CounterOffer {
            offer_id: Uuid::from_u128(3),
            reply_to: offer,
            amount: Money(400),
        },
        Mutation::SetOfferFloor {
            listing_id: l,
            floor: Some(Money(100)),
        },
        Mutation::SetOfferFloor {
            listing_id: l,
            floor: None,
        },
        Mutation::MarkSold { listing_id: l },
        Mutation::DeleteListing { listing_id: l },
    ];
    let body = rehome_model::sync::PushRequest {
        client_id: rehome_model::sync::ClientId(Uuid::from_u128(1)),
        mutations: all
            .into_iter()
            .enumerate()
            .map(|(i, mutation)| rehome_model::sync::MutationEnvelope {
                id: i as u64 + 1,
                mutation,
            })
            .collect(),
    };
    let body = serde_json::to_value(&body).unwrap();
    conforms(&doc, "PushRequest", &body);
    let pushed: Value = t
        .post_json(Some(&token), "/v1/sync/push", &body)
        .await
        .json()
        .await
        .unwrap();
    conforms(&doc, "PushResponse", &pushed);
    let outcomes: std::collections::HashSet<&str> = pushed["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes.len(),
        3,
        "applied, conflict and rejected all checked: {pushed}"
    );
    let pull = json!({"clientId": Uuid::from_u128(1), "cookie": null});
    conforms(&doc, "PullRequest", &pull);
    let pulled: Value = t
        .post_json(Some(&token), "/v1/sync/pull", &pull)
        .await
        .json()
        .await
        .unwrap();
    conforms(&doc, "PullResponse", &pulled);
    // A pull with a live listing (Put) as well as the deleted one (Del).
    let l2 = crate::sync::listing_id(91);
    t.push(
        &token,
        Uuid::from_u128(1),
        vec![(100, crate::sync::create(l2, "Kept", 1000))],
    )
    .await;
    let pulled: Value = t
        .post_json(Some(&token), "/v1/sync/pull", &pull)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pulled["patch"].as_array().unwrap().len(), 2);
    conforms(&doc, "PullResponse", &pulled);

    let likes: Value = t
        .get_authed(&token, "/v1/me/likes")
        .await
        .json()
        .await
        .unwrap();
    conforms(&doc, "FeedPage_ListingCard", &likes);
    let notes: Value = t
        .get_authed(&token, "/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    conforms(&doc, "FeedPage_Notification", &notes);
    let sample = json!({"items": [{"id": 3, "kind": "price_drop", "listingId": id, "actor": {"id": seller.to_string(), "handle": "x"}, "amount": 100, "count": 1, "createdAt": 5}]});
    conforms(&doc, "FeedPage_Notification", &sample);
    let real = rehome_model::api::Notification {
        id: 3,
        kind: rehome_model::api::NotificationKind::Digest,
        listing_id: None,
        actor: None,
        amount: None,
        count: 4,
        created_at: 1,
    };
    conforms(&doc, "Notification", &serde_json::to_value(real).unwrap());
    let offers: Value = t
        .get_authed(&token, "/v1/offers")
        .await
        .json()
        .await
        .unwrap();
    assert!(!offers["items"].as_array().unwrap().is_empty(), "{offers}");
    conforms(&doc, "OfferList", &offers);
    let every_field = rehome_model::offers::Offer {
        id: Uuid::from_u128(4),
        listing_id: l,
        listing_title: "Schema".into(),
        seller_id: seller,
        buyer_id: Some(seller),
        by_seller: true,
        reply_to: Some(offer),
        amount: Money(400),
        state: rehome_model::offers::OfferState::Declined,
        closed_reason: Some("sold".into()),
        sold_to: Some(seller),
        role: rehome_model::offers::OfferRole::Received,
        created_at: 1,
        expires_at: 2,
    };
    conforms(&doc, "Offer", &serde_json::to_value(every_field).unwrap());
}
