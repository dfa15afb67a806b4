//! Anyone's listing: the full photos stacked full width (a tap zooms), the
//! price and facts, a like button, and the seller's card that opens their
//! closet. Sold and delisted listings say so and offer nothing to buy; a copy
//! read offline says when it may have sold.

use crate::components::icon::Icon;
use crate::components::load_error::LoadError;
use crate::components::seller_card::SellerCard;
use crate::data::listing::{ListingPageState, card_of};
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::data::social::SocialState;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ipc::ListingPage;
use rehome_model::sync::ListingStatus;
use rehome_model::{ListingId, PhotoRef};

#[component]
pub fn ListingScreen(id: ListingId) -> impl IntoView {
    let state = ListingPageState::load(id);
    let social = expect_context::<SocialState>();
    Effect::new(move |_| {
        state.page.with(|p| {
            if let Some(Ok(page)) = p {
                social.note_liked(page.listing.id, page.listing.liked);
            }
        });
    });
    move || match state.page.get() {
        None => view! { <p class="feed-status" aria-live="polite">{labels::LISTING_LOADING}</p> }
            .into_any(),
        Some(Err(e)) => {
            view! { <LoadError error=e retry=Callback::new(move |_| state.reload()) /> }.into_any()
        }
        Some(Ok(page)) => view! { <ListingBody page=page /> }.into_any(),
    }
}

#[component]
fn ListingBody(page: ListingPage) -> impl IntoView {
    let social = expect_context::<SocialState>();
    let card = StoredValue::new(card_of(&page));
    let l = page.listing;
    let id = l.id;
    let zoomed = RwSignal::new(None::<PhotoRef>);
    let status_word = match l.status {
        ListingStatus::Sold => Some(labels::LISTING_SOLD),
        ListingStatus::Live => None,
        _ => Some(labels::LISTING_GONE),
    };
    let status_key = match l.status {
        ListingStatus::Live => "live",
        ListingStatus::Sold => "sold",
        ListingStatus::Delisted => "delisted",
        ListingStatus::Draft => "draft",
        ListingStatus::Deleted => "deleted",
    };
    let offline = page.offline.map(|copy| {
        let (key, text) = if copy.may_have_sold {
            ("may-have-sold", labels::MAY_HAVE_SOLD)
        } else {
            ("copy", labels::OFFLINE_COPY)
        };
        view! {
            <p class="notice listing-offline" data-offline=key>
                <Icon path=icons::OFFLINE />
                <span>{text}</span>
            </p>
        }
    });
    let photos = l
        .photos
        .iter()
        .map(|photo| {
            let p = photo.clone();
            let ratio = format!("{} / {}", photo.width.max(1), photo.height.max(1));
            view! {
                <button class="listing-photo" aria-label=labels::ZOOM
                    on:click=move |_| zoomed.set(Some(p.clone()))>
                    <img src=photo_src(photo.id, PhotoSize::Full) alt=l.title.clone()
                        style:aspect-ratio=ratio decoding="async" />
                </button>
            }
        })
        .collect_view();
    let was = l
        .original_price
        .filter(|p| *p > l.price)
        .map(|p| view! { <s class="listing-was" title=labels::ORIGINAL_PRICE>{p.to_string()}</s> });
    let liked = move || social.liked(id);
    let likes = move || social.like_count(id, l.like_count);
    let now = js_sys::Date::now() as i64;
    let fact = |name: &'static str, key: &'static str, value: String| {
        (!value.is_empty()).then(|| {
            view! { <dt>{name}</dt><dd data-fact=key>{value}</dd> }
        })
    };
    let facts = view! {
        {fact(labels::BRAND, "brand", l.brand.clone())}
        {fact(labels::SIZE, "size", l.size.clone())}
        {fact(labels::CONDITION, "condition", l.condition.map(labels::condition).unwrap_or_default().to_owned())}
        {fact(labels::COLOUR, "colour", l.colour.clone().unwrap_or_default())}
        {fact(labels::CATEGORY, "category", l.category.map(labels::category).unwrap_or_default().to_owned())}
        {fact(labels::PARCEL, "parcel", l.parcel.map(labels::parcel).unwrap_or_default())}
        {fact(labels::LISTED, "listed", l.published_at.map(|at| labels::ago(at, now)).unwrap_or_default())}
    };
    view! {
        <article class="listing" data-listing=id.to_string() data-status=status_key>
            {offline}
            {status_word.map(|w| view! {
                <p class="listing-status" data-status=status_key><Icon path=icons::TAG />{w}</p>
            })}
            <div class="listing-photos">{photos}</div>
            <div class="listing-main">
                <div class="listing-head">
                    <span class="listing-price" class:gone=status_word.is_some()>{l.price.to_string()}{was}</span>
                    <button class="like-button" class:liked=liked data-action="like"
                        aria-pressed=move || liked().to_string()
                        aria-label=move || if liked() { labels::UNLIKE } else { labels::LIKE }
                        on:click=move |_| card.with_value(|c| social.toggle_like(c))>
                        <Icon path=icons::HEART />
                        <span data-likes>{likes}</span>
                    </button>
                </div>
                <h1 class="listing-title">{l.title.clone()}</h1>
                <dl class="listing-facts">{facts}</dl>
                <p class="listing-description">{l.description.clone()}</p>
                <SellerCard seller=l.seller.clone() opens_closet=true />
            </div>
            {move || zoomed.get().map(|p| view! {
                <div class="zoom" role="dialog" data-zoom=p.id.to_string()
                    on:click=move |_| zoomed.set(None)>
                    <img src=photo_src(p.id, PhotoSize::Full) alt="" />
                    <button class="icon-button zoom-close" aria-label=labels::CLOSE>
                        <Icon path=icons::CLOSE />
                    </button>
                </div>
            })}
        </article>
    }
}
