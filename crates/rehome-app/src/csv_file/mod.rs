//! CSV import and export, opened by the core (the webview never sees a path).
//!
//! Import: `decode` (bytes to text, the encoding detected or forced) →
//! `read` (delimiter, records with their lines, the header mapped, empty
//! lines counted) → the store's `import_rows` (matched by `id`, else `sku`;
//! every cell checked; one transaction and one undo step, or a dry run).
//! Every data row comes back with its line: created, updated, unchanged or
//! rejected with the column and the reason. Export: UTF-8 with a BOM (so
//! Excel opens it right), `id` and every column of the grid; importing it
//! again changes nothing.

mod decode;
mod read;

use crate::{App, AppError};
use rehome_model::ipc::{
    CsvCellError, CsvColumn, CsvEncoding, CsvImportReport, CsvRowResult, CsvRowStatus,
    GRID_PAGE_MAX, GridFilter, GridQuery, GridRow,
};
use rehome_store::{ImportOptions, ImportRow};
use std::path::Path;

/// How to read an import.
#[derive(Clone, Debug, Default)]
pub struct CsvImportOptions {
    /// Work out what would happen and write nothing.
    pub dry_run: bool,
    /// Read the file as this encoding instead of detecting it.
    pub encoding: Option<CsvEncoding>,
    /// `,`, `;` or tab instead of detecting it.
    pub delimiter: Option<u8>,
    /// (header in the file, column it is): for headers the import does not know.
    pub map: Vec<(String, String)>,
}

fn invalid(field: &'static str, message: String) -> AppError {
    AppError::Invalid { field, message }
}

/// Builds the report from the per-row results (in file order).
fn report(
    results: Vec<CsvRowResult>,
    encoding: CsvEncoding,
    delimiter: u8,
    empty_lines: u64,
    unknown_columns: Vec<String>,
) -> CsvImportReport {
    let count = |s: CsvRowStatus| results.iter().filter(|r| r.status == s).count() as u64;
    CsvImportReport {
        rows: results.len() as u64,
        created: count(CsvRowStatus::Created),
        updated: count(CsvRowStatus::Updated),
        unchanged: count(CsvRowStatus::Unchanged),
        rejected: count(CsvRowStatus::Rejected),
        skipped_empty_lines: empty_lines,
        encoding,
        delimiter: (delimiter as char).to_string(),
        unknown_columns,
        results,
    }
}

/// The text of one export cell.
fn export_cell(row: &GridRow, column: CsvColumn) -> String {
    match column {
        CsvColumn::Id => row.id.to_string(),
        CsvColumn::Photo => row.cover_photo.map(|p| p.to_string()).unwrap_or_default(),
        CsvColumn::Field(f) => {
            use rehome_model::draft::DraftField as F;
            match f {
                F::Title => row.title.clone(),
                F::Description => row.description.clone(),
                F::Price => row.price.clone(),
                F::OriginalPrice => row.original_price.clone(),
                F::Category => row.category.clone(),
                F::Brand => row.brand.clone(),
                F::Size => row.size.clone(),
                F::Condition => row.condition.clone(),
                F::Colour => row.colour.clone(),
                F::Parcel => row.parcel.clone(),
                F::Sku => row.sku.clone(),
            }
        }
        CsvColumn::Quantity => row.quantity.to_string(),
        CsvColumn::Status => row.status.as_str().to_owned(),
        CsvColumn::SyncState => row.sync_state.as_str().to_owned(),
        CsvColumn::Updated => row.updated_at.to_string(),
    }
}

impl App {
    /// Imports (or, `dry_run`, previews) the CSV file at `path`.
    #[tracing::instrument(skip(self, options), fields(path = %path.display(), dry_run = options.dry_run))]
    pub fn csv_import(
        &self,
        path: &Path,
        options: &CsvImportOptions,
    ) -> Result<CsvImportReport, AppError> {
        let bytes =
            std::fs::read(path).map_err(|e| invalid("file", format!("{}: {e}", path.display())))?;
        self.csv_import_bytes(&bytes, &path.display().to_string(), options)
    }

    /// [`App::csv_import`] of bytes already read (`name` labels the undo step).
    pub fn csv_import_bytes(
        &self,
        bytes: &[u8],
        name: &str,
        options: &CsvImportOptions,
    ) -> Result<CsvImportReport, AppError> {
        let (text, encoding) =
            decode::decode(bytes, options.encoding).map_err(|m| invalid("encoding", m))?;
        let delimiter = match options.delimiter {
            Some(d) if read::DELIMITERS.contains(&d) => d,
            Some(d) => {
                return Err(invalid(
                    "delimiter",
                    format!("{:?} is not a delimiter; one of , ; or tab", d as char),
                ));
            }
            None => read::detect_delimiter(&text),
        };
        let parsed = read::parse(&text, delimiter, &options.map).map_err(|m| invalid("file", m))?;
        let unknown_columns: Vec<String> = parsed
            .headers
            .iter()
            .filter(|h| h.column.is_none())
            .map(|h| h.text.clone())
            .collect();
        let width = parsed.headers.len();
        let mut ragged = Vec::new();
        let mut rows = Vec::new();
        for (line, cells) in parsed.rows {
            if cells.len() != width {
                ragged.push(CsvRowResult {
                    line,
                    status: CsvRowStatus::Rejected,
                    id: None,
                    errors: vec![CsvCellError {
                        column: "row".into(),
                        code: "ragged".into(),
                        message: format!(
                            "{} cells where the header has {width}: a row is neither padded nor cut",
                            cells.len()
                        ),
                    }],
                });
                continue;
            }
            let cells = parsed
                .headers
                .iter()
                .zip(cells)
                .filter_map(|(h, text)| h.column.map(|c| (c, h.text.clone(), text)))
                .collect();
            rows.push(ImportRow { line, cells });
        }
        let mut results = self.store()?.import_rows(
            &rows,
            &ImportOptions {
                decimal_comma: delimiter == b';',
                dry_run: options.dry_run,
                label: format!("import {name}"),
            },
        )?;
        results.extend(ragged);
        results.sort_by_key(|r| r.line);
        if !options.dry_run && results.iter().any(|r| r.status != CsvRowStatus::Unchanged) {
            self.sync_trigger.nudge();
        }
        Ok(report(
            results,
            encoding,
            delimiter,
            parsed.empty_lines,
            unknown_columns,
        ))
    }

    /// The rows `filters` select as CSV: UTF-8 with a BOM, `id` and every
    /// column of the grid, one row per listing, most recently updated first.
    #[tracing::instrument(skip_all)]
    pub fn csv_export(&self, filters: &[GridFilter]) -> Result<Vec<u8>, AppError> {
        let store = self.store()?;
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            let internal = |e: csv::Error| invalid("out", format!("cannot write the CSV: {e}"));
            w.write_record(CsvColumn::EXPORT.iter().map(|c| c.header()))
                .map_err(internal)?;
            let mut offset = 0;
            loop {
                let page = store.grid_page(&GridQuery {
                    filters: filters.to_vec(),
                    sort: None,
                    offset,
                    limit: GRID_PAGE_MAX,
                })?;
                for row in &page.rows {
                    w.write_record(CsvColumn::EXPORT.iter().map(|c| export_cell(row, *c)))
                        .map_err(internal)?;
                }
                offset += page.rows.len() as u32;
                if page.rows.is_empty() || u64::from(offset) >= page.total {
                    break;
                }
            }
            w.flush()
                .map_err(|e| invalid("out", format!("cannot write the CSV: {e}")))?;
        }
        Ok(out)
    }

    /// [`App::csv_export`] written to `path` (whole or not at all).
    pub fn csv_export_to(&self, path: &Path, filters: &[GridFilter]) -> Result<u64, AppError> {
        let bytes = self.csv_export(filters)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| invalid("out", format!("{} is not a file name", path.display())))?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        crate::atomic_file::write(dir, name, &bytes)?;
        Ok(bytes.len() as u64)
    }
}
