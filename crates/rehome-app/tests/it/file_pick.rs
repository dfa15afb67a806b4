//! The grid's CSV files through the core's dialog: the webview gets a token
//! and a file name, never a path; a preview writes nothing; a commit uses
//! the token up; an export goes where the save dialog said, and reads back
//! unchanged.

use rehome_app::{App, AppConfig, FileDialog};
use rehome_model::ipc::{CsvImportRequest, CsvRowStatus, GridFilterRequest, GridQuery};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The OS dialog's stand-in: answers what the seller would choose.
struct Chooses(Mutex<Option<PathBuf>>);

impl FileDialog for Chooses {
    fn open_csv(&self) -> Option<PathBuf> {
        self.0.lock().unwrap().clone()
    }
    fn save_csv(&self, suggested: &str) -> Option<PathBuf> {
        assert_eq!(suggested, "rehome-listings.csv");
        self.0.lock().unwrap().clone()
    }
}

fn app() -> (App, Arc<Chooses>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppConfig::in_dir(dir.path().join("app"), None)).unwrap();
    let dialog = Arc::new(Chooses(Mutex::new(None)));
    app.set_file_dialog(dialog.clone());
    (app, dialog, dir)
}

fn titles(app: &App) -> Vec<String> {
    let q = GridQuery {
        filters: vec![],
        sort: None,
        offset: 0,
        limit: 100,
    };
    let mut t: Vec<_> = app
        .grid_page(q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    t.sort();
    t
}

#[test]
fn an_import_is_picked_previewed_then_committed_once() {
    let (app, dialog, dir) = app();
    let file = dir.path().join("stock.csv");
    std::fs::write(
        &file,
        "title,price,sku\nLinen shirt,12.50,0012345678901234\n",
    )
    .unwrap();

    assert_eq!(app.csv_import_pick().unwrap(), None, "cancelled");
    *dialog.0.lock().unwrap() = Some(file);
    let picked = app.csv_import_pick().unwrap().unwrap();
    assert_eq!(picked.file_name, "stock.csv");
    let json = serde_json::to_string(&picked).unwrap();
    assert!(!json.contains(dir.path().to_str().unwrap()), "{json}");

    let req = |dry_run| CsvImportRequest {
        token: picked.token,
        dry_run,
        encoding: None,
    };
    let preview = app.csv_import_file(req(true)).unwrap();
    assert_eq!((preview.created, preview.rows), (1, 1));
    assert!(titles(&app).is_empty(), "a preview writes nothing");

    let done = app.csv_import_file(req(false)).unwrap();
    assert_eq!(done.results[0].status, CsvRowStatus::Created);
    assert_eq!(titles(&app), ["Linen shirt"]);
    let again = app.csv_import_file(req(false)).unwrap_err().to_string();
    assert!(again.contains("pick the file again"), "{again}");
    assert_eq!(titles(&app), ["Linen shirt"], "imported once");
}

#[test]
fn an_export_goes_where_the_dialog_said_and_reads_back_unchanged() {
    let (app, dialog, dir) = app();
    let stock = dir.path().join("stock.csv");
    std::fs::write(&stock, "title,price\nWool coat,80\nLinen shirt,12.50\n").unwrap();
    *dialog.0.lock().unwrap() = Some(stock);
    let token = app.csv_import_pick().unwrap().unwrap().token;
    app.csv_import_file(CsvImportRequest {
        token,
        dry_run: false,
        encoding: None,
    })
    .unwrap();

    let out = dir.path().join("out.csv");
    *dialog.0.lock().unwrap() = Some(out.clone());
    let saved = app
        .csv_export_save(GridFilterRequest::default())
        .unwrap()
        .unwrap();
    assert_eq!((saved.file_name.as_str(), saved.rows), ("out.csv", 2));
    assert_eq!(saved.bytes, std::fs::metadata(&out).unwrap().len());

    let token = app.csv_import_pick().unwrap().unwrap().token;
    let back = app
        .csv_import_file(CsvImportRequest {
            token,
            dry_run: false,
            encoding: None,
        })
        .unwrap();
    assert_eq!((back.unchanged, back.rows), (2, 2), "{back:?}");

    *dialog.0.lock().unwrap() = None;
    assert_eq!(
        app.csv_export_save(GridFilterRequest::default()).unwrap(),
        None
    );
}

#[test]
fn without_a_dialog_a_pick_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppConfig::in_dir(dir.path().to_owned(), None)).unwrap();
    let e = app.csv_import_pick().unwrap_err().to_string();
    assert!(e.contains("no file dialog"), "{e}");
    let e = app
        .csv_import_file(CsvImportRequest {
            token: 7,
            dry_run: true,
            encoding: None,
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("no picked file has token 7"), "{e}");
}
