//! Identifiers. Listings and photos get client-generated UUIDv7 ids, so a retried
//! create can never duplicate. Generating them needs a clock and randomness, which
//! this crate does not own: callers pass both in (see [`ListingId::from_parts`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A UUIDv7 from a Unix time in milliseconds and 10 random bytes.
            /// Deterministic: the same inputs give the same id.
            pub fn from_parts(unix_millis: u64, random: [u8; 10]) -> Self {
                Self(uuid_v7(unix_millis, random))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A listing (a draft is a listing that has not been published).
    ListingId
);
uuid_id!(
    /// A photo, named by the client when it is captured.
    PhotoId
);
uuid_id!(
    /// An account on the marketplace: a buyer, a seller or both.
    UserId
);

/// Lays out a UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, the version,
/// 12 random bits, the variant, 62 random bits.
fn uuid_v7(unix_millis: u64, random: [u8; 10]) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&unix_millis.to_be_bytes()[2..]);
    bytes[6..].copy_from_slice(&random);
    bytes[6] = 0x70 | (bytes[6] & 0x0f);
    bytes[8] = 0x80 | (bytes[8] & 0x3f);
    Uuid::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_layout_carries_time_version_and_variant() {
        let id = ListingId::from_parts(0x0123_4567_89ab, [0xff; 10]);
        assert_eq!(id.0.get_version_num(), 7);
        assert_eq!(id.0.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(&id.0.as_bytes()[..6], &[0x01, 0x23, 0x45, 0x67, 0x89, 0xab]);
        // Later millisecond, greater id: v7 ids sort by creation time.
        assert!(ListingId::from_parts(0x0123_4567_89ac, [0; 10]) > id);
    }
}
