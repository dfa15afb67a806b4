//! One listing page (anyone's listing), loaded over IPC: from the server, or
//! offline the device's copy, marked when it may have sold.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{ListingPage, ListingPageCmd, ListingRequest};
use rehome_model::{ApiError, ListingCard, ListingId, SellerRef};

/// A listing page as it loads: `None` until the core answers.
#[derive(Clone, Copy)]
pub struct ListingPageState {
    pub page: RwSignal<Option<Result<ListingPage, ApiError>>>,
    listing_id: ListingId,
}

impl ListingPageState {
    /// Starts loading the page of `listing_id`.
    pub fn load(listing_id: ListingId) -> Self {
        let state = Self {
            page: RwSignal::new(None),
            listing_id,
        };
        state.reload();
        state
    }

    /// Asks again (after an error).
    pub fn reload(self) {
        let req = ListingRequest {
            listing_id: self.listing_id,
        };
        spawn_local(async move {
            let result = ipc::invoke::<ListingPageCmd>(&req).await;
            let _ = self.page.try_set(Some(result));
        });
    }
}

/// The card of a listing shown on its page (for the Likes tab, before the
/// server lists the like).
pub fn card_of(page: &ListingPage) -> ListingCard {
    let l = &page.listing;
    ListingCard {
        id: l.id,
        title: l.title.clone(),
        price: l.price,
        original_price: l.original_price,
        brand: l.brand.clone(),
        size: l.size.clone(),
        seller: SellerRef {
            id: l.seller.id,
            handle: l.seller.handle.clone(),
        },
        cover: l.photos.first().cloned(),
        like_count: l.like_count,
        reasons: Vec::new(),
    }
}
