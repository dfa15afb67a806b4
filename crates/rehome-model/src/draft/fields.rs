//! A draft's fields as the user typed them: the field names, the text of each,
//! and what can be wrong with one field.

use crate::Money;
use crate::sync::{ListingFields, Parcel};
use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// The seller's own stock code: free text, kept exactly as typed.
    Sku,
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
        DraftField::Sku,
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
            DraftField::Sku => "sku",
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
            "sku" => DraftField::Sku,
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
    /// Kept exactly (no trimming: `0012345678901234` stays as written).
    pub sku: String,
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
            DraftField::Sku => &self.sku,
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
            DraftField::Sku => &mut self.sku,
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
        DraftField::Sku => fields.sku.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
