//! Lists of listing cards (feed, Following, search, closet, likes): one
//! keyset-paged query with the personalised feed's boosts.

use super::db::{Result, Storage};
use super::listings::parse_status;
use rehome_model::api::SearchSort;
use rehome_model::feed::FeedReason;
use rehome_model::size;
use rehome_model::sync::ListingStatus;
use rehome_model::{Category, ListingCard, ListingId, Money, PhotoRef, SellerRef, UserId};
use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use std::collections::BTreeSet;

/// A card's position in a list: the sort score (highest first) and the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyset {
    pub score: i64,
    pub id: String,
}

/// One card of a list, with what the Likes list adds to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardRow {
    pub card: ListingCard,
    pub keyset: Keyset,
    pub status: ListingStatus,
    /// For the Likes list: when it was liked, and the price then.
    pub liked: Option<(i64, Money)>,
}

/// Which cards a list shows, and in what order.
#[derive(Clone, Debug)]
pub enum CardList {
    /// Live listings, newest first; for a signed-in viewer boosted by the sellers
    /// they follow, the brands they liked and their sizes.
    Feed {
        viewer: Option<UserId>,
    },
    /// Live listings of the sellers `viewer` follows, newest first.
    Following {
        viewer: UserId,
    },
    Search(SearchFilter),
    /// A seller's live listings.
    Closet {
        seller: UserId,
    },
    /// What a user liked, most recent like first.
    Likes {
        user: UserId,
    },
}

/// Search filters; every one present must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFilter {
    pub text: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    /// In any one of these sizes (none: any size).
    pub sizes: Vec<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub condition: Option<String>,
    pub sort: SearchSort,
}

/// Boosts of the personalised feed, in milliseconds of freshness. Each is twice
/// the one below, so among listings published within 4 days of each other the
/// order is: followed sellers, then liked brands, then the buyer's sizes, then
/// freshness; older listings fade back gradually instead of vanishing.
pub const BOOST_FOLLOWED_MS: i64 = 16 * 86_400_000;
pub const BOOST_LIKED_BRAND_MS: i64 = 8 * 86_400_000;
pub const BOOST_SIZE_MS: i64 = 4 * 86_400_000;
/// What a listing the buyer has already had on screen loses: it falls below
/// the unseen ones of the last month.
pub const DEMOTE_SEEN_MS: i64 = 32 * 86_400_000;
/// The most a listing's score can gain over its freshness.
pub const BOOST_MAX_MS: i64 = BOOST_FOLLOWED_MS + BOOST_LIKED_BRAND_MS + BOOST_SIZE_MS;

impl Storage {
    /// One page of cards after `after` (exclusive), with each card's keyset.
    /// `as_of` (Unix ms) is when the list's first page was read: the
    /// personalised feed counts only the follows, likes and views made by
    /// then, so a buyer's taps while paging never move cards across a cursor
    /// (no card twice, none skipped).
    pub fn cards(
        &self,
        list: &CardList,
        after: Option<&Keyset>,
        as_of: i64,
        limit: u32,
    ) -> Result<Vec<CardRow>> {
        self.cards_within(list, after, as_of, limit, true)
    }

    /// The oldest `published_at` a card of this page of `viewer`'s For You
    /// can have. A score is `published_at` plus at most [`BOOST_MAX_MS`] and
    /// minus at most [`DEMOTE_SEEN_MS`]. Every listing published before
    /// `S - BOOST_MAX_MS` (S: the cursor's score) comes after the cursor;
    /// if `limit` of them are published at `q` or later, each scores at least
    /// `q - DEMOTE_SEEN_MS`, so nothing published before
    /// `q - DEMOTE_SEEN_MS - BOOST_MAX_MS` can score high enough to be on the
    /// page. The page then scores a window of listings instead of all of them.
    fn feed_floor(
        &self,
        viewer: &UserId,
        after: Option<&Keyset>,
        limit: u32,
    ) -> Result<Option<i64>> {
        let below = after.map_or(i64::MAX, |k| k.score.saturating_sub(BOOST_MAX_MS));
        let q: Option<i64> = self.read(|c| {
            c.prepare_cached(
                "SELECT published_at FROM listings WHERE status = 'live' AND seller_id <> ?1 \
                 AND published_at < ?2 ORDER BY published_at DESC LIMIT 1 OFFSET ?3",
            )?
            .query_row(
                rusqlite::params![viewer.to_string(), below, i64::from(limit.max(1)) - 1],
                |r| r.get(0),
            )
            .optional()
        })?;
        Ok(q.map(|q| q.saturating_sub(DEMOTE_SEEN_MS + BOOST_MAX_MS)))
    }

    /// [`Storage::cards`]; `bounded: false` scores every listing of the
    /// personalised feed (the reference its window is tested against).
    pub fn cards_within(
        &self,
        list: &CardList,
        after: Option<&Keyset>,
        as_of: i64,
        limit: u32,
        bounded: bool,
    ) -> Result<Vec<CardRow>> {
        let mut values: Vec<Value> = Vec::new();
        let mut wheres: Vec<String> = Vec::new();
        let mut from = String::from("listings l JOIN users u ON u.id = l.seller_id");
        let score = match list {
            CardList::Feed { viewer: None } => "l.published_at".to_owned(),
            CardList::Feed { viewer: Some(v) } => {
                let sizes = self.sizes(v)?;
                wheres.push("l.seller_id <> ?1".into());
                values.push(Value::Text(v.to_string()));
                values.push(Value::Integer(as_of));
                // Only a sized item in one of the buyer's sizes is boosted:
                // bags and one-size items fit everyone, so they gain nothing.
                let fits = size_clause(&sizes, None, SizeFit::SizedOnly, &mut values);
                if bounded && let Some(floor) = self.feed_floor(v, after, limit)? {
                    values.push(Value::Integer(floor));
                    wheres.push(format!("l.published_at >= ?{}", values.len()));
                }
                format!(
                    "l.published_at \
                     + CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ?1 AND f.seller_id = l.seller_id AND f.created_at <= ?2) THEN {BOOST_FOLLOWED_MS} ELSE 0 END \
                     + CASE WHEN l.brand <> '' AND EXISTS (SELECT 1 FROM likes k JOIN listings lb ON lb.id = k.listing_id WHERE k.user_id = ?1 AND k.created_at <= ?2 AND lb.brand = l.brand COLLATE NOCASE) THEN {BOOST_LIKED_BRAND_MS} ELSE 0 END \
                     + CASE WHEN {fits} THEN {BOOST_SIZE_MS} ELSE 0 END \
                     - CASE WHEN EXISTS (SELECT 1 FROM seen sn WHERE sn.user_id = ?1 AND sn.listing_id = l.id AND sn.seen_at <= ?2) THEN {DEMOTE_SEEN_MS} ELSE 0 END"
                )
            }
            CardList::Following { viewer } => {
                // From the follows (their primary key) to each seller's live
                // listings (listings_seller_status), not through every live
                // listing asking whether its seller is followed.
                from.push_str(
                    " JOIN follows f ON f.seller_id = l.seller_id AND f.follower_id = ?1",
                );
                values.push(Value::Text(viewer.to_string()));
                "l.published_at".to_owned()
            }
            CardList::Search(filter) => match filter.sort {
                SearchSort::Newest => "l.published_at".to_owned(),
                // Highest score first: the cheapest has the highest negated price.
                SearchSort::PriceAsc => "-l.price".to_owned(),
                SearchSort::PriceDesc => "l.price".to_owned(),
            },
            CardList::Closet { .. } => "l.published_at".to_owned(),
            CardList::Likes { user } => {
                from.push_str(" JOIN likes k ON k.listing_id = l.id AND k.user_id = ?1");
                values.push(Value::Text(user.to_string()));
                "k.created_at".to_owned()
            }
        };
        // Every placeholder is numbered: ?1 is the viewer or user where the
        // list has one, ?2 the personalised feed's `as_of`.
        let status = match list {
            CardList::Likes { .. } => "l.status IN ('live', 'sold', 'delisted')",
            _ => "l.status = 'live'",
        };
        wheres.insert(0, status.to_owned());
        match list {
            CardList::Closet { seller } => {
                wheres.push(format!("l.seller_id = ?{}", values.len() + 1));
                values.push(Value::Text(seller.to_string()));
            }
            CardList::Search(filter) => push_search(filter, &mut wheres, &mut values),
            _ => {}
        }
        let mut outer_where = String::new();
        if let Some(after) = after {
            let a = values.len() + 1;
            outer_where = format!("WHERE score < ?{a} OR (score = ?{a} AND id < ?{})", a + 1);
            values.push(Value::Integer(after.score));
            values.push(Value::Text(after.id.clone()));
        }
        let lim = values.len() + 1;
        values.push(Value::Integer(i64::from(limit)));
        let liked = match list {
            CardList::Likes { .. } => "k.created_at, k.price_at_like",
            _ => "NULL, NULL",
        };
        let sql = format!(
            "SELECT * FROM (SELECT l.id AS id, l.title, l.price, l.original_price, l.brand, l.size, \
                l.seller_id, u.handle, l.like_count, {score} AS score, l.status, {liked}, l.published_at \
             FROM {from} WHERE {}) {outer_where} \
             ORDER BY score DESC, id DESC LIMIT ?{lim}",
            wheres.join(" AND ")
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, Option<i64>>(11)?,
                    r.get::<_, Option<i64>>(12)?,
                    r.get::<_, Option<i64>>(13)?,
                ))
            })?;
            let mut out = Vec::new();
            let mut cover = c.prepare_cached(
                "SELECT p.id, p.width, p.height FROM listing_photos lp \
                 JOIN photos p ON p.id = lp.photo_id \
                 WHERE lp.listing_id = ?1 ORDER BY lp.position LIMIT 1",
            )?;
            for row in rows {
                let (
                    id,
                    title,
                    price,
                    original,
                    brand,
                    size,
                    seller_id,
                    handle,
                    likes,
                    score,
                    status,
                    liked_at,
                    price_at_like,
                    published_at,
                ) = row?;
                let cover = cover
                    .query_row([&id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, u32>(1)?,
                            r.get::<_, u32>(2)?,
                        ))
                    })
                    .optional()?
                    .and_then(|(pid, width, height)| {
                        Some(PhotoRef {
                            id: pid.parse().ok()?,
                            width,
                            height,
                        })
                    });
                let (Ok(listing_id), Ok(seller)) =
                    (id.parse::<ListingId>(), seller_id.parse::<UserId>())
                else {
                    continue;
                };
                let reasons = match (list, score, published_at) {
                    (CardList::Feed { viewer }, Some(score), Some(published)) => {
                        feed_reasons(viewer.is_some(), score, published, as_of)
                    }
                    // Following holds only followed sellers' listings.
                    (CardList::Following { .. }, _, Some(published)) => {
                        let mut reasons = vec![FeedReason::FollowedSeller];
                        reasons.extend(feed_reasons(false, 0, published, as_of));
                        reasons
                    }
                    _ => Vec::new(),
                };
                out.push(CardRow {
                    card: ListingCard {
                        id: listing_id,
                        title,
                        price: Money(price),
                        original_price: original.map(Money),
                        brand,
                        size,
                        seller: SellerRef { id: seller, handle },
                        cover,
                        like_count: u32::try_from(likes).unwrap_or(0),
                        reasons,
                    },
                    keyset: Keyset {
                        score: score.unwrap_or(0),
                        id,
                    },
                    status: parse_status(&status),
                    liked: liked_at.map(|at| (at, Money(price_at_like.unwrap_or(price)))),
                });
            }
            Ok(out)
        })
    }
}

/// How long a listing counts as new in "why am I seeing this".
pub const NEW_FOR_MS: i64 = 86_400_000;

/// Why a card is in For You, read back from its score: each boost is a
/// distinct power-of-two multiple of [`BOOST_SIZE_MS`] and the demotion is
/// larger than all of them together, so `score - published_at` says exactly
/// which ones applied (no second query).
pub fn feed_reasons(personal: bool, score: i64, published_at: i64, as_of: i64) -> Vec<FeedReason> {
    let mut reasons = Vec::new();
    if personal {
        let mut gained = score - published_at;
        if gained < 0 {
            gained += DEMOTE_SEEN_MS;
        }
        for (boost, reason) in [
            (BOOST_FOLLOWED_MS, FeedReason::FollowedSeller),
            (BOOST_LIKED_BRAND_MS, FeedReason::LikedBrand),
            (BOOST_SIZE_MS, FeedReason::YourSize),
        ] {
            if gained >= boost {
                gained -= boost;
                reasons.push(reason);
            }
        }
    }
    if published_at > as_of - NEW_FOR_MS {
        reasons.push(FeedReason::New);
    }
    reasons
}

/// What a size clause lets through besides items in one of the sizes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SizeFit {
    /// Also unsized categories (bags, accessories) and one-size items: a
    /// search in the buyer's size still shows a bag.
    AnyThatFits,
    /// Only sized items in one of the sizes (the feed's size boost).
    SizedOnly,
}

/// SQL true when listing `l` is in one of `sizes`, read per category as the
/// seller's label would be (`rehome_model::size`): "M" finds "EU 38" tops and
/// "W30" trousers, "42" finds "UK 8" shoes. The tokens go in as parameters;
/// category names are the model's own constants.
fn size_clause(
    sizes: &[String],
    only: Option<Category>,
    fit: SizeFit,
    values: &mut Vec<Value>,
) -> String {
    let mut any: Vec<String> = Vec::new();
    if fit == SizeFit::AnyThatFits {
        let unsized_: Vec<String> = Category::ALL
            .iter()
            .filter(|c| !size::is_sized(**c) && only.is_none_or(|o| o == **c))
            .map(|c| format!("'{}'", c.as_str()))
            .collect();
        if !unsized_.is_empty() {
            any.push(format!("l.category IN ({})", unsized_.join(", ")));
        }
        any.push("instr(l.size_tokens, ' one ') > 0".to_owned());
    }
    for category in Category::ALL
        .iter()
        .copied()
        .filter(|c| size::is_sized(*c) && only.is_none_or(|o| o == *c))
    {
        let tokens: BTreeSet<String> = sizes
            .iter()
            .flat_map(|s| size::SizeKeys::of(category, s).query_tokens())
            .collect();
        if tokens.is_empty() {
            continue;
        }
        let mut hits = Vec::new();
        for t in tokens {
            values.push(Value::Text(format!(" {t} ")));
            hits.push(format!("instr(l.size_tokens, ?{}) > 0", values.len()));
        }
        // A listing with no category yet has its tokens read as a top.
        let category_is = if category == Category::Tops {
            "(l.category = 'tops' OR l.category IS NULL)".to_owned()
        } else {
            format!("l.category = '{}'", category.as_str())
        };
        any.push(format!("({category_is} AND ({}))", hits.join(" OR ")));
    }
    if any.is_empty() {
        return "0".to_owned();
    }
    format!("({})", any.join(" OR "))
}

fn like_pattern(word: &str) -> String {
    let mut p = String::from("%");
    for ch in word.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn push_search(filter: &SearchFilter, wheres: &mut Vec<String>, values: &mut Vec<Value>) {
    let next = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        values.len()
    };
    if let Some(text) = &filter.text {
        for word in text.split_whitespace().take(8) {
            let n = next(values, Value::Text(like_pattern(word)));
            wheres.push(format!(
                "(l.title LIKE ?{n} ESCAPE '\\' OR l.brand LIKE ?{n} ESCAPE '\\' OR l.description LIKE ?{n} ESCAPE '\\' OR l.colour LIKE ?{n} ESCAPE '\\')"
            ));
        }
    }
    if let Some(v) = &filter.category {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.category = ?{n}"));
    }
    if let Some(v) = &filter.brand {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.brand = ?{n} COLLATE NOCASE"));
    }
    if !filter.sizes.is_empty() {
        let category = filter.category.as_deref().and_then(Category::parse);
        wheres.push(size_clause(
            &filter.sizes,
            category,
            SizeFit::AnyThatFits,
            values,
        ));
    }
    if let Some(v) = filter.min_price {
        let n = next(values, Value::Integer(v));
        wheres.push(format!("l.price >= ?{n}"));
    }
    if let Some(v) = filter.max_price {
        let n = next(values, Value::Integer(v));
        wheres.push(format!("l.price <= ?{n}"));
    }
    if let Some(v) = &filter.condition {
        let n = next(values, Value::Text(v.clone()));
        wheres.push(format!("l.condition = ?{n}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }

    #[test]
    fn every_mix_of_boosts_reads_back_as_its_reasons() {
        use FeedReason::*;
        const DAY: i64 = 86_400_000;
        let as_of = 100 * DAY;
        let old = 90 * DAY;
        #[track_caller]
        fn check(personal: bool, score: i64, published: i64, as_of: i64, expected: &[FeedReason]) {
            assert_eq!(feed_reasons(personal, score, published, as_of), expected);
        }
        check(true, old, old, as_of, &[]);
        check(true, old + BOOST_FOLLOWED_MS, old, as_of, &[FollowedSeller]);
        check(true, old + BOOST_LIKED_BRAND_MS, old, as_of, &[LikedBrand]);
        check(true, old + BOOST_SIZE_MS, old, as_of, &[YourSize]);
        check(
            true,
            old + BOOST_MAX_MS,
            old,
            as_of,
            &[FollowedSeller, LikedBrand, YourSize],
        );
        check(
            true,
            old + BOOST_FOLLOWED_MS + BOOST_SIZE_MS,
            old,
            as_of,
            &[FollowedSeller, YourSize],
        );
        // Seen: demoted, the boosts still read back.
        check(true, old - DEMOTE_SEEN_MS, old, as_of, &[]);
        check(
            true,
            old - DEMOTE_SEEN_MS + BOOST_LIKED_BRAND_MS,
            old,
            as_of,
            &[LikedBrand],
        );
        check(
            true,
            old - DEMOTE_SEEN_MS + BOOST_MAX_MS,
            old,
            as_of,
            &[FollowedSeller, LikedBrand, YourSize],
        );
        // New: published within the day before the list was first read.
        check(true, as_of - DAY + 1, as_of - DAY + 1, as_of, &[New]);
        check(true, as_of - DAY, as_of - DAY, as_of, &[]);
        check(
            true,
            as_of + BOOST_FOLLOWED_MS,
            as_of,
            as_of,
            &[FollowedSeller, New],
        );
        // Signed out: nothing is personal, only newness.
        check(false, as_of - 5, as_of - 5, as_of, &[New]);
        check(false, old, old, as_of, &[]);
    }
}
