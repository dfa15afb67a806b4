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

fn catalogue(seeded_at: i64) -> Vec<DemoItem> {
    let mut out = Vec::with_capacity(DEMO_LISTINGS);
    for i in 0..DEMO_LISTINGS {
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
        let seller_index = i % DEMO_SELLERS.len();
        let background = *pick(&mut rng, &BACKGROUNDS);
        let photo_count = 1 + rng.below(3) as usize;
        let mut random = [0u8; 10];
        random[0] = 0xDE;
        random[1] = i as u8;
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
        out.push(DemoItem {
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
        });
    }
    out
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
    catalogue(0).into_iter().nth(i)?.shots.get(v).copied()
}

/// Draws one demo shot (full size and thumbnail), stores both files and
/// returns the blob to record. Deterministic: the same spec gives the same bytes.
pub fn draw(blobs: &BlobStore, spec: &str) -> Result<BlobInfo, StorageError> {
    let shot =
        shot_for(spec).ok_or_else(|| StorageError::Corrupt(format!("bad demo spec {spec}")))?;
    let full =
        render_jpeg(&shot, FULL_W, FULL_H, 82).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let thumb = render_jpeg(&shot, THUMB_W, THUMB_H, 80)
        .map_err(|e| StorageError::Corrupt(e.to_string()))?;
    Ok(BlobInfo {
        sha256: blobs.put(&full)?,
        thumb_sha256: blobs.put(&thumb)?,
        width: u32::from(FULL_W),
        height: u32::from(FULL_H),
        bytes: full.len() as u64,
    })
}

/// Draws a pending demo shot and records it (idempotent).
pub fn draw_and_record(
    store: &Storage,
    blobs: &BlobStore,
    photo_id: &str,
    spec: &str,
    now: i64,
) -> Result<BlobInfo, StorageError> {
    let blob = draw(blobs, spec)?;
    store.write(|tx| tx.set_photo_blob(photo_id, &blob, now))?;
    Ok(blob)
}

/// Draws every demo shot not drawn yet (run on a background thread after start-up;
/// a request for a shot not drawn yet draws it on the spot).
pub fn warm_up(
    store: &Storage,
    blobs: &BlobStore,
    now: impl Fn() -> i64,
) -> Result<usize, StorageError> {
    let pending = store.pending_demo_shots()?;
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

/// Seeds the demo catalogue unless this data dir already has it. `password_hash`
/// is the hash of [`DEMO_PASSWORD`] (hashed once by the caller: argon2 is slow on purpose).
/// Photos are drawn later (see [`warm_up`]).
pub fn seed(
    store: &Storage,
    now: i64,
    password_hash: impl FnOnce() -> String,
) -> Result<bool, StorageError> {
    if store.meta(SEEDED_KEY)?.is_some() {
        return Ok(false);
    }
    let mut items = catalogue(now);
    for (i, item) in items.iter_mut().enumerate() {
        for v in 0..item.shots.len() {
            item.listing.photos.push((
                photo_id(i, v).to_string(),
                format!("{i}:{v}"),
                u32::from(FULL_W),
                u32::from(FULL_H),
            ));
        }
    }
    let hash = password_hash();
    store.write(|tx| {
        if tx.has_meta(SEEDED_KEY)? {
            return Ok(());
        }
        for (n, handle) in DEMO_SELLERS.iter().chain(DEMO_BUYERS.iter()).enumerate() {
            let sizes = match n % 3 {
                0 => vec!["M".to_owned(), "W30".to_owned(), "EU 39".to_owned()],
                1 => vec!["S".to_owned(), "W28".to_owned(), "EU 38".to_owned()],
                _ => vec!["L".to_owned(), "W32".to_owned(), "EU 42".to_owned()],
            };
            tx.insert_user(
                &NewUser {
                    id: demo_user_id(n),
                    handle: (*handle).to_owned(),
                    password_hash: hash.clone(),
                    sizes,
                },
                now,
            )?;
        }
        for item in &items {
            tx.insert_seed_listing(&item.listing)?;
        }
        tx.set_meta(SEEDED_KEY, &now.to_be_bytes())
    })?;
    tracing::info!(listings = items.len(), "seeded the demo catalogue");
    Ok(true)
}
