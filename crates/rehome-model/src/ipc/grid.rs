//! The seller's grid: every listing and draft as one row, read a page at a
//! time with filters and a sort on any column, and counted the same way.

use crate::{ListingId, Money, PhotoId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most rows one page may ask for.
pub const GRID_PAGE_MAX: u32 = 500;

/// A column of the grid that can be filtered and sorted on. The photo
/// thumbnail is a column too, but only shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GridColumn {
    Title,
    Description,
    Price,
    OriginalPrice,
    Category,
    Brand,
    Size,
    Condition,
    Colour,
    Quantity,
    Status,
    Sku,
    SyncState,
    Updated,
}

impl GridColumn {
    pub const ALL: &'static [GridColumn] = &[
        GridColumn::Title,
        GridColumn::Description,
        GridColumn::Price,
        GridColumn::OriginalPrice,
        GridColumn::Category,
        GridColumn::Brand,
        GridColumn::Size,
        GridColumn::Condition,
        GridColumn::Colour,
        GridColumn::Quantity,
        GridColumn::Status,
        GridColumn::Sku,
        GridColumn::SyncState,
        GridColumn::Updated,
    ];

    /// The wire name, e.g. `"originalPrice"`.
    pub fn as_str(self) -> &'static str {
        match self {
            GridColumn::Title => "title",
            GridColumn::Description => "description",
            GridColumn::Price => "price",
            GridColumn::OriginalPrice => "originalPrice",
            GridColumn::Category => "category",
            GridColumn::Brand => "brand",
            GridColumn::Size => "size",
            GridColumn::Condition => "condition",
            GridColumn::Colour => "colour",
            GridColumn::Quantity => "quantity",
            GridColumn::Status => "status",
            GridColumn::Sku => "sku",
            GridColumn::SyncState => "syncState",
            GridColumn::Updated => "updated",
        }
    }

    /// Case-insensitive, ignoring spaces, `_` and `-` (`Original price`,
    /// `original_price` and `originalPrice` are one column); `color` is colour.
    pub fn parse(s: &str) -> Option<Self> {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        let key = if key == "color" { "colour".into() } else { key };
        GridColumn::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().to_lowercase() == key)
    }
}

impl fmt::Display for GridColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a filter compares a column with its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GridOp {
    /// Equal (text: ignoring case).
    #[default]
    Eq,
    /// The text contains the value (ignoring case).
    Contains,
    /// Below the value (numbers: price, original price, quantity, updated).
    Below,
    /// Above the value.
    Above,
}

/// One filter term. All the terms of a query must hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridFilter {
    pub column: GridColumn,
    #[serde(default)]
    pub op: GridOp,
    /// As people write it: `12.50` for a price, `live` for a status, unix ms
    /// for updated.
    pub value: String,
}

impl GridFilter {
    /// The CLI's `--where`: `field=value` terms joined by commas
    /// (`brand=Levi's,status=live`), `all` for every row. `field~value` is
    /// "contains", `field<value` and `field>value` compare.
    pub fn parse_terms(s: &str) -> Result<Vec<GridFilter>, String> {
        if s.trim().eq_ignore_ascii_case("all") {
            return Ok(Vec::new());
        }
        s.split(',')
            .map(|term| {
                let at = term
                    .find(['=', '~', '<', '>'])
                    .ok_or_else(|| format!("{term:?} is not field=value (or --where all)"))?;
                let (name, rest) = term.split_at(at);
                let op = match &rest[..1] {
                    "=" => GridOp::Eq,
                    "~" => GridOp::Contains,
                    "<" => GridOp::Below,
                    _ => GridOp::Above,
                };
                let column = GridColumn::parse(name).ok_or_else(|| {
                    format!(
                        "{:?} is not a column; one of: {}",
                        name.trim(),
                        GridColumn::ALL
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                Ok(GridFilter {
                    column,
                    op,
                    value: rest[1..].to_owned(),
                })
            })
            .collect()
    }
}

/// The sort: one column, then the id (so pages never overlap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridSort {
    pub column: GridColumn,
    #[serde(default)]
    pub descending: bool,
}

/// Which rows: the filters every row must meet (empty: all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridFilterRequest {
    #[serde(default)]
    pub filters: Vec<GridFilter>,
}

/// One page of the grid. Without a sort: most recently updated first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridQuery {
    #[serde(default)]
    pub filters: Vec<GridFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<GridSort>,
    /// Rows to skip (the grid's scroll position).
    #[serde(default)]
    pub offset: u32,
    /// At most [`GRID_PAGE_MAX`].
    pub limit: u32,
}

/// Where a listing stands on the marketplace, as the status column shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GridStatus {
    Draft,
    Queued,
    Live,
    Delisted,
    Sold,
}

impl GridStatus {
    pub const ALL: &'static [GridStatus] = &[
        GridStatus::Draft,
        GridStatus::Queued,
        GridStatus::Live,
        GridStatus::Delisted,
        GridStatus::Sold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GridStatus::Draft => "draft",
            GridStatus::Queued => "queued",
            GridStatus::Live => "live",
            GridStatus::Delisted => "delisted",
            GridStatus::Sold => "sold",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        GridStatus::ALL.iter().copied().find(|g| g.as_str() == s)
    }
}

/// How a row stands against the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GridSyncState {
    /// Nothing waiting to go out.
    Synced,
    /// Changes saved on the device, not yet confirmed by the server.
    Pending,
    /// A change the server refused: it needs the seller.
    Attention,
}

impl GridSyncState {
    pub const ALL: &'static [GridSyncState] = &[
        GridSyncState::Synced,
        GridSyncState::Pending,
        GridSyncState::Attention,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GridSyncState::Synced => "synced",
            GridSyncState::Pending => "pending",
            GridSyncState::Attention => "attention",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        GridSyncState::ALL.iter().copied().find(|g| g.as_str() == s)
    }
}

/// One row of the grid: every column, the text fields exactly as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridRow {
    pub id: ListingId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_photo: Option<PhotoId>,
    pub title: String,
    pub description: String,
    /// The price as typed, and parsed when it parses.
    pub price: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_cents: Option<Money>,
    pub original_price: String,
    pub category: String,
    pub brand: String,
    pub size: String,
    pub condition: String,
    pub colour: String,
    pub parcel: String,
    pub quantity: u32,
    pub status: GridStatus,
    pub sku: String,
    pub sync_state: GridSyncState,
    /// Outbox rows not yet confirmed.
    pub pending_changes: u32,
    /// Why the server refused, for [`GridSyncState::Attention`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_error: Option<String>,
    /// Unix milliseconds.
    pub updated_at: u64,
}

/// One page: the rows, and how many rows the filters match in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridPage {
    pub rows: Vec<GridRow>,
    pub total: u64,
}

/// How many rows the filters match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GridCount {
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_parse_in_every_spelling() {
        for c in GridColumn::ALL {
            assert_eq!(GridColumn::parse(c.as_str()), Some(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for (s, c) in [
            ("Original price", GridColumn::OriginalPrice),
            ("original_price", GridColumn::OriginalPrice),
            ("ORIGINAL-PRICE", GridColumn::OriginalPrice),
            ("color", GridColumn::Colour),
            ("SKU", GridColumn::Sku),
            ("sync state", GridColumn::SyncState),
        ] {
            assert_eq!(GridColumn::parse(s), Some(c), "{s}");
        }
        assert_eq!(GridColumn::parse("owner"), None);
    }

    #[test]
    fn where_terms_parse() {
        let f = |column, op, value: &str| GridFilter {
            column,
            op,
            value: value.into(),
        };
        let cases: &[(&str, Result<Vec<GridFilter>, &str>)] = &[
            ("all", Ok(vec![])),
            (
                "brand=Levi's,status=live",
                Ok(vec![
                    f(GridColumn::Brand, GridOp::Eq, "Levi's"),
                    f(GridColumn::Status, GridOp::Eq, "live"),
                ]),
            ),
            (
                "title~shirt,price<20,Original price>50",
                Ok(vec![
                    f(GridColumn::Title, GridOp::Contains, "shirt"),
                    f(GridColumn::Price, GridOp::Below, "20"),
                    f(GridColumn::OriginalPrice, GridOp::Above, "50"),
                ]),
            ),
            (
                "sku=00 12",
                Ok(vec![f(GridColumn::Sku, GridOp::Eq, "00 12")]),
            ),
            (
                "brand",
                Err("\"brand\" is not field=value (or --where all)"),
            ),
            ("owner=me", Err("\"owner\" is not a column; one of: title,")),
        ];
        for (s, expected) in cases {
            match (GridFilter::parse_terms(s), expected) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{s}"),
                (Err(got), Err(want)) => assert!(got.starts_with(want), "{s}: {got}"),
                (got, want) => panic!("{s}: {got:?}, expected {want:?}"),
            }
        }
    }
}
