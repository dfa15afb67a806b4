//! CSV import and export on a real store, from a corpus generated here:
//! every encoding and delimiter, BOMs, quoted newlines and delimiters,
//! decimal commas, thousands separators, ragged rows, empty lines, bad values
//! in every column, 16-digit SKUs, emoji and accents, and a 10,000-row file.
//! Every row is accounted for with its line, and the store holds exactly what
//! the file said.

use rehome_app::{App, AppConfig, CsvImportOptions};
use rehome_model::ipc::{CsvEncoding, CsvImportReport, CsvRowStatus, GridQuery};

fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppConfig::in_dir(dir.path().to_owned(), None)).unwrap();
    (app, dir)
}

fn encode(text: &str, encoding: CsvEncoding) -> Vec<u8> {
    match encoding {
        CsvEncoding::Utf8 => text.as_bytes().to_vec(),
        CsvEncoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        CsvEncoding::Utf16Le | CsvEncoding::Utf16Be => {
            let big = encoding == CsvEncoding::Utf16Be;
            let mut out = if big {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for u in text.encode_utf16() {
                out.extend(if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            out
        }
        CsvEncoding::Windows1252 => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            assert!(!unmappable, "{text:?} has no windows-1252 form");
            bytes.into_owned()
        }
    }
}

fn import(app: &App, bytes: &[u8], dry_run: bool) -> CsvImportReport {
    app.csv_import_bytes(
        bytes,
        "corpus.csv",
        &CsvImportOptions {
            dry_run,
            ..Default::default()
        },
    )
    .unwrap()
}

/// Every listing's (title, price, sku), by title.
fn stored(app: &App) -> Vec<(String, String, String)> {
    let page = app
        .grid_page(GridQuery {
            filters: vec![],
            sort: None,
            offset: 0,
            limit: 500,
        })
        .unwrap();
    let mut rows: Vec<_> = page
        .rows
        .into_iter()
        .map(|r| (r.title, r.price, r.sku))
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_encoding_and_delimiter_reads_the_same_rows_exactly() {
    // Accents, an emoji (not in windows-1252), a quoted delimiter and newline.
    for encoding in CsvEncoding::ALL {
        for (d, price) in [(',', "12.50"), (';', "12,50"), ('\t', "12.50")] {
            let emoji = if *encoding == CsvEncoding::Windows1252 {
                ""
            } else {
                " 🧥"
            };
            let text = format!(
                "Title{d}Price{d}SKU{d}Description\r\n\
                 Café crème{emoji}{d}{price}{d}0012345678901234{d}\"one{d} two\nthree\"\r\n\
                 Jüpe{d}40{d}A-1{d}\r\n"
            );
            let (app, _dir) = app();
            let bytes = encode(&text, *encoding);
            let ctx = format!("{encoding:?} {d:?}");
            let preview = import(&app, &bytes, true);
            assert_eq!(preview.encoding, *encoding, "{ctx}");
            assert_eq!(preview.delimiter, d.to_string(), "{ctx}");
            assert_eq!(preview.created, 2, "{ctx}: {preview:?}");
            assert!(stored(&app).is_empty(), "{ctx}: a dry run writes nothing");
            let done = import(&app, &bytes, false);
            assert_eq!((done.rows, done.created, done.rejected), (2, 2, 0), "{ctx}");
            let lines: Vec<u64> = done.results.iter().map(|r| r.line).collect();
            assert_eq!(
                lines,
                [2, 4],
                "{ctx}: the quoted newline moves the next row down"
            );
            assert_eq!(
                stored(&app),
                [
                    (
                        format!("Café crème{emoji}"),
                        price.to_owned(),
                        "0012345678901234".to_owned()
                    ),
                    ("Jüpe".into(), "40".into(), "A-1".into()),
                ],
                "{ctx}"
            );
            let page = app
                .grid_page(GridQuery {
                    filters: vec![],
                    sort: None,
                    offset: 0,
                    limit: 10,
                })
                .unwrap();
            let cafe = page
                .rows
                .iter()
                .find(|r| r.sku == "0012345678901234")
                .unwrap();
            assert_eq!(cafe.description, format!("one{d} two\nthree"), "{ctx}");
        }
    }
}

#[test]
fn every_row_is_accounted_for_with_its_line_column_and_reason() {
    let (app, _dir) = app();
    let text = format!(
        "\
title,price,original_price,category,condition,parcel,quantity,sku,brand,Size,Colour,status,Notes\n\
Good row,12.50,20,tops,good,small,2,S-1,COS,M,blue,,ok\n\
\n\
Bad price,cheap,,,,,,S-2,,,,,\n\
Thousands,\"1,234.50\",,,,,,S-3,,,,,\n\
Bad original,10,ten,,,,,S-4,,,,,\n\
Bad category,10,,hats,,,,S-5,,,,,\n\
Bad condition,10,,,mint,,,S-6,,,,,\n\
Bad parcel,10,,,,huge,,S-7,,,,,\n\
Bad quantity,10,,,,,0,S-8,,,,,\n\
Long sku,10,,,,,,{sku},,,,,\n\
Long brand,10,,,,,,S-10,{brand},,,,\n\
Long size,10,,,,,,S-11,,{size},,,\n\
Long colour,10,,,,,,S-12,,,{colour},,\n\
Live already,10,,,,,,S-13,,,,live,\n\
Too few,10\n\
Too many,10,,,,,,S-15,,,,,,extra\n\
,,,,,,,,,,,,\n\
",
        sku = "S".repeat(65),
        brand = "B".repeat(41),
        size = "S".repeat(21),
        colour = "C".repeat(31),
    );
    let r = import(&app, text.as_bytes(), false);
    let got: Vec<String> = r
        .results
        .iter()
        .map(|x| {
            let errors: Vec<String> = x
                .errors
                .iter()
                .map(|e| format!("{}:{}", e.column, e.code))
                .collect();
            format!("{} {:?} {}", x.line, x.status, errors.join(" "))
        })
        .collect();
    assert_eq!(
        got,
        [
            "2 Created ",
            "4 Rejected price:notANumber",
            "5 Rejected price:thousandsSeparator",
            "6 Rejected original_price:notANumber",
            "7 Rejected category:unknown",
            "8 Rejected condition:unknown",
            "9 Rejected parcel:unknown",
            "10 Rejected quantity:notANumber",
            "11 Rejected sku:tooLong",
            "12 Rejected brand:tooLong",
            "13 Rejected Size:tooLong",
            "14 Rejected Colour:tooLong",
            "15 Rejected status:readOnly",
            "16 Rejected row:ragged",
            "17 Rejected row:ragged",
        ]
    );
    assert_eq!((r.rows, r.created, r.rejected), (15, 1, 14));
    assert_eq!(r.skipped_empty_lines, 2);
    assert_eq!(r.unknown_columns, ["Notes"]);
    let thousands = &r.results[2].errors[0].message;
    assert!(thousands.contains("refused, not guessed"), "{thousands}");
    let page = app
        .grid_page(GridQuery {
            filters: vec![],
            sort: None,
            offset: 0,
            limit: 10,
        })
        .unwrap();
    assert_eq!(page.total, 1);
    let row = &page.rows[0];
    assert_eq!(
        (
            row.title.as_str(),
            row.price.as_str(),
            row.original_price.as_str(),
            row.quantity,
            row.sku.as_str()
        ),
        ("Good row", "12.50", "20", 2, "S-1")
    );
}

#[test]
fn rows_update_by_id_else_by_sku_and_export_then_import_changes_nothing() {
    let (app, _dir) = app();
    let first = import(
        &app,
        "title,price,sku,description\nShirt,10,0012345678901234,\"a\nb\"\nCoat,80,C-1,\nDress,,,\n"
            .as_bytes(),
        false,
    );
    assert_eq!(first.created, 3);
    // By SKU: exactly as written, so the zeros matter.
    let by_sku = import(
        &app,
        "SKU;Price\n0012345678901234;12,50\n12345678901234;99\nC-1;80\n".as_bytes(),
        false,
    );
    let statuses: Vec<CsvRowStatus> = by_sku.results.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            CsvRowStatus::Updated,
            CsvRowStatus::Created,
            CsvRowStatus::Unchanged
        ]
    );
    let export = app.csv_export(&[]).unwrap();
    assert!(export.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let before = stored(&app);
    let again = import(&app, &export, false);
    assert_eq!(again.rows, 4);
    assert_eq!(again.unchanged, 4, "{again:#?}");
    assert_eq!(stored(&app), before);
    assert!(again.unknown_columns.is_empty());
    // An unknown id is rejected, naming the column.
    let r = import(
        &app,
        "id,title\n0190a000-0000-7000-8000-0000000000aa,Ghost\n".as_bytes(),
        false,
    );
    assert_eq!(r.results[0].errors[0].code, "notFound");
}

#[test]
fn map_names_other_headers_and_encoding_can_be_forced() {
    let (app, _dir) = app();
    let options = CsvImportOptions {
        map: vec![
            ("Artikel".into(), "title".into()),
            ("Preis".into(), "price".into()),
        ],
        encoding: Some(CsvEncoding::Windows1252),
        ..Default::default()
    };
    let bytes = encode(
        "Artikel;Preis;Farbe\nKleid grün;19,99;grün\n",
        CsvEncoding::Windows1252,
    );
    let r = app.csv_import_bytes(&bytes, "de.csv", &options).unwrap();
    assert_eq!((r.created, r.delimiter.as_str()), (1, ";"));
    assert_eq!(r.unknown_columns, ["Farbe"]);
    assert_eq!(
        stored(&app),
        [("Kleid grün".into(), "19,99".into(), String::new())]
    );
    // Forced UTF-8 on bytes that are not: a clear refusal, nothing written.
    let err = app
        .csv_import_bytes(
            &bytes,
            "de.csv",
            &CsvImportOptions {
                encoding: Some(CsvEncoding::Utf8),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not valid utf-8"), "{err}");
}

#[test]
fn a_ten_thousand_row_file_is_one_transaction_and_one_undo_step() {
    let (app, _dir) = app();
    let mut text = String::from("title,price,sku\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "Item {i} é,{}.{:02},{:016}\n",
            1 + i % 300,
            i % 100,
            i
        ));
    }
    let r = import(&app, text.as_bytes(), false);
    assert_eq!((r.rows, r.created, r.rejected), (10_000, 10_000, 0));
    assert_eq!(r.results.last().unwrap().line, 10_001);
    assert_eq!(app.grid_count(Default::default()).unwrap().count, 10_000);
    let history = app.bulk_history().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].rows, 10_000);
    app.bulk_undo().unwrap();
    assert_eq!(app.grid_count(Default::default()).unwrap().count, 0);
}
