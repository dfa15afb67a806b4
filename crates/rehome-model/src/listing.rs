//! The vocabulary of a listing: money, category, condition.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in minor units (cents) of the marketplace's currency.
/// Integer, so that sums and price drops are exact.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub fn cents(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Money {
    /// `12.50`, `0.99`, `-3.00`: two decimals, no currency sign (the UI adds it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name, e.g. `"like_new"`.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// What kind of item it is.
    Category {
        Tops => "tops",
        Dresses => "dresses",
        Trousers => "trousers",
        Skirts => "skirts",
        Outerwear => "outerwear",
        Shoes => "shoes",
        Bags => "bags",
        Accessories => "accessories",
    }
);

wire_enum!(
    /// The item's state, as the seller describes it.
    Condition {
        NewWithTags => "new_with_tags",
        LikeNew => "like_new",
        Good => "good",
        Fair => "fair",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_with_two_decimals() {
        for (cents, shown) in [
            (0, "0.00"),
            (5, "0.05"),
            (1250, "12.50"),
            (-300, "-3.00"),
            (100_000, "1000.00"),
        ] {
            assert_eq!(Money(cents).to_string(), shown, "{cents} cents");
        }
    }

    #[test]
    fn enums_round_trip_through_their_wire_names() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for c in Condition::ALL {
            assert_eq!(Condition::parse(c.as_str()), Some(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        assert_eq!(Condition::parse("mint"), None);
    }
}
