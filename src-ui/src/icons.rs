//! Icons as SVG path data (24×24 grid, stroked), one place for all of them.

pub const SHOP: &str = "M3 10.5 12 3l9 7.5M5 9v11h5v-6h4v6h5V9";
pub const CAMERA: &str = "M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z";
pub const DRAFT: &str = "M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h5";
pub const HEART: &str =
    "M12 20s-7-4.4-8.6-9A4.8 4.8 0 0 1 12 6.5 4.8 4.8 0 0 1 20.6 11C19 15.6 12 20 12 20z";
pub const PERSON: &str = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c1.2-4 4.2-6 8-6s6.8 2 8 6";
pub const OFFLINE: &str =
    "M2 8.5a15 15 0 0 1 20 0M5.5 12a10 10 0 0 1 13 0M9 15.5a5 5 0 0 1 6 0M12 19h.01M3 3l18 18";
pub const WARNING: &str = "M12 3 2 20h20zM12 10v4M12 17h.01";
pub const RETRY: &str = "M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7";
pub const BACK: &str = "M15 5l-7 7 7 7";
pub const CHECK: &str = "M5 12.5l4.5 4.5L19 7.5";
pub const CIRCLE: &str = "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z";
pub const TRASH: &str = "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13";
pub const COPY: &str = "M8 8h11v12H8zM5 16V4h11";
pub const UPLOAD: &str = "M12 16V4M7 9l5-5 5 5M4 20h16";
pub const IMAGE: &str = "M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 9.5h.01";
pub const LEFT: &str = "M14 6l-6 6 6 6";
pub const RIGHT: &str = "M10 6l6 6-6 6";
pub const STAR: &str = "M12 4l2.4 5 5.4.6-4 3.7 1.1 5.3L12 16l-4.9 2.6 1.1-5.3-4-3.7 5.4-.6z";
pub const CLOSE: &str = "M6 6l12 12M18 6 6 18";
/// A quarter turn clockwise.
pub const ROTATE: &str = "M21 12a9 9 0 1 1-9-9c2.52 0 4.93 1 6.74 2.74L21 8M21 3v5h-5";

// Account and conflicts.
pub const KEY: &str =
    "M14.5 9.5a4.5 4.5 0 1 0-4 4.47V21h3v-2h2v-2h-2v-3.03a4.5 4.5 0 0 0 1-.47M10 7.5h.01";
pub const SIGN_IN: &str = "M14 4h5v16h-5M4 12h11M11 8l4 4-4 4";
pub const SIGN_OUT: &str = "M10 4H5v16h5M9 12h11M16 8l4 4-4 4";
pub const PERSON_ADD: &str =
    "M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM3 21c1.1-4 3.9-6 7-6 1.4 0 2.6.3 3.7 1M19 14v6M16 17h6";
pub const CLOCK: &str = "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2";
pub const PHONE: &str = "M8 3h8v18H8zM11 18h2";
/// A grip: the handle that drags a photo tile.
pub const GRIP: &str = "M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01";

// Themes.
pub const SUN: &str = "M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4";
pub const MOON: &str = "M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z";
/// Half light, half dark: follow the system.
pub const CONTRAST: &str =
    "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 3v18M12 7h4M12 11h6M12 15h6M12 19h3";

// The buyer's screens.
pub const FOLLOW: &str = PERSON_ADD;
pub const FOLLOWING: &str =
    "M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM3 21c1.1-4 3.9-6 7-6 1.4 0 2.6.3 3.7 1M15 18l2 2 4-4";
pub const TAG: &str = "M3 12V3h9l9 9-9 9zM7.5 7.5h.01";

// The editor's choices: one icon per category, condition and parcel size.
pub const TOP: &str = "M8 4 3 7l2 4 3-1v10h8V10l3 1 2-4-5-3c-1 1.4-2.3 2-4 2S9 5.4 8 4z";
pub const DRESS: &str = "M9 3h6l-1 5 5 13H5l5-13z";
pub const TROUSERS: &str = "M7 3h10l1 18h-4l-2-11-2 11H6z";
pub const SKIRT: &str = "M8 4h8l4 16H4z";
pub const COAT: &str = "M9 3l3 4 3-4 5 3v15h-5v-8H9v8H4V6zM12 7v14";
pub const SHOE: &str = "M3 17v-7l5 1 3 3 8 1c1.4.3 2 1.2 2 2.5V19H3z";
pub const BAG: &str = "M5 8h14l-1 13H6zM9 8V6a3 3 0 0 1 6 0v2";
pub const GLASSES: &str = "M2 10h20M4 10l1 5h5l1-5M13 10l1 5h5l1-5";
pub const WORN: &str = "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 4v16";
pub const BOX_SMALL: &str = "M8 11h8v8H8zM8 14h8";
pub const BOX_MEDIUM: &str = "M6 8h12v11H6zM6 11.5h12";
pub const BOX_LARGE: &str = "M3 5h18v15H3zM3 9.5h18M10 5v4.5h4V5";

pub fn category(c: rehome_model::Category) -> &'static str {
    use rehome_model::Category;
    match c {
        Category::Tops => TOP,
        Category::Dresses => DRESS,
        Category::Trousers => TROUSERS,
        Category::Skirts => SKIRT,
        Category::Outerwear => COAT,
        Category::Shoes => SHOE,
        Category::Bags => BAG,
        Category::Accessories => GLASSES,
    }
}

pub fn condition(c: rehome_model::Condition) -> &'static str {
    use rehome_model::Condition;
    match c {
        Condition::NewWithTags => TAG,
        Condition::LikeNew => STAR,
        Condition::Good => CHECK,
        Condition::Fair => WORN,
    }
}

/// A parcel size's icon, by its wire name (`small`, `medium`, `large`).
pub fn parcel(size: &str) -> &'static str {
    match size {
        "small" => BOX_SMALL,
        "medium" => BOX_MEDIUM,
        _ => BOX_LARGE,
    }
}

// Search.
pub const SEARCH: &str = "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4";
pub const PRICE_UP: &str = "M7 20V5M3 9l4-4 4 4M14 8h7M14 13h5M14 18h3";
pub const PRICE_DOWN: &str = "M7 4v15M3 15l4 4 4-4M14 6h3M14 11h5M14 16h7";
pub const FILTER: &str = "M4 6h16M7 12h10M10 18h4";
