//! A file's bytes to text: the encoding detected (a BOM, else UTF-8 if the
//! bytes are valid UTF-8, else Windows-1252, what Excel writes), or forced.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use rehome_model::ipc::CsvEncoding;

/// The text, without its BOM, and the encoding it was read as.
pub(super) fn decode(
    bytes: &[u8],
    forced: Option<CsvEncoding>,
) -> Result<(String, CsvEncoding), String> {
    let encoding = match forced {
        Some(e) => e,
        None => match Encoding::for_bom(bytes) {
            Some((e, _)) if e == UTF_8 => CsvEncoding::Utf8Bom,
            Some((e, _)) if e == UTF_16LE => CsvEncoding::Utf16Le,
            Some((e, _)) if e == UTF_16BE => CsvEncoding::Utf16Be,
            _ if std::str::from_utf8(bytes).is_ok() => CsvEncoding::Utf8,
            _ => CsvEncoding::Windows1252,
        },
    };
    let (codec, bom): (&'static Encoding, &[u8]) = match encoding {
        CsvEncoding::Utf8 | CsvEncoding::Utf8Bom => (UTF_8, b"\xEF\xBB\xBF"),
        CsvEncoding::Utf16Le => (UTF_16LE, b"\xFF\xFE"),
        CsvEncoding::Utf16Be => (UTF_16BE, b"\xFE\xFF"),
        CsvEncoding::Windows1252 => (WINDOWS_1252, b""),
    };
    let body = if bom.is_empty() {
        bytes
    } else {
        bytes.strip_prefix(bom).unwrap_or(bytes)
    };
    if matches!(encoding, CsvEncoding::Utf16Le | CsvEncoding::Utf16Be) && body.len() % 2 == 1 {
        return Err(format!(
            "the file is not {}: it has an odd number of bytes",
            encoding.as_str()
        ));
    }
    let (text, had_errors) = codec.decode_without_bom_handling(body);
    if had_errors {
        let at = match encoding {
            CsvEncoding::Utf8 | CsvEncoding::Utf8Bom => std::str::from_utf8(body)
                .err()
                // 1-based, counted in the whole file.
                .map(|e| format!(" (byte {})", e.valid_up_to() + bytes.len() - body.len() + 1))
                .unwrap_or_default(),
            _ => String::new(),
        };
        return Err(format!(
            "the file is not valid {}{at}; give --encoding to read it as another",
            encoding.as_str()
        ));
    }
    Ok((text.into_owned(), encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, big: bool) -> Vec<u8> {
        let mut out = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in s.encode_utf16() {
            out.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn encodings_are_detected_or_forced() {
        let text = "title\nCafé 🧥\n";
        type Case = (
            Vec<u8>,
            Option<CsvEncoding>,
            Result<CsvEncoding, &'static str>,
        );
        let cases: Vec<Case> = vec![
            (text.as_bytes().to_vec(), None, Ok(CsvEncoding::Utf8)),
            (
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                None,
                Ok(CsvEncoding::Utf8Bom),
            ),
            (utf16(text, false), None, Ok(CsvEncoding::Utf16Le)),
            (utf16(text, true), None, Ok(CsvEncoding::Utf16Be)),
            (
                b"title\nCaf\xe9\n".to_vec(),
                None,
                Ok(CsvEncoding::Windows1252),
            ),
            (
                b"title\nCaf\xe9\n".to_vec(),
                Some(CsvEncoding::Utf8),
                Err("the file is not valid utf-8 (byte 10)"),
            ),
        ];
        for (bytes, forced, expected) in cases {
            match (decode(&bytes, forced), expected) {
                (Ok((got, enc)), Ok(want)) => {
                    assert_eq!(enc, want);
                    if want == CsvEncoding::Windows1252 {
                        assert_eq!(got, "title\nCafé\n");
                    } else {
                        assert_eq!(got, text, "{want:?}");
                    }
                }
                (Err(got), Err(want)) => assert!(got.starts_with(want), "{got}"),
                (got, want) => panic!("{got:?} vs {want:?}"),
            }
        }
    }
}
