//! Accounts and conflicts in the real window, with the session token in a
//! real Secret Service (a private gnome-keyring the app process inherits).
//!
//! 1. Sign up in the Me tab against the real server; the app restarts and is
//!    still signed in (the token came back from the keychain); sign out
//!    returns to the forms; a wrong password shows its error at the field;
//!    with no keychain service the app says so, before and after signing in.
//!    Along the way, the dark theme chosen in Me colours the window at once,
//!    is kept by the core across the restart, and light takes it back.
//!    On a system that asks for dark, the app is dark until Me says light.
//! 2. Two devices of one seller change a listing's price; the later one
//!    (the app) holds a conflict. The window shows both prices, the seller
//!    keeps theirs, and after a sync both devices show that price.

use rehome_e2e::{AppSession, PrivateKeyring, Server, rehome_cli};
use rehome_testkit::photos::checkered_jpeg;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const PHONE: (u32, u32) = (390, 844);
const PASSWORD: &str = "correct horse battery";

fn exists(css: &str) -> String {
    format!("return !!document.querySelector({css:?})")
}

async fn open_me(app: &AppSession) {
    app.click("button[data-tab=me]").await;
    app.wait_for(
        "the Me tab's account",
        &exists("[data-page=me] [data-account]"),
        WAIT,
    )
    .await;
}

/// The window's background colour, as painted.
const BACKGROUND: &str = "getComputedStyle(document.documentElement).backgroundColor";
/// `--wash` in each theme (styles.css).
const DARK_WASH: &str = "rgb(17, 23, 21)";
const LIGHT_WASH: &str = "rgb(244, 246, 245)";

/// Picks a theme in Me and waits until the window is painted `want`.
async fn choose_theme_painted(app: &AppSession, theme: &str, want: &str) {
    let chip = format!("[data-theme-choice={theme}]:not([disabled])");
    app.wait_for("the theme chips", &exists(&chip), WAIT).await;
    app.click(&chip).await;
    // "system" leaves the choice to the stylesheet: no data-theme at all.
    let attribute = if theme == "system" {
        "!document.documentElement.hasAttribute('data-theme')".to_owned()
    } else {
        format!("document.documentElement.dataset.theme === {theme:?}")
    };
    app.wait_for(
        &format!("the {theme} theme"),
        &format!(
            "return {attribute} \
             && document.querySelector('[data-theme-choice={theme}]').getAttribute('aria-pressed') === 'true' \
             && {BACKGROUND} === {want:?}"
        ),
        WAIT,
    )
    .await;
}

/// Picks light or dark in Me and waits until the window is painted in it.
async fn choose_theme(app: &AppSession, theme: &str) {
    let want = if theme == "dark" {
        DARK_WASH
    } else {
        LIGHT_WASH
    };
    choose_theme_painted(app, theme, want).await;
}

/// Fills the form on the Me tab and sends it.
async fn submit_form(app: &AppSession, mode: &str, handle: &str, password: &str) {
    app.click(&format!("[data-mode={mode}]")).await;
    app.wait_for(
        "the form's mode",
        &exists(&format!("form[data-form={mode}]")),
        WAIT,
    )
    .await;
    app.eval("document.querySelector('#auth-handle').value = ''; return true")
        .await;
    app.type_into("#auth-handle", handle).await;
    app.type_into("#auth-password", password).await;
    app.click("[data-action=auth-submit]").await;
}

async fn wait_signed_in_as(app: &AppSession, handle: &str) {
    app.wait_for(
        &format!("signed in as {handle}"),
        &exists(&format!(
            "[data-account=signed-in] [data-handle={handle:?}]"
        )),
        WAIT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_survives_a_restart_through_the_keychain_and_sign_out_returns_to_the_forms() {
    let keyring = PrivateKeyring::start();
    // SAFETY: E2E tests run one per process (nextest), and nothing has
    // started a thread that reads the environment yet.
    unsafe { keyring.set_in_this_process() };
    let mut app = AppSession::start(PHONE.0, PHONE.1).await;

    open_me(&app).await;
    app.wait_for(
        "the sign-in forms",
        &exists("[data-account=signed-out] form"),
        WAIT,
    )
    .await;
    submit_form(&app, "sign-up", "e2e_me", PASSWORD).await;
    wait_signed_in_as(&app, "e2e_me").await;
    let shown = app
        .eval("return document.querySelector('[data-account=signed-in] [data-server]').textContent")
        .await;
    assert_eq!(shown.as_str(), Some(app.server.url.as_str()));
    let notice = app
        .eval("return !!document.querySelector('[data-account=signed-in] [data-code=no_keychain]')")
        .await;
    assert_eq!(notice, false, "the token went to the keychain");
    // Nothing the page can read holds the password or a token.
    let html = app.client.source().await.expect("page source");
    assert!(!html.contains(PASSWORD));

    // Dark, chosen in Me: the colours change at once.
    choose_theme(&app, "dark").await;
    assert_eq!(
        app.rehome(&["settings"])["theme"],
        "dark",
        "kept by the core"
    );

    // A new process: only the keychain can have kept the session.
    app.restart(PHONE.0, PHONE.1).await;
    open_me(&app).await;
    wait_signed_in_as(&app, "e2e_me").await;
    app.wait_for(
        "the dark theme after the restart",
        &format!("return {BACKGROUND} === {DARK_WASH:?}"),
        WAIT,
    )
    .await;
    choose_theme(&app, "light").await;

    app.click("[data-action=sign-out]").await;
    app.wait_for(
        "the forms after sign-out",
        &exists("[data-account=signed-out] form"),
        WAIT,
    )
    .await;

    // A wrong password: the error sits at the password field, which is emptied.
    submit_form(&app, "sign-in", "e2e_me", "not the password").await;
    app.wait_for(
        "the wrong-password error at the field",
        &exists("[data-field=password] .field-error[data-code=unauthorized]"),
        WAIT,
    )
    .await;
    let state = app
        .eval(
            "return [document.querySelector('#auth-password').value, \
                     document.querySelector('#auth-password').getAttribute('aria-invalid'), \
                     !!document.querySelector('[data-account=signed-in]')]",
        )
        .await;
    assert_eq!(state, serde_json::json!(["", "true", false]));

    submit_form(&app, "sign-in", "e2e_me", PASSWORD).await;
    wait_signed_in_as(&app, "e2e_me").await;

    // A device with no keychain service: the kept sign-in cannot be read, and
    // the app says so; a new sign-in works for this run and says it is not saved.
    // SAFETY: E2E tests run one per process, and nothing else reads the
    // environment while the app is restarted.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus") };
    app.restart(PHONE.0, PHONE.1).await;
    open_me(&app).await;
    app.wait_for(
        "the no-keychain notice on the forms",
        &exists("[data-account=signed-out] [data-code=no_keychain]"),
        WAIT,
    )
    .await;
    submit_form(&app, "sign-in", "e2e_me", PASSWORD).await;
    wait_signed_in_as(&app, "e2e_me").await;
    app.wait_for(
        "'not saved on this device'",
        &exists("[data-account=signed-in] [data-code=no_keychain]"),
        WAIT,
    )
    .await;
    app.stop().await;
}

/// A system that asks for dark (GTK's dark theme, which the webview reports
/// as `prefers-color-scheme: dark`): the app is dark with no choice made,
/// light when Me says light, and follows the system again on "Auto".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_follows_a_dark_system_until_me_picks_otherwise() {
    let home = tempfile::tempdir().expect("temp dir");
    let server = Server::start_demo(&home.path().join("server"));
    let env = vec![("GTK_THEME".to_owned(), "Adwaita:dark".into())];
    let app = AppSession::start_in_env(home, server, PHONE.0, PHONE.1, env).await;
    app.wait_for(
        "the system's dark theme",
        &format!(
            "return !document.documentElement.hasAttribute('data-theme') \
             && matchMedia('(prefers-color-scheme: dark)').matches \
             && {BACKGROUND} === {DARK_WASH:?}"
        ),
        WAIT,
    )
    .await;
    open_me(&app).await;
    choose_theme_painted(&app, "light", LIGHT_WASH).await;
    choose_theme_painted(&app, "system", DARK_WASH).await;
    assert_eq!(app.rehome(&["settings"])["theme"], "system");
    app.stop().await;
}

/// The listing on a device, as `rehome listing list --json` shows it.
fn listing_on(data: &Path, id: &str) -> serde_json::Value {
    let listings = rehome_cli(data, &["listing", "list", "--json"], "");
    listings
        .as_array()
        .and_then(|all| all.iter().find(|l| l["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("listing {id} on {}: {listings}", data.display()))
}

fn price_on(data: &Path, id: &str) -> String {
    let listing = listing_on(data, id);
    listing["price"].as_str().unwrap_or_default().to_owned()
}

/// The listing's sync state on a device (`live`, `queued`, …).
fn live_on(data: &Path, id: &str) -> String {
    let listing = listing_on(data, id);
    listing["sync"]["state"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_conflict_is_settled_in_the_window_and_both_devices_converge() {
    let keyring = PrivateKeyring::start();
    // SAFETY: E2E tests run one per process (nextest), and nothing has
    // started a thread that reads the environment yet.
    unsafe { keyring.set_in_this_process() };
    let home = tempfile::tempdir().expect("temp dir");
    let server = Server::start_demo(&home.path().join("server"));
    // Device A is the app (its data folder); device B another folder.
    let a = home.path().join("data/app.rehome");
    let device_b = tempfile::tempdir().expect("temp dir");
    let b = device_b.path().to_owned();
    let url = server.url.clone();
    let photo = home.path().join("coat.jpg");
    std::fs::write(&photo, checkered_jpeg(320, 240, 199)).expect("write the photo");

    let auth = ["--server", url.as_str(), "--user", "two_phones"];
    let password = format!("{PASSWORD}\n");
    rehome_cli(&a, &[&["signup"][..], &auth].concat(), &password);
    let draft = rehome_cli(
        &a,
        &[
            "draft",
            "new",
            "--title",
            "Wool coat",
            "--price",
            "40",
            "--category",
            "outerwear",
            "--condition",
            "good",
            "--size",
            "M",
            "--parcel",
            "medium",
            "--photo",
            photo.to_str().expect("a UTF-8 path"),
        ],
        "",
    );
    let id = draft["id"].as_str().expect("the draft's id").to_owned();
    rehome_cli(&a, &["draft", "publish", &id], "");
    rehome_cli(&a, &["sync", "--once", "--json"], "");
    assert_eq!(live_on(&a, &id), "live", "A published it");
    rehome_cli(&b, &[&["login"][..], &auth].concat(), &password);
    rehome_cli(&b, &["sync", "--once", "--json"], "");
    assert_eq!(price_on(&b, &id), "40.00", "B has the listing");
    // B drops the price and syncs; A, not having seen that, raises it.
    rehome_cli(&b, &["draft", "set", &id, "price", "35"], "");
    rehome_cli(&b, &["sync", "--once", "--json"], "");
    rehome_cli(&a, &["draft", "set", &id, "price", "45"], "");
    rehome_cli(&a, &["sync", "--once", "--json"], "");
    let open = rehome_cli(&a, &["conflicts", "list", "--json"], "");
    assert_eq!(
        open.as_array().map(Vec::len),
        Some(1),
        "A holds one conflict: {open}"
    );

    let app = AppSession::start_in(home, server, PHONE.0, PHONE.1).await;
    app.click("button[data-tab=drafts]").await;
    let card =
        format!("[data-conflicts=drafts] [data-conflict][data-listing={id:?}][data-field=price]");
    app.wait_for("the conflict in Drafts", &exists(&card), WAIT)
        .await;
    let values = app
        .eval(&format!(
            "const c = document.querySelector({card:?}); \
             return [c.querySelector('[data-value=mine]').textContent, \
                     c.querySelector('[data-value=theirs]').textContent]"
        ))
        .await;
    assert_eq!(values, serde_json::json!(["45.00", "35.00"]));

    // It shows next to the price in the editor too.
    app.click(&format!("button.draft-card[data-draft={id:?}]"))
        .await;
    app.wait_for(
        "the conflict at the editor's price",
        &exists("section.editor [data-conflicts=editor] [data-conflict][data-field=price]"),
        WAIT,
    )
    .await;
    app.click("section.editor [data-conflict][data-field=price] [data-choice=mine]")
        .await;
    app.wait_for(
        "the conflict to be settled and the price shown",
        "return !document.querySelector('section.editor [data-conflict]') \
         && document.querySelector('section.editor #price').value === '45.00'",
        WAIT,
    )
    .await;
    app.click("button[data-tab=drafts]").await;
    app.wait_for(
        "no choice left in Drafts",
        "return !document.querySelector('[data-conflict]') \
         && !!document.querySelector('button.draft-card')",
        WAIT,
    )
    .await;

    // The choice is a new edit: once both devices sync they agree on it.
    let open = rehome_cli(&a, &["conflicts", "list", "--json"], "");
    assert_eq!(open, serde_json::json!([]));
    rehome_cli(&a, &["sync", "--once", "--json"], "");
    rehome_cli(&b, &["sync", "--once", "--json"], "");
    assert_eq!(price_on(&a, &id), "45.00");
    assert_eq!(price_on(&b, &id), "45.00");
    assert_eq!(
        (live_on(&a, &id), live_on(&b, &id)),
        ("live".into(), "live".into())
    );
    app.stop().await;
}
