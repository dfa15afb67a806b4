//! Offers: make one, counter, accept, decline, offer to likers, and the list
//! of both sides. Every write is saved on the device at once (one outbox row:
//! it survives a restart and goes out exactly once at the next sync, where the
//! server's answer comes back, e.g. `sold` for an offer on a listing that sold
//! meanwhile). The list is read from the server and kept, so it reads offline
//! as of the last sync or the last list; with it come this device's offer
//! writes the server has not taken yet (queued, or refused with the reason).

use crate::browse::Reader;
use crate::{App, AppError};
use rehome_model::draft::{PRICE_MAX, PRICE_MIN};
use rehome_model::offers::{OfferList, OfferQueued, OfferRole, OffersView};
use rehome_model::sync::Mutation;
use rehome_model::{ListingId, Money};
use rehome_store::OutboxState;
use uuid::Uuid;

/// The one path the list is read and kept under (both sides; the role is
/// picked on the device, so a copy serves either).
const OFFERS_PATH: &str = "/v1/offers";

fn check_amount(amount: Money) -> Result<(), AppError> {
    if amount.0 < PRICE_MIN.0 || amount.0 > PRICE_MAX.0 {
        return Err(AppError::Invalid {
            field: "price",
            message: format!("An offer must be {PRICE_MIN} to {PRICE_MAX}"),
        });
    }
    Ok(())
}

/// What an offer write says about itself (none for other mutations).
fn describe(mutation: &Mutation) -> Option<OfferQueued> {
    let (action, offer_id, listing_id, reply_to, amount) = match mutation {
        Mutation::MakeOffer {
            offer_id,
            listing_id,
            amount,
        } => ("make", offer_id, Some(*listing_id), None, Some(*amount)),
        Mutation::OfferToLikers {
            offer_id,
            listing_id,
            amount,
        } => ("likers", offer_id, Some(*listing_id), None, Some(*amount)),
        Mutation::CounterOffer {
            offer_id,
            reply_to,
            amount,
        } => ("counter", offer_id, None, Some(*reply_to), Some(*amount)),
        Mutation::AcceptOffer { offer_id } => ("accept", offer_id, None, None, None),
        Mutation::DeclineOffer { offer_id } => ("decline", offer_id, None, None, None),
        _ => return None,
    };
    Some(OfferQueued {
        offer_id: *offer_id,
        action: action.to_owned(),
        listing_id,
        reply_to,
        amount,
        refused: None,
    })
}

impl App {
    /// Queues a new offer at `amount` (checked first), `make` given its new id.
    fn queue_new_offer(
        &self,
        amount: Money,
        make: impl FnOnce(Uuid) -> Mutation,
    ) -> Result<OfferQueued, AppError> {
        check_amount(amount)?;
        let offer_id = self.store()?.new_uuid();
        self.queue_offer(make(offer_id))
    }

    fn queue_offer(&self, mutation: Mutation) -> Result<OfferQueued, AppError> {
        let queued = describe(&mutation).ok_or_else(|| AppError::Invalid {
            field: "offer",
            message: "not an offer".into(),
        })?;
        self.queue_social(mutation)?;
        Ok(queued)
    }

    /// This device's offer writes not taken by the server yet (queued, or
    /// refused at a sync with the reason), oldest first.
    fn waiting_offers(&self) -> Result<Vec<OfferQueued>, AppError> {
        Ok(self
            .store()?
            .outbox()?
            .into_iter()
            .filter_map(|row| {
                let mut queued = describe(&row.mutation)?;
                if row.state == OutboxState::Parked {
                    queued.refused = row.last_error;
                }
                Some(queued)
            })
            .collect())
    }

    /// Offers `amount` for someone else's listing (queued).
    #[tracing::instrument(skip(self))]
    pub fn make_offer(
        &self,
        listing_id: ListingId,
        amount: Money,
    ) -> Result<OfferQueued, AppError> {
        self.queue_new_offer(amount, |offer_id| Mutation::MakeOffer {
            offer_id,
            listing_id,
            amount,
        })
    }

    /// Answers the open offer `reply_to` with another price (queued).
    #[tracing::instrument(skip(self))]
    pub fn counter_offer(&self, reply_to: Uuid, amount: Money) -> Result<OfferQueued, AppError> {
        self.queue_new_offer(amount, |offer_id| Mutation::CounterOffer {
            offer_id,
            reply_to,
            amount,
        })
    }

    /// Accepts an offer made to you (queued): the listing sells at it.
    #[tracing::instrument(skip(self))]
    pub fn accept_offer(&self, offer_id: Uuid) -> Result<OfferQueued, AppError> {
        self.queue_offer(Mutation::AcceptOffer { offer_id })
    }

    /// Declines an offer made to you, or withdraws your offer to likers (queued).
    #[tracing::instrument(skip(self))]
    pub fn decline_offer(&self, offer_id: Uuid) -> Result<OfferQueued, AppError> {
        self.queue_offer(Mutation::DeclineOffer { offer_id })
    }

    /// Offers your listing at `amount` to everyone who liked it (queued).
    #[tracing::instrument(skip(self))]
    pub fn offer_to_likers(
        &self,
        listing_id: ListingId,
        amount: Money,
    ) -> Result<OfferQueued, AppError> {
        self.queue_new_offer(amount, |offer_id| Mutation::OfferToLikers {
            offer_id,
            listing_id,
            amount,
        })
    }

    /// Sets the lowest offer you take on your listing, or none (queued): a
    /// buyer's offer or counter below it is refused by the server.
    #[tracing::instrument(skip(self))]
    pub fn set_offer_floor(
        &self,
        listing_id: ListingId,
        floor: Option<Money>,
    ) -> Result<(), AppError> {
        if let Some(floor) = floor {
            check_amount(floor)?;
        }
        self.queue_social(Mutation::SetOfferFloor { listing_id, floor })
    }

    /// Your offers, newest first: one side (`role`) or both. Offline, the
    /// copy from the last sync (or the last list), saying when it was fetched.
    #[tracing::instrument(skip(self))]
    pub async fn offer_list(&self, role: Option<OfferRole>) -> Result<OffersView, AppError> {
        let reader = self.signed_in_reader()?;
        let (list, copy): (OfferList, _) =
            self.read_or_copy(&reader, "offers", OFFERS_PATH).await?;
        Ok(OffersView {
            items: list
                .items
                .into_iter()
                .filter(|o| role.is_none_or(|r| o.role == r))
                .collect(),
            waiting: self.waiting_offers()?,
            offline_since: copy,
        })
    }

    /// Fetches and keeps the offers after a sync, so they read offline as of
    /// it. Best effort: a failure leaves the last copy.
    pub(crate) async fn keep_offers(&self, reader: &Reader) {
        if let Err(e) = self
            .read_or_copy::<OfferList>(reader, "offers", OFFERS_PATH)
            .await
        {
            tracing::info!(error = %e, "offers not refreshed after sync");
        }
    }
}
