//! When a new mutation may fold into the outbox's last row (see the crate
//! docs, "Coalescing"): only when the two in sequence have exactly the effect
//! of the folded one.

use rehome_model::draft::merge_fields;
use rehome_model::sync::Mutation;

/// `prev` then `next` as one mutation, when that has exactly the same effect
/// (both last-write-wins on the same listing's fields).
pub(super) fn coalesce(prev: &Mutation, next: &Mutation) -> Option<Mutation> {
    use Mutation as M;
    match (prev, next) {
        (
            M::CreateListing {
                listing_id,
                fields,
                price,
                quantity,
            },
            M::UpdateListing {
                listing_id: l2,
                fields: f2,
            },
        ) if listing_id == l2 => {
            let mut fields = fields.clone();
            merge_fields(&mut fields, f2.clone());
            Some(M::CreateListing {
                listing_id: *listing_id,
                fields,
                price: *price,
                quantity: *quantity,
            })
        }
        (
            M::CreateListing {
                listing_id,
                fields,
                quantity,
                ..
            },
            M::SetPrice {
                listing_id: l2,
                price,
                ..
            },
        ) if listing_id == l2 => Some(M::CreateListing {
            listing_id: *listing_id,
            fields: fields.clone(),
            price: *price,
            quantity: *quantity,
        }),
        (
            M::UpdateListing { listing_id, fields },
            M::UpdateListing {
                listing_id: l2,
                fields: f2,
            },
        ) if listing_id == l2 => {
            let mut fields = fields.clone();
            merge_fields(&mut fields, f2.clone());
            Some(M::UpdateListing {
                listing_id: *listing_id,
                fields,
            })
        }
        (
            M::SetPrice {
                listing_id,
                base_version,
                ..
            },
            M::SetPrice {
                listing_id: l2,
                price,
                ..
            },
        ) if listing_id == l2 => Some(M::SetPrice {
            listing_id: *listing_id,
            price: *price,
            base_version: *base_version,
        }),
        (
            M::CreateListing {
                listing_id,
                fields,
                price,
                ..
            },
            M::SetQuantity {
                listing_id: l2,
                quantity,
                ..
            },
        ) if listing_id == l2 => Some(M::CreateListing {
            listing_id: *listing_id,
            fields: fields.clone(),
            price: *price,
            quantity: *quantity,
        }),
        (
            M::SetQuantity {
                listing_id,
                base_version,
                ..
            },
            M::SetQuantity {
                listing_id: l2,
                quantity,
                ..
            },
        ) if listing_id == l2 => Some(M::SetQuantity {
            listing_id: *listing_id,
            quantity: *quantity,
            base_version: *base_version,
        }),
        (
            M::ReorderPhotos { listing_id, .. },
            M::ReorderPhotos {
                listing_id: l2,
                photo_ids,
            },
        ) if listing_id == l2 => Some(M::ReorderPhotos {
            listing_id: *listing_id,
            photo_ids: photo_ids.clone(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::coalesce;
    use rehome_model::sync::{ListingFields, Mutation as M};
    use rehome_model::{ListingId, Money, PhotoId};

    fn title(t: &str) -> ListingFields {
        ListingFields {
            title: Some(t.into()),
            ..Default::default()
        }
    }

    /// One case: the tail row, the next mutation, and the folded row expected
    /// (`None`: append a new row instead).
    fn check(prev: M, next: M, expected: Option<M>) {
        assert_eq!(coalesce(&prev, &next), expected, "{prev:?} then {next:?}");
    }

    #[test]
    fn coalescing_rules() {
        let a = ListingId::from_parts(1, [1; 10]);
        let b = ListingId::from_parts(1, [2; 10]);
        let p = PhotoId::from_parts(1, [3; 10]);
        let create = |f: ListingFields, price| M::CreateListing {
            listing_id: a,
            fields: f,
            price: Money(price),
            quantity: 1,
        };
        let update = |id, f| M::UpdateListing {
            listing_id: id,
            fields: f,
        };
        let price = |id, cents, base| M::SetPrice {
            listing_id: id,
            price: Money(cents),
            base_version: base,
        };
        let mut both = title("T");
        both.brand = Some("B".into());
        let brand = ListingFields {
            brand: Some("B".into()),
            ..Default::default()
        };
        check(
            create(title("a"), 0),
            update(a, title("ab")),
            Some(create(title("ab"), 0)),
        );
        check(
            create(title("a"), 0),
            price(a, 500, 0),
            Some(create(title("a"), 500)),
        );
        check(create(title("a"), 0), update(b, title("x")), None);
        check(
            update(a, title("T")),
            update(a, brand.clone()),
            Some(update(a, both)),
        );
        check(update(a, title("T")), update(b, brand), None);
        check(price(a, 100, 3), price(a, 200, 7), Some(price(a, 200, 3)));
        check(price(a, 100, 3), update(a, title("x")), None);
        check(update(a, title("x")), price(a, 100, 0), None);
        check(
            M::AttachPhoto {
                listing_id: a,
                photo_id: p,
                sha256: "00".into(),
                position: 0,
            },
            update(a, title("x")),
            None,
        );
        check(
            M::ReorderPhotos {
                listing_id: a,
                photo_ids: vec![p],
            },
            M::ReorderPhotos {
                listing_id: a,
                photo_ids: vec![],
            },
            Some(M::ReorderPhotos {
                listing_id: a,
                photo_ids: vec![],
            }),
        );
        check(
            M::Publish {
                listing_id: a,
                base_version: 0,
            },
            M::Publish {
                listing_id: a,
                base_version: 0,
            },
            None,
        );
    }
}
