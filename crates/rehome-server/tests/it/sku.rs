//! The seller's SKU: kept exactly as sent (leading zeros, spaces), bounded,
//! one line, carried by the seller's own pulls and absent from public reads.

use crate::support::start;
use crate::sync::{create, full_fields, listing_id, outcome_codes};
use rehome_model::sync::{ListingFields, Mutation, PatchOp};
use uuid::Uuid;

#[tokio::test]
async fn a_sku_is_kept_exactly_and_only_the_seller_sees_it() {
    let t = start(false).await;
    let (token, _) = t.sign_up("skuseller").await;
    let client = Uuid::from_u128(40);
    // (sku sent, outcome, the sku pulled afterwards)
    let cases: &[(String, &str, &str)] = &[
        ("0012345678901234".into(), "applied", "0012345678901234"),
        ("  A-1 / b  ".into(), "applied", "  A-1 / b  "),
        ("é🧥".into(), "applied", "é🧥"),
        ("s".repeat(64), "applied", &"s".repeat(64)),
        ("s".repeat(65), "invalid:sku", ""),
        ("two\nlines".into(), "invalid:sku", ""),
        ("".into(), "applied", ""),
    ];
    for (n, (sku, outcome, pulled)) in cases.iter().enumerate() {
        let id = listing_id(200 + n as u8);
        let fields = ListingFields {
            sku: Some(sku.clone()),
            ..full_fields("Shirt")
        };
        let res = t
            .push(
                &token,
                client,
                vec![(
                    n as u64 * 2 + 1,
                    Mutation::CreateListing {
                        listing_id: id,
                        fields,
                        price: rehome_model::Money(1500),
                        quantity: 1,
                    },
                )],
            )
            .await;
        assert_eq!(outcome_codes(&res), vec![*outcome], "create with {sku:?}");
        if *outcome != "applied" {
            continue;
        }
        let pull = t.pull(&token, client, None).await;
        let got = pull.patch.iter().find_map(|op| match op {
            PatchOp::Put { listing } if listing.id == id => listing.fields.sku.clone(),
            _ => None,
        });
        assert_eq!(got.as_deref(), Some(*pulled), "pulled sku for {sku:?}");
    }

    // An update changes it, exactly.
    let id = listing_id(250);
    let res = t
        .push(
            &token,
            client,
            vec![
                (100, create(id, "Coat", 4000)),
                (
                    101,
                    Mutation::UpdateListing {
                        listing_id: id,
                        fields: ListingFields {
                            sku: Some("000042".into()),
                            ..Default::default()
                        },
                    },
                ),
            ],
        )
        .await;
    assert_eq!(outcome_codes(&res), vec!["applied", "applied"]);
    let pull = t.pull(&token, client, None).await;
    let got = pull.patch.iter().find_map(|op| match op {
        PatchOp::Put { listing } if listing.id == id => listing.fields.sku.clone(),
        _ => None,
    });
    assert_eq!(got.as_deref(), Some("000042"));
    // The listing page (what buyers read) never shows it.
    let res = t.get_authed(&token, &format!("/v1/listings/{id}")).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body.get("sku").is_none(),
        "the listing page carries no sku: {body}"
    );
}
