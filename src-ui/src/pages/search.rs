//! Search: text, then chips (category, condition, sort, My size) and a few
//! fields (brand, size, price range); results in the feed's virtual grid.
//! My size is on by default: the buyer's own sizes filter the results until
//! one tap turns it off. Every change starts the results over. While nothing
//! is typed, the searches run on this device before are one tap away.

use crate::components::card_grid::CardGrid;
use crate::components::icon::Icon;
use crate::components::load_error::LoadError;
use crate::data::search::{SearchState, describe};
use crate::{icons, labels};
use leptos::html::Input;
use leptos::prelude::*;
use rehome_model::api::SearchSort;
use rehome_model::draft::parse_price;
use rehome_model::{Category, Condition};

/// A chip that is on or off.
fn chip(
    key: &'static str,
    value: &'static str,
    text: &'static str,
    icon: Option<&'static str>,
    on: impl Fn() -> bool + Send + Sync + 'static,
    tap: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="choice-chip" data-chip=key data-value=value
            aria-pressed=move || on().to_string() on:click=move |_| tap()>
            {icon.map(|i| view! { <Icon path=i /> })}
            <span>{text}</span>
        </button>
    }
}

#[component]
pub fn SearchScreen() -> impl IntoView {
    let search = SearchState::start();
    let q = search.query;
    let text = NodeRef::<Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked().map(|i| i.value());
        search.change(|q| q.q = typed.filter(|t| !t.trim().is_empty()));
        search.remember();
    };
    // The searches run here before, one tap each, while nothing is typed.
    let recent = move || {
        let list = search.recent.get();
        (q.with(|q| q.q.is_none()) && !list.is_empty()).then(|| {
            let chips = list
                .into_iter()
                .map(|query| {
                    let words = describe(&query);
                    let words = if words.is_empty() {
                        labels::FILTERS.to_owned()
                    } else {
                        words
                    };
                    let typed = query.q.clone().unwrap_or_default();
                    let tap = move |_| {
                        if let Some(input) = text.get_untracked() {
                            input.set_value(&typed);
                        }
                        search.run(query.clone());
                    };
                    view! {
                        <button type="button" class="choice-chip" data-recent="" on:click=tap>
                            <Icon path=icons::CLOCK />
                            <span>{words}</span>
                        </button>
                    }
                })
                .collect_view();
            view! {
                <section class="search-recent" aria-label=labels::RECENT_SEARCHES>
                    <div class="choice-chips search-chips">
                        {chips}
                        <button type="button" class="icon-button" data-action="forget-searches"
                            aria-label=labels::CLEAR_RECENT title=labels::CLEAR_RECENT
                            on:click=move |_| search.forget()>
                            <Icon path=icons::TRASH />
                        </button>
                    </div>
                </section>
            }
        })
    };
    let my_size = chip(
        "my-size",
        "on",
        labels::MY_SIZE,
        Some(icons::PERSON),
        move || q.with(|q| q.my_size),
        move || search.change(|q| q.my_size = !q.my_size),
    );
    let categories = Category::ALL
        .iter()
        .map(|&c| {
            chip(
                "category",
                c.as_str(),
                labels::category(c),
                Some(icons::category(c)),
                move || q.with(|q| q.category.as_deref() == Some(c.as_str())),
                move || {
                    search.change(|q| {
                        q.category = (q.category.as_deref() != Some(c.as_str()))
                            .then(|| c.as_str().to_owned());
                    })
                },
            )
        })
        .collect_view();
    let conditions = Condition::ALL
        .iter()
        .map(|&c| {
            chip(
                "condition",
                c.as_str(),
                labels::condition(c),
                Some(icons::condition(c)),
                move || q.with(|q| q.condition == Some(c)),
                move || search.change(|q| q.condition = (q.condition != Some(c)).then_some(c)),
            )
        })
        .collect_view();
    let sorts = SearchSort::ALL
        .iter()
        .map(|&s| {
            let icon = match s {
                SearchSort::Newest => icons::CLOCK,
                SearchSort::PriceAsc => icons::PRICE_UP,
                SearchSort::PriceDesc => icons::PRICE_DOWN,
            };
            chip(
                "sort",
                s.as_str(),
                labels::sort(s),
                Some(icon),
                move || q.with(|q| q.sort == s),
                move || search.change(|q| q.sort = s),
            )
        })
        .collect_view();
    // A typed filter: applied on change; a price that does not read as one
    // is marked at its field and not applied.
    let bad_price = RwSignal::new(None::<&'static str>);
    let field = move |id: &'static str, label: &'static str, mode: &'static str| {
        let on_change = move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let value = value.trim();
            let text = (!value.is_empty()).then(|| value.to_owned());
            let price = |t: &Option<String>| match t {
                None => Ok(None),
                Some(t) => parse_price(t).map(Some),
            };
            match id {
                "search-brand" => search.change(|q| q.brand = text),
                "search-size" => search.change(|q| q.size = text),
                _ => match price(&text) {
                    Ok(p) => {
                        bad_price.update(|b| {
                            if *b == Some(id) {
                                *b = None;
                            }
                        });
                        search.change(|q| {
                            if id == "search-min" {
                                q.min_price = p;
                            } else {
                                q.max_price = p;
                            }
                        });
                    }
                    Err(_) => bad_price.set(Some(id)),
                },
            }
        };
        view! {
            <label class="search-field">
                <span>{label}</span>
                <input id=id type="text" inputmode=mode on:change=on_change
                    aria-invalid=move || (bad_price.get() == Some(id)).to_string() />
            </label>
        }
    };
    view! {
        <div class="search">
            <form class="search-bar" role="search" on:submit=on_submit>
                <input id="search-q" type="search" node_ref=text enterkeyhint="search"
                    placeholder=labels::SEARCH aria-label=labels::SEARCH />
                <button class="icon-button" type="submit" data-action="search" aria-label=labels::SEARCH>
                    <Icon path=icons::SEARCH />
                </button>
            </form>
            {recent}
            <div class="choice-chips search-chips">{my_size}{sorts}</div>
            // Folded on a phone's first screen, so the results show.
            <details class="search-filters">
                <summary data-action="filters"><Icon path=icons::FILTER />{labels::FILTERS}</summary>
                <div class="choice-chips search-chips">{categories}</div>
                <div class="choice-chips search-chips">{conditions}</div>
                <div class="search-fields">
                    {field("search-brand", labels::BRAND, "text")}
                    {field("search-size", labels::SIZE, "text")}
                    {field("search-min", labels::MIN_PRICE, "decimal")}
                    {field("search-max", labels::MAX_PRICE, "decimal")}
                </div>
            </details>
            <CardGrid cards=search.pages.cards want_more=Callback::new(move |_| search.load_more()) />
            {move || search.pages.error.get().map(|e| view! { <LoadError error=e retry=Callback::new(move |_| search.retry()) /> })}
            {move || search.pages.loading.get().then(|| view! { <p class="feed-status" aria-live="polite">{labels::FEED_LOADING}</p> })}
            {move || (search.pages.done.get() && !search.pages.loading.get() && search.pages.error.get().is_none()
                && search.pages.cards.with(Vec::is_empty))
                .then(|| view! { <p class="feed-status search-none">{labels::NO_MATCHES}</p> })}
        </div>
    }
}
