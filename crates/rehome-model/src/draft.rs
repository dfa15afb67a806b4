//! Drafts as the editor, the drafts list and the CLI see them: the text of each
//! field exactly as typed, the validation rules that name each problem next to
//! its field, the publish-readiness checklist, and the typed IPC requests and
//! responses of the draft commands.
//!
//! A draft keeps what the user typed even when it does not validate ("12,5O"
//! stays "12,5O" until they fix it): nothing typed is ever lost. [`parse_draft`]
//! turns the text into wire values where it can, and [`validate`] lists what is
//! wrong, field by field.

pub mod saves;

use crate::ipc::IpcCommand;
use crate::sync::{ListingFields, Parcel};
use crate::{Category, Condition, ListingId, Money, PhotoId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Limits, in characters (Unicode scalar values), after trimming.
pub const TITLE_MAX: usize = 80;
pub const DESCRIPTION_MAX: usize = 2000;
pub const BRAND_MAX: usize = 40;
pub const SIZE_MAX: usize = 20;
pub const COLOUR_MAX: usize = 30;
/// The lowest and highest price a listing may have.
pub const PRICE_MIN: Money = Money(100);
pub const PRICE_MAX: Money = Money(10_000_000);
/// A parcel given as a weight: 1 g to 30 kg.
pub const PARCEL_GRAMS_MAX: u32 = 30_000;

/// One field of the editor. The wire name is the draft's JSON key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DraftField {
    Title,
    Description,
    Category,
    Brand,
    Size,
    Condition,
    Colour,
    Price,
    OriginalPrice,
    Parcel,
}

impl DraftField {
    pub const ALL: &'static [DraftField] = &[
        DraftField::Title,
        DraftField::Description,
        DraftField::Category,
        DraftField::Brand,
        DraftField::Size,
        DraftField::Condition,
        DraftField::Colour,
        DraftField::Price,
        DraftField::OriginalPrice,
        DraftField::Parcel,
    ];

    /// The wire name, e.g. `"originalPrice"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DraftField::Title => "title",
            DraftField::Description => "description",
            DraftField::Category => "category",
            DraftField::Brand => "brand",
            DraftField::Size => "size",
            DraftField::Condition => "condition",
            DraftField::Colour => "colour",
            DraftField::Price => "price",
            DraftField::OriginalPrice => "originalPrice",
            DraftField::Parcel => "parcel",
        }
    }

    /// Accepts the wire name and the CLI spellings `original_price`,
    /// `original-price` and `color`.
    pub fn parse(s: &str) -> Option<Self> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "title" => DraftField::Title,
            "description" => DraftField::Description,
            "category" => DraftField::Category,
            "brand" => DraftField::Brand,
            "size" => DraftField::Size,
            "condition" => DraftField::Condition,
            "colour" | "color" => DraftField::Colour,
            "price" => DraftField::Price,
            "originalprice" => DraftField::OriginalPrice,
            "parcel" => DraftField::Parcel,
            _ => return None,
        })
    }
}

impl fmt::Display for DraftField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every field of a draft as the user typed it. Empty means "not filled in".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftValues {
    pub title: String,
    pub description: String,
    pub category: String,
    pub brand: String,
    pub size: String,
    pub condition: String,
    pub colour: String,
    pub price: String,
    pub original_price: String,
    pub parcel: String,
}

impl DraftValues {
    pub fn get(&self, field: DraftField) -> &str {
        match field {
            DraftField::Title => &self.title,
            DraftField::Description => &self.description,
            DraftField::Category => &self.category,
            DraftField::Brand => &self.brand,
            DraftField::Size => &self.size,
            DraftField::Condition => &self.condition,
            DraftField::Colour => &self.colour,
            DraftField::Price => &self.price,
            DraftField::OriginalPrice => &self.original_price,
            DraftField::Parcel => &self.parcel,
        }
    }

    pub fn get_mut(&mut self, field: DraftField) -> &mut String {
        match field {
            DraftField::Title => &mut self.title,
            DraftField::Description => &mut self.description,
            DraftField::Category => &mut self.category,
            DraftField::Brand => &mut self.brand,
            DraftField::Size => &mut self.size,
            DraftField::Condition => &mut self.condition,
            DraftField::Colour => &mut self.colour,
            DraftField::Price => &mut self.price,
            DraftField::OriginalPrice => &mut self.original_price,
            DraftField::Parcel => &mut self.parcel,
        }
    }

    pub fn set(&mut self, field: DraftField, text: impl Into<String>) {
        *self.get_mut(field) = text.into();
    }

    /// The text of every field, from the server's values (used when a pull
    /// brings a listing edited elsewhere).
    pub fn from_wire(fields: &ListingFields, price: Option<Money>) -> Self {
        let mut values = DraftValues::default();
        values.merge_wire(fields, price);
        values
    }

    /// Overwrites the fields present in `fields` (and the price, if given) with
    /// their text form.
    pub fn merge_wire(&mut self, fields: &ListingFields, price: Option<Money>) {
        for field in DraftField::ALL {
            if let Some(text) = wire_text(fields, price, *field) {
                self.set(*field, text);
            }
        }
    }
}

/// The text form of one field's wire value, if `fields`/`price` carry it.
pub fn wire_text(
    fields: &ListingFields,
    price: Option<Money>,
    field: DraftField,
) -> Option<String> {
    match field {
        DraftField::Title => fields.title.clone(),
        DraftField::Description => fields.description.clone(),
        DraftField::Category => fields.category.map(|c| c.as_str().to_owned()),
        DraftField::Brand => fields.brand.clone(),
        DraftField::Size => fields.size.clone(),
        DraftField::Condition => fields.condition.map(|c| c.as_str().to_owned()),
        DraftField::Colour => fields.colour.clone(),
        DraftField::Price => price.map(|m| m.to_string()),
        DraftField::OriginalPrice => fields.original_price.map(|m| m.to_string()),
        DraftField::Parcel => fields.parcel.map(parcel_text),
    }
}

/// `small`, `medium`, `large` or `500g`.
pub fn parcel_text(parcel: Parcel) -> String {
    match parcel {
        Parcel::Small => "small".into(),
        Parcel::Medium => "medium".into(),
        Parcel::Large => "large".into(),
        Parcel::Weight(g) => format!("{g}g"),
    }
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Problem {
    /// Needed before the draft can be published.
    Required,
    TooLong {
        max: usize,
        len: usize,
    },
    NotANumber,
    TooManyDecimals,
    BelowMinimum {
        min: Money,
    },
    AboveMaximum {
        max: Money,
    },
    /// Not one of the accepted values (category, condition, parcel).
    Unknown {
        accepted: Vec<String>,
    },
    /// The original price is below the price.
    OriginalBelowPrice,
}

/// One problem, next to its field, with a message for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: DraftField,
    pub problem: Problem,
    pub message: String,
}

/// Wire values parsed from the text, where the text parses. A field whose text
/// is empty or does not parse is `None` (its problem is in [`validate`]).
/// Text fields carry their trimmed text even when too long: the length is a
/// publish rule, not a parse failure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedDraft {
    pub fields: ListingFields,
    pub price: Option<Money>,
}

/// The wire value of one field, or `None` when the text is empty or does not parse.
/// For text fields an empty text is `Some("")` (clearing them is expressible on the wire).
pub fn parse_field(field: DraftField, text: &str) -> Option<ListingFields> {
    let t = text.trim();
    let mut out = ListingFields::default();
    match field {
        DraftField::Title => out.title = Some(t.to_owned()),
        DraftField::Description => out.description = Some(t.to_owned()),
        DraftField::Brand => out.brand = Some(t.to_owned()),
        DraftField::Size => out.size = Some(t.to_owned()),
        DraftField::Colour => out.colour = Some(t.to_owned()),
        DraftField::Category => out.category = Some(parse_category(t).ok()?),
        DraftField::Condition => out.condition = Some(parse_condition(t).ok()?),
        DraftField::OriginalPrice => out.original_price = Some(parse_price(t).ok()?),
        DraftField::Parcel => out.parcel = Some(parse_parcel(t).ok()?),
        DraftField::Price => return None,
    }
    Some(out)
}

pub fn parse_draft(values: &DraftValues) -> ParsedDraft {
    let mut fields = ListingFields::default();
    for field in DraftField::ALL {
        if let Some(one) = parse_field(*field, values.get(*field)) {
            merge_fields(&mut fields, one);
        }
    }
    ParsedDraft {
        fields,
        price: parse_price(values.price.trim()).ok(),
    }
}

/// Copies every field present in `from` into `into` (last write wins per field).
pub fn merge_fields(into: &mut ListingFields, from: ListingFields) {
    let ListingFields {
        title,
        description,
        category,
        brand,
        size,
        condition,
        colour,
        original_price,
        parcel,
    } = from;
    macro_rules! take {
        ($($f:ident),*) => { $( if $f.is_some() { into.$f = $f; } )* };
    }
    take!(
        title,
        description,
        category,
        brand,
        size,
        condition,
        colour,
        original_price,
        parcel
    );
}

fn normalise_word(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

pub fn parse_category(t: &str) -> Result<Category, Problem> {
    if t.trim().is_empty() {
        return Err(Problem::Required);
    }
    Category::parse(&normalise_word(t)).ok_or_else(|| Problem::Unknown {
        accepted: Category::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
    })
}

pub fn parse_condition(t: &str) -> Result<Condition, Problem> {
    if t.trim().is_empty() {
        return Err(Problem::Required);
    }
    Condition::parse(&normalise_word(t)).ok_or_else(|| Problem::Unknown {
        accepted: Condition::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
    })
}

/// A parcel: `small`, `medium`, `large`, or a weight (`500g`, `1.2kg`, `500`
/// meaning grams).
pub fn parse_parcel(t: &str) -> Result<Parcel, Problem> {
    let t = t.trim().to_ascii_lowercase();
    let unknown = || Problem::Unknown {
        accepted: vec![
            "small".into(),
            "medium".into(),
            "large".into(),
            "a weight such as 500g or 1.2kg".into(),
        ],
    };
    match t.as_str() {
        "" => return Err(Problem::Required),
        "small" | "s" => return Ok(Parcel::Small),
        "medium" | "m" => return Ok(Parcel::Medium),
        "large" | "l" => return Ok(Parcel::Large),
        _ => {}
    }
    let (number, scale) = if let Some(n) = t.strip_suffix("kg") {
        (n.trim(), 1000.0)
    } else if let Some(n) = t.strip_suffix('g') {
        (n.trim(), 1.0)
    } else {
        (t.as_str(), 1.0)
    };
    let value: f64 = number.replace(',', ".").parse().map_err(|_| unknown())?;
    if !value.is_finite() {
        return Err(unknown());
    }
    let grams = (value * scale).round();
    if grams < 1.0 {
        return Err(Problem::BelowMinimum { min: Money(1) });
    }
    if grams > f64::from(PARCEL_GRAMS_MAX) {
        return Err(Problem::AboveMaximum {
            max: Money(i64::from(PARCEL_GRAMS_MAX)),
        });
    }
    Ok(Parcel::Weight(grams as u32))
}

/// A price as people type it: `12.50`, `12,50`, `€12`, `12 €`, `1,234.50`,
/// `1.234,50`. A separator followed by exactly three digits, when it is the only
/// separator, groups thousands (`1.500` is 1500.00): nobody types prices in
/// thousandths. Range checks are in [`validate`], not here.
pub fn parse_price(t: &str) -> Result<Money, Problem> {
    let s: String = t
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '€' | '£' | '$'))
        .collect();
    let s = s
        .strip_prefix("EUR")
        .or_else(|| s.strip_suffix("EUR"))
        .unwrap_or(&s);
    if s.is_empty() {
        return Err(if t.trim().is_empty() {
            Problem::Required
        } else {
            Problem::NotANumber
        });
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(Problem::NotANumber);
    }
    let last_sep = s.rfind(['.', ',']);
    let (int_part, frac_part) = match last_sep {
        None => (s.to_owned(), String::new()),
        Some(i) => {
            let sep = if s.as_bytes()[i] == b'.' { '.' } else { ',' };
            let other = if sep == '.' { ',' } else { '.' };
            let after = &s[i + 1..];
            let has_other = s.contains(other);
            let thousands_only =
                !has_other && (s.matches(sep).count() > 1 || (after.len() == 3 && i > 0));
            if thousands_only {
                (ungroup(s, sep).ok_or(Problem::NotANumber)?, String::new())
            } else {
                // `sep` is the decimal mark; `other` may group thousands.
                if s[..i].contains(sep) {
                    return Err(Problem::NotANumber);
                }
                let int_part = if has_other {
                    ungroup(&s[..i], other).ok_or(Problem::NotANumber)?
                } else {
                    s[..i].to_owned()
                };
                (int_part, after.to_owned())
            }
        }
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(Problem::NotANumber);
    }
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return Err(Problem::NotANumber);
    }
    if frac_part.len() > 2 {
        return Err(Problem::TooManyDecimals);
    }
    let whole: i64 = if int_part.is_empty() {
        0
    } else if int_part.len() > 12 {
        return Err(Problem::AboveMaximum { max: PRICE_MAX });
    } else {
        int_part.parse().map_err(|_| Problem::NotANumber)?
    };
    let cents: i64 = match frac_part.len() {
        0 => 0,
        1 => frac_part.parse::<i64>().map_err(|_| Problem::NotANumber)? * 10,
        _ => frac_part.parse().map_err(|_| Problem::NotANumber)?,
    };
    Ok(Money(whole * 100 + cents))
}

/// `1.234.567` grouped by `sep` → `1234567`: a first group of 1-3 digits, then
/// groups of exactly 3.
fn ungroup(s: &str, sep: char) -> Option<String> {
    let mut groups = s.split(sep);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_owned();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

fn message(field: DraftField, problem: &Problem) -> String {
    let name = match field {
        DraftField::Title => "Title",
        DraftField::Description => "Description",
        DraftField::Category => "Category",
        DraftField::Brand => "Brand",
        DraftField::Size => "Size",
        DraftField::Condition => "Condition",
        DraftField::Colour => "Colour",
        DraftField::Price => "Price",
        DraftField::OriginalPrice => "Original price",
        DraftField::Parcel => "Parcel",
    };
    match problem {
        Problem::Required if field == DraftField::Size => {
            format!("{name} is required (write \"one size\" for bags and accessories)")
        }
        Problem::Required => format!("{name} is required"),
        Problem::TooLong { max, len } => {
            format!("{name} is too long: {len} characters, at most {max}")
        }
        Problem::NotANumber => format!("{name} is not a number (write it like 12.50)"),
        Problem::TooManyDecimals => format!("{name} can have at most 2 decimals"),
        Problem::BelowMinimum { min } if field == DraftField::Parcel => {
            format!("{name} weight must be at least {} g", min.0)
        }
        Problem::AboveMaximum { max } if field == DraftField::Parcel => {
            format!("{name} weight must be at most {} g", max.0)
        }
        Problem::BelowMinimum { min } => format!("{name} must be at least {min}"),
        Problem::AboveMaximum { max } => format!("{name} must be at most {max}"),
        Problem::Unknown { accepted } => {
            format!("{name} must be one of: {}", accepted.join(", "))
        }
        Problem::OriginalBelowPrice => format!("{name} must not be below the price"),
    }
}

fn error(field: DraftField, problem: Problem) -> FieldError {
    FieldError {
        field,
        message: message(field, &problem),
        problem,
    }
}

fn check_len(out: &mut Vec<FieldError>, field: DraftField, text: &str, max: usize, required: bool) {
    let t = text.trim();
    let len = t.chars().count();
    if required && len == 0 {
        out.push(error(field, Problem::Required));
    } else if len > max {
        out.push(error(field, Problem::TooLong { max, len }));
    }
}

fn check_money(
    out: &mut Vec<FieldError>,
    field: DraftField,
    text: &str,
    required: bool,
) -> Option<Money> {
    match parse_price(text) {
        Ok(m) if m < PRICE_MIN => {
            out.push(error(field, Problem::BelowMinimum { min: PRICE_MIN }));
            None
        }
        Ok(m) if m > PRICE_MAX => {
            out.push(error(field, Problem::AboveMaximum { max: PRICE_MAX }));
            None
        }
        Ok(m) => Some(m),
        Err(Problem::Required) if !required => None,
        Err(p) => {
            out.push(error(field, p));
            None
        }
    }
}

/// Every problem with the draft's text, in field order. Required fields that
/// are empty are reported as [`Problem::Required`]: the editor shows them next
/// to the field, and they also appear in the [`Readiness`] checklist.
pub fn validate(values: &DraftValues) -> Vec<FieldError> {
    let mut out = Vec::new();
    check_len(&mut out, DraftField::Title, &values.title, TITLE_MAX, true);
    check_len(
        &mut out,
        DraftField::Description,
        &values.description,
        DESCRIPTION_MAX,
        false,
    );
    if let Err(p) = parse_category(&values.category) {
        out.push(error(DraftField::Category, p));
    }
    check_len(&mut out, DraftField::Brand, &values.brand, BRAND_MAX, false);
    // Free text, and required: buyers of fashion filter by size. Bags and
    // accessories say "one size".
    check_len(&mut out, DraftField::Size, &values.size, SIZE_MAX, true);
    if let Err(p) = parse_condition(&values.condition) {
        out.push(error(DraftField::Condition, p));
    }
    check_len(
        &mut out,
        DraftField::Colour,
        &values.colour,
        COLOUR_MAX,
        false,
    );
    let price = check_money(&mut out, DraftField::Price, &values.price, true);
    let original = check_money(
        &mut out,
        DraftField::OriginalPrice,
        &values.original_price,
        false,
    );
    if let (Some(p), Some(o)) = (price, original)
        && o < p
    {
        out.push(error(
            DraftField::OriginalPrice,
            Problem::OriginalBelowPrice,
        ));
    }
    if let Err(p) = parse_parcel(&values.parcel) {
        out.push(error(DraftField::Parcel, p));
    }
    out
}

/// The problems of one field only (what the editor shows after a keystroke).
pub fn validate_field(values: &DraftValues, field: DraftField) -> Vec<FieldError> {
    validate(values)
        .into_iter()
        .filter(|e| e.field == field)
        .collect()
}

/// One line of the publish-readiness checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Requirement {
    Title,
    Price,
    Category,
    /// A size (free text; "one size" for bags and accessories).
    Size,
    Condition,
    Parcel,
    /// At least one photo.
    Photo,
    /// Every photo's file is on the device (none reported missing).
    PhotoFiles,
    /// Optional fields that are filled in are valid too.
    OtherFields,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistItem {
    pub requirement: Requirement,
    /// The field the item refers to, for the editor to focus (none for photos).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<DraftField>,
    pub done: bool,
    /// What is missing, for people; empty when done.
    pub note: String,
}

/// The publish-readiness checklist: every item, done or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub ready: bool,
    pub items: Vec<ChecklistItem>,
}

impl Readiness {
    /// The items still missing.
    pub fn missing(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(|i| !i.done)
    }
}

/// The most photos one listing holds (the store refuses the 25th with
/// `ErrorCode::TooManyPhotos`; the editor disables adding at this count).
pub const PHOTOS_MAX: usize = 24;

/// The checklist for a draft with `photo_count` photos of which
/// `missing_photo_files` have lost their file on the device.
pub fn readiness(
    values: &DraftValues,
    photo_count: usize,
    missing_photo_files: usize,
) -> Readiness {
    let errors = validate(values);
    let mut items = Vec::new();
    let required = [
        (Requirement::Title, DraftField::Title),
        (Requirement::Price, DraftField::Price),
        (Requirement::Category, DraftField::Category),
        (Requirement::Size, DraftField::Size),
        (Requirement::Condition, DraftField::Condition),
        (Requirement::Parcel, DraftField::Parcel),
    ];
    for (requirement, field) in required {
        let notes: Vec<&str> = errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        items.push(ChecklistItem {
            requirement,
            field: Some(field),
            done: notes.is_empty(),
            note: notes.join("; "),
        });
    }
    items.push(ChecklistItem {
        requirement: Requirement::Photo,
        field: None,
        done: photo_count > 0,
        note: if photo_count > 0 {
            String::new()
        } else {
            "Add at least one photo".into()
        },
    });
    items.push(ChecklistItem {
        requirement: Requirement::PhotoFiles,
        field: None,
        done: missing_photo_files == 0,
        note: if missing_photo_files == 0 {
            String::new()
        } else {
            format!(
                "{missing_photo_files} photo file(s) are missing on this device: add them again"
            )
        },
    });
    let other: Vec<&FieldError> = errors
        .iter()
        .filter(|e| !required.iter().any(|(_, f)| *f == e.field))
        .collect();
    items.push(ChecklistItem {
        requirement: Requirement::OtherFields,
        field: other.first().map(|e| e.field),
        done: other.is_empty(),
        note: other
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    });
    Readiness {
        ready: items.iter().all(|i| i.done),
        items,
    }
}

/// Where a draft stands, as its badge shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "stage")]
pub enum DraftStage {
    /// Being edited on this device.
    Draft,
    /// Publish was pressed; waiting for sync to take it.
    Queued,
    /// On the marketplace.
    Live,
    Delisted,
    Sold,
    /// Something keeps failing; `reason` says what, in plain words.
    NeedsAttention {
        reason: String,
    },
}

/// How the draft's edits stand against the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftSync {
    /// Edits saved on the device that the server has not confirmed yet.
    pub pending_changes: u32,
    /// Has the server confirmed this listing at least once?
    pub confirmed: bool,
}

/// A photo of a draft, in order (the first is the cover).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftPhoto {
    pub id: PhotoId,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    /// The file is gone from the device (found at start-up).
    pub missing: bool,
    /// `pending`, `uploading` or `done`.
    pub upload: String,
}

/// A draft as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub id: ListingId,
    pub values: DraftValues,
    pub photos: Vec<DraftPhoto>,
    pub stage: DraftStage,
    pub sync: DraftSync,
    pub errors: Vec<FieldError>,
    pub readiness: Readiness,
    /// Unix milliseconds.
    pub created_at: u64,
    pub updated_at: u64,
}

/// A draft as the drafts list shows it (one card).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftCard {
    pub id: ListingId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_photo: Option<PhotoId>,
    pub title: String,
    /// The price as typed (it may not validate yet).
    pub price: String,
    /// The parsed price, when the text is a valid price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_cents: Option<Money>,
    pub ready: bool,
    /// How many checklist items are still missing.
    pub missing: u32,
    pub stage: DraftStage,
    pub sync: DraftSync,
    pub updated_at: u64,
}

// ---- IPC requests and responses -------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDraftRequest {
    /// Initial text of any fields (all optional; an empty draft is fine).
    #[serde(default)]
    pub values: DraftValues,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftIdRequest {
    pub id: ListingId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetFieldRequest {
    pub id: ListingId,
    pub field: DraftField,
    /// The text as typed.
    pub value: String,
    /// The order of this field's saves from one editor: a save that arrives
    /// after one with a higher `seq` for the same field is stale and skipped,
    /// so saves can be sent without waiting for each other. 0: unordered
    /// (always applied), as the CLI sends.
    #[serde(default)]
    pub seq: u64,
}

/// The field was saved (even when it does not validate): its problems, and the
/// whole draft as it now stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetFieldResponse {
    pub field: DraftField,
    /// Problems of this field only (empty when valid).
    pub errors: Vec<FieldError>,
    pub draft: Draft,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDraftResponse {
    pub id: ListingId,
    /// Unix milliseconds until which `undo_delete` brings it back.
    pub undo_until: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDraftsRequest {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachPhotoRequest {
    pub id: ListingId,
    /// Already compressed JPEG bytes (from the photo pipeline).
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Lower-case hex SHA-256 of `jpeg`.
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReorderPhotosRequest {
    pub id: ListingId,
    /// The complete new order; the first is the cover.
    pub photo_ids: Vec<PhotoId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotoRequest {
    pub id: ListingId,
    pub photo_id: PhotoId,
}

/// An edit the store could not save (disk full, read-only folder, damaged
/// database). The app keeps it in memory and shows it; `retry_unsaved` tries again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsavedEdit {
    /// The draft, when the edit is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ListingId>,
    /// What the user did, e.g. `set title`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<DraftField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Why it was not saved.
    pub reason: String,
}

macro_rules! command {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $req:ty => $resp:ty) => {
        $(#[$doc])*
        pub struct $ty;
        impl IpcCommand for $ty {
            const NAME: &'static str = $name;
            type Request = $req;
            type Response = $resp;
        }
    };
}

command!(
    /// A new, empty (or pre-filled) draft.
    CreateDraftCmd, "create_draft", CreateDraftRequest => Draft);
command!(
    /// The drafts list: one card per draft, newest edit first.
    ListDraftsCmd, "list_drafts", ListDraftsRequest => Vec<DraftCard>);
command!(GetDraftCmd, "get_draft", DraftIdRequest => Draft);
command!(
    /// Save one field as typed (call it debounced, ~300 ms after typing stops).
    SetFieldCmd, "set_draft_field", SetFieldRequest => SetFieldResponse);
command!(DuplicateDraftCmd, "duplicate_draft", DraftIdRequest => Draft);
command!(
    /// Soft delete: hidden at once, gone for good when the undo window ends.
    DeleteDraftCmd, "delete_draft", DraftIdRequest => DeleteDraftResponse);
command!(UndoDeleteDraftCmd, "undo_delete_draft", DraftIdRequest => Draft);
command!(
    /// Queue for publishing; refused with `invalid` (naming the first missing
    /// field) until the checklist is complete.
    PublishDraftCmd, "publish_draft", DraftIdRequest => Draft);
command!(AttachPhotoCmd, "attach_draft_photo", AttachPhotoRequest => Draft);
command!(ReorderPhotosCmd, "reorder_draft_photos", ReorderPhotosRequest => Draft);
command!(SetCoverPhotoCmd, "set_draft_cover_photo", PhotoRequest => Draft);
command!(DeletePhotoCmd, "delete_draft_photo", PhotoRequest => Draft);
command!(
    /// Edits kept in memory because the store could not save them.
    UnsavedEditsCmd, "unsaved_edits", () => Vec<UnsavedEdit>);
command!(
    /// Try to save the in-memory edits again; returns those still unsaved.
    RetryUnsavedCmd, "retry_unsaved_edits", () => Vec<UnsavedEdit>);

#[cfg(test)]
mod tests {
    use super::*;

    /// One case: the field's text on an otherwise valid draft, and the problems
    /// expected on that field (by kind name; empty = valid).
    fn check(field: DraftField, text: &str, expected: &[&str]) {
        let mut values = valid();
        values.set(field, text);
        let got: Vec<String> = validate(&values)
            .iter()
            .map(|e| {
                assert_eq!(
                    e.field, field,
                    "{field}={text:?}: problem on another field: {e:?}"
                );
                let json = serde_json::to_value(&e.problem).unwrap();
                json["kind"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(got, expected, "{field}={text:?}");
    }

    fn valid() -> DraftValues {
        DraftValues {
            title: "Linen shirt".into(),
            description: "Worn twice".into(),
            category: "tops".into(),
            brand: "Uniqlo".into(),
            size: "M".into(),
            condition: "like_new".into(),
            colour: "blue".into(),
            price: "12.50".into(),
            original_price: "".into(),
            parcel: "small".into(),
        }
    }

    #[test]
    fn a_valid_draft_has_no_problems_and_is_ready_with_a_photo() {
        assert_eq!(validate(&valid()), vec![]);
        assert!(readiness(&valid(), 1, 0).ready);
        assert!(!readiness(&valid(), 0, 0).ready);
    }

    #[test]
    fn validation_rules() {
        use DraftField::*;
        let cases: &[(DraftField, &str, &[&str])] = &[
            (Title, "", &["required"]),
            (Title, "   ", &["required"]),
            (Title, &"a".repeat(80), &[]),
            (Title, &"a".repeat(81), &["tooLong"]),
            (Title, &"é".repeat(80), &[]),
            (Title, &format!("  {}  ", "a".repeat(80)), &[]),
            (Description, "", &[]),
            (Description, &"d".repeat(2000), &[]),
            (Description, &"d".repeat(2001), &["tooLong"]),
            (Category, "", &["required"]),
            (Category, "tops", &[]),
            (Category, "Outerwear", &[]),
            (Category, "hats", &["unknown"]),
            (Condition, "", &["required"]),
            (Condition, "like new", &[]),
            (Condition, "New-with-tags", &[]),
            (Condition, "mint", &["unknown"]),
            (Brand, "", &[]),
            (Brand, &"b".repeat(40), &[]),
            (Brand, &"b".repeat(41), &["tooLong"]),
            (Size, "", &["required"]),
            (Size, "  ", &["required"]),
            (Size, "one size", &[]),
            (Size, "EU 38", &[]),
            (Size, &"s".repeat(20), &[]),
            (Size, &"s".repeat(21), &["tooLong"]),
            (Colour, &"c".repeat(30), &[]),
            (Colour, &"c".repeat(31), &["tooLong"]),
            (Price, "", &["required"]),
            (Price, "12.50", &[]),
            (Price, "12,50", &[]),
            (Price, "€12", &[]),
            (Price, "12 €", &[]),
            (Price, "1.00", &[]),
            (Price, "0.99", &["belowMinimum"]),
            (Price, "0", &["belowMinimum"]),
            (Price, "100000", &[]),
            (Price, "100000.01", &["aboveMaximum"]),
            (Price, "99999999999999999", &["aboveMaximum"]),
            (Price, "abc", &["notANumber"]),
            (Price, "12,5O", &["notANumber"]),
            (Price, "-5", &["notANumber"]),
            (Price, "1e3", &["notANumber"]),
            (Price, "€", &["notANumber"]),
            (Price, ".", &["notANumber"]),
            (Price, "12.5055", &["tooManyDecimals"]),
            (Price, "12.505", &[]),
            (Price, "1.2.3", &["notANumber"]),
            (OriginalPrice, "", &[]),
            (OriginalPrice, "12.50", &[]),
            (OriginalPrice, "20", &[]),
            (OriginalPrice, "10", &["originalBelowPrice"]),
            (OriginalPrice, "zz", &["notANumber"]),
            (OriginalPrice, "0.5", &["belowMinimum"]),
            (Parcel, "", &["required"]),
            (Parcel, "small", &[]),
            (Parcel, "Large", &[]),
            (Parcel, "500g", &[]),
            (Parcel, "1.2kg", &[]),
            (Parcel, "750", &[]),
            (Parcel, "0g", &["belowMinimum"]),
            (Parcel, "31kg", &["aboveMaximum"]),
            (Parcel, "huge", &["unknown"]),
        ];
        for (field, text, expected) in cases {
            check(*field, text, expected);
        }
    }

    #[test]
    fn prices_parse_as_typed() {
        let cases: &[(&str, Option<i64>)] = &[
            ("12.50", Some(1250)),
            ("12,50", Some(1250)),
            ("12,5", Some(1250)),
            ("€12", Some(1200)),
            ("£ 7.05", Some(705)),
            ("12 EUR", Some(1200)),
            ("1,234.50", Some(123_450)),
            ("1.234,50", Some(123_450)),
            ("1.500", Some(150_000)),
            ("1,500", Some(150_000)),
            ("1.2.3", None),
            ("1.234.567", Some(123_456_700)),
            ("12.505", Some(1_250_500)),
            ("1234,567", None),
            (".5", Some(50)),
            ("5.", Some(500)),
            ("1,2,3.4", None),
            ("1,234,567.89", Some(123_456_789)),
            ("1.2,3.4", None),
            ("", None),
            ("ten", None),
        ];
        for (text, cents) in cases {
            assert_eq!(parse_price(text).ok().map(|m| m.0), *cents, "{text:?}");
        }
    }

    #[test]
    fn messages_name_the_problem() {
        let mut values = valid();
        values.price = "abc".into();
        values.title = "t".repeat(81);
        let msgs: Vec<String> = validate(&values).into_iter().map(|e| e.message).collect();
        expect_test::expect![[r#"
            [
                "Title is too long: 81 characters, at most 80",
                "Price is not a number (write it like 12.50)",
            ]
        "#]]
        .assert_debug_eq(&msgs);
    }

    #[test]
    fn checklist_lists_what_is_missing_with_its_field() {
        let r = readiness(&DraftValues::default(), 0, 0);
        let missing: Vec<(Requirement, Option<DraftField>)> =
            r.missing().map(|i| (i.requirement, i.field)).collect();
        assert!(!r.ready);
        assert_eq!(
            missing,
            vec![
                (Requirement::Title, Some(DraftField::Title)),
                (Requirement::Price, Some(DraftField::Price)),
                (Requirement::Category, Some(DraftField::Category)),
                (Requirement::Size, Some(DraftField::Size)),
                (Requirement::Condition, Some(DraftField::Condition)),
                (Requirement::Parcel, Some(DraftField::Parcel)),
                (Requirement::Photo, None),
            ]
        );
        let mut values = valid();
        values.brand = "b".repeat(41);
        let r = readiness(&values, 2, 1);
        let missing: Vec<Requirement> = r.missing().map(|i| i.requirement).collect();
        assert_eq!(
            missing,
            vec![Requirement::PhotoFiles, Requirement::OtherFields]
        );
    }

    #[test]
    fn field_names_parse_in_every_spelling() {
        for f in DraftField::ALL {
            assert_eq!(DraftField::parse(f.as_str()), Some(*f));
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
        assert_eq!(
            DraftField::parse("original_price"),
            Some(DraftField::OriginalPrice)
        );
        assert_eq!(
            DraftField::parse("original-price"),
            Some(DraftField::OriginalPrice)
        );
        assert_eq!(DraftField::parse("color"), Some(DraftField::Colour));
        assert_eq!(DraftField::parse("owner"), None);
    }

    #[test]
    fn parsed_draft_carries_wire_values_and_round_trips_to_text() {
        let mut values = valid();
        values.parcel = "1.2kg".into();
        let parsed = parse_draft(&values);
        assert_eq!(parsed.price, Some(Money(1250)));
        assert_eq!(parsed.fields.parcel, Some(Parcel::Weight(1200)));
        assert_eq!(parsed.fields.category, Some(Category::Tops));
        let back = DraftValues::from_wire(&parsed.fields, parsed.price);
        assert_eq!(parse_draft(&back), parsed);
    }
}
