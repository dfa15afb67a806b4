//! Bulk edits on a real store file: every operation previewed and committed,
//! refusals with their reasons, undo and redo (across a restart, past 100
//! steps), and an undo that meets a row changed since.

use crate::common::*;
use rehome_model::draft::DraftField;
use rehome_model::ipc::{
    BulkField, BulkOp, BulkReport, BulkRequest, BulkStatus, GridColumn, GridFilter, GridOp,
    PriceChange, ReplaceField, Rounding,
};
use rehome_model::{ListingId, Money};
use rehome_store::{Edit, Store};

/// Three drafts and one sold listing-to-be: (title, price, brand).
const ROWS: &[(&str, &str, &str)] = &[
    ("Linen shirt", "12.50", "Uniqlo"),
    ("Wool coat", "80", "COS"),
    ("Denim jacket", "35,00", "Levi's"),
    ("Silk dress", "abc", "Levi's"),
];

fn catalogue() -> (TestStore, Vec<ListingId>) {
    let t = store();
    let ids = ROWS
        .iter()
        .map(|(title, price, brand)| {
            t.clock.advance(1);
            create(
                &t.store,
                values(&[
                    (DraftField::Title, title),
                    (DraftField::Price, price),
                    (DraftField::Brand, brand),
                ]),
            )
        })
        .collect();
    (t, ids)
}

fn req(op: BulkOp, filters: Vec<GridFilter>, dry_run: bool) -> BulkRequest {
    BulkRequest {
        op,
        filters,
        ids: None,
        dry_run,
    }
}

fn brand(b: &str) -> Vec<GridFilter> {
    vec![GridFilter {
        column: GridColumn::Brand,
        op: GridOp::Eq,
        value: b.into(),
    }]
}

/// The report as short lines: `title: field before -> after` and
/// `title: refused (reason)`, changes first.
fn lines(r: &BulkReport) -> Vec<String> {
    let mut out: Vec<String> = r
        .changes
        .iter()
        .map(|c| format!("{}: {} {} -> {}", c.title, c.field, c.before, c.after))
        .collect();
    out.extend(
        r.refusals
            .iter()
            .map(|x| format!("{}: refused ({})", x.title, x.reason)),
    );
    out.sort();
    out
}

fn price(store: &Store, id: ListingId) -> String {
    store.get_draft(id).unwrap().values.price
}

fn price_op(change: PriceChange, round: Rounding, floor: Option<i64>) -> BulkOp {
    BulkOp::Price {
        change,
        round,
        floor: floor.map(Money),
    }
}

#[test]
fn every_operation_previews_exactly_what_it_commits() {
    type Case = (
        &'static str,
        BulkOp,
        Vec<GridFilter>,
        &'static [&'static str],
    );
    let cases: Vec<Case> = vec![
        (
            "price -10 %, to .99, floor 20",
            price_op(
                PriceChange::Percent(-1000),
                Rounding::NinetyNine,
                Some(2000),
            ),
            vec![],
            &[
                "Denim jacket: price 35,00 -> 31.99",
                "Linen shirt: refused (the new price 10.99 is under the floor 20.00)",
                "Silk dress: refused (its price \"abc\" is not a price to change)",
                "Wool coat: price 80 -> 71.99",
            ],
        ),
        (
            "price +2.50 for Levi's",
            price_op(PriceChange::Add(250), Rounding::None, None),
            brand("levi's"),
            &[
                "Denim jacket: price 35,00 -> 37.50",
                "Silk dress: refused (its price \"abc\" is not a price to change)",
            ],
        ),
        (
            "set brand",
            BulkOp::Set {
                field: BulkField::Brand,
                value: "COS".into(),
            },
            vec![],
            &[
                "Denim jacket: brand Levi's -> COS",
                "Linen shirt: brand Uniqlo -> COS",
                "Silk dress: brand Levi's -> COS",
            ],
        ),
        (
            "set quantity",
            BulkOp::Set {
                field: BulkField::Quantity,
                value: "3".into(),
            },
            brand("cos"),
            &["Wool coat: quantity 1 -> 3"],
        ),
        (
            "replace, plain text",
            BulkOp::Replace {
                pattern: "Linen".into(),
                replacement: "Flax $1".into(),
                regex: false,
                field: ReplaceField::Title,
            },
            vec![],
            &["Linen shirt: title Linen shirt -> Flax $1 shirt"],
        ),
        (
            "replace, regex with groups",
            BulkOp::Replace {
                pattern: r"^(\w+) (\w+)$".into(),
                replacement: "$2 ($1)".into(),
                regex: true,
                field: ReplaceField::Title,
            },
            brand("levi's"),
            &[
                "Denim jacket: title Denim jacket -> jacket (Denim)",
                "Silk dress: title Silk dress -> dress (Silk)",
            ],
        ),
        (
            "delist drafts: refused, they are not live",
            BulkOp::Status {
                status: BulkStatus::Delisted,
            },
            brand("cos"),
            &["Wool coat: refused (a draft is not on the marketplace to delist)"],
        ),
        (
            "publish: refused until ready",
            BulkOp::Status {
                status: BulkStatus::Live,
            },
            brand("cos"),
            &[
                "Wool coat: refused (not ready to publish: Category is required; Size is required (write \"one size\" for bags and accessories); Condition is required; Parcel is required; Add at least one photo)",
            ],
        ),
        (
            "delete drafts",
            BulkOp::DeleteDrafts,
            brand("uniqlo"),
            &["Linen shirt: deleted no -> yes"],
        ),
    ];
    for (name, op, filters, expected) in cases {
        let (t, _) = catalogue();
        let before = t.store.outbox().unwrap();
        let preview = t
            .store
            .bulk_edit(&req(op.clone(), filters.clone(), true))
            .unwrap();
        assert_eq!(lines(&preview), expected, "{name}: preview");
        assert_eq!(
            t.store.outbox().unwrap(),
            before,
            "{name}: a dry run writes nothing"
        );
        assert!(t.store.bulk_history(10).unwrap().is_empty(), "{name}");
        let done = t.store.bulk_edit(&req(op, filters, false)).unwrap();
        assert_eq!(lines(&done), expected, "{name}: commit");
        assert_eq!(
            preview.selected,
            done.changed + done.unchanged + done.refused,
            "{name}: every selected row is accounted for"
        );
        assert_eq!(
            done.step.is_some(),
            done.changed > 0,
            "{name}: one undo step"
        );
        assert_clean(&t.store);
    }
}

#[test]
fn bad_input_is_refused_as_a_whole_naming_the_problem() {
    let (t, _) = catalogue();
    let cases: Vec<(BulkOp, &str)> = vec![
        (
            BulkOp::Set {
                field: BulkField::Category,
                value: "hats".into(),
            },
            "\"hats\" is not a category",
        ),
        (
            BulkOp::Set {
                field: BulkField::Quantity,
                value: "0".into(),
            },
            "quantity \"0\" is not a whole number from 1 to 10000",
        ),
        (
            BulkOp::Replace {
                pattern: "(".into(),
                replacement: "".into(),
                regex: true,
                field: ReplaceField::Title,
            },
            "the pattern is not a regular expression",
        ),
    ];
    for (op, expected) in cases {
        let err = t.store.bulk_edit(&req(op, vec![], false)).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert!(t.store.bulk_history(10).unwrap().is_empty());
}

#[test]
fn a_sold_listing_keeps_its_title_and_price() {
    let (t, ids) = catalogue();
    t.store.apply_edit(Edit::MarkSold { id: ids[1] }).unwrap();
    let r = t
        .store
        .bulk_edit(&req(
            BulkOp::Replace {
                pattern: "o".into(),
                replacement: "0".into(),
                regex: false,
                field: ReplaceField::Title,
            },
            brand("cos"),
            false,
        ))
        .unwrap();
    assert_eq!(
        lines(&r),
        ["Wool coat: refused (a sold listing's title cannot change)"]
    );
    let r = t
        .store
        .bulk_edit(&req(
            price_op(PriceChange::Set(Money(100)), Rounding::None, None),
            brand("cos"),
            false,
        ))
        .unwrap();
    assert_eq!(
        lines(&r),
        ["Wool coat: refused (a sold listing's price cannot change)"]
    );
}

#[test]
fn undo_and_redo_put_every_row_back_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (_c, store) = open_in(dir.path(), 9);
    let a = create(
        &store,
        values(&[(DraftField::Title, "A"), (DraftField::Price, "12,50")]),
    );
    let b = create(
        &store,
        values(&[(DraftField::Title, "B"), (DraftField::Price, "20")]),
    );
    let r = store
        .bulk_edit(&req(
            price_op(PriceChange::Percent(-1000), Rounding::None, None),
            vec![],
            false,
        ))
        .unwrap();
    assert_eq!(r.changed, 2);
    assert_eq!(
        (price(&store, a), price(&store, b)),
        ("11.25".into(), "18.00".into())
    );
    drop(store);

    let (_c, store) = open_in(dir.path(), 9);
    let undo = store.bulk_undo().unwrap();
    assert_eq!(undo.changes.len(), 2);
    // Exactly as typed before, comma and all.
    assert_eq!(
        (price(&store, a), price(&store, b)),
        ("12,50".into(), "20".into())
    );
    assert!(store.bulk_history(10).unwrap()[0].undone);
    drop(store);

    let (_c, store) = open_in(dir.path(), 9);
    store.bulk_redo().unwrap();
    assert_eq!(
        (price(&store, a), price(&store, b)),
        ("11.25".into(), "18.00".into())
    );
    assert!(
        store
            .bulk_redo()
            .unwrap_err()
            .to_string()
            .contains("nothing to redo")
    );
    assert_clean(&store);
}

#[test]
fn more_than_a_hundred_steps_are_kept_and_undone_in_order() {
    let t = store();
    let id = create(
        &t.store,
        values(&[(DraftField::Title, "A"), (DraftField::Price, "10.00")]),
    );
    for _ in 0..120 {
        t.store
            .bulk_edit(&req(
                price_op(PriceChange::Add(1), Rounding::None, None),
                vec![],
                false,
            ))
            .unwrap();
    }
    assert_eq!(price(&t.store, id), "11.20");
    assert_eq!(t.store.bulk_history(1000).unwrap().len(), 120);
    for _ in 0..110 {
        t.store.bulk_undo().unwrap();
    }
    assert_eq!(price(&t.store, id), "10.10");
    // Something new drops the redo of what was undone.
    t.store
        .bulk_edit(&req(
            price_op(PriceChange::Set(Money(5000)), Rounding::None, None),
            vec![],
            false,
        ))
        .unwrap();
    assert!(t.store.bulk_redo().is_err());
    assert_eq!(t.store.bulk_history(1000).unwrap().len(), 11);
}

#[test]
fn an_undo_never_overwrites_a_row_changed_since_and_shows_the_conflict() {
    let (t, ids) = catalogue();
    t.store
        .bulk_edit(&req(
            price_op(PriceChange::Add(100), Rounding::None, None),
            vec![],
            false,
        ))
        .unwrap();
    // The seller (or another device's pull) changes one price afterwards.
    set(&t.store, ids[0], DraftField::Price, "9.00");
    let undo = t.store.bulk_undo().unwrap();
    assert_eq!(undo.changes.len(), 2, "the other rows go back");
    assert_eq!(undo.conflicts.len(), 1);
    assert!(
        undo.conflicts[0]
            .reason
            .contains("changed since to \"9.00\""),
        "{:?}",
        undo.conflicts
    );
    assert_eq!(price(&t.store, ids[0]), "9.00", "kept, not overwritten");
    assert_eq!(price(&t.store, ids[1]), "80");
    let conflicts = t.store.open_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].listing_id, ids[0]);
    assert_eq!(
        (conflicts[0].mine.as_str(), conflicts[0].theirs.as_str()),
        ("1250", "900")
    );
    assert_clean(&t.store);
}

#[test]
fn a_deleted_draft_comes_back_with_undo() {
    let (t, ids) = catalogue();
    t.store
        .bulk_edit(&req(BulkOp::DeleteDrafts, brand("levi's"), false))
        .unwrap();
    assert_eq!(t.store.list_drafts().unwrap().len(), 2);
    t.store.bulk_undo().unwrap();
    assert_eq!(t.store.list_drafts().unwrap().len(), 4);
    assert_eq!(
        t.store.get_draft(ids[2]).unwrap().values.title,
        "Denim jacket"
    );
}

/// The grid's selection narrows the filters' rows: only the selected rows
/// that the filters also select change; an empty selection changes nothing.
#[test]
fn a_selection_edits_only_its_rows() {
    let (t, ids) = catalogue();
    let set = |filters, only: Option<Vec<ListingId>>| {
        let mut r = req(
            price_op(PriceChange::Set(Money(500)), Rounding::None, None),
            filters,
            true,
        );
        r.ids = only;
        lines(&t.store.bulk_edit(&r).unwrap())
    };
    type Case = (
        Vec<GridFilter>,
        Option<Vec<ListingId>>,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            vec![],
            Some(vec![ids[0], ids[1]]),
            &[
                "Linen shirt: price 12.50 -> 5.00",
                "Wool coat: price 80 -> 5.00",
            ],
        ),
        (
            brand("levi's"),
            Some(vec![ids[0], ids[2]]),
            &["Denim jacket: price 35,00 -> 5.00"],
        ),
        (vec![], Some(vec![]), &[]),
    ];
    for (filters, only, want) in cases {
        assert_eq!(set(filters.clone(), only.clone()), *want, "{only:?}");
    }
}
