//! `rehome bulk price|set|status|replace|undo|redo|history`: bulk edits over
//! the seller's listings and drafts, each previewed with `--dry-run` or
//! committed as one transaction and one undo step. JSON out.

use crate::Cli;
use crate::output::print_json;
use rehome_app::App;
use rehome_model::draft::parse_price;
use rehome_model::ipc::{
    BulkField, BulkOp, BulkRequest, BulkStatus, GridFilter, PriceChange, ReplaceField, Rounding,
};
use rehome_model::{ApiError, ErrorCode};

#[derive(clap::Args)]
pub struct BulkArgs {
    #[command(subcommand)]
    command: BulkCommand,
}

/// Which rows, and whether to only preview.
#[derive(clap::Args)]
struct Scope {
    /// `field=value` terms joined by commas (`brand=Levi's,status=live`), or `all`.
    #[arg(long = "where", value_name = "FILTER")]
    filter: String,
    /// Show what would change, row by row, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// JSON output (the only output there is).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand)]
enum BulkCommand {
    /// Change prices: set, add (or subtract) an amount, or a percentage.
    #[command(group = clap::ArgGroup::new("how").required(true).multiple(false))]
    Price {
        #[arg(long, allow_hyphen_values = true, value_name = "P", group = "how")]
        set: Option<String>,
        #[arg(long, allow_hyphen_values = true, value_name = "P", group = "how")]
        add: Option<String>,
        #[arg(long, allow_hyphen_values = true, value_name = "N", group = "how")]
        pct: Option<String>,
        /// Round to the nearest .00, .50 or .99 (or none).
        #[arg(long, default_value = "none")]
        round: String,
        /// No price goes under this: rows it would go under are refused.
        #[arg(long, value_name = "P")]
        floor: Option<String>,
        /// Which rows (default: all).
        #[arg(long = "where", value_name = "FILTER", default_value = "all")]
        filter: String,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Give every selected row one value: category, brand, size, condition, colour or quantity.
    Set {
        field: String,
        value: String,
        #[command(flatten)]
        scope: Scope,
    },
    /// Move rows to live (publish or relist), delisted or sold.
    Status {
        status: String,
        #[command(flatten)]
        scope: Scope,
    },
    /// Find and replace in titles (or descriptions).
    Replace {
        pattern: String,
        replacement: String,
        /// PATTERN is a regular expression (`$1` in REPLACEMENT).
        #[arg(long)]
        regex: bool,
        #[arg(long, default_value = "title")]
        field: String,
        #[command(flatten)]
        scope: Scope,
    },
    /// Delete drafts (soft: `bulk undo` brings them back).
    Delete {
        #[command(flatten)]
        scope: Scope,
    },
    /// Undo the last bulk edit or import.
    Undo,
    /// Redo what was undone last.
    Redo,
    /// The undo steps, newest first.
    History {
        #[arg(long)]
        json: bool,
    },
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::new(ErrorCode::Invalid, message).with_field(field)
}

/// `-2.50`, `+3`, `10`: cents with a sign.
fn signed_cents(flag: &str, text: &str) -> Result<i64, ApiError> {
    let t = text.trim();
    let (sign, magnitude) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    parse_price(magnitude).map(|m| sign * m.0).map_err(|_| {
        invalid(
            flag,
            format!("--{flag} {text:?} is not a number (write it like -2.50)"),
        )
    })
}

fn filters(s: &str) -> Result<Vec<GridFilter>, ApiError> {
    GridFilter::parse_terms(s).map_err(|m| invalid("where", m))
}

fn price_op(
    set: &Option<String>,
    add: &Option<String>,
    pct: &Option<String>,
    round: &str,
    floor: &Option<String>,
) -> Result<BulkOp, ApiError> {
    let change = match (set, add, pct) {
        (Some(p), _, _) => PriceChange::Set(
            parse_price(p).map_err(|_| invalid("set", format!("--set {p:?} is not a price")))?,
        ),
        (_, Some(a), _) => PriceChange::Add(signed_cents("add", a)?),
        // A percentage to two decimals is hundredths of a percent, like cents.
        (_, _, Some(n)) => PriceChange::Percent(signed_cents("pct", n)?),
        _ => return Err(invalid("set", "one of --set, --add or --pct".into())),
    };
    let round = Rounding::parse(round)
        .ok_or_else(|| invalid("round", format!("--round {round:?} is none, 00, 50 or 99")))?;
    let floor = match floor {
        Some(f) => Some(
            parse_price(f)
                .map_err(|_| invalid("floor", format!("--floor {f:?} is not a price")))?,
        ),
        None => None,
    };
    Ok(BulkOp::Price {
        change,
        round,
        floor,
    })
}

pub fn run(cli: &Cli, args: &BulkArgs) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    let edit = |op: BulkOp, filter: &str, dry_run: bool| -> Result<(), ApiError> {
        let report = app.bulk_edit(BulkRequest {
            op,
            filters: filters(filter)?,
            ids: None,
            dry_run,
        })?;
        print_json(&report)
    };
    match &args.command {
        BulkCommand::Price {
            set,
            add,
            pct,
            round,
            floor,
            filter,
            dry_run,
            json: _,
        } => edit(price_op(set, add, pct, round, floor)?, filter, *dry_run),
        BulkCommand::Set {
            field,
            value,
            scope,
        } => {
            let field = BulkField::parse(field).ok_or_else(|| {
                invalid(
                    "field",
                    format!(
                        "{field:?} cannot be set in bulk; one of: {}",
                        BulkField::ALL
                            .iter()
                            .map(|f| f.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            let op = BulkOp::Set {
                field,
                value: value.clone(),
            };
            edit(op, &scope.filter, scope.dry_run)
        }
        BulkCommand::Status { status, scope } => {
            let status = BulkStatus::parse(status).ok_or_else(|| {
                invalid("status", format!("{status:?} is live, delisted or sold"))
            })?;
            edit(BulkOp::Status { status }, &scope.filter, scope.dry_run)
        }
        BulkCommand::Replace {
            pattern,
            replacement,
            regex,
            field,
            scope,
        } => {
            let field = match field.trim().to_lowercase().as_str() {
                "title" => ReplaceField::Title,
                "description" => ReplaceField::Description,
                other => {
                    return Err(invalid(
                        "field",
                        format!("--field {other:?} is title or description"),
                    ));
                }
            };
            let op = BulkOp::Replace {
                pattern: pattern.clone(),
                replacement: replacement.clone(),
                regex: *regex,
                field,
            };
            edit(op, &scope.filter, scope.dry_run)
        }
        BulkCommand::Delete { scope } => edit(BulkOp::DeleteDrafts, &scope.filter, scope.dry_run),
        BulkCommand::Undo => print_json(&app.bulk_undo()?),
        BulkCommand::Redo => print_json(&app.bulk_redo()?),
        BulkCommand::History { json: _ } => print_json(&app.bulk_history()?),
    }
}
