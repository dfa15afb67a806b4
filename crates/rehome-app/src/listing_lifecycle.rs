//! A listing's life after publishing: delist, relist, mark sold and the
//! quantity for sale. Each is one edit (the listing row and its outbox
//! mutation together); sync sends it to the server, which compares and sets
//! status and quantity against the versions the edit was based on.

use crate::{App, AppError};
use rehome_model::ListingId;
use rehome_model::draft::Draft;
use rehome_store::Edit;

impl App {
    /// Takes a live listing off the marketplace.
    #[tracing::instrument(skip(self))]
    pub fn delist_listing(&self, id: ListingId) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::Delist { id })?;
        self.draft_after(id)
    }

    /// Puts a delisted listing back (refused for any other status, and while
    /// the publishing checklist is incomplete).
    #[tracing::instrument(skip(self))]
    pub fn relist_listing(&self, id: ListingId) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::Relist { id })?;
        self.draft_after(id)
    }

    /// Marks the listing sold: final, and it wins over edits made elsewhere.
    #[tracing::instrument(skip(self))]
    pub fn mark_listing_sold(&self, id: ListingId) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::MarkSold { id })?;
        self.draft_after(id)
    }

    /// How many units are for sale (1 to [`rehome_store::QUANTITY_MAX`]).
    #[tracing::instrument(skip(self))]
    pub fn set_listing_quantity(&self, id: ListingId, quantity: u32) -> Result<Draft, AppError> {
        self.drafts.apply(Edit::SetQuantity { id, quantity })?;
        self.draft_after(id)
    }

    /// The quantity this device shows: its own pending edit, else the server's.
    #[tracing::instrument(skip(self))]
    pub fn listing_quantity(&self, id: ListingId) -> Result<u32, AppError> {
        Ok(self.store()?.quantity(id)?)
    }
}
