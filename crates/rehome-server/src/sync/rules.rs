//! The checks mutations share: field bounds, ownership and visibility, the
//! compare-and-set on a guarded field's version, status moves, and the
//! publish checklist.

use super::{BRAND_MAX, COLOUR_MAX, DESCRIPTION_MAX, SIZE_MAX, SKU_MAX, TITLE_MAX};
use super::{PRICE_MAX, PRICE_MIN, Refusal, reject, status_name};
use crate::storage::{ListingRow, WriteTx};
use rehome_model::draft::{DraftField, DraftValues, readiness};
use rehome_model::sync::{GuardedField, ListingFields, ListingStatus, serde_json_value::Value};
use rehome_model::{ErrorCode, ListingId, Money, UserId};

fn check_text(value: &Option<String>, field: &str, max: usize) -> Result<(), Refusal> {
    match value {
        Some(v) if v.chars().count() > max => Err(reject(
            ErrorCode::Invalid,
            field,
            &format!("{field} is at most {max} characters"),
        )),
        Some(v) if v.chars().any(|c| c.is_control() && c != '\n') => Err(reject(
            ErrorCode::Invalid,
            field,
            &format!("{field} has control characters"),
        )),
        _ => Ok(()),
    }
}

pub(super) fn check_fields(f: &ListingFields) -> Result<(), Refusal> {
    check_text(&f.title, "title", TITLE_MAX)?;
    check_text(
        &f.description.clone().map(|d| d.replace('\n', " ")),
        "description",
        DESCRIPTION_MAX,
    )?;
    check_text(&f.brand, "brand", BRAND_MAX)?;
    check_text(&f.size, "size", SIZE_MAX)?;
    check_text(&f.colour, "colour", COLOUR_MAX)?;
    // Kept exactly as typed, so one line: a newline is refused too.
    if f.sku.as_deref().is_some_and(|s| s.contains('\n')) {
        return Err(reject(ErrorCode::Invalid, "sku", "sku is one line"));
    }
    check_text(&f.sku, "sku", SKU_MAX)?;
    if let Some(p) = f.original_price
        && !(0..=PRICE_MAX).contains(&p.0)
    {
        return Err(reject(
            ErrorCode::Invalid,
            "originalPrice",
            "originalPrice is out of range",
        ));
    }
    if let Some(rehome_model::sync::Parcel::Weight(g)) = f.parcel
        && !(1..=rehome_model::draft::PARCEL_GRAMS_MAX).contains(&g)
    {
        return Err(reject(
            ErrorCode::Invalid,
            "parcel",
            "A parcel weighs 1 g to 30 kg",
        ));
    }
    Ok(())
}

pub(super) fn check_price(p: Money, field: &str) -> Result<(), Refusal> {
    if (PRICE_MIN..=PRICE_MAX).contains(&p.0) {
        Ok(())
    } else {
        Err(reject(
            ErrorCode::Invalid,
            field,
            &format!(
                "{field} must be between {} and {}",
                Money(PRICE_MIN),
                Money(PRICE_MAX)
            ),
        ))
    }
}

/// The listing `id`, which `user` must own, in any status.
pub(super) fn seller_listing(
    tx: &WriteTx<'_>,
    user: &UserId,
    id: &ListingId,
) -> Result<ListingRow, Refusal> {
    let row = tx
        .listing(id)?
        .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
    if row.seller_id != *user {
        return Err(reject(
            ErrorCode::Forbidden,
            "listingId",
            "This listing belongs to someone else",
        ));
    }
    Ok(row)
}

/// The listing `id`, which `user` must own and which must not be sold or deleted
/// (sold and deleted always win: later edits are refused, never applied).
pub(super) fn own_listing(
    tx: &WriteTx<'_>,
    user: &UserId,
    id: &ListingId,
) -> Result<ListingRow, Refusal> {
    let row = seller_listing(tx, user, id)?;
    if matches!(row.status, ListingStatus::Sold | ListingStatus::Deleted) {
        return Err(Refusal::Conflict {
            field: GuardedField::Status,
            mine: status_name(ListingStatus::Live),
            theirs: status_name(row.status),
            server_version: row.status_version,
        });
    }
    Ok(row)
}

/// A listing someone else may act on (like, offer): it must exist and be live.
pub(super) fn visible_listing(tx: &WriteTx<'_>, id: &ListingId) -> Result<ListingRow, Refusal> {
    let row = tx
        .listing(id)?
        .filter(|r| r.status != ListingStatus::Deleted && r.status != ListingStatus::Draft)
        .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
    Ok(row)
}

pub(super) fn cas(
    row_version: u64,
    base: u64,
    field: GuardedField,
    mine: Value,
    theirs: Value,
) -> Result<(), Refusal> {
    if row_version == base {
        Ok(())
    } else {
        Err(Refusal::Conflict {
            field,
            mine,
            theirs,
            server_version: row_version,
        })
    }
}

/// Moves `row` to `to` after a compare-and-set on its status version.
pub(super) fn transition(
    row: &mut ListingRow,
    base: u64,
    from: &[ListingStatus],
    to: ListingStatus,
) -> Result<(), Refusal> {
    cas(
        row.status_version,
        base,
        GuardedField::Status,
        status_name(to),
        status_name(row.status),
    )?;
    if !from.contains(&row.status) {
        return Err(reject(
            ErrorCode::Invalid,
            "status",
            &format!(
                "A {} listing cannot become {}",
                crate::storage::status_str(row.status),
                crate::storage::status_str(to)
            ),
        ));
    }
    row.status = to;
    row.status_version += 1;
    Ok(())
}

/// Why a listing cannot go live yet, if it cannot. The rules are the app's
/// checklist (`rehome_model::draft::readiness`) applied to the listing's
/// values, so a draft the app calls ready is one the server publishes; the
/// refusal names the first missing item by the app's field name (`photos` for
/// the photo items). On top of that the server waits for every photo's upload
/// to complete, which the app's checklist cannot know.
pub(super) fn publishable(tx: &WriteTx<'_>, row: &ListingRow) -> Result<(), Refusal> {
    let values = DraftValues::from_wire(&row.fields, Some(Money(row.price)));
    let photos = tx.attached_photos(&row.id)?;
    let checklist = readiness(&values, photos.len(), 0);
    if let Some(item) = checklist.missing().next() {
        let field = item.field.map_or("photos", DraftField::as_str);
        return Err(reject(ErrorCode::Invalid, field, &item.note));
    }
    if photos.iter().any(|p| !p.complete) {
        return Err(reject(
            ErrorCode::Invalid,
            "photos",
            "Some photos have not finished uploading",
        ));
    }
    Ok(())
}
