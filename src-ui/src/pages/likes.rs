//! The Likes tab, the buyer's wishlist: every liked item, latest like first,
//! with its price drop since the like and a mark on items that sold or went.
//! Likes made on this device show at once, before the server has them.

use crate::components::icon::Icon;
use crate::data::likes::LikesState;
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::data::social::SocialState;
use crate::nav::{Nav, Screen, Tab};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ErrorCode;
use rehome_model::api::LikedListing;
use rehome_model::sync::ListingStatus;

#[component]
pub fn LikesPage() -> impl IntoView {
    let social = expect_context::<SocialState>();
    let likes = LikesState::new(social);
    let nav = Nav::get();
    Effect::new(move |_| {
        if nav.tab() == Tab::Likes {
            likes.refresh();
        }
    });
    // The server's list, with this device's likes since on top and its
    // unlikes taken out.
    let shown = move || {
        let server = likes.items.get();
        let mut rows: Vec<LikedListing> = social
            .likes_chosen()
            .into_iter()
            .filter(|l| !server.iter().any(|s| s.card.id == l.card.id))
            .map(|l| LikedListing {
                price_at_like: l.card.price,
                card: l.card,
                status: ListingStatus::Live,
                liked_at: l.at,
            })
            .collect();
        rows.extend(server);
        rows.retain(|r| social.liked(r.card.id));
        rows
    };
    view! {
        <div class="likes">
            <h1 class="page-title">{labels::TAB_LIKES}</h1>
            {move || likes.error.get().map(|e| {
                let (icon, text) = match e.code {
                    ErrorCode::Unauthorized => (icons::SIGN_IN, labels::LIKES_SIGN_IN),
                    ErrorCode::Offline => (icons::OFFLINE, labels::OFFLINE),
                    _ => (icons::WARNING, labels::SERVER_TROUBLE),
                };
                view! {
                    <div class="notice" role="alert" data-code=e.code.as_str() title=e.message.clone()>
                        <Icon path=icon />
                        <span>{text}</span>
                    </div>
                }
            })}
            <ul class="like-list">
                <For each=shown key=|l| (l.card.id, l.status, l.card.price)
                    children=move |l| view! { <LikeRow item=l /> } />
            </ul>
            {move || (likes.done.get() && likes.error.get().is_none() && shown().is_empty())
                .then(|| view! { <p class="feed-status">{labels::LIKES_EMPTY}</p> })}
            {move || (!likes.done.get() && !likes.loading.get() && likes.error.get().is_none())
                .then(|| view! {
                    <button class="button button-quiet button-wide" data-action="more-likes"
                        on:click=move |_| likes.load_more()>{labels::LOAD_MORE}</button>
                })}
            {move || likes.loading.get().then(|| view! { <p class="feed-status" aria-live="polite">{labels::FEED_LOADING}</p> })}
        </div>
    }
}

#[component]
fn LikeRow(item: LikedListing) -> impl IntoView {
    let social = expect_context::<SocialState>();
    let nav = Nav::get();
    let id = item.card.id;
    let card = StoredValue::new(item.card.clone());
    let gone = match item.status {
        ListingStatus::Live => None,
        ListingStatus::Sold => Some(("sold", labels::LISTING_SOLD)),
        _ => Some(("gone", labels::LISTING_GONE)),
    };
    let drop = item.price_drop().map(|_| {
        view! {
            <span class="like-drop" data-drop=item.price_at_like.to_string()>
                <s>{item.price_at_like.to_string()}</s>" "{labels::PRICE_DROP}
            </span>
        }
    });
    let photo = item.card.cover.as_ref().map(|c| {
        view! { <img class="like-photo" src=photo_src(c.id, PhotoSize::Thumb) alt="" loading="lazy" decoding="async" /> }
    });
    view! {
        <li class="like-row" data-listing=id.to_string()
            data-status=gone.map_or("live", |(k, _)| k)>
            <button class="like-open" data-action="open-listing" on:click=move |_| nav.push(Screen::Listing(id))>
                {photo}
                <span class="like-text">
                    <b class="like-price">{item.card.price.to_string()}</b>
                    {drop}
                    <span class="like-brand">{item.card.brand.clone()}" · "{item.card.size.clone()}</span>
                    {gone.map(|(_, w)| view! { <span class="badge like-gone">{w}</span> })}
                </span>
            </button>
            <button class="like-button liked" data-action="like" aria-pressed="true"
                aria-label=labels::UNLIKE on:click=move |_| card.with_value(|c| social.toggle_like(c))>
                <Icon path=icons::HEART />
            </button>
        </li>
    }
}
