//! Cell ranges on the clipboard as tab-separated text, the way Excel and
//! LibreOffice copy and paste them: cells split by tabs, rows by line
//! breaks, and a cell holding a tab, a line break or a quote wrapped in
//! quotes (a quote inside doubled).

use super::{COLUMNS, CellCursor, CellEdit, editable};

/// `rows` as clipboard text (rows end with CRLF, as Excel writes them).
pub fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| quote(c)).collect();
        out.push_str(&cells.join("\t"));
        out.push_str("\r\n");
    }
    out
}

fn quote(cell: &str) -> String {
    if cell.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// Clipboard text as rows of cells (a final line break ends the last row;
/// it does not start an empty one).
pub fn read(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if at_start => quoted = true,
            (false, '\t') => {
                row.push(std::mem::take(&mut cell));
                at_start = true;
                continue;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_start = true;
                continue;
            }
            (false, c) => cell.push(c),
        }
        at_start = false;
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// One cell a paste writes: its row, its column (an index of [`COLUMNS`]),
/// how it saves, and the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasteCell {
    pub row: usize,
    pub col: usize,
    pub edit: CellEdit,
    pub text: String,
}

/// Where a pasted block lands with its top-left cell on `at`: the cells that
/// can be edited, within `total` rows; the others (the photo, status, sync
/// state, updated, past the last row or column) are left out, and counted.
pub fn paste_plan(at: CellCursor, block: &[Vec<String>], total: usize) -> (Vec<PasteCell>, usize) {
    let mut cells = Vec::new();
    let mut skipped = 0;
    for (dr, line) in block.iter().enumerate() {
        for (dc, text) in line.iter().enumerate() {
            let (row, col) = (at.row + dr, at.col + dc);
            match COLUMNS.get(col).and_then(|c| editable(*c)) {
                Some(edit) if row < total => cells.push(PasteCell {
                    row,
                    col,
                    edit,
                    text: text.clone(),
                }),
                _ => skipped += 1,
            }
        }
    }
    (cells, skipped)
}
