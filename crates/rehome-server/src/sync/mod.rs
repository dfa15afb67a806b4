//! The sync protocol's server side: push applies mutations exactly once per
//! (user, client) and stores each outcome; pull sends the caller's listings
//! changed since a cookie.
//!
//! Each mutation runs in its own `BEGIN IMMEDIATE` transaction together with the
//! `lastMutationId` update and its stored outcome, so a crash between two
//! mutations of a batch leaves a consistent prefix applied, and a retried push
//! gets every processed mutation's stored outcome back without re-applying it.
//!
//! [`apply`] dispatches each mutation to one small function in the file of its
//! area (`listings.rs`, `photos.rs`, `social.rs`, `offers.rs`); `rules.rs`
//! holds the checks they share (field bounds, ownership, compare-and-set,
//! the publish checklist); `pull.rs` the other half of the protocol.

mod listings;
mod offers;
mod photos;
mod pull;
mod rules;
mod social;

pub use pull::{pull, to_server_listing};

use crate::Limits;
use crate::problem::Problem;
use crate::storage::{Storage, StorageError, WriteTx};
use axum::http::StatusCode;
use rehome_model::sync::{
    GuardedField, ListingStatus, Mutation, MutationOutcome, MutationResult, PushRequest,
    PushResponse, serde_json_value::Value,
};
use rehome_model::{ErrorCode, UserId};

// The field limits are the app's own (rehome-model `draft`), so a draft the app
// accepts is one the server accepts.
pub use rehome_model::draft::{
    BRAND_MAX, COLOUR_MAX, DESCRIPTION_MAX, PHOTOS_MAX, SIZE_MAX, SKU_MAX, TITLE_MAX,
};
pub const PRICE_MIN: i64 = rehome_model::draft::PRICE_MIN.0;
pub const PRICE_MAX: i64 = rehome_model::draft::PRICE_MAX.0;
pub const QUANTITY_MAX: u32 = 10_000;
/// Mutations per push.
pub use rehome_model::sync::PUSH_MAX;

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

/// Mutation ids and base versions are stored as SQLite integers (i64): a
/// larger one is refused like any other value of the wrong type, as the
/// document's `int64` says.
fn check_numbers(req: &PushRequest) -> Result<(), Problem> {
    let too_big = |n: u64| i64::try_from(n).is_err();
    for (i, envelope) in req.mutations.iter().enumerate() {
        let field = if too_big(envelope.id) {
            "id"
        } else if base_version(&envelope.mutation).is_some_and(too_big) {
            "args.baseVersion"
        } else {
            continue;
        };
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadRequest,
            format!("mutations[{i}].{field} is above {}", i64::MAX),
        )
        .with_field(format!("mutations[{i}].{field}")));
    }
    Ok(())
}

fn base_version(m: &Mutation) -> Option<u64> {
    match m {
        Mutation::SetPrice { base_version, .. }
        | Mutation::SetQuantity { base_version, .. }
        | Mutation::Publish { base_version, .. }
        | Mutation::Delist { base_version, .. }
        | Mutation::Relist { base_version, .. } => Some(*base_version),
        _ => None,
    }
}

/// Applies `req` for `user`; one transaction per mutation.
pub fn push(
    store: &Storage,
    user: &UserId,
    req: &PushRequest,
    limits: &Limits,
    now: impl Fn() -> i64,
) -> Result<PushResponse, Problem> {
    if req.mutations.len() > PUSH_MAX {
        return Err(
            Problem::too_large(format!("At most {PUSH_MAX} mutations per push"))
                .with_field("mutations"),
        );
    }
    check_numbers(req)?;
    let client = req.client_id.0.to_string();
    let mut results = Vec::with_capacity(req.mutations.len());
    // Outcomes below the lowest id pushed are acknowledged; the newest
    // `limits.kept_outcomes_per_client` of them stay (a trail, and an answer
    // for a device restored from an old backup).
    let acknowledged = req
        .mutations
        .iter()
        .map(|m| m.id)
        .min()
        .map(|lowest| lowest.saturating_sub(limits.kept_outcomes_per_client));
    for (i, envelope) in req.mutations.iter().enumerate() {
        let outcome = store.write(|tx| -> Result<MutationOutcome, Problem> {
            if i == 0
                && let Some(below) = acknowledged
            {
                tx.prune_outcomes_before(user, &client, below)?;
            }
            let last = tx.last_mutation_id(user, &client)?;
            if envelope.id <= last {
                // Already processed: the stored outcome, never a second effect.
                return Ok(match tx.stored_outcome(user, &client, envelope.id)? {
                    Some(json) => serde_json::from_str(&json).unwrap_or(MutationOutcome::Applied),
                    None => MutationOutcome::Applied,
                });
            }
            let cx = Ctx {
                tx,
                user,
                limits,
                now: now(),
            };
            let outcome = match apply(cx, &envelope.mutation) {
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

/// What every mutation runs with: its transaction, who pushed it, the
/// server's limits, and when.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    tx: &'a WriteTx<'a>,
    user: &'a UserId,
    limits: &'a Limits,
    now: i64,
}

/// One mutation, applied by the function for its kind.
fn apply(cx: Ctx<'_>, m: &Mutation) -> Result<(), Refusal> {
    match m {
        Mutation::CreateListing {
            listing_id,
            fields,
            price,
            quantity,
        } => listings::create(cx, listing_id, fields, *price, *quantity),
        Mutation::UpdateListing { listing_id, fields } => listings::update(cx, listing_id, fields),
        Mutation::SetPrice {
            listing_id,
            price,
            base_version,
        } => listings::set_price(cx, listing_id, *price, *base_version),
        Mutation::SetQuantity {
            listing_id,
            quantity,
            base_version,
        } => listings::set_quantity(cx, listing_id, *quantity, *base_version),
        Mutation::AttachPhoto {
            listing_id,
            photo_id,
            sha256,
            position,
        } => photos::attach(cx, listing_id, photo_id, sha256, *position),
        Mutation::DetachPhoto {
            listing_id,
            photo_id,
        } => photos::detach(cx, listing_id, photo_id),
        Mutation::ReorderPhotos {
            listing_id,
            photo_ids,
        } => photos::reorder(cx, listing_id, photo_ids),
        Mutation::Publish {
            listing_id,
            base_version,
        } => listings::publish(cx, listing_id, *base_version),
        Mutation::Delist {
            listing_id,
            base_version,
        } => listings::delist(cx, listing_id, *base_version),
        Mutation::Relist {
            listing_id,
            base_version,
        } => listings::relist(cx, listing_id, *base_version),
        Mutation::MarkSold { listing_id } => listings::mark_sold(cx, listing_id),
        Mutation::DeleteListing { listing_id } => listings::delete(cx, listing_id),
        Mutation::Like { listing_id } => social::like(cx, listing_id),
        Mutation::Unlike { listing_id } => social::unlike(cx, listing_id),
        Mutation::Follow { seller_id } => social::follow(cx, seller_id),
        Mutation::Unfollow { seller_id } => social::unfollow(cx, seller_id),
        Mutation::MakeOffer {
            offer_id,
            listing_id,
            amount,
        } => offers::make(cx, offer_id, listing_id, *amount),
        Mutation::OfferToLikers {
            offer_id,
            listing_id,
            amount,
        } => offers::to_likers(cx, offer_id, listing_id, *amount),
        Mutation::AcceptOffer { offer_id } => offers::accept(cx, offer_id),
        Mutation::DeclineOffer { offer_id } => offers::decline(cx, offer_id),
        Mutation::CounterOffer {
            offer_id,
            reply_to,
            amount,
        } => offers::counter(cx, offer_id, reply_to, *amount),
        Mutation::SetOfferFloor { listing_id, floor } => offers::set_floor(cx, listing_id, *floor),
    }
}
