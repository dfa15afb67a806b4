//! "Why am I seeing this": a long press (or a right click) on a For You card
//! opens a small sheet that says which of the feed's reasons put it there
//! (a followed seller, a brand the buyer liked, their size, new).

use crate::components::icon::Icon;
use crate::{icons, labels};
use leptos::html::Button;
use leptos::prelude::*;
use rehome_model::ListingCard;
use rehome_model::feed::FeedReason;

/// The card whose reasons are shown, if any. Provided by the feed only, so a
/// card elsewhere (search, closet, likes) has no such menu.
#[derive(Clone, Copy)]
pub struct WhyState(pub RwSignal<Option<ListingCard>>);

fn reason(r: FeedReason) -> (&'static str, &'static str, &'static str) {
    match r {
        FeedReason::FollowedSeller => ("followed_seller", icons::FOLLOWING, labels::WHY_FOLLOWED),
        FeedReason::LikedBrand => ("liked_brand", icons::HEART, labels::WHY_BRAND),
        FeedReason::YourSize => ("your_size", icons::TAG, labels::WHY_SIZE),
        FeedReason::New => ("new", icons::CLOCK, labels::WHY_NEW),
    }
}

#[component]
pub fn WhySheet(state: WhyState) -> impl IntoView {
    let close_button = NodeRef::<Button>::new();
    let close = move || state.0.set(None);
    // Focus goes into the sheet when it opens, so Esc and Tab act on it.
    Effect::new(move |_| {
        if let Some(b) = close_button.get() {
            let _ = b.focus();
        }
    });
    move || {
        state.0.get().map(|card| {
            let items = if card.reasons.is_empty() {
                view! {
                    <li data-reason="everything"><Icon path=icons::SHOP /><span>{labels::WHY_EVERYTHING}</span></li>
                }
                .into_any()
            } else {
                card.reasons
                    .iter()
                    .map(|&r| {
                        let (key, icon, text) = reason(r);
                        view! { <li data-reason=key><Icon path=icon /><span>{text}</span></li> }
                    })
                    .collect_view()
                    .into_any()
            };
            view! {
                <div class="why-veil" on:click=move |_| close()>
                    <div class="why" role="dialog" aria-modal="true" aria-labelledby="why-title"
                        data-why=card.id.to_string()
                        on:click=|ev| ev.stop_propagation()
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.stop_propagation();
                                close();
                            }
                        }>
                        <h2 id="why-title">{labels::WHY_TITLE}</h2>
                        <ul class="why-reasons">{items}</ul>
                        <button class="button" node_ref=close_button data-action="close-why"
                            on:click=move |_| close()>
                            <Icon path=icons::CLOSE />
                            {labels::CLOSE}
                        </button>
                    </div>
                </div>
            }
        })
    }
}
