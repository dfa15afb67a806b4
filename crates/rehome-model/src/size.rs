//! Sizes that match across labelling systems.
//!
//! A seller types what the label says ("EU 38", "UK 10", "W32 L34", "42,5",
//! "Free Size"); a buyer says "M" once. [`SizeKeys::of`] reads a label, for a
//! category, into the keys it stands for in every system it could be written
//! in, and [`fits`] asks whether any of a buyer's sizes meets any of them.
//!
//! The tables are the common women's and men's charts; where a bare number
//! could be more than one system ("10" on a top is UK 10 or US 10), the label
//! stands for all of them, so a buyer sees more rather than less. A label that
//! reads as nothing known still matches itself, case and spaces aside, as
//! sizes did before.
//!
//! The server stores [`SizeKeys::listing_tokens`] beside the listing and
//! matches a buyer's [`SizeKeys::query_tokens`] against it, so SQL needs
//! nothing but a token search; shoe sizes are widened on the listing side by
//! half a size each way, the tolerance charts disagree by.

use crate::listing::Category;
use std::collections::BTreeSet;

/// Letter sizes, smallest first: the band every garment system maps to.
const BANDS: [&str; 9] = ["xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "xxxxl"];

/// One thing a size label can stand for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SizeKey {
    /// A letter band, an index into XXS..4XL.
    Band(u8),
    /// A trouser waist in inches.
    Waist(u8),
    /// The letter band a waist falls in: a listing labelled by waist is found
    /// by a buyer who wears letters, but a buyer who gave a waist is matched
    /// on the waist alone.
    WaistBand(u8),
    /// A shoe size in EU half sizes (EU 42.5 is 85).
    ShoeEuHalf(u16),
    /// Fits everyone: "one size", "free size", "OS".
    OneSize,
    /// A label read as nothing known, lower-cased with spaces removed.
    Other(String),
}

/// Everything one label stands for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SizeKeys(pub BTreeSet<SizeKey>);

/// Whether a category is sized at all (bags and accessories are not: the
/// buyer's sizes never hide them).
pub fn is_sized(category: Category) -> bool {
    !matches!(category, Category::Bags | Category::Accessories)
}

/// Whether a listing with `label` in `category` fits a buyer who wears any of
/// `buyer_sizes`. No sizes given, an unsized category or a one-size label
/// always fit.
pub fn fits(category: Category, buyer_sizes: &[&str], label: &str) -> bool {
    if buyer_sizes.is_empty() || !is_sized(category) {
        return true;
    }
    let listing = SizeKeys::of(category, label);
    if listing.0.contains(&SizeKey::OneSize) {
        return true;
    }
    let tokens = listing.listing_tokens();
    buyer_sizes.iter().any(|b| {
        SizeKeys::of(category, b)
            .query_tokens()
            .iter()
            .any(|t| tokens.contains(t))
    })
}

impl SizeKeys {
    /// Reads `label` as written on an item of `category`.
    pub fn of(category: Category, label: &str) -> SizeKeys {
        let text = label.trim().to_lowercase();
        let mut keys = BTreeSet::new();
        if is_one_size(&text) {
            keys.insert(SizeKey::OneSize);
            return SizeKeys(keys);
        }
        match category {
            Category::Shoes => shoe_keys(&text, &mut keys),
            Category::Trousers => {
                trouser_keys(&text, &mut keys);
                if keys.is_empty() {
                    garment_keys(&text, &mut keys);
                }
            }
            _ => garment_keys(&text, &mut keys),
        }
        if keys.is_empty() {
            let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if !squeezed.is_empty() {
                keys.insert(SizeKey::Other(squeezed));
            }
        }
        SizeKeys(keys)
    }

    /// The tokens a listing is stored under: one per key, shoe sizes widened
    /// by half a size each way.
    pub fn listing_tokens(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for key in &self.0 {
            match key {
                SizeKey::ShoeEuHalf(h) => {
                    for n in [h.saturating_sub(1), *h, h + 1] {
                        out.insert(format!("e{n}"));
                    }
                }
                SizeKey::WaistBand(b) => {
                    out.insert(token(&SizeKey::Band(*b)));
                }
                other => {
                    out.insert(token(other));
                }
            }
        }
        out
    }

    /// The tokens a buyer's size is looked up by.
    pub fn query_tokens(&self) -> BTreeSet<String> {
        self.0
            .iter()
            .filter(|k| !matches!(k, SizeKey::WaistBand(_)))
            .map(token)
            .collect()
    }
}

/// What the server stores beside a listing: its [`SizeKeys::listing_tokens`]
/// as a [`token_column`]. A listing with no category yet is read as a top,
/// the widest garment table.
pub fn listing_column(category: Option<Category>, label: &str) -> String {
    let keys = SizeKeys::of(category.unwrap_or(Category::Tops), label);
    token_column(&keys.listing_tokens())
}

/// The space-separated form stored in a text column: `" m w32 e85 "`, with a
/// space at each end so `instr(col, ' m ')` finds whole tokens.
pub fn token_column(tokens: &BTreeSet<String>) -> String {
    let mut s = String::from(" ");
    for t in tokens {
        s.push_str(t);
        s.push(' ');
    }
    s
}

fn token(key: &SizeKey) -> String {
    match key {
        SizeKey::Band(b) | SizeKey::WaistBand(b) => BANDS[usize::from(*b)].to_owned(),
        SizeKey::Waist(w) => format!("w{w}"),
        SizeKey::ShoeEuHalf(h) => format!("e{h}"),
        SizeKey::OneSize => "one".to_owned(),
        SizeKey::Other(s) => format!("x:{s}"),
    }
}

fn is_one_size(text: &str) -> bool {
    let squeezed: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>();
    matches!(
        squeezed.as_str(),
        "onesize" | "os" | "freesize" | "free" | "onesizefitsall" | "osfa" | "allsize" | "allsizes"
    )
}

/// The letter band of one word: `m`, `medium`, `2xl`, `x-large`, `xxl`.
fn band_of(word: &str) -> Option<u8> {
    let w: String = word.chars().filter(|c| *c != '-' && *c != '.').collect();
    let named = match w.as_str() {
        "small" => Some("s"),
        "medium" | "med" => Some("m"),
        "large" => Some("l"),
        "xsmall" | "extrasmall" => Some("xs"),
        "xlarge" | "extralarge" => Some("xl"),
        "xxlarge" => Some("xxl"),
        "xxsmall" => Some("xxs"),
        _ => None,
    };
    let w = named.map(str::to_owned).unwrap_or(w);
    // "2xl" .. "4xl", "2xs"
    let expanded = match w.as_bytes() {
        [d @ b'2'..=b'4', b'x', rest @ ..] if rest == b"l" || rest == b"s" => {
            let n = usize::from(d - b'0');
            format!("{}{}", "x".repeat(n), rest[0] as char)
        }
        _ => w,
    };
    BANDS
        .iter()
        .position(|b| *b == expanded)
        .and_then(|i| u8::try_from(i).ok())
}

/// A number in a label: `38`, `42.5`, `42,5`, `42½`.
fn number_of(word: &str) -> Option<f32> {
    let (w, half) = match word.strip_suffix('½') {
        Some(rest) => (rest, 0.5),
        None => (word, 0.0),
    };
    let w = w.replace(',', ".");
    if w.is_empty() || !w.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    w.parse::<f32>().ok().map(|n| n + half)
}

/// The label split into its words: letters and digits kept together, a
/// system name split from its number (`eu38` → `eu`, `38`).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split(|c: char| c.is_whitespace() || "/()[]|:;".contains(c)) {
        if part.is_empty() {
            continue;
        }
        let split = ["eu", "uk", "us", "it", "fr", "w", "l", "in"]
            .iter()
            .find_map(|p| {
                part.strip_prefix(p)
                    .filter(|rest| number_of(rest).is_some())
                    .map(|rest| (p.to_string(), rest.to_owned()))
            })
            .or_else(|| {
                ["w", "l"].iter().find_map(|p| {
                    part.strip_suffix(p)
                        .filter(|rest| number_of(rest).is_some())
                        .map(|rest| (p.to_string(), rest.to_owned()))
                })
            });
        match split {
            Some((system, number)) => {
                out.push(system);
                out.push(number);
            }
            None => {
                // "s-m", "m-l": two bands; "x-large" stays one word.
                let halves: Vec<&str> = part.split('-').collect();
                if halves.len() == 2 && halves.iter().all(|h| band_of(h).is_some()) {
                    out.extend(halves.into_iter().map(str::to_owned));
                } else {
                    out.push(part.to_owned());
                }
            }
        }
    }
    out
}

/// Tops, dresses, skirts, outerwear (and trousers labelled like them).
fn garment_keys(text: &str, keys: &mut BTreeSet<SizeKey>) {
    let words = words(text);
    let mut system: Option<&str> = None;
    for (i, word) in words.iter().enumerate() {
        if let Some(b) = band_of(word) {
            keys.insert(SizeKey::Band(b));
            continue;
        }
        if let Some(n) = number_of(word) {
            // "40 in": a chest measure, whatever came before.
            let inches = words
                .get(i + 1)
                .is_some_and(|next| matches!(next.as_str(), "in" | "inch" | "inches"));
            let system = if inches { Some("chest") } else { system };
            for band in garment_bands(system, n) {
                keys.insert(SizeKey::Band(band));
            }
            continue;
        }
        system = match word.as_str() {
            "eu" | "fr" => Some("eu"),
            "it" => Some("it"),
            "uk" => Some("uk"),
            "us" => Some("us"),
            _ => None,
        };
    }
}

/// The bands a garment number stands for in `system`, or in every system it
/// could be when none is written.
fn garment_bands(system: Option<&str>, n: f32) -> Vec<u8> {
    if n.fract() != 0.0 {
        return Vec::new();
    }
    let n = n as i32;
    // Women's: EU 32 = XXS .. EU 46 = XXXL in steps of 2; UK = EU - 28;
    // US = EU - 32; IT = EU + 4. Men's: EU 44 = XS .. EU 56 = XXXL; chest
    // inches 34 = XS, 36 = S, 38-40 = M, 42 = L, 44 = XL, 46 = XXL, 48 = XXXL.
    let women_eu =
        |eu: i32| (eu % 2 == 0 && (32..=48).contains(&eu)).then(|| ((eu - 32) / 2) as u8);
    let men_eu =
        |eu: i32| (eu % 2 == 0 && (44..=58).contains(&eu)).then(|| ((eu - 44) / 2 + 1) as u8);
    let chest = |inch: i32| match inch {
        34 => Some(1),
        36 => Some(2),
        38 | 40 => Some(3),
        42 => Some(4),
        44 => Some(5),
        46 => Some(6),
        48 => Some(7),
        _ => None,
    };
    let candidates: Vec<Option<u8>> = match system {
        Some("eu") => vec![women_eu(n), men_eu(n)],
        Some("it") => vec![women_eu(n - 4), men_eu(n)],
        Some("uk") => vec![women_eu(n + 28), chest(n)],
        Some("us") => vec![women_eu(n + 32), chest(n)],
        Some("chest") => vec![chest(n)],
        _ => vec![
            women_eu(n),
            men_eu(n),
            women_eu(n + 28),
            women_eu(n + 32),
            chest(n),
        ],
    };
    candidates
        .into_iter()
        .flatten()
        .filter(|b| usize::from(*b) < BANDS.len())
        .collect()
}

/// Trousers by waist (and leg): `W32 L34`, `32/34`, `32x34`, `32W`.
fn trouser_keys(text: &str, keys: &mut BTreeSet<SizeKey>) {
    let cleaned = text.replace(['x', '×'], " ");
    let words = words(&cleaned);
    let explicit_waist = words.iter().position(|w| w == "w");
    let waist = match explicit_waist {
        Some(i) => words.get(i + 1).and_then(|w| number_of(w)),
        None => {
            // A bare pair "32/34" or a lone inch number "32" reads as a waist.
            let numbers: Vec<f32> = words.iter().filter_map(|w| number_of(w)).collect();
            let has_system = words
                .iter()
                .any(|w| matches!(w.as_str(), "eu" | "uk" | "us" | "it" | "fr"));
            match numbers.as_slice() {
                [w, l] if !has_system && (26.0..=40.0).contains(l) => Some(*w),
                [w] if !has_system => Some(*w),
                _ => None,
            }
        }
    };
    let Some(w) = waist.filter(|w| w.fract() == 0.0 && (22.0..=50.0).contains(w)) else {
        return;
    };
    let w = w as u8;
    keys.insert(SizeKey::Waist(w));
    // Unisex waist to band: 26-27 XS, 28-29 S, 30-31 M, 32-33 L, 34-35 XL,
    // 36-37 XXL, 38-40 XXXL.
    let band = match w {
        24..=25 => Some(0),
        26..=27 => Some(1),
        28..=29 => Some(2),
        30..=31 => Some(3),
        32..=33 => Some(4),
        34..=35 => Some(5),
        36..=37 => Some(6),
        38..=40 => Some(7),
        _ => None,
    };
    keys.extend(band.map(SizeKey::WaistBand));
    // A lone number is also a garment size ("38" trousers are EU 38 too); a
    // waist and leg pair is not.
    if explicit_waist.is_none() && words.iter().filter(|w| number_of(w).is_some()).count() == 1 {
        garment_keys(text, keys);
    }
}

/// Shoes: EU (35-50, halves), UK, US women's and men's.
fn shoe_keys(text: &str, keys: &mut BTreeSet<SizeKey>) {
    let words = words(text);
    let mut system: Option<&str> = None;
    let mut women = false;
    let mut men = false;
    for word in &words {
        match word.as_str() {
            "eu" | "fr" | "it" => system = Some("eu"),
            "uk" => system = Some("uk"),
            "us" => system = Some("us"),
            "w" | "women" | "womens" | "women's" | "ladies" => women = true,
            "m" | "men" | "mens" | "men's" => men = true,
            _ => {}
        }
    }
    let Some(n) = words.iter().find_map(|w| number_of(w)) else {
        return;
    };
    let halves = |eu: f32| -> Option<SizeKey> {
        let h = (eu * 2.0).round();
        (70.0..=100.0)
            .contains(&h)
            .then_some(SizeKey::ShoeEuHalf(h as u16))
    };
    let mut eus: Vec<f32> = Vec::new();
    match system {
        Some("eu") => eus.push(n),
        Some("uk") => eus.push(n + 33.5),
        Some("us") => {
            if women || !men {
                eus.push(n + 31.5);
            }
            if men || !women {
                eus.push(n + 32.5);
            }
        }
        _ if n >= 30.0 => eus.push(n),
        _ => {
            eus.push(n + 33.5);
            eus.push(n + 31.5);
            eus.push(n + 32.5);
        }
    }
    keys.extend(eus.into_iter().filter_map(halves));
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;

    fn check(category: Category, label: &str, expected: &str) {
        let keys = SizeKeys::of(category, label);
        let got = token_column(&keys.query_tokens());
        assert_eq!(got.trim(), expected, "{category} {label:?}");
    }

    #[test]
    fn labels_read_as_the_sizes_they_stand_for() {
        let cases: &[(Category, &str, &str)] = &[
            (Tops, "M", "m"),
            (Tops, " medium ", "m"),
            (Tops, "XL", "xl"),
            (Tops, "2XL", "xxl"),
            (Tops, "x-large", "xl"),
            (Tops, "S-M", "m s"),
            (Tops, "M/L", "l m"),
            (Tops, "EU 38", "m"),
            (Tops, "eu38", "m"),
            (Tops, "UK 10", "m"),
            (Tops, "US 6", "m"),
            (Tops, "IT 42", "m"),
            (Dresses, "M (38)", "m"),
            (Tops, "40 in", "m"),
            (Tops, "10", "m xl"),
            (Outerwear, "48", "m xxxl xxxxl"),
            (Tops, "one size", "one"),
            (Tops, "Free Size", "one"),
            (Bags, "OS", "one"),
            (Tops, "petite 3", "x:petite3"),
            (Trousers, "W32 L34", "w32"),
            (Trousers, "32/34", "w32"),
            (Trousers, "32x32", "w32"),
            (Trousers, "32W 30L", "w32"),
            (Trousers, "30", "w30"),
            (Trousers, "38", "m w38"),
            (Trousers, "EU 38", "m"),
            (Trousers, "M", "m"),
            (Shoes, "EU 42", "e84"),
            (Shoes, "42,5", "e85"),
            (Shoes, "42½", "e85"),
            (Shoes, "UK 8", "e83"),
            (Shoes, "US W 8", "e79"),
            (Shoes, "US men 9", "e83"),
            (Shoes, "US 8", "e79 e81"),
            (Shoes, "8", "e79 e81 e83"),
            (Shoes, "size?", "x:size?"),
            (Tops, "", ""),
        ];
        for (category, label, expected) in cases {
            check(*category, label, expected);
        }
    }

    #[test]
    fn a_buyer_size_fits_labels_from_other_systems() {
        let cases: &[(Category, &[&str], &str, bool)] = &[
            (Tops, &["M"], "EU 38", true),
            (Tops, &["M"], "UK 10", true),
            (Tops, &["M"], "US 6", true),
            (Tops, &["M"], "medium", true),
            (Tops, &["M"], "L", false),
            (Tops, &["M"], "UK 14", false),
            (Tops, &["S", "M"], "UK 8", true),
            (Tops, &[], "anything", true),
            (Tops, &["M"], "one size", true),
            (Bags, &["M"], "30 cm", true),
            (Accessories, &["M"], "85", true),
            (Trousers, &["W32"], "32/34", true),
            (Trousers, &["W32"], "W33 L32", false),
            (Trousers, &["L"], "W32 L32", true),
            (Trousers, &["M"], "30", true),
            (Trousers, &["M"], "W32", false),
            (Trousers, &["M"], "EU 38", true),
            (Shoes, &["42"], "EU 42", true),
            (Shoes, &["42"], "42.5", true),
            (Shoes, &["42"], "UK 8", true),
            (Shoes, &["42"], "EU 44", false),
            (Shoes, &["EU 39"], "US W 8", true),
            (Tops, &["petite 3"], "Petite 3", true),
            (Tops, &["petite 3"], "petite 4", false),
        ];
        for (category, buyer, label, expected) in cases {
            assert_eq!(
                fits(*category, buyer, label),
                *expected,
                "{category}: buyer {buyer:?}, label {label:?}"
            );
        }
    }

    #[test]
    fn the_token_column_finds_whole_tokens_only() {
        let keys = SizeKeys::of(Shoes, "EU 42");
        let column = token_column(&keys.listing_tokens());
        assert_eq!(column, " e83 e84 e85 ");
        assert!(column.contains(" e84 "));
        assert!(!column.contains(" e8 "));
    }
}
