//! Sync in the real window: a seller signed in (through the CLI, the token in
//! a private gnome-keyring) publishes a listing with photos while the server
//! is down and sees it queued and the indicator offline; the server comes
//! back on the same port and data, the app notices by itself and syncs, the card
//! goes live; an edit of the live listing the server refuses needs attention
//! and, fixed, a retry takes it live again; the listing shows in the feed
//! with its photos.

use rehome_e2e::{AppSession, PrivateKeyring, Server, binary};
use rehome_testkit::photos::checkered_jpeg;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const PHONE: (u32, u32) = (390, 844);

fn indicator_is(state: &str) -> String {
    format!("return document.querySelector('[data-sync]')?.dataset.sync === '{state}'")
}

/// `rehome --data DIR signup --server URL --user HANDLE`, the password on stdin.
pub(crate) fn sign_up_with_the_cli(app: &AppSession, handle: &str) {
    let mut child = Command::new(binary("rehome"))
        .arg("--data")
        .arg(app.home.path().join("data/app.rehome"))
        .args(["signup", "--server", &app.server.url, "--user", handle])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rehome signup");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"correct horse battery\n")
        .expect("send the password");
    let out = child.wait_with_output().expect("rehome signup");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rehome signup: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("\"keptInKeychain\": true") || stdout.contains("\"keptInKeychain\":true"),
        "the token went to the private keyring: {stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_published_offline_goes_live_when_the_server_returns_and_shows_in_the_feed() {
    let keyring = PrivateKeyring::start();
    // SAFETY: E2E tests run one per process (nextest), and nothing has
    // started a thread that reads the environment yet.
    unsafe { keyring.set_in_this_process() };
    let mut app = AppSession::start(PHONE.0, PHONE.1).await;

    // Not signed in: the indicator says so. Signed in (through the CLI, on
    // the app's own folder and keychain): it syncs and is up to date.
    app.wait_for("'sign in to sync'", &indicator_is("signed_out"), WAIT)
        .await;
    sign_up_with_the_cli(&app, "e2e_seller");
    app.wait_for(
        "the indicator to be up to date",
        &indicator_is("up_to_date"),
        WAIT,
    )
    .await;

    // Offline: the server stops.
    let listen = app.server.url.trim_start_matches("http://").to_owned();
    app.server.process.terminate();

    // A complete draft with two photos, published.
    let id = app.new_listing().await;
    app.type_into("#title", "Denim jacket, offline").await;
    app.type_into("#price", "34").await;
    // The checklist (and the server) asks for a size.
    app.type_into("#size", "L").await;
    for (name, value) in [
        ("category", "outerwear"),
        ("condition", "good"),
        ("parcel", "medium"),
    ] {
        app.choose(name, value).await;
    }
    for (n, tint) in [(1, 200), (2, 90)] {
        let photo = app.home.path().join(format!("jacket-{n}.jpg"));
        std::fs::write(&photo, checkered_jpeg(1600, 1200, tint)).expect("write the photo");
        app.type_into("input[name=photos]", photo.to_str().expect("a UTF-8 path"))
            .await;
        app.wait_for(
            "the photo to be added",
            &format!("return document.querySelectorAll('.photo-grid .photo').length === {n}"),
            WAIT,
        )
        .await;
    }
    app.wait_for(
        "the checklist to be complete",
        "return document.querySelectorAll('.checklist li').length > 0 && document.querySelectorAll('.checklist li:not(.done)').length === 0",
        WAIT,
    )
    .await;
    app.click("[data-action=publish]").await;

    // Queued, and the indicator says offline.
    app.wait_for(
        "the queued badge in the editor",
        "return document.querySelector('.editor-bar .stage')?.dataset.stage === 'queued'",
        WAIT,
    )
    .await;
    app.wait_for("the offline indicator", &indicator_is("offline"), WAIT)
        .await;
    app.click("button[data-tab=drafts]").await;
    let card_stage = format!(
        "return document.querySelector(\"button.draft-card[data-draft='{id}'] .stage\")?.dataset.stage"
    );
    app.wait_for(
        "the card's queued badge",
        &format!(
            "return ({}) === 'queued'",
            card_stage.trim_start_matches("return ")
        ),
        WAIT,
    )
    .await;

    // The server comes back on the same port and data. Nobody taps
    // anything: the app notices the server accepts connections again (it
    // looks every 2 s while offline) and syncs without waiting out its
    // backoff. Record every stage the card shows on the way to live.
    app.server = Server::start_demo_on(&app.home.path().join("server"), &listen);
    let watch = format!(
        "const s = ({})(); window.__stages = window.__stages || []; \
         if (s && window.__stages[window.__stages.length - 1] !== s) window.__stages.push(s); \
         return s === 'live'",
        format_args!("() => {{ {card_stage} }}")
    );
    app.wait_for("the card to go live", &watch, WAIT).await;
    let stages = app.eval("return window.__stages").await;
    // Printed for people: the steps in between (uploading, publishing) may
    // be quicker than the page's one-second poll.
    eprintln!("stages seen on the way: {stages}");
    app.wait_for(
        "the indicator to be up to date",
        &indicator_is("up_to_date"),
        WAIT,
    )
    .await;

    // The server has it live with both photos.
    let listing: serde_json::Value = app.server.get_json(&format!("/v1/listings/{id}"));
    assert_eq!(listing["title"], "Denim jacket, offline", "{listing}");
    assert_eq!(listing["status"], "live", "{listing}");
    assert_eq!(
        listing["photos"].as_array().map(Vec::len),
        Some(2),
        "{listing}"
    );

    // Editing the live listing goes through the outbox the same way: a
    // title the server refuses needs attention, with the reason and a retry;
    // fixed and retried, it is live again with the new title.
    app.click(&format!("button.draft-card[data-draft='{id}']"))
        .await;
    let editor_stage_is = |stage: &str| {
        format!("return document.querySelector('.editor-bar .stage')?.dataset.stage === '{stage}'")
    };
    app.wait_for("the editor, live", &editor_stage_is("live"), WAIT)
        .await;
    const CLEAR_TITLE: &str = "const t = document.querySelector('#title'); t.value = ''; t.dispatchEvent(new Event('input'))";
    app.eval(CLEAR_TITLE).await;
    app.type_into("#title", &"Denim ".repeat(15)).await;
    let reason = app
        .wait_for(
            "the refused title to need attention, with the reason",
            "return document.querySelector('.editor .stage-attention-row .stage-reason')?.innerText ?? ''",
            WAIT,
        )
        .await;
    assert!(
        reason.as_str().is_some_and(|r| r.contains("80")),
        "the reason names the limit: {reason}"
    );
    assert_eq!(
        app.eval(&editor_stage_is("needs_attention")).await,
        true,
        "the editor's badge says so too"
    );
    app.eval(CLEAR_TITLE).await;
    app.type_into("#title", "Denim jacket, fixed").await;
    app.wait_for(
        "the fix to be saved",
        "return document.querySelector('[data-save]')?.dataset.save === 'saved'",
        WAIT,
    )
    .await;
    // (A script click: WebDriver scrolls the row, just under the editor's
    // sticky bar, into a place where the bar covers it.)
    app.eval("document.querySelector('.editor [data-action=retry-listing]').click()")
        .await;
    app.wait_for("the editor, live again", &editor_stage_is("live"), WAIT)
        .await;
    app.wait_for(
        "the indicator to be up to date, nothing needing attention",
        "const i = document.querySelector('[data-sync]'); return i?.dataset.sync === 'up_to_date' && !i.querySelector('[data-attention-count]')",
        WAIT,
    )
    .await;
    let listing: serde_json::Value = app.server.get_json(&format!("/v1/listings/{id}"));
    assert_eq!(listing["title"], "Denim jacket, fixed", "{listing}");
    assert_eq!(listing["status"], "live", "{listing}");

    // Reopened: the seller's own For You feed leaves their listing out (it is
    // personalised, and a seller does not shop their own closet)...
    app.restart(PHONE.0, PHONE.1).await;
    app.wait_for(
        "the seller's feed",
        "return document.querySelectorAll('article.card').length > 0",
        WAIT,
    )
    .await;
    let own = app
        .eval(&format!(
            "return document.querySelector(\"article.card[data-listing='{id}']\") !== null"
        ))
        .await;
    assert_eq!(
        own, false,
        "the seller's own listing is not in their For You feed"
    );
    // ... and once signed out, the feed as any buyer sees it shows it first,
    // with its photo loaded.
    app.click("button[data-tab=me]").await;
    app.wait_for(
        "the Me page, signed in",
        "return document.querySelector('[data-action=sign-out]') !== null",
        WAIT,
    )
    .await;
    app.click("[data-action=sign-out]").await;
    app.wait_for(
        "signed out",
        "return document.querySelector('[data-account=signed-out]') !== null",
        WAIT,
    )
    .await;
    app.click("button[data-tab=feed]").await;
    app.eval("document.querySelector('[data-action=refresh-feed]').click()")
        .await;
    app.wait_for(
        "the listing's card in the feed with its photo",
        &format!(
            "const i = document.querySelector(\"article.card[data-listing='{id}'] img.card-photo\"); \
             return !!i && i.complete && i.naturalWidth > 0"
        ),
        WAIT,
    )
    .await;
    app.stop().await;
    drop(keyring);
}
