//! The rules a draft's text must meet to be published, each problem named
//! next to its field with a message for people.

use super::{
    BRAND_MAX, COLOUR_MAX, DESCRIPTION_MAX, DraftField, DraftValues, FieldError, PRICE_MAX,
    PRICE_MIN, Problem, SIZE_MAX, SKU_MAX, TITLE_MAX, parse_category, parse_condition,
    parse_parcel, parse_price,
};
use crate::Money;

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
        DraftField::Sku => "SKU",
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
    // Counted exactly as typed: a SKU is never trimmed.
    let sku_len = values.sku.chars().count();
    if sku_len > SKU_MAX {
        out.push(error(
            DraftField::Sku,
            Problem::TooLong {
                max: SKU_MAX,
                len: sku_len,
            },
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::valid;

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
            (Sku, "", &[]),
            (Sku, "0012345678901234", &[]),
            (Sku, &"s".repeat(64), &[]),
            (Sku, &"s".repeat(65), &["tooLong"]),
            (Sku, &format!(" {} ", "s".repeat(63)), &["tooLong"]),
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
}
