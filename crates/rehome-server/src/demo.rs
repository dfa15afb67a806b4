//! Demo mode: sellers, buyers and about 60 listings with generated product shots,
//! so a new user sees a live feed the moment the app starts.
//!
//! Seeding is idempotent: everything has fixed ids and the data dir records that
//! it was seeded, so restarting with `--demo` adds nothing twice.

use crate::blobs::BlobStore;
use crate::render::{Garment, Pattern, Shot, SplitMix, render_jpeg};
use crate::storage::{BlobInfo, NewUser, SeedListing, Storage, StorageError};
use rehome_model::{Category, Condition, ListingId, PhotoId, UserId};

/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "rehome-demo";

/// The demo sellers' handles (each has ~7 listings).
pub const DEMO_SELLERS: [&str; 8] = [
    "vintage_vera",
    "closet_kai",
    "mira_resells",
    "thrift_theo",
    "linen_luca",
    "nadia_finds",
    "oscar_outfits",
    "pia_preloved",
];

/// The demo buyers' handles (no listings; some likes and follows).
pub const DEMO_BUYERS: [&str; 3] = ["ana_buys", "ben_browses", "chen_shops"];

pub const DEMO_LISTINGS: usize = 60;

const SEEDED_KEY: &str = "demo_seeded_v1";
/// How many demo listings the data dir holds (absent: the first 60).
const SEEDED_COUNT_KEY: &str = "demo_listings";
/// Ids are laid out from a fixed instant so they are the same in every data dir.
const ID_EPOCH_MS: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

pub const FULL_W: u16 = 900;
pub const FULL_H: u16 = 1200;
pub const THUMB_W: u16 = 300;
pub const THUMB_H: u16 = 400;

pub fn demo_user_id(handle_index: usize) -> UserId {
    UserId::from_parts(
        ID_EPOCH_MS + handle_index as u64,
        [0xD0, handle_index as u8, 0, 0, 0, 0, 0, 0, 0, 1],
    )
}

const BRANDS: [&str; 14] = [
    "Levi's",
    "Zara",
    "H&M",
    "Uniqlo",
    "Mango",
    "COS",
    "Patagonia",
    "Nike",
    "Adidas",
    "Arket",
    "Ganni",
    "Everlane",
    "Massimo Dutti",
    "Vans",
];

const COLOURS: [(&str, [f32; 3]); 12] = [
    ("Navy", [0.12, 0.18, 0.38]),
    ("Red", [0.72, 0.13, 0.15]),
    ("Olive", [0.42, 0.45, 0.2]),
    ("Mustard", [0.85, 0.65, 0.15]),
    ("Black", [0.12, 0.12, 0.13]),
    ("Cream", [0.93, 0.89, 0.78]),
    ("Pink", [0.93, 0.56, 0.66]),
    ("Forest green", [0.13, 0.36, 0.24]),
    ("Denim blue", [0.27, 0.4, 0.6]),
    ("Camel", [0.74, 0.55, 0.35]),
    ("Lilac", [0.7, 0.6, 0.85]),
    ("Grey", [0.55, 0.56, 0.58]),
];

const BACKGROUNDS: [[f32; 3]; 6] = [
    [0.95, 0.93, 0.9],
    [0.9, 0.93, 0.96],
    [0.96, 0.9, 0.88],
    [0.9, 0.95, 0.91],
    [0.94, 0.92, 0.97],
    [0.97, 0.95, 0.86],
];

fn pick<'a, T>(rng: &mut SplitMix, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

struct DemoItem {
    listing: SeedListing,
    shots: Vec<Shot>,
}

/// The seller of demo listing `i`: listings go in blocks of 64, each block
/// round-robin over 8 sellers of its own (the first block over the 8 demo
/// sellers), so every seller has about 8 listings spread over time.
fn seller_index(i: usize) -> usize {
    let block = i / 64;
    let slot = i % DEMO_SELLERS.len();
    if block == 0 {
        slot
    } else {
        DEMO_SELLERS.len() + DEMO_BUYERS.len() + (block - 1) * DEMO_SELLERS.len() + slot
    }
}

/// The handle of the account at `index` (demo sellers, then buyers, then the
/// sellers of listings past the first 64).
fn handle_of(index: usize) -> String {
    let named = DEMO_SELLERS.len() + DEMO_BUYERS.len();
    match DEMO_SELLERS.iter().chain(DEMO_BUYERS.iter()).nth(index) {
        Some(h) => (*h).to_owned(),
        None => format!("demo_seller_{}", index - named + 1),
    }
}

/// Demo listing `i` (deterministic; the first [`DEMO_LISTINGS`] are the
/// original catalogue, unchanged).
fn item(i: usize, seeded_at: i64) -> DemoItem {
    let mut rng = SplitMix(0x5EED_0000 + i as u64 * 7919);
    let category = Category::ALL[(i * 5 + rng.below(3) as usize) % Category::ALL.len()];
    let (garment, nouns, sizes): (Garment, &[&str], &[&str]) = match category {
        Category::Tops => (
            Garment::TShirt,
            &["t-shirt", "tee", "top"],
            &["XS", "S", "M", "L", "XL"],
        ),
        Category::Dresses => (
            Garment::Dress,
            &["dress", "midi dress", "slip dress"],
            &["XS", "S", "M", "L"],
        ),
        Category::Trousers => (
            Garment::Trousers,
            &["jeans", "trousers", "chinos"],
            &["W26", "W28", "W30", "W32", "W34"],
        ),
        Category::Skirts => (
            Garment::Skirt,
            &["skirt", "A-line skirt", "mini skirt"],
            &["XS", "S", "M", "L"],
        ),
        Category::Outerwear => (
            Garment::Jacket,
            &["jacket", "blazer", "coat"],
            &["S", "M", "L", "XL"],
        ),
        Category::Shoes => (
            Garment::Shoe,
            &["trainers", "sneakers", "plimsolls"],
            &["EU 37", "EU 38", "EU 39", "EU 40", "EU 42", "EU 44"],
        ),
        Category::Bags => (
            Garment::Bag,
            &["tote", "handbag", "shoulder bag"],
            &["One size"],
        ),
        Category::Accessories => (
            Garment::Scarf,
            &["scarf", "wool scarf", "silk scarf"],
            &["One size"],
        ),
    };
    let (colour_name, colour) = *pick(&mut rng, &COLOURS);
    let pattern = match (garment, rng.below(5)) {
        (Garment::Trousers, _) => Pattern::Twill,
        (Garment::Shoe | Garment::Bag, _) => Pattern::Solid,
        (_, 0) => Pattern::Stripes,
        (_, 1) => Pattern::Dots,
        (_, 2) => Pattern::Check,
        _ => Pattern::Solid,
    };
    let brand = *pick(&mut rng, &BRANDS);
    let noun = *pick(&mut rng, nouns);
    let size = *pick(&mut rng, sizes);
    let condition = *pick(&mut rng, Condition::ALL);
    let price = 800 + rng.below(230) as i64 * 50;
    let original_price =
        (rng.below(3) == 0).then(|| (price * (13 + rng.below(8) as i64) / 10) / 50 * 50);
    let pattern_word = match pattern {
        Pattern::Stripes => "striped ",
        Pattern::Dots => "polka-dot ",
        Pattern::Check => "check ",
        _ => "",
    };
    let title = format!("{colour_name} {brand} {pattern_word}{noun}");
    let seller_index = seller_index(i);
    let background = *pick(&mut rng, &BACKGROUNDS);
    let photo_count = 1 + rng.below(3) as usize;
    let mut random = [0u8; 10];
    random[0] = 0xDE;
    random[1] = i as u8;
    random[2] = (i >> 8) as u8;
    random[3] = (i >> 16) as u8;
    let id = ListingId::from_parts(ID_EPOCH_MS + 1000 * i as u64, random);
    let shots: Vec<Shot> = (0..photo_count)
        .map(|view| Shot {
            garment,
            colour,
            background,
            pattern,
            view: view as u8,
            seed: 0xC0FFEE ^ ((i as u64) << 8) ^ view as u64,
        })
        .collect();
    let published_at = seeded_at - (i as i64) * 47 * 60_000 - rng.below(600_000) as i64;
    DemoItem {
        listing: SeedListing {
            id,
            seller_id: demo_user_id(seller_index),
            title,
            description: format!(
                "{condition_text} {colour} {noun} from {brand}, size {size}. From a smoke-free home; happy to bundle.",
                condition_text = match condition {
                    Condition::NewWithTags => "Brand new with tags:",
                    Condition::LikeNew => "Worn once, like new:",
                    Condition::Good => "Loved but in good shape:",
                    Condition::Fair => "Well worn, priced to match:",
                },
                colour = colour_name.to_lowercase(),
            ),
            category: category.as_str().to_owned(),
            brand: brand.to_owned(),
            size: size.to_owned(),
            condition: condition.as_str().to_owned(),
            colour: colour_name.to_owned(),
            original_price,
            price,
            published_at,
            photos: Vec::new(),
        },
        shots,
    }
}

fn photo_id(listing: usize, view: usize) -> PhotoId {
    let mut random = [0u8; 10];
    random[0] = 0xF0;
    random[1] = listing as u8;
    random[2] = view as u8;
    PhotoId::from_parts(ID_EPOCH_MS + 1000 * listing as u64 + view as u64, random)
}

/// The shot a demo spec (`"<listing index>:<view>"`) names.
pub fn shot_for(spec: &str) -> Option<Shot> {
    let (i, v) = spec.split_once(':')?;
    let (i, v): (usize, usize) = (i.parse().ok()?, v.parse().ok()?);
    item(i, 0).shots.get(v).copied()
}

/// Draws one demo shot: the full-size JPEG and its thumbnail.
/// Deterministic: the same spec gives the same bytes.
pub fn draw(spec: &str) -> Result<(Vec<u8>, Vec<u8>), StorageError> {
    let shot =
        shot_for(spec).ok_or_else(|| StorageError::Corrupt(format!("bad demo spec {spec}")))?;
    let full =
        render_jpeg(&shot, FULL_W, FULL_H, 82).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let thumb = render_jpeg(&shot, THUMB_W, THUMB_H, 80)
        .map_err(|e| StorageError::Corrupt(e.to_string()))?;
    Ok((full, thumb))
}

/// Draws a pending demo shot, stores both files and records it (idempotent).
pub fn draw_and_record(
    store: &Storage,
    blobs: &BlobStore,
    photo_id: &str,
    spec: &str,
    now: i64,
) -> Result<BlobInfo, StorageError> {
    let (full, thumb) = draw(spec)?;
    // Drawn outside the lock; stored and recorded inside it.
    let files = blobs.lock();
    let blob = BlobInfo {
        sha256: blobs.put(&files, &full)?,
        thumb_sha256: blobs.put(&files, &thumb)?,
        width: u32::from(FULL_W),
        height: u32::from(FULL_H),
        bytes: full.len() as u64,
    };
    store.write(|tx| tx.set_photo_blob(photo_id, &blob, now))?;
    Ok(blob)
}

/// Whether the start-up warm-up draws this shot: those of the first
/// [`DEMO_LISTINGS`] listings (the rest are drawn on their first request).
pub fn drawn_at_start(spec: &str) -> bool {
    spec.split_once(':')
        .and_then(|(i, _)| i.parse::<usize>().ok())
        .is_some_and(|i| i < DEMO_LISTINGS)
}

/// Draws the demo shots of the first [`DEMO_LISTINGS`] listings not drawn
/// yet (run on a background thread after start-up). Every other shot, and one
/// asked for before the warm-up reaches it, is drawn on its first request: a
/// `--demo-listings 10000` catalogue would otherwise keep a core busy for
/// many minutes.
pub fn warm_up(
    store: &Storage,
    blobs: &BlobStore,
    now: impl Fn() -> i64,
) -> Result<usize, StorageError> {
    let pending: Vec<(String, String)> = store
        .pending_demo_shots()?
        .into_iter()
        .filter(|(_, spec)| drawn_at_start(spec))
        .collect();
    let started = std::time::Instant::now();
    for (photo_id, spec) in &pending {
        draw_and_record(store, blobs, photo_id, spec, now())?;
    }
    if !pending.is_empty() {
        tracing::info!(
            photos = pending.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "drew the demo photos"
        );
    }
    Ok(pending.len())
}

/// The demo listing specs `from..to` with their photo rows, as seeded.
fn seed_items(from: usize, to: usize, seeded_at: i64) -> Vec<SeedListing> {
    (from..to)
        .map(|i| {
            let DemoItem { mut listing, shots } = item(i, seeded_at);
            for v in 0..shots.len() {
                listing.photos.push((
                    photo_id(i, v).to_string(),
                    format!("{i}:{v}"),
                    u32::from(FULL_W),
                    u32::from(FULL_H),
                ));
            }
            listing
        })
        .collect()
}

/// The sizes demo account `n` wears.
fn demo_sizes(n: usize) -> Vec<String> {
    let sizes: [&str; 3] = match n % 3 {
        0 => ["M", "W30", "EU 39"],
        1 => ["S", "W28", "EU 38"],
        _ => ["L", "W32", "EU 42"],
    };
    sizes.map(str::to_owned).to_vec()
}

/// Seeds the demo catalogue unless this data dir already has it: the demo
/// accounts and the first `listings` listings (at least [`DEMO_LISTINGS`]).
/// Asked for more than a data dir has (`--demo-listings N` on a dir seeded
/// with fewer), it adds the rest and their sellers; never anything twice.
/// `password_hash` is the hash of [`DEMO_PASSWORD`] (hashed once by the
/// caller: argon2 is slow on purpose). Photos are drawn later (see [`warm_up`]).
pub fn seed(
    store: &Storage,
    now: i64,
    listings: usize,
    password_hash: impl FnOnce() -> String,
) -> Result<bool, StorageError> {
    let listings = listings.max(DEMO_LISTINGS);
    let seeded_at = store
        .meta(SEEDED_KEY)?
        .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
        .map(i64::from_be_bytes);
    let had = match seeded_at {
        None => 0,
        Some(_) => store
            .meta(SEEDED_COUNT_KEY)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
            .map_or(DEMO_LISTINGS, |v| u64::from_be_bytes(v) as usize),
    };
    if had >= listings {
        return Ok(false);
    }
    let seeded_at = seeded_at.unwrap_or(now);
    let items = seed_items(had, listings, seeded_at);
    let hash = password_hash();
    let named = DEMO_SELLERS.len() + DEMO_BUYERS.len();
    let accounts = if had == 0 { 0..named } else { 0..0 };
    let extra_sellers = (had.max(64)..listings)
        .map(seller_index)
        .filter(|&n| n >= named);
    let mut sellers: Vec<usize> = accounts.chain(extra_sellers).collect();
    sellers.dedup();
    store.write(|tx| {
        // A handle someone took for themselves keeps its owner: that seller's
        // demo listings are left out.
        let mut missing = std::collections::HashSet::new();
        for n in sellers {
            let user = NewUser {
                id: demo_user_id(n),
                handle: handle_of(n),
                password_hash: hash.clone(),
                sizes: demo_sizes(n),
            };
            if !tx.insert_user(&user, seeded_at)? {
                missing.insert(user.id);
            }
        }
        for listing in items.iter().filter(|l| !missing.contains(&l.seller_id)) {
            tx.insert_seed_listing(listing)?;
        }
        if had == 0 {
            tx.set_meta(SEEDED_KEY, &seeded_at.to_be_bytes())?;
        }
        tx.set_meta(SEEDED_COUNT_KEY, &(listings as u64).to_be_bytes())
    })?;
    tracing::info!(listings = items.len(), "seeded the demo catalogue");
    Ok(true)
}
