//! Bulk edits over the grid's rows: what to do, which rows, and the report a
//! dry run or a commit returns (row by row, before → after, and refusals).

use super::GridFilter;
use crate::{ListingId, Money};
use serde::{Deserialize, Serialize};

/// How a bulk price change computes the new price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum PriceChange {
    /// Every price becomes this.
    Set(Money),
    /// Plus (or minus) this many cents.
    Add(i64),
    /// Plus (or minus) this many hundredths of a percent (-1000 is −10 %).
    Percent(i64),
}

/// Where a computed price is rounded to (downwards, so a price never rises by
/// rounding): whole cents as computed, `.00`, `.50` or `.99`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Rounding {
    #[default]
    None,
    Whole,
    Half,
    NinetyNine,
}

impl Rounding {
    /// `none`, `00`, `50` or `99`, as the CLI writes them.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().trim_start_matches('.') {
            "none" => Rounding::None,
            "00" | "0" => Rounding::Whole,
            "50" => Rounding::Half,
            "99" => Rounding::NinetyNine,
            _ => return None,
        })
    }
}

/// A field `bulk set` may give every selected row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BulkField {
    Category,
    Brand,
    Size,
    Condition,
    Colour,
    Quantity,
}

impl BulkField {
    pub const ALL: &'static [BulkField] = &[
        BulkField::Category,
        BulkField::Brand,
        BulkField::Size,
        BulkField::Condition,
        BulkField::Colour,
        BulkField::Quantity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BulkField::Category => "category",
            BulkField::Brand => "brand",
            BulkField::Size => "size",
            BulkField::Condition => "condition",
            BulkField::Colour => "colour",
            BulkField::Quantity => "quantity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        let s = if s == "color" { "colour".into() } else { s };
        BulkField::ALL.iter().copied().find(|f| f.as_str() == s)
    }
}

/// A text field find-and-replace works on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReplaceField {
    #[default]
    Title,
    Description,
}

/// The status `bulk status` moves rows to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BulkStatus {
    /// Publish a draft, relist a delisted listing.
    Live,
    Delisted,
    Sold,
}

impl BulkStatus {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_lowercase().as_str() {
            "live" => BulkStatus::Live,
            "delisted" => BulkStatus::Delisted,
            "sold" => BulkStatus::Sold,
            _ => return None,
        })
    }
}

/// One bulk operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum BulkOp {
    #[serde(rename_all = "camelCase")]
    Price {
        change: PriceChange,
        #[serde(default)]
        round: Rounding,
        /// No price goes under this: a row it would go under is refused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        floor: Option<Money>,
    },
    #[serde(rename_all = "camelCase")]
    Set { field: BulkField, value: String },
    #[serde(rename_all = "camelCase")]
    Status { status: BulkStatus },
    /// Delete drafts (soft: undoable).
    DeleteDrafts,
    #[serde(rename_all = "camelCase")]
    Replace {
        pattern: String,
        replacement: String,
        /// `pattern` is a regular expression (`$1` in the replacement).
        #[serde(default)]
        regex: bool,
        #[serde(default)]
        field: ReplaceField,
    },
}

/// A bulk edit: the operation, the rows (the grid's filters, and the grid's
/// selection when there is one), and whether to only show what would happen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRequest {
    pub op: BulkOp,
    #[serde(default)]
    pub filters: Vec<GridFilter>,
    /// Only these rows (of those the filters select): the grid's selection.
    /// `None` is every row the filters select; `Some` of nothing is no row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<ListingId>>,
    #[serde(default)]
    pub dry_run: bool,
}

/// One value a bulk edit changes (or would change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkChange {
    pub id: ListingId,
    pub title: String,
    /// `price`, `brand`, `status`, …
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A row the edit leaves alone, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRefusal {
    pub id: ListingId,
    pub title: String,
    pub reason: String,
}

/// What a bulk edit did, or (dry run) would do. Every selected row is in
/// `changes`, `refused` or counted as `unchanged`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    pub dry_run: bool,
    /// The undo step it became (none for a dry run or when nothing changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u64>,
    pub selected: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub refused: u64,
    pub changes: Vec<BulkChange>,
    pub refusals: Vec<BulkRefusal>,
}

/// An undo step as the history lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkStep {
    pub step: u64,
    /// What it was, e.g. `price -10 % round 99`.
    pub label: String,
    pub rows: u64,
    /// Unix ms.
    pub at: u64,
    /// Undone (and not redone).
    pub undone: bool,
}

/// What an undo or redo did: the step, the values put back, and the rows it
/// left alone because someone changed them since (each also a conflict to
/// settle when the field is a guarded one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UndoReport {
    pub step: u64,
    pub label: String,
    pub changes: Vec<BulkChange>,
    pub conflicts: Vec<BulkRefusal>,
}
