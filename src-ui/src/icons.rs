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
