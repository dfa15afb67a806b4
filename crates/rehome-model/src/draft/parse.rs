//! Text to wire values: prices as people type them (`12,50`, `€12`,
//! `1.234,50`), categories, conditions and parcels. Range checks are in
//! [`super::validate`], not here.

use super::{DraftField, DraftValues, PARCEL_GRAMS_MAX, PRICE_MAX, Problem};
use crate::sync::{ListingFields, Parcel};
use crate::{Category, Condition, Money};

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
        // Kept exactly: a SKU's spaces and leading zeros are the seller's.
        DraftField::Sku => out.sku = Some(text.to_owned()),
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
        sku,
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
        parcel,
        sku
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::valid;

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
