//! `rehome listing delist|relist|sold|quantity` on a real data folder: each
//! step's JSON (stage, quantity, pending changes) or its error code and field.

use std::path::Path;

/// Runs each step (`ID` stands for the listing) and compares what it printed,
/// as `stage quantity pending` or `error code field`.
fn check(data: &Path, id: &str, steps: &[(&[&str], &str)]) {
    for (args, expected) in steps {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "ID" { id } else { a })
            .collect();
        let run = crate::draft::rehome(data, &args);
        let out = if run.ok { run.out } else { run.err };
        let got = if run.ok {
            format!(
                "{} {} {}",
                out["stage"].as_str().unwrap_or("?"),
                out["quantity"],
                out["pendingChanges"]
            )
        } else {
            format!(
                "error {} {}",
                out["code"].as_str().unwrap_or("?"),
                out["field"].as_str().unwrap_or("-")
            )
        };
        assert_eq!(got, *expected, "rehome {args:?} -> {out}");
    }
}

#[test]
fn lifecycle_commands_follow_the_listing_and_keep_the_error_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let photo = crate::draft::tiny_jpeg(dir.path(), "shirt.jpg");
    let new = [
        &["draft", "new"],
        crate::support::READY_DRAFT,
        &["--photo", &photo],
    ]
    .concat();
    let created = crate::draft::rehome(&data, &new);
    assert!(created.ok, "{}", created.err);
    let id = created.out["id"].as_str().unwrap().to_owned();
    // Pending changes count the create, the photo's attach and each step.
    check(
        &data,
        &id,
        &[
            (&["listing", "relist", "ID"], "error invalid -"),
            (&["listing", "quantity", "ID", "3"], "draft 3 3"),
            (&["draft", "publish", "ID"], "? null null"),
            (&["listing", "delist", "ID"], "delisted 3 5"),
            (&["listing", "delist", "ID"], "delisted 3 5"),
            (&["listing", "relist", "ID"], "queued 3 6"),
            (
                &["listing", "quantity", "ID", "0"],
                "error invalid quantity",
            ),
            (
                &["listing", "quantity", "ID", "10001"],
                "error invalid quantity",
            ),
            (&["listing", "sold", "ID"], "sold 3 7"),
            (&["listing", "sold", "ID"], "sold 3 7"),
            (&["listing", "relist", "ID"], "error invalid -"),
            (&["listing", "delist", "ID"], "error invalid -"),
            (&["listing", "quantity", "ID", "2"], "error invalid -"),
            (&["listing", "delist", "not-an-id"], "error invalid id"),
            (
                &["listing", "sold", "01977420-dc00-7000-8000-000000000000"],
                "error not_found -",
            ),
        ],
    );
}
