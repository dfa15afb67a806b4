//! One listing in the feed's grid: the photo first (a thumbnail, at a fixed
//! 4:5 aspect so nothing moves as it arrives), then price, brand and size.
//! Lean on purpose (nine or ten elements): a grid mounts dozens of them. A tap
//! opens the listing; the heart likes it without opening it.

use crate::components::feed_why::WhyState;
use crate::components::icon::Icon;
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::data::social::SocialState;
use crate::nav::{Nav, Screen};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ListingCard;

/// Where a card sits in its grid, and its size, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CardPlace {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[component]
pub fn ListingCardView(card: ListingCard, #[prop(into)] place: Signal<CardPlace>) -> impl IntoView {
    // Cards only ever load the thumbnail; the full photo is for the listing
    // page. Decoded off the main thread, fetched when near the window.
    let photo = card.cover.as_ref().map(|cover| {
        view! {
            <img class="card-photo" src=photo_src(cover.id, PhotoSize::Thumb)
                alt=card.title.clone() loading="lazy" decoding="async" />
        }
    });
    let was = card
        .original_price
        .filter(|p| *p > card.price)
        .map(|p| view! { <s class="card-was">{p.to_string()}</s> });
    let nav = Nav::get();
    let social = expect_context::<SocialState>();
    let id = card.id;
    let count = card.like_count;
    let liked = move || social.liked(id);
    let heart_card = StoredValue::new(card.clone());
    // The heart likes or unlikes at once; it does not open the listing.
    let on_heart = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        heart_card.with_value(|c| social.toggle_like(c));
    };
    // In the feed, a long press (a right click on desktop) says why the card
    // is there.
    let why = use_context::<WhyState>();
    let on_menu = move |ev: leptos::ev::MouseEvent| {
        if let Some(why) = why {
            ev.prevent_default();
            heart_card.with_value(|c| why.0.set(Some(c.clone())));
        }
    };
    view! {
        <article class="card" data-listing=card.id.to_string() title=card.title.clone()
            on:click=move |_| nav.push(Screen::Listing(id)) on:contextmenu=on_menu
            style:transform=move || { let p = place.get(); format!("translate({}px, {}px)", p.x, p.y) }
            style:width=move || format!("{}px", place.get().width)
            style:height=move || format!("{}px", place.get().height)>
            {photo}
            <div class="card-body">
                <span class="card-amount">{card.price.to_string()}{was}</span>
                <button class="card-likes" class:liked=liked data-action="like" title=labels::LIKES
                    aria-pressed=move || liked().to_string() on:click=on_heart>
                    <Icon path=icons::HEART />
                    {move || social.like_count(id, count)}
                </button>
                <span class="card-brand">{card.brand.clone()}</span>
                <span class="chip card-size" title=labels::SIZE>{card.size.clone()}</span>
            </div>
        </article>
    }
}
