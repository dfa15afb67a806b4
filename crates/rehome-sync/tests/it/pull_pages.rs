//! A closet bigger than one pull page: a new device pulls it whole, a page
//! at a time, each page applied before the next is asked for.

use crate::support::*;
use rehome_store::Edit;
use rehome_sync::SyncEvent;
use std::sync::{Arc, Mutex};

/// A server answering `page` changes a pull, and a seller's first device
/// with `drafts` listings made and pushed.
pub(crate) async fn big_closet(
    handle: &str,
    page: u32,
    drafts: usize,
) -> (TestServer, String, tempfile::TempDir) {
    let server = TestServer::start_with(|c| c.limits.default_pull_page = page).await;
    let token = server.sign_up(handle).await;
    let dir = tempfile::tempdir().unwrap();
    let first = Device::open(dir.path(), &server.url(), &token, 21);
    for i in 0..drafts {
        let values = values(&format!("Item {i:02}"), "12");
        first
            .store
            .apply_edit(Edit::CreateDraft { values })
            .unwrap();
    }
    first.settle().await;
    (server, token, dir)
}

#[tokio::test]
async fn a_new_device_pulls_a_closet_of_many_pages_whole() {
    let (server, token, first) = big_closet("many_pages", 4, 25).await;
    let dir = tempfile::tempdir().unwrap();
    let mut second = Device::open(dir.path(), &server.url(), &token, 22);
    let pages = Arc::new(Mutex::new(Vec::new()));
    let seen = pages.clone();
    second.engine = second.engine.with_events(move |e| {
        if let SyncEvent::Pulled { listings, .. } = e {
            seen.lock().unwrap().push(*listings);
        }
    });
    let report = second.settle().await;
    assert_eq!(report.pulled_listings, 25);
    assert_eq!(*pages.lock().unwrap(), vec![4, 4, 4, 4, 4, 4, 1]);
    let mut titles: Vec<String> = second
        .store
        .list_drafts()
        .unwrap()
        .into_iter()
        .map(|d| d.title)
        .collect();
    titles.sort();
    let expected: Vec<String> = (0..25).map(|i| format!("Item {i:02}")).collect();
    assert_eq!(titles, expected);
    // The next sync asks from where the last page ended: nothing new.
    pages.lock().unwrap().clear();
    let again = second.engine.sync_once().await.unwrap();
    assert_eq!(again.pulled_listings, 0);
    assert_eq!(*pages.lock().unwrap(), vec![0]);
    drop(first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_killed_between_pull_pages_keeps_the_pages_it_applied_and_pulls_only_the_rest() {
    let (server, token, _first) = big_closet("killed_pulling", 4, 10).await;
    let data = tempfile::tempdir().unwrap();
    let none = tempfile::tempdir().unwrap();
    let (d, url, photos) = (
        data.path().to_str().unwrap().to_owned(),
        server.url(),
        none.path().to_str().unwrap().to_owned(),
    );
    // A new device (no drafts of its own) SIGKILLed as the third page arrives.
    let run = move |failpoint: Option<&'static str>| {
        let (d, url, token, photos) = (d.clone(), url.clone(), token.clone(), photos.clone());
        tokio::task::spawn_blocking(move || {
            crate::crash::run_child(&d, &url, &token, "0", &photos, failpoint)
        })
    };
    let (killed, _, out) = run(Some("pull:before_apply@3")).await.unwrap();
    assert!(killed, "never reached the third page:\n{out}");
    let kept = rehome_store::Store::open_default(data.path())
        .unwrap()
        .list_drafts()
        .unwrap()
        .len();
    assert_eq!(kept, 8, "the two pages applied before the kill are kept");
    let (_, ok, out) = run(None).await.unwrap();
    assert!(ok, "the restarted device failed:\n{out}");
    assert!(out.contains("PULLED 2\n"), "pulls only the last 2:\n{out}");
    let store = rehome_store::Store::open_default(data.path()).unwrap();
    assert_eq!(store.list_drafts().unwrap().len(), 10);
}
