//! The publish-readiness checklist: what a draft still needs before it can go
//! on the market.

use super::{DraftField, DraftValues, FieldError, validate};
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::valid;

    #[test]
    fn a_valid_draft_has_no_problems_and_is_ready_with_a_photo() {
        assert_eq!(validate(&valid()), vec![]);
        assert!(readiness(&valid(), 1, 0).ready);
        assert!(!readiness(&valid(), 0, 0).ready);
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
}
