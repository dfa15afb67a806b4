//! The Drafts tab: on phones a card per draft (cover, title, price, readiness,
//! stage); at desktop widths the seller's grid (`pages/grid`).

use crate::components::icon::Icon;
use crate::components::stage_badge::{ListingStage, StageAttention};
use crate::data::drafts::DraftsState;
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::nav::{Nav, Tab};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::draft::{DraftCard, DraftStage};

/// The seller's listings: the grid at desktop widths, the drafts list on phones.
#[component]
pub fn DraftsPage() -> impl IntoView {
    let wide = crate::pages::grid::desktop_width();
    view! {
        <Show when=move || wide.get() fallback=|| view! { <DraftsList /> }>
            <crate::pages::grid::SellerGrid />
        </Show>
    }
}

#[component]
fn DraftsList() -> impl IntoView {
    let drafts = expect_context::<DraftsState>();
    let nav = Nav::get();
    // Reload whenever the tab is shown: edits happen on the Sell tab.
    Effect::new(move |_| {
        if nav.tab() == Tab::Drafts {
            drafts.refresh();
        }
    });
    view! {
        <section class="drafts">
            <h1 class="page-title">{labels::OPEN_DRAFTS}</h1>
            <crate::components::conflicts::NeedsYourChoice />
            {move || (drafts.loaded.get() && drafts.cards.with(Vec::is_empty)).then(|| view! {
                <p class="hint">{labels::NO_DRAFTS}</p>
            })}
            <ul class="draft-list">
                <For each=move || drafts.cards.get() key=|c| (c.id, c.updated_at, stage_key(&c.stage))
                    children=move |card| view! { <DraftCardView card=card /> } />
            </ul>
        </section>
    }
}

#[component]
fn DraftCardView(card: DraftCard) -> impl IntoView {
    let drafts = expect_context::<DraftsState>();
    let id = card.id;
    let cover = match card.cover_photo {
        Some(photo) => {
            view! { <img class="draft-cover" src=photo_src(photo, PhotoSize::Thumb) alt="" /> }
                .into_any()
        }
        None => {
            view! { <span class="draft-cover draft-cover-empty"><Icon path=icons::IMAGE /></span> }
                .into_any()
        }
    };
    let title = if card.title.trim().is_empty() {
        labels::UNTITLED.to_owned()
    } else {
        card.title.clone()
    };
    let readiness = if card.ready {
        view! { <span class="ready ready-yes"><Icon path=icons::CHECK />{labels::READY}</span> }
            .into_any()
    } else {
        view! { <span class="ready">{format!("{} {}", card.missing, labels::TO_DO)}</span> }
            .into_any()
    };
    view! {
        <li>
            <button class="draft-card" data-draft=id.to_string() on:click=move |_| drafts.open(id)>
                {cover}
                <span class="draft-text">
                    <span class="draft-title">{title}</span>
                    <span class="draft-price">{card.price.clone()}</span>
                </span>
                <span class="draft-badges">
                    {readiness}
                    <ListingStage id=id fallback=Signal::stored(card.stage.clone()) />
                </span>
            </button>
            <StageAttention id=id />
        </li>
    }
}

/// The part of a card's key that changes with its stage (the badge is drawn
/// from the card, so a new stage draws the card again).
fn stage_key(stage: &DraftStage) -> (u8, String) {
    match stage {
        DraftStage::Draft => (0, String::new()),
        DraftStage::Queued => (1, String::new()),
        DraftStage::Live => (2, String::new()),
        DraftStage::Delisted => (3, String::new()),
        DraftStage::Sold => (4, String::new()),
        DraftStage::NeedsAttention { reason } => (5, reason.clone()),
    }
}
