//! `rehome csv import|export`: the seller's listings in and out as CSV.
//! The import prints one JSON object accounting for every row.

use crate::Cli;
use crate::output::print_json;
use rehome_app::{App, CsvImportOptions};
use rehome_model::ipc::{CsvEncoding, GridFilter};
use rehome_model::{ApiError, ErrorCode};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CsvArgs {
    #[command(subcommand)]
    command: CsvCommand,
}

#[derive(clap::Subcommand)]
enum CsvCommand {
    /// Create drafts from a file, or change listings it names (by `id`, else `sku`).
    Import {
        file: PathBuf,
        /// Say what would happen, row by row, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252 (default: detected).
        #[arg(long)]
        encoding: Option<String>,
        /// `,`, `;` or `tab` (default: detected from the header line).
        #[arg(long)]
        delimiter: Option<String>,
        /// `HEADER=field`: read the column HEADER as that field (repeatable).
        #[arg(long = "map", value_name = "HEADER=field")]
        map: Vec<String>,
        /// JSON output (the only output there is).
        #[arg(long)]
        json: bool,
    },
    /// Write the listings (or those `--where` selects) as UTF-8 CSV with a BOM.
    Export {
        /// The file to write (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
        /// `field=value` terms joined by commas, or `all` (the default).
        #[arg(long = "where", value_name = "FILTER", default_value = "all")]
        filter: String,
    },
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::new(ErrorCode::Invalid, message).with_field(field)
}

pub fn run(cli: &Cli, args: &CsvArgs) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    match &args.command {
        CsvCommand::Import {
            file,
            dry_run,
            encoding,
            delimiter,
            map,
            json: _,
        } => {
            let encoding = match encoding {
                Some(e) => Some(CsvEncoding::parse(e).ok_or_else(|| {
                    invalid(
                        "encoding",
                        format!(
                            "--encoding {e:?}: one of {}",
                            CsvEncoding::ALL
                                .iter()
                                .map(|e| e.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?),
                None => None,
            };
            let delimiter = match delimiter.as_deref() {
                None => None,
                Some("tab" | "\\t" | "\t") => Some(b'\t'),
                Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
                Some(d) => {
                    return Err(invalid(
                        "delimiter",
                        format!("--delimiter {d:?}: one of , ; or tab"),
                    ));
                }
            };
            let map = map
                .iter()
                .map(|m| {
                    m.rsplit_once('=')
                        .map(|(h, f)| (h.to_owned(), f.trim().to_owned()))
                        .ok_or_else(|| invalid("map", format!("--map {m:?} is not HEADER=field")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let options = CsvImportOptions {
                dry_run: *dry_run,
                encoding,
                delimiter,
                map,
            };
            print_json(&app.csv_import(file, &options)?)
        }
        CsvCommand::Export { out, filter } => {
            let filters = GridFilter::parse_terms(filter).map_err(|m| invalid("where", m))?;
            match out {
                Some(path) => {
                    let bytes = app.csv_export_to(path, &filters)?;
                    print_json(&serde_json::json!({ "out": path, "bytes": bytes }))
                }
                None => {
                    let bytes = app.csv_export(&filters)?;
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(&bytes)
                        .and_then(|()| stdout.flush())
                        .map_err(|e| {
                            ApiError::new(
                                ErrorCode::Internal,
                                format!("cannot write to stdout: {e}"),
                            )
                        })
                }
            }
        }
    }
}
