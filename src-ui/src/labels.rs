//! Every word the UI shows, in one place, ready for translation. Keep them short:
//! many of our users are new to online shopping, and icons carry most meaning.

pub const TAB_FEED: &str = "Shop";
pub const TAB_SELL: &str = "Sell";
pub const TAB_DRAFTS: &str = "Drafts";
pub const TAB_LIKES: &str = "Likes";
pub const TAB_ME: &str = "Me";

pub const FEED_EMPTY: &str = "Nothing here yet";
pub const FEED_END: &str = "You've seen it all";
pub const FEED_LOADING: &str = "Loading…";
pub const RETRY: &str = "Try again";
pub const REFRESH: &str = "Refresh";
pub const OFFLINE: &str = "You're offline";
pub const SERVER_TROUBLE: &str = "The shop is having trouble";
pub const SIZE: &str = "Size";
pub const LIKES: &str = "likes";

pub const VERSION: &str = "Version";
pub const SERVER: &str = "Shop server";

// The seller's side: Sell and Drafts.
pub const NEW_LISTING: &str = "New listing";
pub const NEW_LISTING_HINT: &str =
    "Works offline. Every change is saved on this device as you type.";
pub const OPEN_DRAFTS: &str = "Your drafts";
pub const NO_DRAFTS: &str = "No drafts yet";
pub const UNTITLED: &str = "Untitled";
pub const BACK: &str = "Back";
pub const SAVED: &str = "Saved";
pub const SAVING: &str = "Saving…";
pub const NOT_SAVED: &str = "Not saved";
pub const KEPT_IN_MEMORY: &str = "Your change is kept in memory on this screen. Free some space or check the folder, then retry.";
pub const PUBLISH: &str = "Publish";
pub const DUPLICATE: &str = "Duplicate";
pub const DELETE: &str = "Delete";
pub const DELETE_ASK: &str = "Delete this draft?";
pub const KEEP: &str = "Keep";
pub const DELETED: &str = "Draft deleted";
pub const UNDO: &str = "Undo";
pub const CHECKLIST: &str = "Before you publish";
pub const READY: &str = "Ready";
pub const TO_DO: &str = "to do";
pub const PHOTOS: &str = "Photos";
pub const ADD_PHOTOS: &str = "Add photos";
pub const TAKE_PHOTO: &str = "Camera";
pub const COVER: &str = "Cover";
pub const MAKE_COVER: &str = "Make cover";
pub const MOVE_EARLIER: &str = "Move earlier";
pub const MOVE_LATER: &str = "Move later";
pub const REMOVE_PHOTO: &str = "Remove photo";
pub const ROTATE_PHOTO: &str = "Rotate right";
pub const PHOTO_MISSING: &str = "File missing";
pub const PARCEL_WEIGHT: &str = "or weight, e.g. 800g";

pub const STAGE_DRAFT: &str = "Draft";
pub const STAGE_QUEUED: &str = "Queued";
pub const STAGE_QUEUED_HINT: &str = "Queued: it goes live when the phone syncs";
pub const STAGE_LIVE: &str = "Live";
pub const STAGE_DELISTED: &str = "Delisted";
pub const STAGE_SOLD: &str = "Sold";
pub const STAGE_ATTENTION: &str = "Needs attention";

use rehome_model::draft::{DraftField, Requirement};
use rehome_model::{Category, Condition};

pub fn field(field: DraftField) -> &'static str {
    match field {
        DraftField::Title => "Title",
        DraftField::Description => "Description",
        DraftField::Category => "Category",
        DraftField::Brand => "Brand",
        DraftField::Size => "Size",
        DraftField::Condition => "Condition",
        DraftField::Colour => "Colour",
        DraftField::Price => "Price",
        DraftField::OriginalPrice => "Original price",
        DraftField::Parcel => "Parcel",
        DraftField::Sku => "SKU",
    }
}

pub fn requirement(r: Requirement) -> &'static str {
    match r {
        Requirement::Title => "A title",
        Requirement::Price => "A price",
        Requirement::Category => "A category",
        Requirement::Size => "A size",
        Requirement::Condition => "The condition",
        Requirement::Parcel => "A parcel size",
        Requirement::Photo => "At least one photo",
        Requirement::PhotoFiles => "Every photo on this device",
        Requirement::OtherFields => "Other fields valid",
    }
}

pub fn category(c: Category) -> &'static str {
    match c {
        Category::Tops => "Tops",
        Category::Dresses => "Dresses",
        Category::Trousers => "Trousers",
        Category::Skirts => "Skirts",
        Category::Outerwear => "Coats & jackets",
        Category::Shoes => "Shoes",
        Category::Bags => "Bags",
        Category::Accessories => "Accessories",
    }
}

pub fn condition(c: Condition) -> &'static str {
    match c {
        Condition::NewWithTags => "New with tags",
        Condition::LikeNew => "Like new",
        Condition::Good => "Good",
        Condition::Fair => "Fair",
    }
}

pub const PARCELS: &[(&str, &str)] = &[
    ("small", "Small (fits a letterbox)"),
    ("medium", "Medium (a shoebox)"),
    ("large", "Large (a moving box)"),
];

/// A field's label from its wire name (for links to a field).
pub fn field_name(wire: &str) -> &'static str {
    DraftField::parse(wire).map(field).unwrap_or("")
}

pub const SHUTTER: &str = "Take photo";
pub const SWITCH_CAMERA: &str = "Switch camera";
pub const CLOSE: &str = "Close";
pub const CAMERA_SHOT: &str = "Camera photo";
pub const CAMERA_REFUSED: &str =
    "Camera access is off. You can allow it in settings, or add photos another way.";
pub const CAMERA_UNAVAILABLE: &str = "The live camera is not available here";
pub const CAMERA_FALLBACK: &str = "Use the phone's camera or gallery";
pub const DROP_HERE: &str = "Drop photos here";
pub const KEEP_ORIGINALS: &str = "Keep originals";

// The Me tab: account.
pub const SIGN_IN: &str = "Sign in";
pub const SIGN_UP: &str = "New account";
pub const CREATE_ACCOUNT: &str = "Create account";
pub const SIGN_OUT: &str = "Sign out";
pub const HANDLE: &str = "Username";
pub const PASSWORD: &str = "Password";
pub const WRONG_PASSWORD: &str = "Wrong username or password";
pub const AUTH_OFFLINE: &str = "You're offline: the shop can't be reached";
pub const NO_KEYCHAIN: &str =
    "This device has no keychain: you'll sign in each time you open the app";
pub const NOT_KEPT: &str = "Not saved on this device: you'll sign in again next time";
pub const SIGNED_OUT_AGAIN: &str = "Your sign-in has ended. Please sign in again";

// Conflicts: the same price, status or quantity changed on two devices.
pub const NEEDS_YOUR_CHOICE: &str = "Needs your choice";
pub const CHANGED_ON_TWO_DEVICES: &str = "changed in two places";
pub const ON_THIS_DEVICE: &str = "This device";
pub const IN_THE_SHOP: &str = "In the shop";
pub const KEEP_MINE: &str = "Keep mine";
pub const TAKE_THEIRS: &str = "Take theirs";
pub const OR_NEW_VALUE: &str = "Or a new price";
pub const SET: &str = "Set";

use rehome_model::sync::GuardedField;

pub fn guarded_field(field: GuardedField) -> &'static str {
    match field {
        GuardedField::Price => "Price",
        GuardedField::Status => "Status",
        GuardedField::Quantity => "Quantity",
    }
}

/// A stable name for tests and styling.
pub fn guarded_field_key(field: GuardedField) -> &'static str {
    match field {
        GuardedField::Price => "price",
        GuardedField::Status => "status",
        GuardedField::Quantity => "quantity",
    }
}

/// A conflicting value in plain words (a status name becomes its badge word).
pub fn guarded_value(field: GuardedField, value: &str) -> String {
    let status = match (field, value) {
        (GuardedField::Status, "draft") => STAGE_DRAFT,
        (GuardedField::Status, "live") => STAGE_LIVE,
        (GuardedField::Status, "delisted") => STAGE_DELISTED,
        (GuardedField::Status, "sold") => STAGE_SOLD,
        _ => return value.to_owned(),
    };
    status.to_owned()
}

// Sync: the global indicator and each listing's stage.
pub const SYNC_SIGN_IN: &str = "Sign in to sync";
pub const SYNC_SIGN_IN_AGAIN: &str = "Sign in again";
pub const SYNC_SIGN_IN_HINT: &str = "Your listings stay on this phone until you sign in";
pub const SYNC_OFFLINE: &str = "Offline";
pub const SYNC_SYNCING_HINT: &str = "changes on their way to the shop";
pub const SYNC_UP_TO_DATE: &str = "Up to date";
pub const STAGE_PUBLISHING: &str = "Publishing";
pub const STAGE_UPDATING: &str = "Sending changes";
pub const STAGE_CHANGES_QUEUED: &str = "Changes queued";
pub const STAGE_CHANGES_QUEUED_HINT: &str =
    "Live: your changes reach the shop when the phone syncs";
pub const UPLOAD_PROGRESS: &str = "Photo upload progress";

/// "Uploading 2 of 3 photos".
pub fn uploading_photos(current: u32, total: u32) -> String {
    if total == 1 {
        "Uploading photo".to_owned()
    } else {
        format!("Uploading {current} of {total} photos")
    }
}

// === Photos: count, cap and per-photo stages ===

/// "3 of 24 photos" (and how many are still on their way).
pub fn photo_count(saved: usize, waiting: usize, max: usize) -> String {
    match waiting {
        0 => format!("{saved} of {max} photos"),
        n => format!("{saved} of {max} photos · adding {n}"),
    }
}

/// A drop or pick that did not fit under the cap.
pub fn photos_left_out(n: usize, max: usize) -> String {
    let photos = if n == 1 { "photo" } else { "photos" };
    format!(" · {n} {photos} left out: a listing holds at most {max}")
}

/// A pending photo's stage, by its stable name.
pub fn photo_stage(name: &str) -> &'static str {
    match name {
        "reading" => "Reading…",
        "compressing" => "Compressing…",
        _ => "Waiting",
    }
}

// Theme (Me).
pub const THEME: &str = "Colours";
pub const THEME_SYSTEM: &str = "Auto";
pub const THEME_LIGHT: &str = "Light";
pub const THEME_DARK: &str = "Dark";

// === The buyer's screens: listing page, seller card, likes, closet ===
pub const LISTING_LOADING: &str = "Loading…";
pub const LISTING_SOLD: &str = "Sold";
pub const LISTING_GONE: &str = "No longer for sale";
pub const MAY_HAVE_SOLD: &str = "Seen a while ago, offline: it may have sold";
pub const OFFLINE_COPY: &str = "Offline: as you saw it last";
pub const LIKE: &str = "Like";
pub const UNLIKE: &str = "Liked";
pub const FOLLOW: &str = "Follow";
pub const FOLLOWING: &str = "Following";
pub const LISTINGS_COUNT: &str = "for sale";
pub const SOLD_COUNT: &str = "sold";
pub const FOLLOWERS_COUNT: &str = "followers";
pub const ZOOM: &str = "Zoom";
pub const BRAND: &str = "Brand";
pub const CONDITION: &str = "Condition";
pub const COLOUR: &str = "Colour";
pub const CATEGORY: &str = "Category";
pub const PARCEL: &str = "Parcel";
pub const LISTED: &str = "Listed";
pub const ORIGINAL_PRICE: &str = "Was";
pub const SIGN_IN_TO_LIKE: &str = "Sign in on the Me tab to like and follow";
pub const NOT_SAVED_TAP: &str = "That tap could not be saved";
pub const CLOSET_EMPTY: &str = "Nothing for sale right now";
pub const LIKES_EMPTY: &str = "Tap a heart to keep an item here";
pub const LIKES_SIGN_IN: &str = "Sign in on the Me tab to see your likes";
pub const PRICE_DROP: &str = "Price dropped";
pub const LOAD_MORE: &str = "More";

/// A parcel size in plain words.
pub fn parcel(p: rehome_model::sync::Parcel) -> String {
    use rehome_model::sync::Parcel;
    let key = match p {
        Parcel::Small => "small",
        Parcel::Medium => "medium",
        Parcel::Large => "large",
        Parcel::Weight(g) => return format!("{g} g"),
    };
    PARCELS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, v)| v)
        .to_owned()
}

/// "today", "3 days ago", "2 months ago": when a listing went up.
pub fn ago(then_ms: i64, now_ms: i64) -> String {
    let days = (now_ms - then_ms).max(0) / 86_400_000;
    match days {
        0 => "today".to_owned(),
        1 => "yesterday".to_owned(),
        2..=13 => format!("{days} days ago"),
        14..=59 => format!("{} weeks ago", days / 7),
        60..=729 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

// Search.
pub const SEARCH: &str = "Search";
pub const MY_SIZE: &str = "My size";
pub const MIN_PRICE: &str = "From";
pub const MAX_PRICE: &str = "To";
pub const NO_MATCHES: &str = "Nothing matches";
pub const RECENT_SEARCHES: &str = "Recent searches";
pub const CLEAR_RECENT: &str = "Clear recent searches";

pub fn sort(s: rehome_model::api::SearchSort) -> &'static str {
    use rehome_model::api::SearchSort;
    match s {
        SearchSort::Newest => "Newest",
        SearchSort::PriceAsc => "Cheapest",
        SearchSort::PriceDesc => "Dearest",
    }
}
pub const FILTERS: &str = "Filters";
pub const MY_SIZES: &str = "My sizes";
pub const MY_SIZES_HINT: &str = "e.g. M; W30; EU 38";
pub const SAVE: &str = "Save";
// The seller's grid (desktop): columns, toolbar, previews.
pub const GRID_FILTER: &str = "Filter";
pub const GRID_SELECT_ALL: &str = "Select all";
pub const GRID_CLEAR: &str = "Clear";
pub const GRID_PRICE: &str = "Price";
pub const GRID_PRICE_SET: &str = "Set to";
pub const GRID_PRICE_ADD: &str = "± amount";
pub const GRID_PRICE_PCT: &str = "± %";
pub const GRID_ROUND_NONE: &str = "No rounding";
pub const GRID_ROUND_00: &str = "Round to .00";
pub const GRID_ROUND_50: &str = "Round to .50";
pub const GRID_ROUND_99: &str = "Round to .99";
pub const GRID_FLOOR: &str = "Floor";
pub const GRID_AMOUNT: &str = "Amount";
pub const GRID_SET: &str = "Set";
pub const GRID_VALUE: &str = "Value";
pub const GRID_STATUS: &str = "Status";
pub const GRID_PREVIEW: &str = "Preview";
pub const GRID_COMMIT: &str = "Apply";
pub const GRID_CANCEL: &str = "Cancel";
pub const GRID_REDO: &str = "Redo";
pub const GRID_IMPORT: &str = "Import CSV";
pub const GRID_EXPORT: &str = "Export CSV";
pub const GRID_BEFORE_AFTER: &str = "Before → after";
pub const GRID_NOTHING_SELECTED: &str = "Select rows first";
pub const GRID_LISTINGS: &str = "Your listings";

/// A grid column's header, by the column's stable id.
pub fn grid_column(id: &str) -> &'static str {
    match id {
        "photo" => "Photo",
        "title" => "Title",
        "price" => "Price",
        "originalPrice" => "Original price",
        "category" => "Category",
        "brand" => "Brand",
        "size" => "Size",
        "condition" => "Condition",
        "colour" => "Colour",
        "quantity" => "Qty",
        "status" => "Status",
        "sku" => "SKU",
        "syncState" => "Sync",
        "updated" => "Updated",
        _ => "",
    }
}

/// "1,204 rows · 12 selected".
pub fn grid_counts(total: u64, selected: u64) -> String {
    format!("{total} rows · {selected} selected")
}

/// A bulk preview's heading.
pub fn bulk_preview(changed: u64, unchanged: u64, refused: u64) -> String {
    format!("{changed} to change · {unchanged} unchanged · {refused} left alone")
}

/// An import preview's heading.
pub fn csv_preview(
    file: &str,
    created: u64,
    updated: u64,
    unchanged: u64,
    rejected: u64,
) -> String {
    format!(
        "{file}: {created} new · {updated} updated · {unchanged} unchanged · {rejected} rejected"
    )
}

pub fn bulk_committed(changed: u64) -> String {
    format!("Changed {changed} rows")
}

pub fn bulk_undone(label: &str, rows: usize) -> String {
    format!("Undid {label} ({rows} rows)")
}

pub fn bulk_redone(label: &str, rows: usize) -> String {
    format!("Redid {label} ({rows} rows)")
}

pub fn csv_imported(created: u64, updated: u64, rejected: u64) -> String {
    format!("Imported: {created} new, {updated} updated, {rejected} rejected")
}

pub fn csv_exported(file: &str, rows: u64) -> String {
    format!("Exported {rows} rows to {file}")
}

/// "and 12 more" under a preview cut short.
pub fn and_more(n: usize) -> String {
    format!("and {n} more")
}

// The feed's two lists, and why a card is in For You.
pub const FEED_FOR_YOU: &str = "For you";
pub const FOLLOWING_EMPTY: &str = "Follow sellers to see their newest here";
pub const WHY_TITLE: &str = "Why you see this";
pub const WHY_FOLLOWED: &str = "You follow this seller";
pub const WHY_BRAND: &str = "A brand you liked";
pub const WHY_SIZE: &str = "In your size";
pub const WHY_NEW: &str = "New today";
pub const WHY_EVERYTHING: &str = "Everything in the shop, newest first";
