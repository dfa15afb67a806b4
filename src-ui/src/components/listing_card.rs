use crate::components::icon::Icon;
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ListingCard;

/// One listing in the vertical feed: the photo first, then price, brand, size.
#[component]
pub fn ListingCardView(card: ListingCard) -> impl IntoView {
    let photo = card.cover.as_ref().map(|cover| {
        let thumb = photo_src(cover.id, PhotoSize::Thumb);
        let full = photo_src(cover.id, PhotoSize::Full);
        // Let the webview choose by screen width and pixel density.
        let srcset = format!("{thumb} 400w, {full} 1600w");
        let ratio = format!(
            "aspect-ratio: {} / {}",
            cover.width.max(1),
            cover.height.max(1)
        );
        view! {
            <img class="card-photo" src=thumb srcset=srcset sizes="(min-width: 900px) 520px, 100vw"
                style=ratio alt=card.title.clone() loading="lazy" decoding="async" />
        }
    });
    let was = card
        .original_price
        .filter(|p| *p > card.price)
        .map(|p| view! { <s class="card-was">{p.to_string()}</s> });
    view! {
        <article class="card" data-listing=card.id.to_string()>
            {photo}
            <div class="card-body">
                <div class="card-price">
                    <span class="card-amount">{card.price.to_string()}</span>
                    {was}
                </div>
                <div class="card-line">
                    <span class="card-brand">{card.brand.clone()}</span>
                    <span class="chip" title=labels::SIZE>{card.size.clone()}</span>
                </div>
                <div class="card-meta">
                    <span class="card-seller">"@"{card.seller.handle.clone()}</span>
                    <span class="card-likes" title=labels::LIKES>
                        <Icon path=icons::HEART />
                        {card.like_count}
                    </span>
                </div>
            </div>
        </article>
    }
}
