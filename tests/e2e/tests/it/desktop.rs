//! A power-seller at a desktop-width window: the editor is a two-column form,
//! and duplicate, delete (with its confirmation) and undo work in the window
//! and in the store.

use rehome_e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const DESKTOP: (u32, u32) = (1280, 800);

const SAVED: &str = "return document.querySelector('[data-save]')?.dataset.save === 'saved'";
/// At this width the Drafts tab is the seller's grid: the ids of its rows.
const GRID_IDS: &str =
    "Array.from(document.querySelectorAll('.grid-row')).map(r => r.dataset.id).filter(Boolean)";
const OPEN_DRAFT: &str = "return document.querySelector('section.editor')?.dataset.draft ?? ''";

/// The ids of the drafts the store holds, as the CLI lists them.
fn stored_drafts(app: &AppSession) -> Vec<String> {
    let list = app.rehome(&["draft", "list", "--json"]);
    list.as_array()
        .expect("a JSON array of drafts")
        .iter()
        .map(|d| d["id"].as_str().expect("a draft id").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desktop_seller_edits_in_two_columns_duplicates_deletes_and_undoes() {
    let app = AppSession::start(DESKTOP.0, DESKTOP.1).await;
    let first = app.new_listing().await;

    // Two columns: the checklist and actions sit beside the form, not below it.
    let layout = app
        .eval(
            "const m = document.querySelector('.editor-main').getBoundingClientRect();
             const s = document.querySelector('.editor-side').getBoundingClientRect();
             return {mainRight: m.right, sideLeft: s.left, mainTop: m.top, sideTop: s.top, sideWidth: s.width}",
        )
        .await;
    let num = |k: &str| layout[k].as_f64().unwrap_or(f64::NAN);
    assert!(
        num("sideLeft") >= num("mainRight") && (num("sideTop") - num("mainTop")).abs() < 100.0,
        "the side column is beside the form: {layout}"
    );
    assert!(
        num("sideWidth") > 200.0,
        "the side column is usable: {layout}"
    );

    app.type_into("#title", "Wool coat, camel").await;
    app.type_into("#price", "40").await;
    app.wait_for("the edits to be saved", SAVED, WAIT).await;
    app.screenshot("editor-desktop").await;

    // Duplicate: the copy opens with the same fields, and the store holds both.
    app.click("[data-action=duplicate]").await;
    let copy = app
        .wait_for(
            "the copy to open",
            &format!(
                "const id = document.querySelector('section.editor')?.dataset.draft;
                 return id && id !== '{first}' && document.querySelector('#title')?.value === 'Wool coat, camel' ? id : ''"
            ),
            WAIT,
        )
        .await;
    let copy = copy.as_str().expect("the copy's id").to_owned();
    let mut stored = stored_drafts(&app);
    stored.sort();
    let mut expected = vec![first.clone(), copy.clone()];
    expected.sort();
    assert_eq!(stored, expected, "the store holds the draft and its copy");

    // Delete asks first; keeping it changes nothing.
    app.click("[data-action=delete]").await;
    app.wait_for(
        "the confirmation",
        "return !!document.querySelector('[data-action=confirm-delete]')",
        WAIT,
    )
    .await;
    assert_eq!(stored_drafts(&app).len(), 2, "asking deletes nothing");
    app.click("[data-action=confirm-delete]").await;
    app.wait_for(
        "the undo toast",
        "return !!document.querySelector('[data-action=undo-delete]')",
        WAIT,
    )
    .await;
    assert_eq!(
        stored_drafts(&app),
        vec![first.clone()],
        "the copy is deleted"
    );
    app.click("button[data-tab=drafts]").await;
    app.wait_for(
        "one row left in the grid",
        &format!(
            "const rows = {GRID_IDS};
             return rows.length === 1 && rows[0] === '{first}'"
        ),
        WAIT,
    )
    .await;

    // Undo brings the copy back, open in the editor.
    app.click("[data-action=undo-delete]").await;
    app.wait_for(
        "the copy to reopen",
        &format!("{} === '{copy}'", OPEN_DRAFT.trim_end_matches(" ?? ''")),
        WAIT,
    )
    .await;
    assert_eq!(stored_drafts(&app).len(), 2, "undo restores the copy");
    app.click("button[data-tab=drafts]").await;
    app.wait_for(
        "both rows in the grid",
        &format!("return {GRID_IDS}.length === 2"),
        WAIT,
    )
    .await;
    app.stop().await;
}
