//! A seller's closet: their card (with the follow button) over their live
//! listings, in the same virtual grid as the feed.

use crate::components::card_grid::CardGrid;
use crate::components::icon::Icon;
use crate::components::seller_card::SellerCard;
use crate::data::closet::ClosetState;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ErrorCode;

#[component]
pub fn ClosetScreen(handle: String) -> impl IntoView {
    let closet = ClosetState::load(handle.clone());
    view! {
        <div class="closet" data-closet=handle>
            {move || closet.seller.get().map(|seller| view! { <SellerCard seller=seller /> })}
            <CardGrid cards=closet.cards want_more=Callback::new(move |_| closet.load_more()) />
            {move || closet.error.get().map(|e| {
                let (icon, text) = match e.code {
                    ErrorCode::Offline => (icons::OFFLINE, labels::OFFLINE),
                    _ => (icons::WARNING, labels::SERVER_TROUBLE),
                };
                view! {
                    <div class="notice" role="alert" data-code=e.code.as_str() title=e.message.clone()>
                        <Icon path=icon />
                        <span>{text}</span>
                        <button class="button" on:click=move |_| closet.retry()>
                            <Icon path=icons::RETRY />
                            {labels::RETRY}
                        </button>
                    </div>
                }
            })}
            {move || closet.loading.get().then(|| view! { <p class="feed-status" aria-live="polite">{labels::FEED_LOADING}</p> })}
            {move || (closet.done.get() && closet.cards.with(Vec::is_empty))
                .then(|| view! { <p class="feed-status feed-end">{labels::CLOSET_EMPTY}</p> })}
        </div>
    }
}
