use super::*;
use crate::ipc::{GridStatus, GridSyncState};
use crate::listing::Money;

fn id(n: u8) -> ListingId {
    ListingId::from_parts(u64::from(n), [n; 10])
}

#[test]
fn mounted_rows_are_the_visible_ones_and_ten_each_side() {
    // 800 px high: 23 rows, 24 when scrolled between two; at most 24 + 20 mounted.
    let cases: &[(f64, f64, usize, Range<usize>)] = &[
        (0.0, 800.0, 10_000, 0..34),
        (3600.0, 800.0, 10_000, 90..134),
        (ROW_PX * 9_990.0, 800.0, 10_000, 9_980..10_000),
        (0.0, 800.0, 5, 0..5),
        (0.0, 800.0, 0, 0..0),
        (-50.0, 0.0, 100, 0..11),
    ];
    for (top, height, total, want) in cases {
        let got = mounted_rows(*top, *height, *total);
        assert_eq!(&got, want, "top {top} height {height} total {total}");
        let visible = (height / ROW_PX).ceil() as usize + 1;
        assert!(got.len() <= visible + 2 * OVERSCAN_ROWS);
    }
}

#[test]
fn pages_cover_the_rows_and_scrolling_shows_the_cursor() {
    assert_eq!(pages_of(&(0..33)), 0..1);
    assert_eq!(pages_of(&(90..133)), 0..2);
    assert_eq!(pages_of(&(100..200)), 1..2);
    assert_eq!(pages_of(&(5..5)), 0..0);
    assert_eq!(scroll_to_show(3, 0.0, 360.0), None);
    assert_eq!(scroll_to_show(10, 0.0, 360.0), Some(36.0));
    assert_eq!(scroll_to_show(2, 360.0, 360.0), Some(72.0));
}

#[test]
fn filter_boxes_read_as_filters() {
    let f = |column, op, value: &str| {
        Some(GridFilter {
            column,
            op,
            value: value.into(),
        })
    };
    let cases = [
        (GridColumn::Title, "  ", None),
        (
            GridColumn::Title,
            "shirt",
            f(GridColumn::Title, GridOp::Contains, "shirt"),
        ),
        (
            GridColumn::Price,
            "<20",
            f(GridColumn::Price, GridOp::Below, "20"),
        ),
        (
            GridColumn::Quantity,
            "> 2",
            f(GridColumn::Quantity, GridOp::Above, "2"),
        ),
        (
            GridColumn::Price,
            "12.50",
            f(GridColumn::Price, GridOp::Eq, "12.50"),
        ),
        (
            GridColumn::Status,
            "live",
            f(GridColumn::Status, GridOp::Eq, "live"),
        ),
        (
            GridColumn::Sku,
            "0012",
            f(GridColumn::Sku, GridOp::Contains, "0012"),
        ),
    ];
    for (column, text, want) in cases {
        assert_eq!(filter_of(column, text), want, "{column} {text:?}");
    }
}

#[test]
fn click_shift_click_ctrl_click_and_select_all() {
    let mut s = Selection::default();
    assert!(s.is_empty(100));
    s.click(2, id(2));
    assert_eq!(s.target(), Target::Only(vec![id(2)]));
    // Shift-click on row 5: rows 2 to 5.
    assert_eq!(s.range_to(5), 2..6);
    s.extend((2..6).map(|i| id(i as u8)));
    assert_eq!(s.count(100), 4);
    // Shift-click again above the anchor re-ranges from the anchor.
    assert_eq!(s.range_to(0), 0..3);
    s.extend((0..3).map(|i| id(i as u8)));
    assert_eq!(s.target(), Target::Only(vec![id(0), id(1), id(2)]));
    // Ctrl-click takes one out and puts one in.
    s.toggle(1, id(1));
    s.toggle(7, id(7));
    assert_eq!(s.target(), Target::Only(vec![id(0), id(2), id(7)]));
    assert_eq!(s.anchor(), Some(7));
    // Select all (filtered), less one Ctrl-click.
    s.select_all();
    assert_eq!((s.target(), s.count(100)), (Target::All, 100));
    s.toggle(4, id(4));
    assert!(!s.contains(id(4)) && s.contains(id(5)));
    assert_eq!(
        (s.target(), s.count(100)),
        (Target::AllBut(vec![id(4)]), 99)
    );
    s.clear();
    assert!(s.is_empty(100) && !s.contains(id(5)));
}

#[test]
fn keys_move_edit_select_and_undo() {
    let mv = |rows, cols, extend| Some(KeyAction::Move { rows, cols, extend });
    let cases = [
        ("ArrowDown", false, false, mv(1, 0, false)),
        ("ArrowUp", true, false, mv(-1, 0, true)),
        ("ArrowRight", false, false, mv(0, 1, false)),
        ("Tab", true, false, mv(0, -1, false)),
        ("PageDown", false, false, mv(20, 0, false)),
        ("Enter", false, false, Some(KeyAction::Edit)),
        ("F2", false, false, Some(KeyAction::Edit)),
        (" ", false, false, Some(KeyAction::Toggle)),
        ("Escape", false, false, Some(KeyAction::Clear)),
        ("a", false, true, Some(KeyAction::SelectAll)),
        ("z", false, true, Some(KeyAction::Undo)),
        ("Z", true, true, Some(KeyAction::Redo)),
        ("y", false, true, Some(KeyAction::Redo)),
        ("x", false, false, None),
    ];
    for (key, shift, ctrl, want) in cases {
        assert_eq!(
            key_action(key, shift, ctrl, 20),
            want,
            "{key} {shift} {ctrl}"
        );
    }
    let c = CellCursor { row: 0, col: 0 };
    assert_eq!(c.moved(-1, -1, 10), c);
    assert_eq!(c.moved(3, 2, 10), CellCursor { row: 3, col: 2 });
    assert_eq!(
        c.moved(isize::MAX / 2, 99, 10),
        CellCursor {
            row: 9,
            col: COLUMNS.len() - 1
        }
    );
}

#[test]
fn the_price_form_reads_into_an_operation_or_names_the_problem() {
    let op = |change, round, floor: Option<i64>| {
        Ok(BulkOp::Price {
            change,
            round,
            floor: floor.map(Money),
        })
    };
    type Case = (
        PriceMode,
        &'static str,
        Rounding,
        &'static str,
        Result<BulkOp, String>,
    );
    let cases: &[Case] = &[
        (
            PriceMode::Percent,
            "-10",
            Rounding::None,
            "",
            op(PriceChange::Percent(-1000), Rounding::None, None),
        ),
        (
            PriceMode::Percent,
            "\u{2212}12.5 %",
            Rounding::NinetyNine,
            "5",
            op(PriceChange::Percent(-1250), Rounding::NinetyNine, Some(500)),
        ),
        (
            PriceMode::Add,
            "+2.50",
            Rounding::Whole,
            "",
            op(PriceChange::Add(250), Rounding::Whole, None),
        ),
        (
            PriceMode::Set,
            "19,90",
            Rounding::None,
            "",
            op(PriceChange::Set(Money(1990)), Rounding::None, None),
        ),
        (
            PriceMode::Percent,
            "ten",
            Rounding::None,
            "",
            Err("\"ten\" is not a number (write it like -10 or 2.50)".into()),
        ),
        (
            PriceMode::Set,
            "-3",
            Rounding::None,
            "",
            Err("\"-3\" is not a price (write it like 12.50)".into()),
        ),
        (
            PriceMode::Add,
            "1",
            Rounding::None,
            "cheap",
            Err("floor \"cheap\" is not a price (write it like 5.00)".into()),
        ),
    ];
    for (mode, amount, round, floor, want) in cases {
        assert_eq!(&price_op(*mode, amount, *round, floor), want, "{amount:?}");
    }
}

#[test]
fn cells_show_the_row_as_typed_and_say_how_they_edit() {
    let row = GridRow {
        id: id(1),
        cover_photo: None,
        title: "Linen shirt".into(),
        description: String::new(),
        price: "12,50".into(),
        price_cents: Some(Money(1250)),
        original_price: String::new(),
        category: "tops".into(),
        brand: "Uniqlo".into(),
        size: "M".into(),
        condition: "good".into(),
        colour: "white".into(),
        parcel: String::new(),
        quantity: 2,
        status: GridStatus::Live,
        sku: "0012345678901234".into(),
        sync_state: GridSyncState::Pending,
        pending_changes: 1,
        sync_error: None,
        updated_at: 1_764_694_440_000,
    };
    let shown: Vec<String> = COLUMNS.iter().map(|c| cell_text(&row, *c)).collect();
    assert_eq!(
        shown,
        [
            "",
            "Linen shirt",
            "12,50",
            "",
            "tops",
            "Uniqlo",
            "M",
            "good",
            "white",
            "2",
            "live",
            "0012345678901234",
            "pending",
            "2025-12-02 16:54"
        ]
    );
    assert_eq!(utc_minute(0), "1970-01-01 00:00");
    assert_eq!(utc_minute(951_782_400_000), "2000-02-29 00:00");
    assert_eq!(editable(Col::Photo), None);
    assert_eq!(
        editable(Col::Data(GridColumn::Sku)),
        Some(CellEdit::Field(DraftField::Sku))
    );
    assert_eq!(
        editable(Col::Data(GridColumn::Quantity)),
        Some(CellEdit::Quantity)
    );
    assert_eq!(editable(Col::Data(GridColumn::Status)), None);
}

#[test]
fn ranges_go_to_and_from_the_clipboard_as_excel_writes_them() {
    let rows = |r: &[&[&str]]| -> Vec<Vec<String>> {
        r.iter()
            .map(|l| l.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let cases: &[(&[&[&str]], &str)] = &[
        (&[&["Linen shirt", "12.50"]], "Linen shirt\t12.50\r\n"),
        (&[&["a", ""], &["", "b"]], "a\t\r\n\tb\r\n"),
        (
            &[&["Tab\there", "two\nlines", "say \"hi\""]],
            "\"Tab\there\"\t\"two\nlines\"\t\"say \"\"hi\"\"\"\r\n",
        ),
        (
            &[&["0012345678901234", "Café ☕"]],
            "0012345678901234\tCafé ☕\r\n",
        ),
    ];
    for (r, text) in cases {
        assert_eq!(tsv::write(&rows(r)), *text);
        assert_eq!(tsv::read(text), rows(r), "{text:?}");
    }
    // LibreOffice's plain line feeds, and no line break at the end.
    assert_eq!(tsv::read("a\tb\nc\td"), rows(&[&["a", "b"], &["c", "d"]]));
    assert_eq!(tsv::read(""), rows(&[]));
}

#[test]
fn a_paste_lands_on_the_editable_cells_from_the_cursor() {
    let block = vec![
        vec!["Shirt".to_owned(), "12".to_owned(), "30".to_owned()],
        vec!["Coat".to_owned(), "80".to_owned(), "".to_owned()],
        vec!["Extra".to_owned()],
    ];
    // From the title column of row 1, in a grid of 3 rows: row 3 is past the end.
    let (cells, skipped) = tsv::paste_plan(CellCursor { row: 1, col: 1 }, &block, 3);
    let got: Vec<(usize, usize, &str)> = cells
        .iter()
        .map(|c| (c.row, c.col, c.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (1, 1, "Shirt"),
            (1, 2, "12"),
            (1, 3, "30"),
            (2, 1, "Coat"),
            (2, 2, "80"),
            (2, 3, "")
        ]
    );
    assert_eq!(skipped, 1);
    assert_eq!(cells[1].edit, CellEdit::Field(DraftField::Price));
    // Onto the status column (not editable) and past the last column.
    let (cells, skipped) = tsv::paste_plan(
        CellCursor {
            row: 0,
            col: COLUMNS.len() - 4,
        },
        &[vec![
            "live".into(),
            "SKU-1".into(),
            "x".into(),
            "y".into(),
            "z".into(),
        ]],
        3,
    );
    assert_eq!(cells.len(), 1);
    assert_eq!((cells[0].text.as_str(), skipped), ("SKU-1", 4));
}
