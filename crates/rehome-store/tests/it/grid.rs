//! The grid's pages and counts: every filter and sort on a real store file.

use crate::common::*;
use rehome_model::draft::DraftField;
use rehome_model::ipc::{GridColumn, GridFilter, GridOp, GridQuery, GridSort};
use rehome_store::Store;

/// A small catalogue: (title, price, brand, size, sku), each a draft, made a
/// millisecond apart so "updated" has an order.
const ROWS: &[(&str, &str, &str, &str, &str)] = &[
    ("Linen shirt", "12.50", "Uniqlo", "M", "0012345678901234"),
    ("Wool coat", "80", "COS", "L", "C-2"),
    ("denim jacket", "35,00", "Levi's", "M", "A-1"),
    ("Silk dress", "", "Arket", "S", ""),
    ("Anorak", "abc", "levi's", "XL", "B-9"),
];

fn catalogue() -> (TestStore, Vec<rehome_model::ListingId>) {
    let t = store();
    let mut ids = Vec::new();
    for (title, price, brand, size, sku) in ROWS {
        t.clock.advance(1);
        ids.push(create(
            &t.store,
            values(&[
                (DraftField::Title, title),
                (DraftField::Price, price),
                (DraftField::Brand, brand),
                (DraftField::Size, size),
                (DraftField::Sku, sku),
            ]),
        ));
    }
    (t, ids)
}

fn f(column: GridColumn, op: GridOp, value: &str) -> GridFilter {
    GridFilter {
        column,
        op,
        value: value.into(),
    }
}

fn titles(store: &Store, filters: Vec<GridFilter>, sort: Option<GridSort>) -> Vec<String> {
    let page = store
        .grid_page(&GridQuery {
            filters: filters.clone(),
            sort,
            offset: 0,
            limit: 100,
        })
        .unwrap();
    assert_eq!(page.total, page.rows.len() as u64);
    assert_eq!(store.grid_count(&filters).unwrap(), page.total);
    page.rows.into_iter().map(|r| r.title).collect()
}

#[test]
fn filters_and_sorts_on_every_kind_of_column() {
    use GridColumn::*;
    use GridOp::*;
    let (t, _) = catalogue();
    let asc = |column| {
        Some(GridSort {
            column,
            descending: false,
        })
    };
    let desc = |column| {
        Some(GridSort {
            column,
            descending: true,
        })
    };
    type Case = (
        &'static str,
        Vec<GridFilter>,
        Option<GridSort>,
        &'static [&'static str],
    );
    let cases: Vec<Case> = vec![
        (
            "default: newest first",
            vec![],
            None,
            &[
                "Anorak",
                "Silk dress",
                "denim jacket",
                "Wool coat",
                "Linen shirt",
            ],
        ),
        (
            "title, ignoring case",
            vec![],
            asc(Title),
            &[
                "Anorak",
                "denim jacket",
                "Linen shirt",
                "Silk dress",
                "Wool coat",
            ],
        ),
        (
            "title descending",
            vec![],
            desc(Title),
            &[
                "Wool coat",
                "Silk dress",
                "Linen shirt",
                "denim jacket",
                "Anorak",
            ],
        ),
        // Unparsed prices ("", "abc") have no cents and sort first.
        (
            "price",
            vec![],
            asc(Price),
            &[
                "Silk dress",
                "Anorak",
                "Linen shirt",
                "denim jacket",
                "Wool coat",
            ],
        ),
        (
            "brand equal, ignoring case",
            vec![f(Brand, Eq, "LEVI'S")],
            asc(Title),
            &["Anorak", "denim jacket"],
        ),
        (
            "title contains",
            vec![f(Title, Contains, "JACK")],
            None,
            &["denim jacket"],
        ),
        (
            "price below",
            vec![f(Price, Below, "35")],
            None,
            &["Linen shirt"],
        ),
        (
            "price above, as typed with a comma",
            vec![f(Price, Above, "12,50")],
            asc(Price),
            &["denim jacket", "Wool coat"],
        ),
        (
            "price equal",
            vec![f(Price, Eq, "35.00")],
            None,
            &["denim jacket"],
        ),
        (
            "two terms",
            vec![f(Size, Eq, "m"), f(Brand, Eq, "uniqlo")],
            None,
            &["Linen shirt"],
        ),
        (
            "sku kept exactly",
            vec![f(Sku, Eq, "0012345678901234")],
            None,
            &["Linen shirt"],
        ),
        (
            "sku without its zeros is another sku",
            vec![f(Sku, Eq, "12345678901234")],
            None,
            &[],
        ),
        (
            "sku sort",
            vec![f(Sku, Above, "")],
            asc(Sku),
            &["Linen shirt", "denim jacket", "Anorak", "Wool coat"],
        ),
        (
            "status",
            vec![f(Status, Eq, "draft")],
            asc(Title),
            &[
                "Anorak",
                "denim jacket",
                "Linen shirt",
                "Silk dress",
                "Wool coat",
            ],
        ),
        ("status live: none", vec![f(Status, Eq, "live")], None, &[]),
        (
            "quantity, from the outbox's create",
            vec![f(Quantity, Eq, "1")],
            desc(Quantity),
            &[
                "Anorak",
                "Silk dress",
                "denim jacket",
                "Wool coat",
                "Linen shirt",
            ],
        ),
        (
            "sync state: all pending",
            vec![f(SyncState, Eq, "pending")],
            asc(Title),
            &[
                "Anorak",
                "denim jacket",
                "Linen shirt",
                "Silk dress",
                "Wool coat",
            ],
        ),
        (
            "sync state: none synced",
            vec![f(SyncState, Eq, "synced")],
            None,
            &[],
        ),
        (
            "updated after",
            vec![f(Updated, Above, &(T0 + 3).to_string())],
            asc(Updated),
            &["Silk dress", "Anorak"],
        ),
    ];
    for (name, filters, sort, expected) in cases {
        assert_eq!(titles(&t.store, filters, sort), expected, "{name}");
    }
}

#[test]
fn pages_follow_each_other_without_overlap_and_deleted_rows_are_not_there() {
    let (t, ids) = catalogue();
    t.store
        .apply_edit(rehome_store::Edit::DeleteDraft { id: ids[1] })
        .unwrap();
    let sort = Some(GridSort {
        column: GridColumn::Title,
        descending: false,
    });
    let mut seen = Vec::new();
    for offset in (0..6).step_by(2) {
        let page = t
            .store
            .grid_page(&GridQuery {
                filters: vec![],
                sort,
                offset,
                limit: 2,
            })
            .unwrap();
        assert_eq!(page.total, 4, "the deleted draft is not counted");
        seen.extend(page.rows.into_iter().map(|r| r.title));
    }
    assert_eq!(
        seen,
        ["Anorak", "denim jacket", "Linen shirt", "Silk dress"]
    );
}

#[test]
fn a_row_carries_every_column_as_typed() {
    let (t, ids) = catalogue();
    let page = t
        .store
        .grid_page(&GridQuery {
            filters: vec![f(GridColumn::Sku, GridOp::Eq, "A-1")],
            sort: None,
            offset: 0,
            limit: 1,
        })
        .unwrap();
    let row = &page.rows[0];
    assert_eq!(row.id, ids[2]);
    assert_eq!(row.price, "35,00");
    assert_eq!(row.price_cents, Some(rehome_model::Money(3500)));
    assert_eq!(row.brand, "Levi's");
    assert_eq!(row.quantity, 1);
    assert_eq!(row.pending_changes, 1);
    assert_eq!(row.updated_at, T0 + 3);
}

#[test]
fn bad_queries_are_refused_naming_the_column() {
    use GridColumn::*;
    use GridOp::*;
    let (t, _) = catalogue();
    let cases: Vec<(GridFilter, &str)> = vec![
        (
            f(Price, Eq, "cheap"),
            "filter on price: \"cheap\" is not a price",
        ),
        (
            f(Quantity, Above, "-1"),
            "filter on quantity: \"-1\" is not a whole number",
        ),
        (
            f(Price, Contains, "1"),
            "filter on price: a number is compared, not searched",
        ),
        (
            f(Status, Eq, "gone"),
            "filter on status: \"gone\" is not a status; one of: draft, queued, live, delisted, sold",
        ),
        (
            f(SyncState, Below, "pending"),
            "filter on syncState: only equality (=) applies",
        ),
    ];
    for (filter, expected) in cases {
        let column = filter.column;
        let err = t.store.grid_count(&[filter]).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
        assert_eq!(err.field().as_deref(), Some(column.as_str()));
    }
    let err = t
        .store
        .grid_page(&GridQuery {
            filters: vec![],
            sort: None,
            offset: 0,
            limit: 501,
        })
        .unwrap_err();
    assert!(err.to_string().contains("a page is 1 to 500 rows"), "{err}");
}
