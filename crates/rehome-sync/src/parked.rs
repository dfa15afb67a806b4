//! The seller's "retry" on a listing that needs attention: its parked rows go
//! back in the queue under new mutation ids (the server has recorded the old
//! ids as processed and would answer a resend with the stored rejection).
//!
//! A retried field edit carries the fields' **current** values, not the ones
//! refused: the seller may have fixed the text since, and the requeued row
//! goes to the end of the queue, behind any newer edit it must not undo.

use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues, merge_fields, parse_draft, parse_field};
use rehome_model::sync::{ListingFields, Mutation, MutationId};
use rehome_store::{OutboxState, Store, StoreError, mutation_listing};

/// Requeues every parked row of `listing`, oldest first. Returns the new
/// mutation ids (empty when nothing was parked).
///
/// A row this device cannot read back is rebuilt from the draft when it is
/// one a draft's values make whole (its create, or a field update: sent as
/// every field's current value); any other (a price or status change, a
/// photo) stays parked with its reason, since what it carried is gone.
#[tracing::instrument(skip(store))]
pub fn retry_listing(store: &Store, listing: ListingId) -> Result<Vec<MutationId>, StoreError> {
    let mut parked: Vec<(MutationId, Mutation)> = store
        .outbox()?
        .into_iter()
        .filter(|r| {
            r.state == OutboxState::Parked && mutation_listing(&r.mutation) == Some(listing)
        })
        .map(|r| (r.seq, r.mutation))
        .collect();
    let unreadable: Vec<_> = store
        .unreadable_outbox()?
        .into_iter()
        .filter(|r| r.listing == Some(listing))
        .collect();
    if parked.is_empty() && unreadable.is_empty() {
        return Ok(Vec::new());
    }
    let values = store.get_draft(listing)?.values;
    for row in unreadable {
        if let Some(stand_in) = stand_in(&row.name, listing, &values) {
            parked.push((row.seq, stand_in));
        }
    }
    parked.sort_by_key(|(seq, _)| *seq);
    let mut ids = Vec::with_capacity(parked.len());
    for (seq, mutation) in parked {
        let refreshed = refreshed(&mutation, &values);
        ids.push(store.requeue_parked(seq, refreshed.as_ref())?);
    }
    Ok(ids)
}

/// What an unreadable row named `name` is rebuilt as (its fields then come
/// from the draft, in [`refreshed`]), when the draft makes it whole.
fn stand_in(name: &str, listing_id: ListingId, values: &DraftValues) -> Option<Mutation> {
    match name {
        "createListing" => Some(Mutation::CreateListing {
            listing_id,
            fields: ListingFields::default(),
            price: rehome_model::Money(0),
            quantity: 1,
        }),
        // Every field that parses, each with its current value.
        "updateListing" => Some(Mutation::UpdateListing {
            listing_id,
            fields: parse_draft(values).fields,
        }),
        _ => None,
    }
}

/// The mutation with the draft's current values in the fields it sets, or
/// `None` to requeue it as it was.
fn refreshed(m: &Mutation, values: &DraftValues) -> Option<Mutation> {
    match m {
        Mutation::UpdateListing { listing_id, fields } => Some(Mutation::UpdateListing {
            listing_id: *listing_id,
            fields: current(fields, values),
        }),
        Mutation::CreateListing {
            listing_id,
            price,
            quantity,
            ..
        } => {
            let parsed = parse_draft(values);
            let mut fields = parsed.fields;
            for slot in [
                &mut fields.title,
                &mut fields.description,
                &mut fields.brand,
                &mut fields.size,
                &mut fields.colour,
                &mut fields.sku,
            ] {
                if slot.as_deref() == Some("") {
                    *slot = None;
                }
            }
            Some(Mutation::CreateListing {
                listing_id: *listing_id,
                fields,
                price: parsed.price.unwrap_or(*price),
                quantity: *quantity,
            })
        }
        _ => None,
    }
}

/// For each field `sent` sets, the draft's current value of it.
fn current(sent: &ListingFields, values: &DraftValues) -> ListingFields {
    let mut out = ListingFields::default();
    for field in DraftField::ALL {
        if *field == DraftField::Price
            || rehome_model::draft::wire_text(sent, None, *field).is_none()
        {
            continue;
        }
        if let Some(one) = parse_field(*field, values.get(*field)) {
            merge_fields(&mut out, one);
        }
    }
    out
}
