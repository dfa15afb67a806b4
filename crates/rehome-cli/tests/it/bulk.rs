//! `rehome bulk …` on a real store file: JSON snapshots of a dry run, the
//! commit, the history, undo and redo, and the errors bad input gets.

use crate::draft::rehome;
use expect_test::{Expect, expect};
use serde_json::Value;
use std::path::Path;

/// The JSON with what differs between runs (ids, times) replaced.
fn redacted(mut v: Value) -> String {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    match k.as_str() {
                        "id" => *x = Value::String("<id>".into()),
                        "at" => *x = Value::from(0),
                        _ => walk(x),
                    }
                }
            }
            Value::Array(xs) => {
                xs.iter_mut().for_each(walk);
                // Rows edited in the same millisecond come in id order,
                // which is random: list them by title.
                xs.sort_by(|a, b| a["title"].as_str().cmp(&b["title"].as_str()));
            }
            _ => {}
        }
    }
    walk(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn check(data: &Path, args: &[&str], expected: Expect) {
    let r = rehome(data, args);
    assert!(r.ok, "{args:?}: {}", r.err);
    expected.assert_eq(&redacted(r.out));
}

fn check_err(data: &Path, args: &[&str], expected: Expect) {
    let r = rehome(data, args);
    assert!(!r.ok, "{args:?} should fail");
    expected.assert_eq(&redacted(r.err));
}

fn seed(data: &Path) {
    for (title, price, brand) in [
        ("Linen shirt", "12.50", "Uniqlo"),
        ("Wool coat", "80", "COS"),
        ("Denim jacket", "35,00", "Levi's"),
    ] {
        let r = rehome(
            data,
            &[
                "draft", "new", "--title", title, "--price", price, "--brand", brand,
            ],
        );
        assert!(r.ok, "{}", r.err);
    }
}

#[test]
fn bulk_price_previews_commits_undoes_and_redoes() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    seed(d);
    let price = [
        "bulk", "price", "--pct", "-10", "--round", "99", "--floor", "20", "--json",
    ];
    let mut dry = price.to_vec();
    dry.push("--dry-run");
    check(
        d,
        &dry,
        expect![[r#"
            {
              "changed": 2,
              "changes": [
                {
                  "after": "31.99",
                  "before": "35,00",
                  "field": "price",
                  "id": "<id>",
                  "title": "Denim jacket"
                },
                {
                  "after": "71.99",
                  "before": "80",
                  "field": "price",
                  "id": "<id>",
                  "title": "Wool coat"
                }
              ],
              "dryRun": true,
              "refusals": [
                {
                  "id": "<id>",
                  "reason": "the new price 10.99 is under the floor 20.00",
                  "title": "Linen shirt"
                }
              ],
              "refused": 1,
              "selected": 3,
              "unchanged": 0
            }"#]],
    );
    check(
        d,
        &price,
        expect![[r#"
            {
              "changed": 2,
              "changes": [
                {
                  "after": "31.99",
                  "before": "35,00",
                  "field": "price",
                  "id": "<id>",
                  "title": "Denim jacket"
                },
                {
                  "after": "71.99",
                  "before": "80",
                  "field": "price",
                  "id": "<id>",
                  "title": "Wool coat"
                }
              ],
              "dryRun": false,
              "refusals": [
                {
                  "id": "<id>",
                  "reason": "the new price 10.99 is under the floor 20.00",
                  "title": "Linen shirt"
                }
              ],
              "refused": 1,
              "selected": 3,
              "step": 1,
              "unchanged": 0
            }"#]],
    );
    check(
        d,
        &["bulk", "history", "--json"],
        expect![[r#"
            [
              {
                "at": 0,
                "label": "price -10.00 % round 99 floor 20.00",
                "rows": 2,
                "step": 1,
                "undone": false
              }
            ]"#]],
    );
    check(
        d,
        &["bulk", "undo"],
        expect![[r#"
            {
              "changes": [
                {
                  "after": "35,00",
                  "before": "31.99",
                  "field": "price",
                  "id": "<id>",
                  "title": "Denim jacket"
                },
                {
                  "after": "80",
                  "before": "71.99",
                  "field": "price",
                  "id": "<id>",
                  "title": "Wool coat"
                }
              ],
              "conflicts": [],
              "label": "price -10.00 % round 99 floor 20.00",
              "step": 1
            }"#]],
    );
    check(
        d,
        &["bulk", "redo"],
        expect![[r#"
            {
              "changes": [
                {
                  "after": "31.99",
                  "before": "35,00",
                  "field": "price",
                  "id": "<id>",
                  "title": "Denim jacket"
                },
                {
                  "after": "71.99",
                  "before": "80",
                  "field": "price",
                  "id": "<id>",
                  "title": "Wool coat"
                }
              ],
              "conflicts": [],
              "label": "price -10.00 % round 99 floor 20.00",
              "step": 1
            }"#]],
    );
}

#[test]
fn bulk_set_status_and_replace_take_a_where_filter() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    seed(d);
    check(
        d,
        &["bulk", "set", "brand", "COS", "--where", "brand=Levi's"],
        expect![[r#"
            {
              "changed": 1,
              "changes": [
                {
                  "after": "COS",
                  "before": "Levi's",
                  "field": "brand",
                  "id": "<id>",
                  "title": "Denim jacket"
                }
              ],
              "dryRun": false,
              "refusals": [],
              "refused": 0,
              "selected": 1,
              "step": 1,
              "unchanged": 0
            }"#]],
    );
    check(
        d,
        &[
            "bulk",
            "replace",
            "(\\w+) (\\w+)",
            "$2, $1",
            "--regex",
            "--where",
            "brand=cos",
        ],
        expect![[r#"
            {
              "changed": 2,
              "changes": [
                {
                  "after": "jacket, Denim",
                  "before": "Denim jacket",
                  "field": "title",
                  "id": "<id>",
                  "title": "Denim jacket"
                },
                {
                  "after": "coat, Wool",
                  "before": "Wool coat",
                  "field": "title",
                  "id": "<id>",
                  "title": "Wool coat"
                }
              ],
              "dryRun": false,
              "refusals": [],
              "refused": 0,
              "selected": 2,
              "step": 2,
              "unchanged": 0
            }"#]],
    );
    check(
        d,
        &["bulk", "status", "delisted", "--where", "all", "--dry-run"],
        expect![[r#"
            {
              "changed": 0,
              "changes": [],
              "dryRun": true,
              "refusals": [
                {
                  "id": "<id>",
                  "reason": "a draft is not on the marketplace to delist",
                  "title": "Linen shirt"
                },
                {
                  "id": "<id>",
                  "reason": "a draft is not on the marketplace to delist",
                  "title": "coat, Wool"
                },
                {
                  "id": "<id>",
                  "reason": "a draft is not on the marketplace to delist",
                  "title": "jacket, Denim"
                }
              ],
              "refused": 3,
              "selected": 3,
              "unchanged": 0
            }"#]],
    );
}

#[test]
fn bad_bulk_input_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("data");
    seed(d);
    check_err(
        d,
        &["bulk", "set", "category", "hats", "--where", "all"],
        expect![[r#"
            {
              "code": "invalid",
              "field": "category",
              "message": "\"hats\" is not a category"
            }"#]],
    );
    check_err(
        d,
        &["bulk", "set", "owner", "me", "--where", "all"],
        expect![[r#"
            {
              "code": "invalid",
              "field": "field",
              "message": "\"owner\" cannot be set in bulk; one of: category, brand, size, condition, colour, quantity"
            }"#]],
    );
    check_err(
        d,
        &["bulk", "status", "live", "--where", "colour"],
        expect![[r#"
            {
              "code": "invalid",
              "field": "where",
              "message": "\"colour\" is not field=value (or --where all)"
            }"#]],
    );
    check_err(
        d,
        &["bulk", "price", "--add", "ten"],
        expect![[r#"
            {
              "code": "invalid",
              "field": "add",
              "message": "--add \"ten\" is not a number (write it like -2.50)"
            }"#]],
    );
    check_err(
        d,
        &["bulk", "undo"],
        expect![[r#"
            {
              "code": "invalid",
              "message": "nothing to undo"
            }"#]],
    );
}
