//! A seller's closet: their card (with the follow button) over their live
//! listings, in the same virtual grid as the feed.

use crate::components::card_grid::CardGrid;
use crate::components::load_error::LoadError;
use crate::components::seller_card::SellerCard;
use crate::data::closet::ClosetState;
use crate::labels;
use leptos::prelude::*;

#[component]
pub fn ClosetScreen(handle: String) -> impl IntoView {
    let closet = ClosetState::load(handle.clone());
    view! {
        <div class="closet" data-closet=handle>
            {move || closet.seller.get().map(|seller| view! { <SellerCard seller=seller /> })}
            <CardGrid cards=closet.pages.cards want_more=Callback::new(move |_| closet.load_more()) />
            {move || closet.pages.error.get().map(|e| view! { <LoadError error=e retry=Callback::new(move |_| closet.retry()) /> })}
            {move || closet.pages.loading.get().then(|| view! { <p class="feed-status" aria-live="polite">{labels::FEED_LOADING}</p> })}
            {move || (closet.pages.done.get() && closet.pages.cards.with(Vec::is_empty))
                .then(|| view! { <p class="feed-status feed-end">{labels::CLOSET_EMPTY}</p> })}
        </div>
    }
}
