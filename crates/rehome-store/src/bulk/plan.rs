//! What a bulk operation does to one row: the value it changes (before →
//! after) and the edit that changes it, or nothing, or why the row is refused.
//! Reads only.

use super::price::new_price;
use crate::edit::{Edit, QUANTITY_MAX};
use crate::error::StoreError;
use crate::rows::DraftRow;
use crate::snapshot::Snapshot;
use rehome_model::draft::{
    BRAND_MAX, COLOUR_MAX, DESCRIPTION_MAX, DraftField, SIZE_MAX, TITLE_MAX, parse_category,
    parse_condition, parse_price,
};
use rehome_model::ipc::{BulkField, BulkOp, BulkStatus, ReplaceField};

/// A bulk operation checked once, before any row: values parse, the pattern
/// compiles. Bad input is refused as a whole, naming the problem.
pub(super) enum Checked {
    Op(BulkOp),
    Replace {
        field: DraftField,
        max: usize,
        regex: regex::Regex,
        replacement: String,
        literal: bool,
    },
}

pub(super) fn check(op: &BulkOp) -> Result<Checked, StoreError> {
    let bad = |field: &str, msg: String| StoreError::invalid(Some(field), msg);
    match op {
        BulkOp::Set { field, value } => {
            let max = match field {
                BulkField::Category => {
                    parse_category(value)
                        .map_err(|_| bad("category", format!("{value:?} is not a category")))?;
                    0
                }
                BulkField::Condition => {
                    parse_condition(value)
                        .map_err(|_| bad("condition", format!("{value:?} is not a condition")))?;
                    0
                }
                BulkField::Quantity => {
                    match value.trim().parse::<u32>() {
                        Ok(q) if (1..=QUANTITY_MAX).contains(&q) => {}
                        _ => {
                            return Err(bad(
                                "quantity",
                                format!(
                                    "quantity {value:?} is not a whole number from 1 to {QUANTITY_MAX}"
                                ),
                            ));
                        }
                    }
                    0
                }
                BulkField::Brand => BRAND_MAX,
                BulkField::Size => SIZE_MAX,
                BulkField::Colour => COLOUR_MAX,
            };
            let len = value.trim().chars().count();
            if max > 0 && len > max {
                return Err(bad(
                    field.as_str(),
                    format!(
                        "{} is at most {max} characters ({len} given)",
                        field.as_str()
                    ),
                ));
            }
            Ok(Checked::Op(op.clone()))
        }
        BulkOp::Replace {
            pattern,
            replacement,
            regex,
            field,
        } => {
            if pattern.is_empty() {
                return Err(bad("pattern", "the pattern to find is empty".into()));
            }
            let source = if *regex {
                pattern.clone()
            } else {
                regex::escape(pattern)
            };
            let compiled = regex::Regex::new(&source).map_err(|e| {
                bad(
                    "pattern",
                    format!("the pattern is not a regular expression: {e}"),
                )
            })?;
            let (field, max) = match field {
                ReplaceField::Title => (DraftField::Title, TITLE_MAX),
                ReplaceField::Description => (DraftField::Description, DESCRIPTION_MAX),
            };
            Ok(Checked::Replace {
                field,
                max,
                regex: compiled,
                replacement: replacement.clone(),
                literal: !*regex,
            })
        }
        other => Ok(Checked::Op(other.clone())),
    }
}

/// What happens to one row.
pub(super) enum RowPlan {
    Unchanged,
    Refused(String),
    Change {
        /// `price`, `brand`, `status`, `deleted`, …
        field: &'static str,
        before: String,
        after: String,
        edit: Box<Edit>,
    },
}

fn change(field: &'static str, before: String, after: String, edit: Edit) -> RowPlan {
    if before == after {
        RowPlan::Unchanged
    } else {
        RowPlan::Change {
            field,
            before,
            after,
            edit: Box::new(edit),
        }
    }
}

pub(super) fn row(db: &Snapshot<'_>, d: &DraftRow, op: &Checked) -> Result<RowPlan, StoreError> {
    let id = d.id;
    let sold = d.status == "sold";
    let set_field = |field: DraftField, text: String| -> RowPlan {
        if sold {
            return RowPlan::Refused(format!(
                "a sold listing's {} cannot change",
                field_name(field)
            ));
        }
        let before = d.values.get(field).to_owned();
        change(
            field.as_str(),
            before,
            text.clone(),
            Edit::SetField { id, field, text },
        )
    };
    Ok(match op {
        Checked::Replace {
            field,
            max,
            regex,
            replacement,
            literal,
        } => {
            let before = d.values.get(*field);
            let after = if *literal {
                regex
                    .replace_all(before, regex::NoExpand(replacement))
                    .into_owned()
            } else {
                regex.replace_all(before, replacement.as_str()).into_owned()
            };
            let len = after.trim().chars().count();
            if after != before && len > *max {
                RowPlan::Refused(format!(
                    "the new {} would be {len} characters, at most {max}",
                    field_name(*field)
                ))
            } else {
                set_field(*field, after)
            }
        }
        Checked::Op(BulkOp::Price {
            change: how,
            round,
            floor,
        }) => {
            let Ok(current) = parse_price(&d.values.price) else {
                return Ok(RowPlan::Refused(format!(
                    "its price {:?} is not a price to change",
                    d.values.price
                )));
            };
            match new_price(current, *how, *round, *floor) {
                Err(why) => RowPlan::Refused(why),
                Ok(p) if p == current => RowPlan::Unchanged,
                Ok(p) => set_field(DraftField::Price, p.to_string()),
            }
        }
        Checked::Op(BulkOp::Set { field, value }) => match field {
            BulkField::Quantity => {
                if sold {
                    return Ok(RowPlan::Refused(
                        "a sold listing's quantity cannot change".into(),
                    ));
                }
                let quantity: u32 = value.trim().parse().unwrap_or(1);
                change(
                    "quantity",
                    db.quantity(id)?.to_string(),
                    quantity.to_string(),
                    Edit::SetQuantity { id, quantity },
                )
            }
            other => {
                let field = match other {
                    BulkField::Category => DraftField::Category,
                    BulkField::Brand => DraftField::Brand,
                    BulkField::Size => DraftField::Size,
                    BulkField::Condition => DraftField::Condition,
                    _ => DraftField::Colour,
                };
                set_field(field, value.clone())
            }
        },
        Checked::Op(BulkOp::Status { status }) => status_plan(d, *status),
        Checked::Op(BulkOp::DeleteDrafts) => {
            if d.status != "draft" {
                RowPlan::Refused(format!(
                    "only drafts are deleted (this one is {}; delist it instead)",
                    d.status
                ))
            } else {
                change(
                    "deleted",
                    "no".into(),
                    "yes".into(),
                    Edit::DeleteDraft { id },
                )
            }
        }
        Checked::Op(BulkOp::Replace { .. }) => RowPlan::Unchanged,
    })
}

fn status_plan(d: &DraftRow, to: BulkStatus) -> RowPlan {
    let id = d.id;
    let now = d.status.as_str();
    let (target, edit) = match (to, now) {
        (BulkStatus::Sold, "sold") | (BulkStatus::Live, "live" | "queued") => {
            return RowPlan::Unchanged;
        }
        (BulkStatus::Delisted, "delisted") => return RowPlan::Unchanged,
        (_, "sold") => return RowPlan::Refused("a sold listing stays sold".into()),
        (BulkStatus::Live, "delisted") => ("queued", Edit::Relist { id }),
        (BulkStatus::Live, _) => ("queued", Edit::Publish { id }),
        (BulkStatus::Delisted, "live" | "queued") => ("delisted", Edit::Delist { id }),
        (BulkStatus::Delisted, other) => {
            return RowPlan::Refused(format!("a {other} is not on the marketplace to delist"));
        }
        (BulkStatus::Sold, "draft") => {
            return RowPlan::Refused("a draft cannot be sold before it is published".into());
        }
        (BulkStatus::Sold, _) => ("sold", Edit::MarkSold { id }),
    };
    change("status", now.to_owned(), target.to_owned(), edit)
}

fn field_name(f: DraftField) -> &'static str {
    match f {
        DraftField::OriginalPrice => "original price",
        other => other.as_str(),
    }
}
