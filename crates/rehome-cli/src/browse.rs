//! `rehome search`, `rehome listing show`, `rehome closet`, `rehome likes`:
//! what a buyer reads, through the same facade methods the app calls. Each
//! follows the cursor until `--limit` items; each reads offline from what it
//! saw before.

use crate::Cli;
use crate::output::{block_on, print_json};
use rehome_app::App;
use rehome_model::api::{LikedListing, SearchSort};
use rehome_model::ipc::{ClosetQuery, LikesQuery, ListingRequest, SearchQuery};
use rehome_model::{ApiError, Condition, Cursor, ErrorCode, FeedPage, ListingCard, Money};
use serde::Serialize;

/// One card as `feed`, `search` and `closet` print it.
#[derive(Serialize)]
pub struct CardItem<'a> {
    id: String,
    title: &'a str,
    /// In minor units (cents).
    price: i64,
    brand: &'a str,
    size: &'a str,
    seller: &'a str,
}

impl<'a> From<&'a ListingCard> for CardItem<'a> {
    fn from(c: &'a ListingCard) -> Self {
        CardItem {
            id: c.id.to_string(),
            title: &c.title,
            price: c.price.cents(),
            brand: &c.brand,
            size: &c.size,
            seller: &c.seller.handle,
        }
    }
}

/// Follows `next` page by page until `limit` items (pages of at most 50).
pub async fn collect<T, F, Fut>(limit: usize, mut next: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(Option<Cursor>, u32) -> Fut,
    Fut: std::future::Future<Output = Result<FeedPage<T>, rehome_app::AppError>>,
{
    let mut items = Vec::new();
    let mut cursor = None;
    while items.len() < limit {
        let page_size = (limit - items.len()).min(50) as u32;
        let page = next(cursor.take(), page_size)
            .await
            .map_err(ApiError::from)?;
        let got = page.items.len();
        items.extend(page.items);
        match page.next_cursor {
            Some(c) if got > 0 => cursor = Some(c),
            _ => break,
        }
    }
    items.truncate(limit);
    Ok(items)
}

/// A price as typed on the command line (`12`, `12.50`, `12,50`), in cents.
fn parse_price(text: &str, field: &str) -> Result<Money, ApiError> {
    let bad = || {
        ApiError::new(
            ErrorCode::Invalid,
            format!("{text:?} is not a price (say 12 or 12.50)"),
        )
        .with_field(field)
    };
    let t = text.trim().replace(',', ".");
    let (units, cents) = t.split_once('.').unwrap_or((&t, ""));
    if units.is_empty() || cents.len() > 2 || !units.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if !cents.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let units: i64 = units.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{cents:0<2}").parse().map_err(|_| bad())?;
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .map(Money)
        .ok_or_else(bad)
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// The marketplace server's base URL (default: $REHOME_SERVER, then the local one).
    #[arg(long)]
    server: Option<String>,
    /// Words that must all appear (title, brand, description, colour).
    #[arg(long, value_name = "TEXT")]
    q: Option<String>,
    /// A category: tops, dresses, trousers, skirts, outerwear, shoes, bags, accessories.
    #[arg(long, value_name = "C")]
    category: Option<String>,
    #[arg(long, value_name = "B")]
    brand: Option<String>,
    /// A size as a label says it (M, EU 38, W30); replaces your own sizes.
    #[arg(long, value_name = "S")]
    size: Option<String>,
    /// The lowest price (12 or 12.50), inclusive.
    #[arg(long, value_name = "P")]
    min_price: Option<String>,
    /// The highest price, inclusive.
    #[arg(long, value_name = "P")]
    max_price: Option<String>,
    /// A condition: new_with_tags, like_new, good, fair.
    #[arg(long, value_name = "C")]
    condition: Option<String>,
    /// newest, price_asc or price_desc.
    #[arg(long, value_name = "SORT", default_value = "newest")]
    sort: String,
    /// Do not filter by your own sizes (applied by default when signed in).
    #[arg(long)]
    no_my_size: bool,
    /// How many items to print.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print JSON (the only format; accepted for scripts that pass it).
    #[arg(long)]
    json: bool,
}

impl SearchArgs {
    fn query(&self) -> Result<SearchQuery, ApiError> {
        let sort = SearchSort::parse(&self.sort).ok_or_else(|| {
            ApiError::new(
                ErrorCode::Invalid,
                format!("{:?}: sort by newest, price_asc or price_desc", self.sort),
            )
            .with_field("sort")
        })?;
        let condition = match &self.condition {
            None => None,
            Some(c) => Some(Condition::parse(c).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Invalid,
                    format!("{c:?}: a condition is new_with_tags, like_new, good or fair"),
                )
                .with_field("condition")
            })?),
        };
        let min_price = self
            .min_price
            .as_deref()
            .map(|p| parse_price(p, "minPrice"))
            .transpose()?;
        let max_price = self
            .max_price
            .as_deref()
            .map(|p| parse_price(p, "maxPrice"))
            .transpose()?;
        Ok(SearchQuery {
            q: self.q.clone(),
            category: self.category.clone(),
            brand: self.brand.clone(),
            size: self.size.clone(),
            min_price,
            max_price,
            condition,
            sort,
            my_size: !self.no_my_size,
            cursor: None,
            limit: None,
        })
    }
}

pub fn search(cli: &Cli, args: &SearchArgs) -> Result<(), ApiError> {
    let _ = args.json;
    let query = args.query()?;
    let app = App::open(cli.config(args.server.clone())).map_err(ApiError::from)?;
    let cards = block_on(collect(args.limit, |cursor, limit| {
        app.search(SearchQuery {
            cursor,
            limit: Some(limit),
            ..query.clone()
        })
    }))??;
    print_json(&cards.iter().map(CardItem::from).collect::<Vec<_>>())
}

#[derive(clap::Args)]
pub struct ClosetArgs {
    /// The seller's handle (or user id).
    handle: String,
    /// The marketplace server's base URL (default: $REHOME_SERVER, then the local one).
    #[arg(long)]
    server: Option<String>,
    /// How many listings to print.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print JSON (the only format; accepted for scripts that pass it).
    #[arg(long)]
    json: bool,
}

pub fn closet(cli: &Cli, args: &ClosetArgs) -> Result<(), ApiError> {
    let _ = args.json;
    let app = App::open(cli.config(args.server.clone())).map_err(ApiError::from)?;
    let seller = args.handle.trim().trim_start_matches('@').to_owned();
    let (seller, cards) = block_on(async {
        let mut cards = Vec::new();
        let mut cursor = None;
        loop {
            let page_size = (args.limit - cards.len()).clamp(1, 50) as u32;
            let page = app
                .closet(ClosetQuery {
                    seller: seller.clone(),
                    cursor: cursor.take(),
                    limit: Some(page_size),
                })
                .await
                .map_err(ApiError::from)?;
            let got = page.items.len();
            cards.extend(page.items);
            match page.next_cursor {
                Some(c) if got > 0 && cards.len() < args.limit => cursor = Some(c),
                _ => {
                    cards.truncate(args.limit);
                    return Ok::<_, ApiError>((page.seller, cards));
                }
            }
        }
    })??;
    print_json(&serde_json::json!({
        "seller": seller,
        "items": cards.iter().map(CardItem::from).collect::<Vec<_>>(),
    }))
}

#[derive(clap::Args)]
pub struct LikesArgs {
    /// The marketplace server's base URL (default: the signed-in account's).
    #[arg(long)]
    server: Option<String>,
    /// How many liked items to print.
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Print JSON (the only format; accepted for scripts that pass it).
    #[arg(long)]
    json: bool,
}

/// One liked item as `rehome likes` prints it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LikeItem<'a> {
    id: String,
    title: &'a str,
    /// In cents, now.
    price: i64,
    /// In cents, when liked.
    price_at_like: i64,
    /// How much cheaper since the like, in cents (0: not cheaper).
    price_drop: i64,
    /// live, sold or delisted.
    status: &'a str,
    brand: &'a str,
    size: &'a str,
    seller: &'a str,
    /// Unix milliseconds.
    liked_at: i64,
}

impl<'a> From<&'a LikedListing> for LikeItem<'a> {
    fn from(l: &'a LikedListing) -> Self {
        LikeItem {
            id: l.card.id.to_string(),
            title: &l.card.title,
            price: l.card.price.cents(),
            price_at_like: l.price_at_like.cents(),
            price_drop: l.price_drop().map_or(0, Money::cents),
            status: status_name(l.status),
            brand: &l.card.brand,
            size: &l.card.size,
            seller: &l.card.seller.handle,
            liked_at: l.liked_at,
        }
    }
}

fn status_name(s: rehome_model::sync::ListingStatus) -> &'static str {
    use rehome_model::sync::ListingStatus as S;
    match s {
        S::Draft => "draft",
        S::Live => "live",
        S::Delisted => "delisted",
        S::Sold => "sold",
        S::Deleted => "deleted",
    }
}

pub fn likes(cli: &Cli, args: &LikesArgs) -> Result<(), ApiError> {
    let _ = args.json;
    let app = App::open(cli.config(args.server.clone())).map_err(ApiError::from)?;
    let liked = block_on(collect(args.limit, |cursor, limit| {
        app.likes(LikesQuery {
            cursor,
            limit: Some(limit),
        })
    }))??;
    print_json(&liked.iter().map(LikeItem::from).collect::<Vec<_>>())
}

/// `rehome listing show ID`: anyone's listing, as its page shows it.
pub fn show_listing(app: &App, id: &str) -> Result<(), ApiError> {
    let listing_id = id.parse().map_err(|_| {
        ApiError::new(ErrorCode::Invalid, format!("{id:?} is not a listing id")).with_field("id")
    })?;
    let detail =
        block_on(app.listing_page(ListingRequest { listing_id }))?.map_err(ApiError::from)?;
    print_json(&detail)
}

#[cfg(test)]
mod tests {
    use super::parse_price;

    #[test]
    fn prices_as_typed() {
        for (text, want) in [
            ("12", Some(1200)),
            ("12.5", Some(1250)),
            ("12,50", Some(1250)),
            ("0.99", Some(99)),
            ("12.505", None),
            ("-1", None),
            ("abc", None),
            ("", None),
            (".5", None),
            ("1.2.3", None),
        ] {
            assert_eq!(
                parse_price(text, "minPrice").ok().map(|m| m.0),
                want,
                "{text:?}"
            );
        }
    }
}
