//! The facade's account and conflict operations as the app's IPC uses them:
//! the account state through sign-up, a lost token, a wrong password and
//! sign-out (refused offline); a price conflict between two devices settled
//! with a typed value.

use crate::support::{RestartableServer, private_keyring};
use rehome_app::{App, AppConfig};
use rehome_model::ErrorCode;
use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_model::ipc::{
    AccountStatus, AddDraftPhotoRequest, ConflictChoice, CreateDraftRequest, Credentials,
    DraftIdRequest, ResolveConflictRequest, SetFieldRequest,
};
use rehome_model::sync::GuardedField;
use rehome_testkit::photos::camera_jpeg;

fn open(server: &str) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig::in_dir(dir.path().to_owned(), Some(server.to_owned()));
    (App::open(config).unwrap(), dir)
}

fn credentials(handle: &str, password: &str) -> Credentials {
    Credentials {
        handle: handle.into(),
        password: password.into(),
    }
}

/// (signed in as, kept in the keychain, the notice's code).
fn summary(status: &AccountStatus) -> (Option<&str>, Option<bool>, Option<ErrorCode>) {
    (
        status.account.as_ref().map(|a| a.handle.as_str()),
        status.account.as_ref().map(|a| a.kept_in_keychain),
        status.notice.as_ref().map(|n| n.code),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_state_follows_sign_up_a_lost_token_a_wrong_password_and_sign_out() {
    private_keyring();
    let mut server = RestartableServer::start().await;
    let (app, _dir) = open(&server.url());
    assert_eq!(summary(&app.account()), (None, None, None));
    assert_eq!(app.account().server, server.url());

    let status = app
        .sign_up(credentials("acct_mira", "password1"))
        .await
        .unwrap();
    assert_eq!(summary(&status), (Some("acct_mira"), Some(true), None));
    assert_eq!(summary(&app.account()), summary(&status));
    let taken = app
        .sign_up(credentials("acct_mira", "password2"))
        .await
        .unwrap_err();
    assert_eq!(
        (taken.code(), rehome_model::ApiError::from(taken).field),
        (ErrorCode::Invalid, Some("handle".into()))
    );

    // The keychain lost the token: signed out, told why, and the sign-in
    // form starts with the handle.
    rehome_sync::keychain::forget_token(&server.url(), "acct_mira").unwrap();
    assert_eq!(
        summary(&app.account()),
        (None, None, Some(ErrorCode::Unauthorized))
    );
    assert_eq!(app.account().expired_handle.as_deref(), Some("acct_mira"));

    let wrong = app
        .sign_in(credentials("acct_mira", "not-it"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::Unauthorized);
    let status = app
        .sign_in(credentials("acct_mira", "password1"))
        .await
        .unwrap();
    assert_eq!(summary(&status), (Some("acct_mira"), Some(true), None));

    // Offline, sign-out is refused and nothing is forgotten: the token must
    // still be revocable.
    server.stop().await;
    let offline = app.sign_out().await.unwrap_err();
    assert_eq!(offline.code(), ErrorCode::Offline);
    assert_eq!(
        summary(&app.account()),
        (Some("acct_mira"), Some(true), None)
    );
    server.restart().await;

    let status = app.sign_out().await.unwrap();
    assert_eq!(summary(&status), (None, None, None));
    let sync = app.sync_once(|_| {}).await.unwrap_err();
    assert_eq!(sync.code(), ErrorCode::Unauthorized);
}

fn set_price(app: &App, id: ListingId, value: &str) {
    app.set_draft_field(SetFieldRequest {
        id,
        field: DraftField::Price,
        value: value.into(),
        seq: 0,
    })
    .unwrap();
}

fn price(app: &App, id: ListingId) -> String {
    app.get_draft(DraftIdRequest { id }).unwrap().values.price
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_price_settles_a_conflict_and_a_bad_one_leaves_it_open() {
    private_keyring();
    let server = RestartableServer::start().await;
    let (a, _a_dir) = open(&server.url());
    let (b, _b_dir) = open(&server.url());
    a.sign_up(credentials("acct_twins", "password1"))
        .await
        .unwrap();
    let values = DraftValues {
        title: "Wool coat".into(),
        category: "outerwear".into(),
        condition: "good".into(),
        price: "40".into(),
        size: "M".into(),
        parcel: "medium".into(),
        ..DraftValues::default()
    };
    let id = a.create_draft(CreateDraftRequest { values }).unwrap().id;
    a.add_draft_photo(AddDraftPhotoRequest { id }, &camera_jpeg(7, 640, 480))
        .unwrap();
    a.publish_draft(DraftIdRequest { id }).unwrap();
    a.sync_once(|_| {}).await.unwrap();
    b.sign_in(credentials("acct_twins", "password1"))
        .await
        .unwrap();
    b.sync_once(|_| {}).await.unwrap();
    set_price(&b, id, "35");
    b.sync_once(|_| {}).await.unwrap();
    set_price(&a, id, "45");
    a.sync_once(|_| {}).await.unwrap();

    let open = a.list_conflicts().unwrap();
    assert_eq!(
        open.iter()
            .map(|c| (c.listing_id, c.field, c.mine.as_str(), c.theirs.as_str()))
            .collect::<Vec<_>>(),
        [(id, GuardedField::Price, "45.00", "35.00")]
    );
    let settle = |choice| ResolveConflictRequest {
        id: open[0].id,
        choice,
    };
    for bad in ["abc", "0", "99999999"] {
        let err = a
            .resolve_conflict(settle(ConflictChoice::Value(bad.into())))
            .unwrap_err();
        let api = rehome_model::ApiError::from(err);
        assert_eq!(
            (api.code, api.field.as_deref()),
            (ErrorCode::Invalid, Some("price")),
            "{bad}"
        );
    }
    assert_eq!(a.list_conflicts().unwrap().len(), 1, "still open");
    assert_eq!(price(&a, id), "35.00", "the server's price until settled");

    let left = a
        .resolve_conflict(settle(ConflictChoice::Value("42.50".into())))
        .unwrap();
    assert!(left.is_empty());
    a.sync_once(|_| {}).await.unwrap();
    b.sync_once(|_| {}).await.unwrap();
    assert_eq!(
        (price(&a, id), price(&b, id)),
        ("42.50".into(), "42.50".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_revoked_on_the_server_shows_as_expired_after_a_sync_tick_with_the_handle() {
    use rehome_app::{SyncOutcome, SyncRunner, SyncSchedule, Tick};
    use rehome_model::ipc::SyncIndicator;
    use std::sync::Arc;
    private_keyring();
    let server = RestartableServer::start().await;
    let (app, _dir) = open(&server.url());
    let runner = SyncRunner::new(
        &app,
        Arc::new(rehome_store::ManualClock::new(1_800_000_000_000)),
        Arc::new(rehome_store::SeededEntropy::new(5)),
        SyncSchedule::default(),
    );
    app.sign_up(credentials("acct_gone", "password1"))
        .await
        .unwrap();
    assert_eq!(
        runner.sync().await,
        Tick::Ran(SyncOutcome::Synced { pending: 0 })
    );
    assert_eq!(
        summary(&app.account()),
        (Some("acct_gone"), Some(true), None)
    );

    // Signed out elsewhere: the server revokes the token this device keeps.
    server.revoke_session("acct_gone").await;
    // Until a sync meets the 401 nothing here knows (no extra request).
    assert_eq!(app.account().expired_handle, None);

    assert_eq!(runner.sync().await, Tick::Ran(SyncOutcome::SessionExpired));
    let status = app.account();
    assert_eq!(
        (summary(&status), status.expired_handle.as_deref()),
        (
            (None, None, Some(ErrorCode::Unauthorized)),
            Some("acct_gone")
        ),
        "the Me tab agrees with the sync indicator"
    );
    assert_eq!(
        app.sync_status().unwrap().indicator,
        SyncIndicator::SessionExpired
    );

    // Signing in again is a new session: signed in at once, before any sync.
    let status = app
        .sign_in(credentials("acct_gone", "password1"))
        .await
        .unwrap();
    assert_eq!(
        (summary(&status), status.expired_handle.as_deref()),
        ((Some("acct_gone"), Some(true), None), None)
    );
    assert_eq!(
        runner.sync().await,
        Tick::Ran(SyncOutcome::Synced { pending: 0 })
    );
}
