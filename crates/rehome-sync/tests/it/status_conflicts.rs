//! Status and quantity conflicts between two devices of one seller, settled
//! with "keep mine", "take theirs" or a typed value: each choice becomes the
//! store edit it implies, and both devices and the server end on the value.

use crate::devices::{Pair, pair, shared_listing};
use rehome_model::ListingId;
use rehome_model::draft::DraftStage;
use rehome_model::sync::GuardedField;
use rehome_store::Edit;
use rehome_sync::conflicts::{self, Resolution};

#[derive(Clone, Copy, Debug)]
enum Clash {
    /// A delists then relists (the server: live, two versions on); B, which
    /// had not heard, delists: mine `delisted`, theirs `live`.
    DelistAgainstRelisted,
    /// A marks it sold; B delists. The server answers any edit of a sold
    /// listing with mine `live`, theirs `sold`.
    DelistAgainstSold,
    /// A sets 3 units, B sets 5 from the same base: mine `5`, theirs `3`.
    Quantity,
}

/// What happens: the resolve call's result (`ok` or the error's text
/// fragment), then the value the server and both devices end on (a status
/// name or a quantity).
struct Expected {
    resolve: &'static str,
    end: &'static str,
}

fn status_of(stage: &DraftStage) -> String {
    match stage {
        DraftStage::Live => "live".into(),
        DraftStage::Delisted => "delisted".into(),
        DraftStage::Sold => "sold".into(),
        other => format!("{other:?}"),
    }
}

fn server_value(p: &Pair, field: GuardedField) -> String {
    let column = match field {
        GuardedField::Quantity => "CAST(quantity AS TEXT)",
        _ => "status",
    };
    p.server
        .db()
        .query_row(&format!("SELECT {column} FROM listings"), [], |r| r.get(0))
        .unwrap()
}

fn device_value(d: &crate::support::Device, id: ListingId, field: GuardedField) -> String {
    match field {
        GuardedField::Quantity => d.store.quantity(id).unwrap().to_string(),
        _ => status_of(&d.store.get_draft(id).unwrap().stage),
    }
}

/// Makes the clash, checks the conflict B shows, resolves it with `choice`,
/// lets both devices settle and checks where everyone ends.
async fn check(name: &str, clash: Clash, choice: Resolution, expected: Expected) {
    let p = pair(&format!("c_{name}")).await;
    let id = shared_listing(&p).await;
    let (a, b) = (&p.a.store, &p.b.store);
    let (field, mine, theirs) = match clash {
        Clash::DelistAgainstRelisted => {
            a.apply_edit(Edit::Delist { id }).unwrap();
            p.a.settle().await;
            a.apply_edit(Edit::Relist { id }).unwrap();
            p.a.settle().await;
            b.apply_edit(Edit::Delist { id }).unwrap();
            (GuardedField::Status, "delisted", "live")
        }
        Clash::DelistAgainstSold => {
            a.apply_edit(Edit::MarkSold { id }).unwrap();
            p.a.settle().await;
            b.apply_edit(Edit::Delist { id }).unwrap();
            (GuardedField::Status, "live", "sold")
        }
        Clash::Quantity => {
            a.apply_edit(Edit::SetQuantity { id, quantity: 3 }).unwrap();
            b.apply_edit(Edit::SetQuantity { id, quantity: 5 }).unwrap();
            p.a.settle().await;
            (GuardedField::Quantity, "5", "3")
        }
    };
    let report = p.b.settle().await;
    assert_eq!(report.conflicts, 1, "{name}: B's edit is a conflict");
    let open = conflicts::list(b).unwrap();
    assert_eq!(open.len(), 1, "{name}");
    assert_eq!(
        (
            open[0].field,
            open[0].mine.as_str(),
            open[0].theirs.as_str()
        ),
        (field, mine, theirs),
        "{name}: the conflict as B shows it"
    );
    assert_eq!(
        device_value(&p.b, id, field),
        theirs,
        "{name}: until resolved, B shows the server's value"
    );

    let got = match conflicts::resolve(b, open[0].id, choice) {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    };
    assert!(
        got.contains(expected.resolve),
        "{name}: resolve gave {got:?}, expected {:?}",
        expected.resolve
    );
    let still_open = conflicts::list(b).unwrap().len();
    assert_eq!(
        still_open,
        usize::from(expected.resolve != "ok"),
        "{name}: a refused choice leaves the conflict open"
    );
    let again = p.b.settle().await;
    assert_eq!(
        again.conflicts, 0,
        "{name}: the resolution is not a conflict"
    );
    p.a.settle().await;
    assert_eq!(server_value(&p, field), expected.end, "{name}: server");
    for (device, d) in [("A", &p.a), ("B", &p.b)] {
        assert_eq!(
            device_value(d, id, field),
            expected.end,
            "{name}: device {device}"
        );
    }
}

#[tokio::test]
async fn status_and_quantity_conflicts_resolve_into_the_edit_the_choice_implies() {
    use Clash::*;
    let value = |v: &str| Resolution::Value(v.into());
    let cases: Vec<(&str, Clash, Resolution, Expected)> = vec![
        (
            "mine_delists",
            DelistAgainstRelisted,
            Resolution::Mine,
            Expected {
                resolve: "ok",
                end: "delisted",
            },
        ),
        (
            "theirs_stays_live",
            DelistAgainstRelisted,
            Resolution::Theirs,
            Expected {
                resolve: "ok",
                end: "live",
            },
        ),
        (
            "typed_sold",
            DelistAgainstRelisted,
            value("sold"),
            Expected {
                resolve: "ok",
                end: "sold",
            },
        ),
        (
            "typed_live_is_already_so",
            DelistAgainstRelisted,
            value("Live"),
            Expected {
                resolve: "ok",
                end: "live",
            },
        ),
        (
            "typed_delisted",
            DelistAgainstRelisted,
            value(" delisted "),
            Expected {
                resolve: "ok",
                end: "delisted",
            },
        ),
        (
            "typed_nonsense",
            DelistAgainstRelisted,
            value("gone"),
            Expected {
                resolve: "not one of: live, delisted, sold",
                end: "live",
            },
        ),
        (
            "sold_cannot_go_live",
            DelistAgainstSold,
            Resolution::Mine,
            Expected {
                resolve: "a sold listing cannot be published",
                end: "sold",
            },
        ),
        (
            "sold_cannot_be_delisted",
            DelistAgainstSold,
            value("delisted"),
            Expected {
                resolve: "a sold listing cannot be delisted",
                end: "sold",
            },
        ),
        (
            "sold_taken",
            DelistAgainstSold,
            Resolution::Theirs,
            Expected {
                resolve: "ok",
                end: "sold",
            },
        ),
        (
            "quantity_mine",
            Quantity,
            Resolution::Mine,
            Expected {
                resolve: "ok",
                end: "5",
            },
        ),
        (
            "quantity_theirs",
            Quantity,
            Resolution::Theirs,
            Expected {
                resolve: "ok",
                end: "3",
            },
        ),
        (
            "quantity_typed",
            Quantity,
            value("7"),
            Expected {
                resolve: "ok",
                end: "7",
            },
        ),
        (
            "quantity_zero",
            Quantity,
            value("0"),
            Expected {
                resolve: "quantity is 1 to",
                end: "3",
            },
        ),
        (
            "quantity_words",
            Quantity,
            value("five"),
            Expected {
                resolve: "not a whole number",
                end: "3",
            },
        ),
    ];
    for (name, clash, choice, expected) in cases {
        check(name, clash, choice, expected).await;
    }
}
