//! CSV import and export of the seller's listings: the report an import
//! prints (every row accounted for, with its line), the columns a file may
//! have, and the check of one cell's text.

use crate::ListingId;
use crate::draft::{
    BRAND_MAX, COLOUR_MAX, DESCRIPTION_MAX, DraftField, SIZE_MAX, SKU_MAX, TITLE_MAX,
    parse_category, parse_condition, parse_parcel, parse_price,
};
use serde::{Deserialize, Serialize};

/// The text encodings an import reads (detected, or forced with `--encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CsvEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl CsvEncoding {
    pub const ALL: &'static [CsvEncoding] = &[
        CsvEncoding::Utf8,
        CsvEncoding::Utf8Bom,
        CsvEncoding::Utf16Le,
        CsvEncoding::Utf16Be,
        CsvEncoding::Windows1252,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CsvEncoding::Utf8 => "utf-8",
            CsvEncoding::Utf8Bom => "utf-8-bom",
            CsvEncoding::Utf16Le => "utf-16le",
            CsvEncoding::Utf16Be => "utf-16be",
            CsvEncoding::Windows1252 => "windows-1252",
        }
    }

    /// Also `utf8`, `UTF-16LE`, `cp1252`, `latin1`-style spellings.
    pub fn parse(s: &str) -> Option<Self> {
        let key: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "utf8" => CsvEncoding::Utf8,
            "utf8bom" => CsvEncoding::Utf8Bom,
            "utf16le" => CsvEncoding::Utf16Le,
            "utf16be" => CsvEncoding::Utf16Be,
            "windows1252" | "cp1252" => CsvEncoding::Windows1252,
            _ => return None,
        })
    }
}

/// A column of the import and export files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CsvColumn {
    Id,
    /// A draft field, written and read as its text.
    Field(DraftField),
    Quantity,
    /// Shown in the export; an import must leave it as it is.
    Status,
    /// Shown in the export only (read back without a change).
    Photo,
    SyncState,
    Updated,
}

impl CsvColumn {
    /// The export's columns, in order: `id` and every column of the grid.
    pub const EXPORT: &'static [CsvColumn] = &[
        CsvColumn::Id,
        CsvColumn::Photo,
        CsvColumn::Field(DraftField::Title),
        CsvColumn::Field(DraftField::Description),
        CsvColumn::Field(DraftField::Price),
        CsvColumn::Field(DraftField::OriginalPrice),
        CsvColumn::Field(DraftField::Category),
        CsvColumn::Field(DraftField::Brand),
        CsvColumn::Field(DraftField::Size),
        CsvColumn::Field(DraftField::Condition),
        CsvColumn::Field(DraftField::Colour),
        CsvColumn::Field(DraftField::Parcel),
        CsvColumn::Quantity,
        CsvColumn::Status,
        CsvColumn::Field(DraftField::Sku),
        CsvColumn::SyncState,
        CsvColumn::Updated,
    ];

    /// The header the export writes (a field's wire name).
    pub fn header(self) -> &'static str {
        match self {
            CsvColumn::Id => "id",
            CsvColumn::Field(f) => f.as_str(),
            CsvColumn::Quantity => "quantity",
            CsvColumn::Status => "status",
            CsvColumn::Photo => "photo",
            CsvColumn::SyncState => "syncState",
            CsvColumn::Updated => "updated",
        }
    }

    /// A header as people write it: case-insensitive, ignoring spaces, `_`
    /// and `-` (`Original price`, `original_price` and `originalPrice` are
    /// one column).
    pub fn parse(header: &str) -> Option<Self> {
        let key = normalise(header);
        if key == "color" {
            return Some(CsvColumn::Field(DraftField::Colour));
        }
        CsvColumn::EXPORT
            .iter()
            .copied()
            .find(|c| normalise(c.header()) == key)
    }
}

/// Lower case, without spaces, `_` or `-`.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{feff}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What became of one data row (or, in a dry run, would become of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CsvRowStatus {
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// Why a row was rejected: the column and the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvCellError {
    /// The column's header as in the file (`row` for the row as a whole).
    pub column: String,
    pub code: String,
    pub message: String,
}

/// One data row of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvRowResult {
    /// The 1-based line of the file on which the row starts.
    pub line: u64,
    pub status: CsvRowStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ListingId>,
    pub errors: Vec<CsvCellError>,
}

/// What `rehome csv import` prints: one entry in `results` per data row, in
/// file order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub skipped_empty_lines: u64,
    pub encoding: CsvEncoding,
    pub delimiter: String,
    pub unknown_columns: Vec<String>,
    pub results: Vec<CsvRowResult>,
}

/// A file the seller picked in the native dialog, as the webview knows it:
/// a token and the file's name. The path stays in the core.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickedFile {
    pub token: u64,
    pub file_name: String,
}

/// Preview (`dry_run`) or import the file picked under `token`. A commit
/// uses the token up: importing the same file again needs a new pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvImportRequest {
    pub token: u64,
    #[serde(default)]
    pub dry_run: bool,
    /// Read the file as this encoding instead of detecting it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<CsvEncoding>,
}

/// An export written to the file the seller chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvExported {
    pub file_name: String,
    pub rows: u64,
    pub bytes: u64,
}

/// What is wrong with one cell's text for `column` (`None`: it is fine, or
/// empty). `decimal_comma`: the file is `;`-separated, so `12,50` is twelve
/// fifty; otherwise a comma in a number is refused, never guessed.
pub fn check_cell(column: CsvColumn, text: &str, decimal_comma: bool) -> Option<(String, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let bad = |code: &str, message: String| Some((code.to_owned(), message));
    let too_long = |max: usize| {
        let len = t.chars().count();
        (len > max).then(|| {
            (
                "tooLong".to_owned(),
                format!("{len} characters, at most {max}"),
            )
        })
    };
    match column {
        CsvColumn::Field(DraftField::Price | DraftField::OriginalPrice) => {
            check_number(t, decimal_comma).or_else(|| match parse_price(t) {
                Ok(_) => None,
                Err(_) => bad(
                    "notANumber",
                    format!("{t:?} is not a price (write it like 12.50)"),
                ),
            })
        }
        CsvColumn::Field(DraftField::Category) => parse_category(t)
            .err()
            .and_then(|_| bad("unknown", format!("{t:?} is not a category"))),
        CsvColumn::Field(DraftField::Condition) => parse_condition(t)
            .err()
            .and_then(|_| bad("unknown", format!("{t:?} is not a condition"))),
        CsvColumn::Field(DraftField::Parcel) => parse_parcel(t).err().and_then(|_| {
            bad(
                "unknown",
                format!("{t:?} is not a parcel (small, medium, large or a weight such as 500g)"),
            )
        }),
        CsvColumn::Field(DraftField::Title) => too_long(TITLE_MAX),
        CsvColumn::Field(DraftField::Description) => too_long(DESCRIPTION_MAX),
        CsvColumn::Field(DraftField::Brand) => too_long(BRAND_MAX),
        CsvColumn::Field(DraftField::Size) => too_long(SIZE_MAX),
        CsvColumn::Field(DraftField::Colour) => too_long(COLOUR_MAX),
        // Counted exactly as written.
        CsvColumn::Field(DraftField::Sku) => {
            let len = text.chars().count();
            (len > SKU_MAX).then(|| {
                (
                    "tooLong".to_owned(),
                    format!("{len} characters, at most {SKU_MAX}"),
                )
            })
        }
        CsvColumn::Quantity => match t.parse::<u32>() {
            Ok(q) if (1..=10_000).contains(&q) => None,
            _ => bad(
                "notANumber",
                format!("{t:?} is not a quantity (1 to 10000)"),
            ),
        },
        CsvColumn::Id => t
            .parse::<ListingId>()
            .err()
            .and_then(|_| bad("notAnId", format!("{t:?} is not a listing id"))),
        CsvColumn::Status | CsvColumn::Photo | CsvColumn::SyncState | CsvColumn::Updated => None,
    }
}

/// Thousands separators, and a decimal mark that is not the file's, refused
/// with a clear message rather than guessed.
fn check_number(t: &str, decimal_comma: bool) -> Option<(String, String)> {
    let (mark, other) = if decimal_comma {
        (',', '.')
    } else {
        ('.', ',')
    };
    let digits_around = |sep: char| {
        let cs: Vec<char> = t.chars().collect();
        cs.windows(3)
            .any(|w| w[1] == sep && w[0].is_ascii_digit() && w[2].is_ascii_digit())
    };
    let thousands = |message: String| Some(("thousandsSeparator".to_owned(), message));
    if digits_around(' ') || digits_around('\u{a0}') || digits_around('\'') {
        return thousands(format!(
            "{t:?} has a thousands separator; write the number without it (1234{mark}50)"
        ));
    }
    if t.contains(other) {
        return thousands(if decimal_comma {
            format!(
                "{t:?} has a '.' in a ';'-separated file, where ',' is the decimal mark: a thousands separator is refused, not guessed (write 1234,50)"
            )
        } else {
            format!(
                "{t:?} has a ',' in a file separated by another mark, where '.' is the decimal mark: a thousands separator or decimal comma is refused, not guessed (write 1234.50)"
            )
        });
    }
    if t.matches(mark).count() > 1 {
        return thousands(format!("{t:?} has more than one '{mark}'"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_ignoring_case_spaces_and_dashes() {
        for c in CsvColumn::EXPORT {
            assert_eq!(CsvColumn::parse(c.header()), Some(*c));
        }
        let op = Some(CsvColumn::Field(DraftField::OriginalPrice));
        for h in [
            "Original price",
            "original_price",
            "originalPrice",
            "ORIGINAL-PRICE",
            "\u{feff}originalprice",
        ] {
            assert_eq!(CsvColumn::parse(h), op, "{h}");
        }
        assert_eq!(
            CsvColumn::parse("Color"),
            Some(CsvColumn::Field(DraftField::Colour))
        );
        assert_eq!(
            CsvColumn::parse("SKU"),
            Some(CsvColumn::Field(DraftField::Sku))
        );
        assert_eq!(CsvColumn::parse("owner"), None);
    }

    #[test]
    fn cells_are_checked_as_their_column_reads_them() {
        let price = CsvColumn::Field(DraftField::Price);
        let cases: &[(CsvColumn, &str, bool, Option<&str>)] = &[
            (price, "12.50", false, None),
            (price, "12,50", true, None),
            (price, "12,50", false, Some("thousandsSeparator")),
            (price, "1,234.50", false, Some("thousandsSeparator")),
            (price, "1.234,50", true, Some("thousandsSeparator")),
            (price, "1 234.50", false, Some("thousandsSeparator")),
            (price, "1.2.3", false, Some("thousandsSeparator")),
            (price, "cheap", false, Some("notANumber")),
            (price, "", false, None),
            (
                CsvColumn::Field(DraftField::Category),
                "hats",
                false,
                Some("unknown"),
            ),
            (CsvColumn::Field(DraftField::Category), "Tops", false, None),
            (
                CsvColumn::Field(DraftField::Condition),
                "mint",
                false,
                Some("unknown"),
            ),
            (
                CsvColumn::Field(DraftField::Parcel),
                "huge",
                false,
                Some("unknown"),
            ),
            (
                CsvColumn::Field(DraftField::Title),
                &"t".repeat(81),
                false,
                Some("tooLong"),
            ),
            (
                CsvColumn::Field(DraftField::Sku),
                "0012345678901234",
                false,
                None,
            ),
            (
                CsvColumn::Field(DraftField::Sku),
                &"s".repeat(65),
                false,
                Some("tooLong"),
            ),
            (CsvColumn::Quantity, "0", false, Some("notANumber")),
            (CsvColumn::Quantity, "3", false, None),
            (CsvColumn::Id, "nope", false, Some("notAnId")),
        ];
        for (column, text, comma, expected) in cases {
            let got = check_cell(*column, text, *comma).map(|(code, _)| code);
            assert_eq!(got.as_deref(), *expected, "{column:?} {text:?}");
        }
    }
}
