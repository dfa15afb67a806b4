//! TLS end to end: the real server terminating TLS with a certificate from a
//! CA made for this test, and the facade trusting that CA through
//! `REHOME_CA_FILE` (here `AppConfig::tls`, which the variable fills). Plain
//! http is for this machine only.

use crate::support::private_keyring;
use rehome_app::{App, AppConfig, KeepToken, PhotoVariant};
use rehome_client::TlsOptions;
use rehome_model::ErrorCode;
use rehome_model::draft::{DraftStage, DraftValues};
use rehome_model::ipc::{AddDraftPhotoRequest, CreateDraftRequest, DraftIdRequest};
use rehome_server::ServerConfig;
use rehome_server::tls::TlsFiles;
use rehome_testkit::TestCa;
use rehome_testkit::photos::camera_jpeg;
use std::path::Path;

fn open(dir: &Path, server: &str, ca: Option<&TestCa>) -> App {
    let mut config = AppConfig::in_dir(dir.to_owned(), Some(server.to_owned()));
    config.tls = TlsOptions {
        extra_ca: ca.map(TestCa::ca_file),
    };
    App::open(config).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_publish_with_photos_and_pull_over_tls_with_a_ca_made_here() {
    private_keyring();
    let ca = TestCa::new();
    let server_dir = tempfile::tempdir().unwrap();
    let config = ServerConfig::for_tests(server_dir.path());
    let files = TlsFiles {
        cert: ca.cert_file(),
        key: ca.key_file(),
    };
    let server = rehome_server::spawn_tls(config, &files).await.unwrap();
    let url = server.base_url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    // A device that does not trust the CA refuses the server, and says why.
    let stranger_dir = tempfile::tempdir().unwrap();
    let stranger = open(stranger_dir.path(), &url, None);
    let refused = stranger
        .sign_up_at(&url, "tls_sam", "password1", KeepToken::Keychain)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::UntrustedServer, "{refused}");

    // One that does: sign up, a draft with two photos, publish, sync.
    let a_dir = tempfile::tempdir().unwrap();
    let a = open(a_dir.path(), &url, Some(&ca));
    a.sign_up_at(&url, "tls_sam", "password1", KeepToken::Keychain)
        .await
        .unwrap();
    let values = DraftValues {
        title: "Linen shirt".into(),
        category: "tops".into(),
        condition: "good".into(),
        price: "18".into(),
        size: "M".into(),
        parcel: "small".into(),
        ..DraftValues::default()
    };
    let id = a.create_draft(CreateDraftRequest { values }).unwrap().id;
    a.add_draft_photo(AddDraftPhotoRequest { id }, &camera_jpeg(1, 640, 480))
        .unwrap();
    a.add_draft_photo(AddDraftPhotoRequest { id }, &camera_jpeg(2, 480, 640))
        .unwrap();
    a.publish_draft(DraftIdRequest { id }).unwrap();
    let sent = a.sync_once(|_| {}).await.unwrap();
    assert_eq!(
        (sent.uploaded, sent.pending, sent.parked, sent.rejected),
        (2, 0, 0, 0)
    );
    assert_eq!(
        a.get_draft(DraftIdRequest { id }).unwrap().stage,
        DraftStage::Live
    );

    // A second device of the same seller pulls it, and fetches the photos
    // over TLS byte for byte as the first device holds them.
    let b_dir = tempfile::tempdir().unwrap();
    let b = open(b_dir.path(), &url, Some(&ca));
    b.sign_in_at(&url, "tls_sam", "password1", KeepToken::Keychain)
        .await
        .unwrap();
    let pulled = b.sync_once(|_| {}).await.unwrap();
    assert_eq!(pulled.pulled_listings, 1);
    let listings = b.listings_with_sync_state().unwrap();
    assert_eq!(
        listings
            .iter()
            .map(|l| (l.id, l.title.as_str()))
            .collect::<Vec<_>>(),
        [(id, "Linen shirt")]
    );
    assert_eq!(
        b.get_draft(DraftIdRequest { id }).unwrap().stage,
        DraftStage::Live
    );
    for photo in a.get_draft(DraftIdRequest { id }).unwrap().photos {
        let mine = a.photo(photo.id, PhotoVariant::Full).await.unwrap();
        let fetched = b.photo(photo.id, PhotoVariant::Full).await.unwrap();
        assert!(fetched == mine, "photo {} differs", photo.id);
    }
}

#[test]
fn plain_http_is_refused_for_any_server_but_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let check = |server: &str| {
        let config = AppConfig::in_dir(dir.path().to_owned(), Some(server.to_owned()));
        App::open(config).err().map(|e| e.code())
    };
    for loopback in [
        "http://127.0.0.1:8787",
        "http://127.9.9.9:1",
        "http://[::1]:8787",
        "http://localhost:8787",
        "https://shop.example:8443",
    ] {
        assert_eq!(check(loopback), None, "{loopback}");
    }
    // Refused before any connection is tried (documentation addresses).
    for remote in [
        "http://203.0.113.7:8787",
        "http://shop.example",
        "http://[2001:db8::1]",
    ] {
        assert_eq!(check(remote), Some(ErrorCode::InsecureServer), "{remote}");
    }
}

/// The real server on `addr`, terminating TLS with `ca`'s certificate, until
/// the sender is used or dropped.
async fn serve_tls_on(
    addr: std::net::SocketAddr,
    dir: &Path,
    ca: &TestCa,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), rehome_server::ServerError>>,
) {
    let mut config = ServerConfig::for_tests(dir);
    config.demo = true;
    let app = tokio::task::spawn_blocking(move || rehome_server::App::open(config))
        .await
        .unwrap()
        .unwrap();
    let files = TlsFiles {
        cert: ca.cert_file(),
        key: ca.key_file(),
    };
    let tcp = tokio::net::TcpListener::bind(addr).await.unwrap();
    let listener =
        rehome_server::tls::TlsListener::new(tcp, rehome_server::tls::acceptor(&files).unwrap())
            .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(rehome_server::serve(app, listener, async move {
        let _ = stopped.await;
    }));
    (stop, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_seen_once_still_reads_when_the_network_intercepts_tls() {
    let ca = TestCa::new();
    // What a captive portal or an interceptor presents: a certificate for
    // this address from a CA nobody here trusts.
    let impostor = TestCa::new();
    let server_dir = tempfile::tempdir().unwrap();
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("https://{addr}");
    let (stop, task) = serve_tls_on(addr, server_dir.path(), &ca).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), &url, Some(&ca));
    let first = rehome_model::FeedQuery {
        cursor: None,
        limit: Some(5),
        following: false,
    };
    let seen = app.feed_page(first.clone()).await.unwrap();
    assert_eq!(seen.items.len(), 5);
    let _ = stop.send(());
    task.await.unwrap().unwrap();

    let other_dir = tempfile::tempdir().unwrap();
    let (_stop, _task) = serve_tls_on(addr, other_dir.path(), &impostor).await;
    assert_eq!(
        app.feed_page(first).await.unwrap(),
        seen,
        "the copy seen last"
    );
    // A page never seen: nothing to show, and the error says why.
    let unseen = rehome_model::FeedQuery {
        cursor: seen.next_cursor.clone(),
        limit: Some(5),
        following: false,
    };
    let err = app.feed_page(unseen).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::UntrustedServer, "{err}");
}
