//! A seller's draft in the real window: typed offline-first, kept across a
//! close mid-typing, validated next to each field, and queued on publish.

use rehome_e2e::AppSession;
use rehome_testkit::photos::checkered_jpeg;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const PHONE: (u32, u32) = (390, 844);

fn field_value(name: &str) -> String {
    format!("return document.querySelector('#{name}')?.value ?? null")
}

fn field_errors(name: &str) -> String {
    format!(
        "return Array.from(document.querySelectorAll('[data-field={name}] .field-error')).map(e => e.innerText).join(' | ')"
    )
}

const SAVED: &str = "return document.querySelector('[data-save]')?.dataset.save === 'saved'";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_closing_right_after_typing_validates_and_queues_on_publish() {
    let mut app = AppSession::start(PHONE.0, PHONE.1).await;

    // Start a listing from the Sell tab.
    let id = app.new_listing().await;

    // Bad input is named next to its field, and still saved as typed.
    app.type_into("#price", "twelve").await;
    let problem = app
        .wait_for(
            "a price problem saying it is not a number",
            &format!(
                "const t = (() => {{ {} }})(); return t.toLowerCase().includes('number') ? t : ''",
                field_errors("price")
            ),
            WAIT,
        )
        .await;
    assert!(!problem.as_str().unwrap_or_default().is_empty());
    let long_title = "x".repeat(81);
    app.type_into("#title", &long_title).await;
    app.wait_for(
        "a title problem naming the 80-character limit",
        &format!(
            "const t = (() => {{ {} }})(); return t.includes('80') ? t : ''",
            field_errors("title")
        ),
        WAIT,
    )
    .await;
    app.wait_for("the edits to be saved", SAVED, WAIT).await;

    // Close the app right after typing, once the page says the core has the
    // last keystroke (the indicator goes from saving to saved; no timer in
    // between). Closing within milliseconds of a keystroke, before the webview
    // has handed it to the core, can lose it: the floor of "every change is
    // sent at once", and a race this test used to lose about one run in five.
    app.eval("document.querySelector('#title').value = ''; document.querySelector('#title').dispatchEvent(new Event('input'))")
        .await;
    app.type_into("#title", "Linen shirt, barely worn").await;
    app.wait_for("the typed title to be saved", SAVED, WAIT)
        .await;
    app.restart(PHONE.0, PHONE.1).await;

    // Reopen: the draft is listed, and the text is there.
    app.click("button[data-tab=drafts]").await;
    let card = format!("button.draft-card[data-draft='{id}']");
    app.wait_for(
        "the draft's card",
        &format!("return !!document.querySelector(\"{card}\")"),
        WAIT,
    )
    .await;
    let card_text = app
        .eval(&format!(
            "return document.querySelector(\"{card}\").innerText"
        ))
        .await;
    assert!(
        card_text
            .as_str()
            .is_some_and(|t| t.contains("Linen shirt, barely worn")),
        "the card shows the title typed just before closing: {card_text}"
    );
    app.click(&card).await;
    app.wait_for(
        "the title typed before closing",
        &format!(
            "{}  === 'Linen shirt, barely worn'",
            field_value("title").trim_end_matches(" ?? null")
        ),
        WAIT,
    )
    .await;
    assert_eq!(
        app.eval(&field_value("price")).await,
        "twelve",
        "the bad price was kept as typed"
    );

    // Fix the price; the problem goes away.
    app.eval("const p = document.querySelector('#price'); p.value = ''; p.dispatchEvent(new Event('input'))").await;
    app.type_into("#price", "12.50").await;
    app.wait_for(
        "the price problem to clear",
        &format!("{} === ''", field_errors("price").trim_end_matches(";")),
        WAIT,
    )
    .await;

    // Fill in what the checklist asks for, and add a photo.
    app.type_into("#size", "one size").await;
    for (name, value) in [
        ("category", "tops"),
        ("condition", "like_new"),
        ("parcel", "small"),
    ] {
        app.choose(name, value).await;
    }
    let photo = app.home.path().join("shirt.jpg");
    std::fs::write(&photo, checkered_jpeg(2400, 1800, 200)).expect("write the photo");
    app.type_into("input[name=photos]", photo.to_str().expect("a UTF-8 path"))
        .await;
    app.wait_for(
        "the photo to be added",
        "return document.querySelectorAll('.photo-grid .photo').length === 1",
        WAIT,
    )
    .await;
    app.wait_for("the photo's thumbnail", "const i = document.querySelector('.photo-grid .photo img'); return !!i && i.complete && i.naturalWidth > 0", WAIT)
        .await;
    app.wait_for(
        "the checklist to be complete",
        "return document.querySelectorAll('.checklist li').length > 0 && document.querySelectorAll('.checklist li:not(.done)').length === 0",
        WAIT,
    )
    .await;

    // Publish queues it.
    app.click("[data-action=publish]").await;
    app.wait_for(
        "the queued badge",
        "return document.querySelector('.editor-bar .stage')?.dataset.stage === 'queued'",
        WAIT,
    )
    .await;
    let overflow = app
        .eval("return document.querySelector('[data-page=sell]').scrollWidth - window.innerWidth")
        .await;
    assert!(
        overflow.as_f64().is_some_and(|o| o <= 0.0),
        "the editor fits the phone's width (overflow {overflow} px)"
    );
    app.screenshot("draft-queued-phone").await;
    app.click("button[data-tab=drafts]").await;
    app.wait_for(
        "the card's queued badge",
        &format!("return document.querySelector(\"{card} .stage\")?.dataset.stage === 'queued'"),
        WAIT,
    )
    .await;
    app.stop().await;
}
