//! The server's publish rules are the app's checklist: for each set of fields,
//! the real server publishes exactly when `rehome_model::draft::readiness`
//! says the draft is ready, and a refusal names the checklist's first missing
//! field by the app's field name.

use crate::support::{TestServer, start};
use crate::sync::{full_fields, listing_id, outcome_codes};
use rehome_model::draft::{DraftValues, readiness};
use rehome_model::sync::{ListingFields, Mutation, Parcel};
use rehome_model::{Money, PhotoId};
use sha2::{Digest, Sha256};
use uuid::Uuid;

struct Case {
    name: &'static str,
    fields: ListingFields,
    price: i64,
    photo: bool,
}

/// Creates the listing (with one fully uploaded photo if `photo`), publishes
/// it, and checks the outcome against the model's checklist. `expected` is the
/// publish outcome (`applied` or `invalid:<field>`), written out so a change in
/// the model's rules shows up here too.
async fn check(t: &TestServer, token: &str, n: u8, case: &Case, expected: &str) {
    let id = listing_id(n);
    let client = Uuid::from_u128(u128::from(n));
    let mut mutations = vec![(
        1,
        Mutation::CreateListing {
            listing_id: id,
            fields: case.fields.clone(),
            price: Money(case.price),
            quantity: 1,
        },
    )];
    if case.photo {
        let photo = PhotoId::from_parts(1_800_000_000_000, [n; 10]);
        let jpeg = crate::uploads::test_jpeg(64, 48, u64::from(n));
        crate::uploads::upload_whole(t, token, Some(photo), &jpeg).await;
        mutations.push((
            2,
            Mutation::AttachPhoto {
                listing_id: id,
                photo_id: photo,
                sha256: format!("{:x}", Sha256::digest(&jpeg)),
                position: 0,
            },
        ));
    }
    let publish_id = mutations.len() as u64 + 1;
    mutations.push((
        publish_id,
        Mutation::Publish {
            listing_id: id,
            base_version: 0,
        },
    ));
    let codes = outcome_codes(&t.push(token, client, mutations).await);
    let (publish, setup) = codes.split_last().unwrap();
    assert!(
        setup.iter().all(|c| c == "applied"),
        "{}: setup {setup:?}",
        case.name
    );

    let values = DraftValues::from_wire(&case.fields, Some(Money(case.price)));
    let app = readiness(&values, usize::from(case.photo), 0);
    let app_says = match app.missing().next() {
        None => "applied".to_owned(),
        Some(item) => format!("invalid:{}", item.field.map_or("photos", |f| f.as_str())),
    };
    assert_eq!(*publish, app_says, "{}: server vs app checklist", case.name);
    assert_eq!(publish, expected, "{}", case.name);
}

fn full() -> ListingFields {
    ListingFields {
        parcel: Some(Parcel::Small),
        ..full_fields("Linen shirt")
    }
}

fn with(f: impl FnOnce(&mut ListingFields)) -> ListingFields {
    let mut fields = full();
    f(&mut fields);
    fields
}

#[tokio::test]
async fn the_server_publishes_exactly_what_the_app_checklist_calls_ready() {
    let t = start(false).await;
    let (token, _) = t.sign_up("rules").await;
    let case = |name, fields, price, photo| Case {
        name,
        fields,
        price,
        photo,
    };
    let cases: Vec<(Case, &str)> = vec![
        (case("everything", full(), 1250, true), "applied"),
        (case("no photo", full(), 1250, false), "invalid:photos"),
        (
            case("no title", with(|f| f.title = None), 1250, true),
            "invalid:title",
        ),
        (
            case(
                "blank title",
                with(|f| f.title = Some("  ".into())),
                1250,
                true,
            ),
            "invalid:title",
        ),
        (
            case("no category", with(|f| f.category = None), 1250, true),
            "invalid:category",
        ),
        (
            case("no condition", with(|f| f.condition = None), 1250, true),
            "invalid:condition",
        ),
        (
            case("no size", with(|f| f.size = None), 1250, true),
            "invalid:size",
        ),
        (
            case(
                "blank size",
                with(|f| f.size = Some(" ".into())),
                1250,
                true,
            ),
            "invalid:size",
        ),
        (
            case(
                "one size (a bag)",
                with(|f| f.size = Some("one size".into())),
                1250,
                true,
            ),
            "applied",
        ),
        (
            case("no parcel", with(|f| f.parcel = None), 1250, true),
            "invalid:parcel",
        ),
        (
            case(
                "parcel by weight",
                with(|f| f.parcel = Some(Parcel::Weight(1200))),
                1250,
                true,
            ),
            "applied",
        ),
        (
            case(
                "only the required fields",
                with(|f| {
                    f.description = None;
                    f.brand = None;
                }),
                100,
                true,
            ),
            "applied",
        ),
        (
            case(
                "original price below the price",
                with(|f| f.original_price = Some(Money(1000))),
                1250,
                true,
            ),
            "invalid:originalPrice",
        ),
        (
            case(
                "original price above the price",
                with(|f| f.original_price = Some(Money(4000))),
                1250,
                true,
            ),
            "applied",
        ),
        (
            case(
                "nothing but a title",
                ListingFields {
                    title: Some("Scarf".into()),
                    ..Default::default()
                },
                1250,
                false,
            ),
            "invalid:category",
        ),
    ];
    for (n, (case, expected)) in cases.iter().enumerate() {
        check(&t, &token, 100 + n as u8, case, expected).await;
    }
}
