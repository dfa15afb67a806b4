//! The one EXIF field the pipeline reads: Orientation (tag 0x0112 in IFD0).
//! A minimal bounds-checked TIFF walk; anything odd means "no orientation".

/// EXIF orientation 1..=8 from a TIFF-structured EXIF block (with or without
/// the leading `Exif\0\0` of a JPEG APP1 payload). `None` when absent or invalid.
pub fn orientation(exif: &[u8]) -> Option<u8> {
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let little = match tiff.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at.checked_add(2)?)?;
        Some(if little {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at.checked_add(4)?)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd0 = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd0)?);
    for i in 0..count {
        let entry = ifd0.checked_add(2)?.checked_add(i.checked_mul(12)?)?;
        let tag = u16_at(entry)?;
        if tag != 0x0112 {
            continue;
        }
        let kind = u16_at(entry + 2)?;
        let value = match kind {
            3 => u16_at(entry + 8)?,                      // SHORT (the standard type)
            4 => u16::try_from(u32_at(entry + 8)?).ok()?, // LONG (seen in the wild)
            _ => return None,
        };
        return (1..=8).contains(&value).then_some(value as u8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::orientation;

    fn tiff(little: bool, kind: u16, value: u16) -> Vec<u8> {
        let mut t: Vec<u8> = Vec::new();
        let p16 = |t: &mut Vec<u8>, v: u16| {
            t.extend_from_slice(&if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            })
        };
        let p32 = |t: &mut Vec<u8>, v: u32| {
            t.extend_from_slice(&if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            })
        };
        t.extend_from_slice(if little { b"II" } else { b"MM" });
        p16(&mut t, 42);
        p32(&mut t, 8);
        p16(&mut t, 2);
        // a harmless first entry (ImageWidth) so the walk must skip one
        p16(&mut t, 0x0100);
        p16(&mut t, 3);
        p32(&mut t, 1);
        p16(&mut t, 640);
        p16(&mut t, 0);
        p16(&mut t, 0x0112);
        p16(&mut t, kind);
        p32(&mut t, 1);
        p16(&mut t, value);
        p16(&mut t, 0);
        p32(&mut t, 0);
        t
    }

    #[test]
    fn reads_orientation_in_both_byte_orders_and_rejects_nonsense() {
        let cases: &[(Vec<u8>, Option<u8>)] = &[
            (tiff(true, 3, 6), Some(6)),
            (tiff(false, 3, 8), Some(8)),
            (
                [b"Exif\0\0".as_slice(), &tiff(false, 3, 3)].concat(),
                Some(3),
            ),
            (tiff(true, 3, 0), None),
            (tiff(true, 3, 9), None),
            (tiff(true, 2, 6), None),
            (tiff(true, 3, 6)[..20].to_vec(), None),
            (b"II*\0\xff\xff\xff\xff".to_vec(), None),
            (Vec::new(), None),
        ];
        for (input, expected) in cases {
            assert_eq!(orientation(input), *expected, "{input:02x?}");
        }
    }
}
