//! The seller's SKU on the device: kept exactly as typed, in the row, the
//! editor's view and the outbox mutation.

use crate::common::*;
use rehome_model::draft::DraftField;
use rehome_model::sync::Mutation;

#[test]
fn a_sku_is_kept_exactly_in_the_row_and_the_mutation() {
    // (sku typed, what the server is told: None = nothing for an empty sku)
    let cases: &[(&str, Option<&str>)] = &[
        ("0012345678901234", Some("0012345678901234")),
        ("  A-1 / b  ", Some("  A-1 / b  ")),
        ("é🧥", Some("é🧥")),
        ("", None),
    ];
    for (sku, sent) in cases {
        let t = store();
        let id = create(
            &t.store,
            values(&[(DraftField::Title, "Shirt"), (DraftField::Sku, sku)]),
        );
        assert_eq!(t.store.get_draft(id).unwrap().values.sku, *sku, "{sku:?}");
        let out = t.store.outbox().unwrap();
        let Mutation::CreateListing { fields, .. } = &out[0].mutation else {
            panic!("{:?}", out[0].mutation)
        };
        assert_eq!(fields.sku.as_deref(), *sent, "create with {sku:?}");
        assert_clean(&t.store);
    }
}

#[test]
fn setting_a_sku_sends_it_exactly_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (_c, store) = open_in(dir.path(), 3);
    let id = create(&store, values(&[(DraftField::Title, "Coat")]));
    set(&store, id, DraftField::Sku, "000123 ");
    let fields: Vec<Option<String>> = store
        .outbox()
        .unwrap()
        .into_iter()
        .map(|r| match r.mutation {
            Mutation::CreateListing { fields, .. } | Mutation::UpdateListing { fields, .. } => {
                fields.sku
            }
            other => panic!("{other:?}"),
        })
        .collect();
    // Folded into the still-unsent create, or a separate update: either way
    // the last word on the sku is exactly what was typed.
    assert_eq!(
        fields.iter().flatten().last().map(String::as_str),
        Some("000123 ")
    );
    assert_clean(&store);
    drop(store);
    let (_c, store) = open_in(dir.path(), 3);
    assert_eq!(store.get_draft(id).unwrap().values.sku, "000123 ");
}

#[test]
fn a_sku_over_the_limit_is_kept_but_named_as_a_problem() {
    let t = store();
    let long = "9".repeat(rehome_model::draft::SKU_MAX + 1);
    let id = create(&t.store, values(&[(DraftField::Sku, &long)]));
    let draft = t.store.get_draft(id).unwrap();
    assert_eq!(draft.values.sku, long);
    assert!(
        draft
            .errors
            .iter()
            .any(|e| e.field == DraftField::Sku && e.message.contains("too long")),
        "{:?}",
        draft.errors
    );
}
