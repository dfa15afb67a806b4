//! A seller's card: handle, listings for sale, sold, followers, and a follow
//! button (optimistic, through [`SocialState`]). On a listing page the handle
//! opens the seller's closet.

use crate::components::icon::Icon;
use crate::data::social::SocialState;
use crate::nav::{Nav, Screen};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::api::SellerSummary;

#[component]
pub fn SellerCard(
    seller: SellerSummary,
    /// Whether the handle opens the closet (not on the closet itself).
    #[prop(optional)]
    opens_closet: bool,
) -> impl IntoView {
    let social = expect_context::<SocialState>();
    let nav = Nav::get();
    let handle = StoredValue::new(seller.handle.clone());
    let said = seller.followed;
    let following = move || handle.with_value(|h| social.following(h, said));
    let followers = move || handle.with_value(|h| social.follower_count(h, seller.followers, said));
    let toggle = move |_| {
        let now = following();
        social.set_follow(handle.get_value(), !now);
    };
    let name = move || {
        let text = format!("@{}", handle.get_value());
        if opens_closet {
            view! {
                <button class="seller-handle link" data-action="open-closet"
                    on:click=move |_| nav.push(Screen::Closet(handle.get_value()))>
                    <Icon path=icons::PERSON />
                    <span>{text}</span>
                </button>
            }
            .into_any()
        } else {
            view! {
                <h1 class="seller-handle"><Icon path=icons::PERSON /><span>{text}</span></h1>
            }
            .into_any()
        }
    };
    view! {
        <section class="seller-card" data-seller=seller.handle.clone()
            data-following=move || following().to_string()>
            {name}
            <p class="seller-counts">
                <span data-count="listings"><b>{seller.live_listings}</b>" "{labels::LISTINGS_COUNT}</span>
                <span data-count="sold"><b>{seller.sold}</b>" "{labels::SOLD_COUNT}</span>
                <span data-count="followers"><b>{followers}</b>" "{labels::FOLLOWERS_COUNT}</span>
            </p>
            <button class="button follow" class:on=following data-action="follow"
                aria-pressed=move || following().to_string() on:click=toggle>
                <Icon path=if following() { icons::FOLLOWING } else { icons::FOLLOW } />
                {move || if following() { labels::FOLLOWING } else { labels::FOLLOW }}
            </button>
        </section>
    }
}
