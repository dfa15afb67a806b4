//! Drafts as the editor, the drafts list and the CLI see them: the text of each
//! field exactly as typed, the validation rules that name each problem next to
//! its field, and the publish-readiness checklist. The IPC commands that carry
//! drafts live in [`crate::ipc`], which uses this module (never the reverse).
//!
//! A draft keeps what the user typed even when it does not validate ("12,5O"
//! stays "12,5O" until they fix it): nothing typed is ever lost. [`parse_draft`]
//! turns the text into wire values where it can, and [`validate`] lists what is
//! wrong, field by field.
//!
//! The modules build on each other in this order: `fields` (names, text,
//! problems) ← `parse` (text to wire values, prices) ← `validate` (the rules)
//! ← `readiness` (the checklist) ← `views` (drafts as shown). `saves` is the
//! editor's field-save sequence, as plain data.

mod fields;
mod parse;
mod readiness;
pub mod saves;
mod validate;
mod views;

pub use fields::{DraftField, DraftValues, FieldError, Problem, parcel_text, wire_text};
pub use parse::{
    ParsedDraft, merge_fields, parse_category, parse_condition, parse_draft, parse_field,
    parse_parcel, parse_price,
};
pub use readiness::{ChecklistItem, PHOTOS_MAX, Readiness, Requirement, readiness};
pub use validate::{validate, validate_field};
pub use views::{Draft, DraftCard, DraftPhoto, DraftStage, DraftSync};

use crate::Money;

/// Limits, in characters (Unicode scalar values), after trimming.
pub const TITLE_MAX: usize = 80;
pub const DESCRIPTION_MAX: usize = 2000;
pub const BRAND_MAX: usize = 40;
pub const SIZE_MAX: usize = 20;
pub const COLOUR_MAX: usize = 30;
/// A SKU's limit, in characters, counted exactly as typed (not trimmed).
pub const SKU_MAX: usize = 64;
/// The lowest and highest price a listing may have.
pub const PRICE_MIN: Money = Money(100);
pub const PRICE_MAX: Money = Money(10_000_000);
/// A parcel given as a weight: 1 g to 30 kg.
pub const PARCEL_GRAMS_MAX: u32 = 30_000;

/// A draft that meets every rule, for the modules' tests.
#[cfg(test)]
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
        sku: "".into(),
    }
}
