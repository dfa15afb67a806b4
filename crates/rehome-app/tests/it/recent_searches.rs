//! Recent searches are the device's: they survive the app closing, and a
//! damaged file is an error that names it and is left for the buyer's data
//! folder to show, never silently replaced.

use rehome_app::{App, AppConfig};
use rehome_model::ErrorCode;
use rehome_model::ipc::SearchQuery;

fn open(dir: &std::path::Path) -> App {
    App::open(AppConfig::in_dir(
        dir.to_owned(),
        Some("http://127.0.0.1:9".into()),
    ))
    .unwrap()
}

fn text(t: &str) -> SearchQuery {
    SearchQuery {
        q: Some(t.to_owned()),
        ..SearchQuery::default()
    }
}

fn texts(list: &[SearchQuery]) -> Vec<&str> {
    list.iter().filter_map(|q| q.q.as_deref()).collect()
}

#[test]
fn recent_searches_survive_a_restart_and_can_be_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    assert!(app.recent_searches().unwrap().is_empty());
    app.remember_search(text("linen shirt")).unwrap();
    app.remember_search(SearchQuery::default()).unwrap();
    let list = app.remember_search(text("boots")).unwrap();
    assert_eq!(texts(&list), ["boots", "linen shirt"]);
    drop(app);

    let app = open(dir.path());
    assert_eq!(
        texts(&app.recent_searches().unwrap()),
        ["boots", "linen shirt"]
    );
    assert!(app.forget_searches().unwrap().is_empty());
    assert!(open(dir.path()).recent_searches().unwrap().is_empty());
}

#[test]
fn a_damaged_recent_searches_file_is_named_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    app.remember_search(text("jeans")).unwrap();
    let file = dir.path().join("recent_searches.json");
    std::fs::write(&file, b"[{\"q\": \"jea").unwrap();
    for err in [
        app.recent_searches().unwrap_err(),
        app.remember_search(text("coat")).unwrap_err(),
    ] {
        let api = rehome_model::ApiError::from(err);
        assert_eq!(api.code, ErrorCode::Corrupt, "{api:?}");
        assert!(api.message.contains("recent_searches.json"), "{api:?}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"[{\"q\": \"jea");
}
