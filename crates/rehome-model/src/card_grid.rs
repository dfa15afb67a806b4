//! The feed's card grid as numbers: how many columns a window holds, how tall
//! a row of fixed-aspect cards is, which cards to mount for a scroll position,
//! and when to ask for the next page.
//!
//! Plain data and arithmetic, so the UI's virtual list is tested natively: the
//! webview only measures (width, height, scroll top) and places what this says.
//! Every card has the same size (a 4:5 photo and a fixed text block), so the
//! layout never jumps as photos arrive and a row's position is a product.

use std::ops::Range;

/// The photo's aspect: 4 wide by 5 tall, as clothes are photographed.
pub const PHOTO_ASPECT: (u32, u32) = (4, 5);
/// Height of the text under a card's photo (price, brand and size, seller).
pub const CARD_TEXT_PX: f64 = 78.0;
/// Space between cards, and around the grid.
pub const GAP_PX: f64 = 8.0;
/// The widest a card grows before another column is added.
pub const CARD_TARGET_PX: f64 = 220.0;
/// Columns on the narrowest phone, and on the widest window.
pub const MIN_COLUMNS: u32 = 2;
pub const MAX_COLUMNS: u32 = 6;
/// Cards mounted at most, whatever the window (the budget is 60).
pub const MAX_MOUNTED: usize = 60;
/// Rows mounted beyond the visible ones, above and below.
pub const OVERSCAN_ROWS: u32 = 2;
/// The next page is asked for while fewer than this many viewports of cards
/// are loaded below the bottom of the window.
pub const PREFETCH_VIEWPORTS: f64 = 3.0;

/// The grid for one window width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridLayout {
    pub columns: u32,
    /// Width of one card (and its photo) in CSS pixels.
    pub card_width: f64,
    /// Height of one card: the photo at its aspect plus the text block.
    pub card_height: f64,
}

impl GridLayout {
    /// The layout for a grid `width` CSS pixels wide: as many columns as fit
    /// cards near [`CARD_TARGET_PX`], two at least (phones), six at most.
    pub fn for_width(width: f64) -> GridLayout {
        let width = if width.is_finite() {
            width.max(0.0)
        } else {
            0.0
        };
        let inner = (width - GAP_PX).max(0.0);
        let fitted = (inner / (CARD_TARGET_PX + GAP_PX)).round() as u32;
        let columns = fitted.clamp(MIN_COLUMNS, MAX_COLUMNS);
        let card_width = ((inner - GAP_PX * f64::from(columns)) / f64::from(columns)).max(1.0);
        let (w, h) = PHOTO_ASPECT;
        let card_height = card_width * f64::from(h) / f64::from(w) + CARD_TEXT_PX;
        GridLayout {
            columns,
            card_width,
            card_height,
        }
    }

    /// Distance from one row's top to the next's.
    pub fn row_pitch(&self) -> f64 {
        self.card_height + GAP_PX
    }

    /// Rows needed for `items` cards.
    pub fn rows(&self, items: usize) -> u32 {
        let columns = self.columns as usize;
        u32::try_from(items.div_ceil(columns)).unwrap_or(u32::MAX)
    }

    /// Height of the whole grid of `items` cards (what the scroll bar spans).
    pub fn total_height(&self, items: usize) -> f64 {
        let rows = self.rows(items);
        if rows == 0 {
            return 0.0;
        }
        GAP_PX + f64::from(rows) * self.row_pitch()
    }

    /// Where card `index` sits: (left, top) in CSS pixels inside the grid.
    pub fn position(&self, index: usize) -> (f64, f64) {
        let columns = self.columns as usize;
        let (row, column) = (index / columns, index % columns);
        (
            GAP_PX + column as f64 * (self.card_width + GAP_PX),
            GAP_PX + row as f64 * self.row_pitch(),
        )
    }

    /// The cards to mount when the grid's top is `scroll_top` pixels above
    /// the window's and the window is `viewport_height` tall: the visible rows
    /// and [`OVERSCAN_ROWS`] either side, never more than [`MAX_MOUNTED`]
    /// cards (overscan is dropped first, below before above).
    pub fn mounted(&self, scroll_top: f64, viewport_height: f64, items: usize) -> Range<usize> {
        if items == 0 {
            return 0..0;
        }
        let pitch = self.row_pitch();
        let top = scroll_top.max(0.0);
        let height = viewport_height.max(0.0);
        let last_row = self.rows(items).saturating_sub(1);
        let first_visible = (((top - GAP_PX) / pitch).floor().max(0.0) as u32).min(last_row);
        let last_visible = ((((top + height) / pitch).floor().max(0.0)) as u32).min(last_row);
        let per_row = self.columns as usize;
        let max_rows = (MAX_MOUNTED / per_row).max(1) as u32;
        let visible = last_visible - first_visible + 1;
        // A window taller than the budget shows what the budget allows.
        let (mut first, mut last) = if visible >= max_rows {
            (first_visible, first_visible + max_rows - 1)
        } else {
            let spare = max_rows - visible;
            let above = OVERSCAN_ROWS.min(first_visible).min(spare);
            let below = OVERSCAN_ROWS.min(spare - above);
            (first_visible - above, last_visible + below)
        };
        last = last.min(last_row);
        first = first.min(last);
        let start = first as usize * per_row;
        let end = ((last as usize + 1) * per_row).min(items);
        start..end
    }

    /// Whether to ask for the next page: fewer than [`PREFETCH_VIEWPORTS`]
    /// window heights of cards are loaded below the window's bottom.
    pub fn wants_more(&self, scroll_top: f64, viewport_height: f64, items: usize) -> bool {
        let below = self.total_height(items) - (scroll_top.max(0.0) + viewport_height.max(0.0));
        below < PREFETCH_VIEWPORTS * viewport_height.max(1.0)
    }

    /// The first card at least half in view: the place to keep when the
    /// width changes (the column count with it) or the app restarts.
    pub fn anchor(&self, scroll_top: f64, items: usize) -> usize {
        if items == 0 {
            return 0;
        }
        let pitch = self.row_pitch();
        let last_row = self.rows(items).saturating_sub(1) as usize;
        let row = ((scroll_top.max(0.0) - GAP_PX + self.card_height / 2.0) / pitch)
            .floor()
            .max(0.0) as usize;
        row.min(last_row) * self.columns as usize
    }

    /// The scroll top that brings card `index`'s row to the top of the window.
    pub fn scroll_top_for(&self, index: usize) -> f64 {
        let row = index / self.columns as usize;
        row as f64 * self.row_pitch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(width: f64, columns: u32, card_width: std::ops::RangeInclusive<f64>) {
        let g = GridLayout::for_width(width);
        assert_eq!(g.columns, columns, "columns at {width} px");
        assert!(
            card_width.contains(&g.card_width),
            "card width {} at {width} px",
            g.card_width
        );
        let used = GAP_PX + f64::from(g.columns) * (g.card_width + GAP_PX);
        assert!(
            used <= width.max(GAP_PX * 3.0 + 2.0) + 1e-9,
            "fits: {used} in {width}"
        );
    }

    #[test]
    fn columns_follow_the_window_width() {
        check(320.0, 2, 140.0..=160.0);
        check(390.0, 2, 170.0..=190.0);
        check(600.0, 3, 180.0..=200.0);
        check(768.0, 3, 230.0..=250.0);
        check(1024.0, 4, 235.0..=250.0);
        check(1280.0, 6, 200.0..=210.0);
        // A desktop window less its sidebar.
        check(1060.0, 5, 195.0..=205.0);
        check(1920.0, 6, 300.0..=320.0);
        check(3840.0, 6, 620.0..=640.0);
    }

    #[test]
    fn odd_widths_never_break_the_layout() {
        for w in [0.0, -5.0, f64::NAN, f64::INFINITY, 1.0, 10.0] {
            let g = GridLayout::for_width(w);
            assert_eq!(g.columns, MIN_COLUMNS, "{w}");
            assert!(
                g.card_width >= 1.0 && g.card_height.is_finite(),
                "{w}: {g:?}"
            );
        }
    }

    #[test]
    fn cards_keep_their_aspect_and_sit_on_a_lattice() {
        let g = GridLayout::for_width(390.0);
        let photo = g.card_height - CARD_TEXT_PX;
        assert!((photo / g.card_width - 1.25).abs() < 1e-9);
        assert_eq!(g.position(0), (GAP_PX, GAP_PX));
        assert_eq!(g.position(1).1, GAP_PX);
        assert_eq!(g.position(2), (GAP_PX, GAP_PX + g.row_pitch()));
        assert_eq!(g.rows(0), 0);
        assert_eq!(g.rows(3), 2);
        assert_eq!(g.total_height(0), 0.0);
        assert_eq!(g.total_height(4), GAP_PX + 2.0 * g.row_pitch());
    }

    /// Every scroll position of a 10,000-card feed mounts what is visible, and
    /// never more than the budget.
    #[test]
    fn the_mounted_window_covers_the_view_within_the_budget() {
        let items = 10_000;
        for (width, height) in [
            (390.0, 844.0),
            (1280.0, 800.0),
            (1920.0, 1080.0),
            (320.0, 9000.0),
        ] {
            let g = GridLayout::for_width(width);
            let max_top = g.total_height(items) - height;
            let mut top = 0.0;
            while top <= max_top {
                let r = g.mounted(top, height, items);
                assert!(r.len() <= MAX_MOUNTED, "{width}x{height} at {top}: {r:?}");
                assert!(
                    r.start.is_multiple_of(g.columns as usize),
                    "whole rows: {r:?}"
                );
                // Every card that overlaps the window is mounted, unless the
                // window is taller than the budget.
                let first_seen = (0..items)
                    .find(|i| g.position(*i).1 + g.card_height > top)
                    .unwrap();
                assert!(
                    r.contains(&first_seen),
                    "{width}x{height} at {top}: {r:?} lacks {first_seen}"
                );
                if height < 2000.0 {
                    let last_seen = (first_seen..items)
                        .take_while(|i| g.position(*i).1 < top + height)
                        .last()
                        .unwrap();
                    assert!(
                        r.contains(&last_seen),
                        "{width}x{height} at {top}: {r:?} lacks {last_seen}"
                    );
                }
                top += 137.0;
                if top > 40_000.0 && top < max_top - 40_000.0 {
                    top = max_top - 40_000.0;
                }
            }
            if height < 2000.0 {
                let end = g.mounted(max_top, height, items);
                assert_eq!(end.end, items, "the last card mounts at the end");
            }
        }
    }

    #[test]
    fn mounting_small_and_empty_lists() {
        let g = GridLayout::for_width(390.0);
        assert_eq!(g.mounted(0.0, 844.0, 0), 0..0);
        assert_eq!(g.mounted(0.0, 844.0, 3), 0..3);
        // Scrolled past the end of a short list: its last rows, with overscan.
        assert_eq!(g.mounted(1e9, 844.0, 5), 0..5);
        assert_eq!(g.mounted(-50.0, 844.0, 100).start, 0);
    }

    #[test]
    fn the_next_page_is_asked_for_three_viewports_ahead() {
        let g = GridLayout::for_width(390.0);
        let height = 844.0;
        // 12 cards are 6 rows, about 2.1 viewports: ask for more at once.
        assert!(g.wants_more(0.0, height, 12));
        // 60 cards are 30 rows (about 10 viewports): not at the top...
        assert!(!g.wants_more(0.0, height, 60));
        // ... but once fewer than three viewports remain below.
        let total = g.total_height(60);
        assert!(!g.wants_more(total - height - 3.0 * height - 1.0, height, 60));
        assert!(g.wants_more(total - height - 3.0 * height + 1.0, height, 60));
        assert!(g.wants_more(0.0, height, 0));
    }

    #[test]
    fn the_anchor_survives_a_change_of_columns() {
        let items = 1000;
        let phone = GridLayout::for_width(390.0);
        let wide = GridLayout::for_width(1280.0);
        for index in [0, 1, 2, 37, 500, 999] {
            let top = phone.scroll_top_for(index);
            let anchor = phone.anchor(top, items);
            assert_eq!(anchor, index - index % 2, "phone row start for {index}");
            // The same card stays on screen in the wider grid.
            let top2 = wide.scroll_top_for(anchor);
            let r = wide.mounted(top2, 800.0, items);
            assert!(r.contains(&anchor), "{index}: {r:?}");
        }
        assert_eq!(phone.anchor(1e12, items), items - 1 - (items - 1) % 2);
        assert_eq!(phone.anchor(0.0, 0), 0);
    }
}
