//! The sync protocol's server side: push applies mutations exactly once per
//! (user, client) and stores each outcome; pull sends the caller's listings
//! changed since a cookie.
//!
//! Each mutation runs in its own `BEGIN IMMEDIATE` transaction together with the
//! `lastMutationId` update and its stored outcome, so a crash between two
//! mutations of a batch leaves a consistent prefix applied, and a retried push
//! gets every processed mutation's stored outcome back without re-applying it.

use crate::notify::{self, Event};
use crate::problem::Problem;
use crate::storage::{ListingRow, OfferRow, Storage, StorageError, WriteTx};
use axum::http::StatusCode;
use rehome_model::draft::{DraftField, DraftValues, readiness};
use rehome_model::sync::{
    GuardedField, ListingFields, ListingStatus, Mutation, MutationOutcome, MutationResult, PatchOp,
    PullResponse, PushRequest, PushResponse, ServerListing, ServerPhoto, serde_json_value::Value,
};
use rehome_model::{ErrorCode, ListingId, Money, UserId};

// The field limits are the app's own (rehome-model `draft`), so a draft the app
// accepts is one the server accepts.
pub use rehome_model::draft::{
    BRAND_MAX, COLOUR_MAX, DESCRIPTION_MAX, PHOTOS_MAX, SIZE_MAX, TITLE_MAX,
};
pub const PRICE_MIN: i64 = rehome_model::draft::PRICE_MIN.0;
pub const PRICE_MAX: i64 = rehome_model::draft::PRICE_MAX.0;
pub const QUANTITY_MAX: u32 = 10_000;
/// Mutations per push.
pub const PUSH_MAX: usize = 500;

/// Why a mutation was not applied (becomes a Conflict or a Rejected outcome).
enum Refusal {
    Conflict {
        field: GuardedField,
        mine: Value,
        theirs: Value,
        server_version: u64,
    },
    Rejected(Problem),
    Storage(StorageError),
}

impl From<StorageError> for Refusal {
    fn from(e: StorageError) -> Self {
        Refusal::Storage(e)
    }
}

fn reject(code: ErrorCode, field: &str, message: &str) -> Refusal {
    let status = match code {
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Refusal::Rejected(Problem::new(status, code, message).with_field(field))
}

fn status_name(s: ListingStatus) -> Value {
    Value::Text(crate::storage::status_str(s).to_owned())
}

/// Applies `req` for `user`; one transaction per mutation.
pub fn push(
    store: &Storage,
    user: &UserId,
    req: &PushRequest,
    now: impl Fn() -> i64,
) -> Result<PushResponse, Problem> {
    if req.mutations.len() > PUSH_MAX {
        return Err(
            Problem::too_large(format!("At most {PUSH_MAX} mutations per push"))
                .with_field("mutations"),
        );
    }
    let client = req.client_id.0.to_string();
    let mut results = Vec::with_capacity(req.mutations.len());
    for envelope in &req.mutations {
        let outcome = store.write(|tx| -> Result<MutationOutcome, Problem> {
            let last = tx.last_mutation_id(user, &client)?;
            if envelope.id <= last {
                // Already processed: the stored outcome, never a second effect.
                return Ok(match tx.stored_outcome(user, &client, envelope.id)? {
                    Some(json) => serde_json::from_str(&json).unwrap_or(MutationOutcome::Applied),
                    None => MutationOutcome::Applied,
                });
            }
            let outcome = match apply(tx, user, &envelope.mutation, now()) {
                Ok(()) => MutationOutcome::Applied,
                Err(Refusal::Conflict {
                    field,
                    mine,
                    theirs,
                    server_version,
                }) => MutationOutcome::Conflict {
                    field,
                    mine,
                    theirs,
                    server_version,
                },
                Err(Refusal::Rejected(p)) => MutationOutcome::Rejected {
                    error: p.to_api_error(),
                },
                // A storage failure is not the mutation's fault: abort the
                // transaction and the push, so the client retries it.
                Err(Refusal::Storage(e)) => return Err(e.into()),
            };
            let json =
                serde_json::to_string(&outcome).map_err(|e| Problem::internal(e.to_string()))?;
            tx.record_mutation(user, &client, envelope.id, &json)?;
            Ok(outcome)
        });
        match outcome {
            Ok(outcome) => results.push(MutationResult {
                id: envelope.id,
                outcome,
            }),
            Err(e) if results.is_empty() => return Err(e),
            // Later failures: report what was processed; the client retries the rest.
            Err(_) => break,
        }
    }
    let last_mutation_id = store.last_mutation_id(user, &client)?;
    Ok(PushResponse {
        last_mutation_id,
        results,
    })
}

/// The changes since `cookie` for `user`.
pub fn pull(
    store: &Storage,
    blobs: &crate::blobs::BlobStore,
    user: &UserId,
    client: &str,
    cookie: Option<&str>,
    now: i64,
) -> Result<PullResponse, Problem> {
    let since = match cookie {
        None | Some("") => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Problem::bad_cursor("cookie"))?,
    };
    let last_mutation_id = store.last_mutation_id(user, client)?;
    let (seq, rows) = store.owned_changes(user, since)?;
    let mut patch = Vec::with_capacity(rows.len());
    for (row, photos) in rows {
        if row.status == ListingStatus::Deleted {
            patch.push(PatchOp::Del { id: row.id });
            continue;
        }
        let mut server_photos = Vec::with_capacity(photos.len());
        for p in photos {
            let Ok(id) = p.photo_id.parse() else { continue };
            let sha256 = match p.sha256 {
                Some(s) => s,
                // A demo shot not drawn yet: draw it so the hash is real.
                None => match store.photo(&p.photo_id)? {
                    crate::storage::PhotoState::DemoPending(spec) => {
                        crate::demo::draw_and_record(store, blobs, &p.photo_id, &spec, now)?.sha256
                    }
                    crate::storage::PhotoState::Ready(b) => b.sha256,
                    crate::storage::PhotoState::Missing => continue,
                },
            };
            server_photos.push(ServerPhoto {
                id,
                sha256,
                width: p.width,
                height: p.height,
            });
        }
        patch.push(PatchOp::Put {
            listing: to_server_listing(row, server_photos),
        });
    }
    Ok(PullResponse {
        cookie: seq.to_string(),
        last_mutation_id,
        patch,
    })
}

pub fn to_server_listing(row: ListingRow, photos: Vec<ServerPhoto>) -> ServerListing {
    ServerListing {
        id: row.id,
        seller_id: row.seller_id,
        fields: row.fields,
        price: Money(row.price),
        price_version: row.price_version,
        quantity: row.quantity,
        quantity_version: row.quantity_version,
        status: row.status,
        status_version: row.status_version,
        photos,
    }
}

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

fn check_fields(f: &ListingFields) -> Result<(), Refusal> {
    check_text(&f.title, "title", TITLE_MAX)?;
    check_text(
        &f.description.clone().map(|d| d.replace('\n', " ")),
        "description",
        DESCRIPTION_MAX,
    )?;
    check_text(&f.brand, "brand", BRAND_MAX)?;
    check_text(&f.size, "size", SIZE_MAX)?;
    check_text(&f.colour, "colour", COLOUR_MAX)?;
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

fn check_price(p: Money, field: &str) -> Result<(), Refusal> {
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

/// The listing `id`, which `user` must own and which must not be sold or deleted
/// (sold and deleted always win: later edits are refused, never applied).
fn own_listing(tx: &WriteTx<'_>, user: &UserId, id: &ListingId) -> Result<ListingRow, Refusal> {
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
fn visible_listing(tx: &WriteTx<'_>, id: &ListingId) -> Result<ListingRow, Refusal> {
    let row = tx
        .listing(id)?
        .filter(|r| r.status != ListingStatus::Deleted && r.status != ListingStatus::Draft)
        .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
    Ok(row)
}

fn cas(
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
fn transition(
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
fn publishable(tx: &WriteTx<'_>, row: &ListingRow) -> Result<(), Refusal> {
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

/// Records an open offer on `row` (from `buyer`, or to all likers when `None`).
fn open_offer(
    tx: &WriteTx<'_>,
    row: &ListingRow,
    offer_id: &uuid::Uuid,
    buyer: Option<UserId>,
    amount: Money,
    now: i64,
) -> Result<(), Refusal> {
    check_price(amount, "amount")?;
    if amount.0 >= row.price {
        return Err(reject(
            ErrorCode::Invalid,
            "amount",
            "An offer is below the price",
        ));
    }
    let offer = OfferRow {
        id: offer_id.to_string(),
        listing_id: row.id,
        seller_id: row.seller_id,
        buyer_id: buyer,
        amount: amount.0,
        status: "open".into(),
    };
    if !tx.insert_offer(&offer, now)? {
        return Err(reject(
            ErrorCode::Invalid,
            "offerId",
            "An offer with this id exists",
        ));
    }
    Ok(())
}

/// Publishes or relists: status compare-and-set, publish rules, then live and fresh.
fn go_live(
    tx: &WriteTx<'_>,
    row: &mut ListingRow,
    base: u64,
    from: &[ListingStatus],
    now: i64,
) -> Result<(), Refusal> {
    cas(
        row.status_version,
        base,
        GuardedField::Status,
        status_name(ListingStatus::Live),
        status_name(row.status),
    )?;
    publishable(tx, row)?;
    transition(row, base, from, ListingStatus::Live)?;
    row.published_at = Some(now);
    tx.save_listing(row)?;
    Ok(())
}

fn sell(tx: &WriteTx<'_>, row: &mut ListingRow, now: i64) -> Result<(), Refusal> {
    row.status = ListingStatus::Sold;
    row.status_version += 1;
    tx.save_listing(row)?;
    if tx.mark_first_sale(&row.seller_id, now)? {
        notify::emit(
            tx,
            Event::FirstSale {
                seller: row.seller_id,
                listing: row.id,
            },
            now,
        )?;
    }
    Ok(())
}

fn apply(tx: &WriteTx<'_>, user: &UserId, m: &Mutation, now: i64) -> Result<(), Refusal> {
    match m {
        Mutation::CreateListing {
            listing_id,
            fields,
            price,
            quantity,
        } => {
            if tx.listing(listing_id)?.is_some() {
                return Err(reject(
                    ErrorCode::Invalid,
                    "listingId",
                    "A listing with this id exists",
                ));
            }
            check_fields(fields)?;
            if !(0..=PRICE_MAX).contains(&price.0) {
                return Err(reject(ErrorCode::Invalid, "price", "price is out of range"));
            }
            if *quantity == 0 || *quantity > QUANTITY_MAX {
                return Err(reject(
                    ErrorCode::Invalid,
                    "quantity",
                    "quantity must be 1 to 10000",
                ));
            }
            let row = ListingRow {
                id: *listing_id,
                seller_id: *user,
                fields: fields.clone(),
                price: price.0,
                price_version: 0,
                quantity: *quantity,
                quantity_version: 0,
                status: ListingStatus::Draft,
                status_version: 0,
                like_count: 0,
                created_at: now,
                published_at: None,
            };
            tx.insert_listing(&row)?;
            Ok(())
        }
        Mutation::UpdateListing { listing_id, fields } => {
            let mut row = own_listing(tx, user, listing_id)?;
            check_fields(fields)?;
            rehome_model::draft::merge_fields(&mut row.fields, fields.clone());
            tx.save_listing(&row)?;
            Ok(())
        }
        Mutation::SetPrice {
            listing_id,
            price,
            base_version,
        } => {
            let mut row = own_listing(tx, user, listing_id)?;
            check_price(*price, "price")?;
            cas(
                row.price_version,
                *base_version,
                GuardedField::Price,
                Value::Number(price.0),
                Value::Number(row.price),
            )?;
            let old = row.price;
            row.price = price.0;
            row.price_version += 1;
            tx.save_listing(&row)?;
            if price.0 < old && row.status == ListingStatus::Live {
                notify::emit(
                    tx,
                    Event::PriceDrop {
                        listing: row.id,
                        seller: row.seller_id,
                        price: price.0,
                    },
                    now,
                )?;
            }
            Ok(())
        }
        Mutation::SetQuantity {
            listing_id,
            quantity,
            base_version,
        } => {
            let mut row = own_listing(tx, user, listing_id)?;
            if *quantity > QUANTITY_MAX {
                return Err(reject(
                    ErrorCode::Invalid,
                    "quantity",
                    "quantity is at most 10000",
                ));
            }
            cas(
                row.quantity_version,
                *base_version,
                GuardedField::Quantity,
                Value::Number(i64::from(*quantity)),
                Value::Number(i64::from(row.quantity)),
            )?;
            row.quantity = *quantity;
            row.quantity_version += 1;
            tx.save_listing(&row)?;
            Ok(())
        }
        Mutation::AttachPhoto {
            listing_id,
            photo_id,
            sha256,
            position,
        } => {
            let row = own_listing(tx, user, listing_id)?;
            if !crate::blobs::is_sha256_hex(sha256) {
                return Err(reject(
                    ErrorCode::Invalid,
                    "sha256",
                    "sha256 is 64 lower-case hex digits",
                ));
            }
            let pid = photo_id.to_string();
            if let Some((owner, _)) = tx.photo(&pid)?
                && owner.as_deref() != Some(user.to_string().as_str())
            {
                return Err(reject(
                    ErrorCode::Forbidden,
                    "photoId",
                    "This photo belongs to someone else",
                ));
            }
            let mut ids: Vec<String> = tx
                .attached_photos(&row.id)?
                .into_iter()
                .map(|p| p.photo_id)
                .filter(|p| *p != pid)
                .collect();
            if ids.len() >= PHOTOS_MAX {
                return Err(reject(
                    ErrorCode::Invalid,
                    "photos",
                    &format!("A listing has at most {PHOTOS_MAX} photos"),
                ));
            }
            tx.upsert_photo(&pid, sha256, user, now)?;
            let at = (*position as usize).min(ids.len());
            ids.insert(at, pid);
            tx.set_listing_photos(&row.id, &ids)?;
            Ok(())
        }
        Mutation::DetachPhoto {
            listing_id,
            photo_id,
        } => {
            let row = own_listing(tx, user, listing_id)?;
            let pid = photo_id.to_string();
            let ids: Vec<String> = tx
                .attached_photos(&row.id)?
                .into_iter()
                .map(|p| p.photo_id)
                .filter(|p| *p != pid)
                .collect();
            if row.status == ListingStatus::Live && ids.is_empty() {
                return Err(reject(
                    ErrorCode::Invalid,
                    "photoId",
                    "A live listing keeps at least one photo",
                ));
            }
            tx.set_listing_photos(&row.id, &ids)?;
            Ok(())
        }
        Mutation::ReorderPhotos {
            listing_id,
            photo_ids,
        } => {
            let row = own_listing(tx, user, listing_id)?;
            let mut current: Vec<String> = tx
                .attached_photos(&row.id)?
                .into_iter()
                .map(|p| p.photo_id)
                .collect();
            let mut wanted: Vec<String> = photo_ids.iter().map(|p| p.to_string()).collect();
            let order = wanted.clone();
            current.sort();
            wanted.sort();
            if current != wanted {
                return Err(reject(
                    ErrorCode::Invalid,
                    "photoIds",
                    "photoIds must list exactly the attached photos",
                ));
            }
            tx.set_listing_photos(&row.id, &order)?;
            Ok(())
        }
        Mutation::Publish {
            listing_id,
            base_version,
        } => {
            let mut row = own_listing(tx, user, listing_id)?;
            let first_time = row.published_at.is_none();
            go_live(
                tx,
                &mut row,
                *base_version,
                &[ListingStatus::Draft, ListingStatus::Delisted],
                now,
            )?;
            if first_time {
                notify::emit(
                    tx,
                    Event::NewListing {
                        listing: row.id,
                        seller: row.seller_id,
                    },
                    now,
                )?;
            }
            Ok(())
        }
        Mutation::Delist {
            listing_id,
            base_version,
        } => {
            let mut row = own_listing(tx, user, listing_id)?;
            transition(
                &mut row,
                *base_version,
                &[ListingStatus::Live],
                ListingStatus::Delisted,
            )?;
            tx.save_listing(&row)?;
            Ok(())
        }
        Mutation::Relist {
            listing_id,
            base_version,
        } => {
            let mut row = own_listing(tx, user, listing_id)?;
            go_live(tx, &mut row, *base_version, &[ListingStatus::Delisted], now)
        }
        Mutation::MarkSold { listing_id } => {
            let mut row = tx
                .listing(listing_id)?
                .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
            if row.seller_id != *user {
                return Err(reject(
                    ErrorCode::Forbidden,
                    "listingId",
                    "This listing belongs to someone else",
                ));
            }
            match row.status {
                ListingStatus::Sold => Ok(()),
                ListingStatus::Deleted => Err(reject(
                    ErrorCode::Conflict,
                    "status",
                    "The listing was deleted",
                )),
                _ => sell(tx, &mut row, now),
            }
        }
        Mutation::DeleteListing { listing_id } => {
            let mut row = tx
                .listing(listing_id)?
                .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
            if row.seller_id != *user {
                return Err(reject(
                    ErrorCode::Forbidden,
                    "listingId",
                    "This listing belongs to someone else",
                ));
            }
            if row.status != ListingStatus::Deleted {
                row.status = ListingStatus::Deleted;
                row.status_version += 1;
                tx.save_listing(&row)?;
            }
            Ok(())
        }
        Mutation::Like { listing_id } => {
            let row = visible_listing(tx, listing_id)?;
            tx.like(user, &row.id, now)?;
            Ok(())
        }
        Mutation::Unlike { listing_id } => {
            tx.unlike(user, listing_id)?;
            Ok(())
        }
        Mutation::Follow { seller_id } => {
            if seller_id == user {
                return Err(reject(
                    ErrorCode::Invalid,
                    "sellerId",
                    "You cannot follow yourself",
                ));
            }
            if !tx.user_exists(seller_id)? {
                return Err(reject(ErrorCode::NotFound, "sellerId", "No such seller"));
            }
            tx.follow(user, seller_id, now)?;
            Ok(())
        }
        Mutation::Unfollow { seller_id } => {
            tx.unfollow(user, seller_id)?;
            Ok(())
        }
        Mutation::MakeOffer {
            offer_id,
            listing_id,
            amount,
        } => {
            let row = visible_listing(tx, listing_id)?;
            if row.status != ListingStatus::Live {
                return Err(reject(
                    ErrorCode::Conflict,
                    "status",
                    "The listing is not for sale",
                ));
            }
            if row.seller_id == *user {
                return Err(reject(
                    ErrorCode::Invalid,
                    "listingId",
                    "You cannot make an offer on your own listing",
                ));
            }
            open_offer(tx, &row, offer_id, Some(*user), *amount, now)?;
            notify::emit(
                tx,
                Event::Offer {
                    to: row.seller_id,
                    from: *user,
                    listing: row.id,
                    amount: amount.0,
                },
                now,
            )?;
            Ok(())
        }
        Mutation::OfferToLikers {
            offer_id,
            listing_id,
            amount,
        } => {
            let row = own_listing(tx, user, listing_id)?;
            if row.status != ListingStatus::Live {
                return Err(reject(
                    ErrorCode::Invalid,
                    "listingId",
                    "Only a live listing can be offered",
                ));
            }
            open_offer(tx, &row, offer_id, None, *amount, now)?;
            for liker in tx.likers(&row.id)? {
                notify::emit(
                    tx,
                    Event::Offer {
                        to: liker,
                        from: *user,
                        listing: row.id,
                        amount: amount.0,
                    },
                    now,
                )?;
            }
            Ok(())
        }
        Mutation::AcceptOffer { offer_id } => {
            let offer = tx
                .offer(&offer_id.to_string())?
                .ok_or_else(|| reject(ErrorCode::NotFound, "offerId", "No such offer"))?;
            if offer.status != "open" {
                return Err(reject(
                    ErrorCode::Conflict,
                    "offerId",
                    "The offer is no longer open",
                ));
            }
            // A buyer's offer is accepted by the seller; an offer to likers by a liker.
            let (buyer, allowed) = match offer.buyer_id {
                Some(buyer) => (buyer, offer.seller_id == *user),
                None => (*user, tx.has_liked(user, &offer.listing_id)?),
            };
            if !allowed {
                return Err(reject(
                    ErrorCode::Forbidden,
                    "offerId",
                    "This offer is not yours to accept",
                ));
            }
            let mut row = tx
                .listing(&offer.listing_id)?
                .ok_or_else(|| reject(ErrorCode::NotFound, "listingId", "No such listing"))?;
            if row.status != ListingStatus::Live {
                return Err(reject(
                    ErrorCode::Conflict,
                    "status",
                    "The listing is not for sale",
                ));
            }
            tx.set_offer_status(&offer.id, "accepted")?;
            row.price = offer.amount;
            row.price_version += 1;
            sell(tx, &mut row, now)?;
            let to = if offer.buyer_id.is_some() {
                buyer
            } else {
                offer.seller_id
            };
            notify::emit(
                tx,
                Event::OfferAnswered {
                    to,
                    from: *user,
                    listing: row.id,
                    amount: offer.amount,
                    accepted: true,
                },
                now,
            )?;
            Ok(())
        }
        Mutation::DeclineOffer { offer_id } => {
            let offer = tx
                .offer(&offer_id.to_string())?
                .ok_or_else(|| reject(ErrorCode::NotFound, "offerId", "No such offer"))?;
            if offer.seller_id != *user {
                return Err(reject(
                    ErrorCode::Forbidden,
                    "offerId",
                    "This offer is not yours to decline",
                ));
            }
            if offer.status != "open" {
                return Err(reject(
                    ErrorCode::Conflict,
                    "offerId",
                    "The offer is no longer open",
                ));
            }
            tx.set_offer_status(&offer.id, "declined")?;
            if let Some(buyer) = offer.buyer_id {
                notify::emit(
                    tx,
                    Event::OfferAnswered {
                        to: buyer,
                        from: *user,
                        listing: offer.listing_id,
                        amount: offer.amount,
                        accepted: false,
                    },
                    now,
                )?;
            }
            Ok(())
        }
    }
}
