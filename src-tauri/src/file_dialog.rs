//! The native file dialogs the core opens for the grid's CSV import and
//! export (`rehome_app::FileDialog`). The core calls them from a command's
//! worker thread, never the main thread: on Linux rfd hands the dialog to
//! the GTK main loop and waits for the answer, which would deadlock if the
//! main thread itself waited. The chosen path goes to the core, never to the
//! webview.

use std::path::PathBuf;

/// The desktop's dialogs, through rfd (GTK 3 on Linux).
pub(crate) struct NativeDialog;

impl rehome_app::FileDialog for NativeDialog {
    fn open_csv(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Import listings from a CSV file")
            .add_filter("CSV", &["csv", "tsv", "txt"])
            .pick_file()
    }

    fn save_csv(&self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export listings as CSV")
            .add_filter("CSV", &["csv"])
            .set_file_name(suggested)
            .save_file()
    }
}
