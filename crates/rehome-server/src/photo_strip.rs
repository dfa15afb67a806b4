//! Camera metadata out of uploaded JPEGs, losslessly: the app strips its
//! photos itself, but a third-party client's bytes may carry EXIF (GPS,
//! camera serials), XMP, IPTC and maker notes, which we would then serve to
//! anyone. Every APPn segment but JFIF (APP0), the ICC profile (APP2) and
//! Adobe's colour transform (APP14) goes; the EXIF orientation, which says
//! how to show the pixels, is kept in a minimal EXIF block of its own.
//! Comments (COM) stay: a client writes them on purpose, no camera does
//! behind the seller's back. The entropy-coded data is copied as it is.

/// `bytes` without metadata (the same bytes when there was none), or why
/// the marker stream cannot be walked.
pub fn strip_metadata(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    if bytes.len() < 4 || bytes[..2] != [0xFF, 0xD8] {
        return Err("not a JPEG (no SOI marker)");
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut i = 2;
    loop {
        if i + 2 > bytes.len() || bytes[i] != 0xFF {
            return Err("damaged JPEG marker stream");
        }
        let marker = bytes[i + 1];
        match marker {
            // Fill bytes before a marker.
            0xFF => {
                i += 1;
                continue;
            }
            // Start of scan: the rest is image data (and whatever follows
            // it), copied as it is.
            0xDA => {
                out.extend_from_slice(&bytes[i..]);
                return Ok(out);
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&bytes[i..i + 2]);
                i += 2;
                continue;
            }
            0xD9 => return Err("no image data"),
            _ => {}
        }
        if i + 4 > bytes.len() {
            return Err("truncated JPEG segment");
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 || i + 2 + len > bytes.len() {
            return Err("truncated JPEG segment");
        }
        let segment = &bytes[i..i + 2 + len];
        let payload = &segment[4..];
        let keep = match marker {
            0xE0 => payload.starts_with(b"JFIF\0"),
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xEE => payload.starts_with(b"Adobe"),
            0xE1 => {
                if let Some(o) = payload
                    .strip_prefix(b"Exif\0\0")
                    .and_then(orientation)
                    .filter(|&o| o != 1)
                {
                    out.extend_from_slice(&orientation_only(o));
                }
                false
            }
            0xE3..=0xED | 0xEF => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(segment);
        }
        i += 2 + len;
    }
}

/// EXIF orientation (tag 0x0112 of IFD0), 1..=8, from a TIFF block.
fn orientation(tiff: &[u8]) -> Option<u16> {
    let little = match tiff.get(..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b = tiff.get(at..at.checked_add(2)?)?;
        let b = [b[0], b[1]];
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let first = tiff.get(4..8)?;
    let first = [first[0], first[1], first[2], first[3]];
    let ifd = usize::try_from(if little {
        u32::from_le_bytes(first)
    } else {
        u32::from_be_bytes(first)
    })
    .ok()?;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries).find_map(|n| {
        let at = ifd.checked_add(2)?.checked_add(n.checked_mul(12)?)?;
        // SHORT, one value: the value sits in the entry itself.
        (u16_at(at)? == 0x0112 && u16_at(at + 2)? == 3)
            .then(|| u16_at(at + 8))
            .flatten()
            .filter(|v| (1..=8).contains(v))
    })
}

/// An APP1 segment holding only an EXIF orientation (big-endian TIFF, one
/// IFD, one entry).
fn orientation_only(o: u16) -> Vec<u8> {
    let mut seg = vec![0xFF, 0xE1, 0, 34];
    seg.extend_from_slice(b"Exif\0\0MM\0*\0\0\0\x08\0\x01");
    seg.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    seg.extend_from_slice(&o.to_be_bytes());
    seg.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    seg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = (payload.len() + 2) as u16;
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    /// A TIFF block with a GPS-looking entry and an orientation.
    fn exif(orientation: u16) -> Vec<u8> {
        let mut t = b"Exif\0\0II*\0\x08\0\0\0\x02\0".to_vec();
        t.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0]);
        t.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
        t.extend_from_slice(&orientation.to_le_bytes());
        t.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        t.extend_from_slice(b"GPS 59.3293N 18.0686E");
        t
    }

    #[test]
    fn metadata_goes_and_the_image_and_its_orientation_stay() {
        let jfif = segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let icc = segment(0xE2, b"ICC_PROFILE\0\x01\x01profile");
        let dqt = segment(0xDB, &[0; 65]);
        let sof = segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        let scan = [0xFF, 0xDA, 0, 2, 0x12, 0x34, 0xFF, 0x00, 0xFF, 0xD9];
        let whole = |extra: &[Vec<u8>]| {
            let mut j = vec![0xFF, 0xD8];
            j.extend_from_slice(&jfif);
            for e in extra {
                j.extend_from_slice(e);
            }
            j.extend_from_slice(&icc);
            j.extend_from_slice(&dqt);
            j.extend_from_slice(&sof);
            j.extend_from_slice(&scan);
            j
        };
        let clean = whole(&[]);
        assert_eq!(strip_metadata(&clean).unwrap(), clean);
        let dirty = whole(&[
            segment(0xE1, &exif(6)),
            segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"),
            segment(0xED, b"Photoshop 3.0\0IPTC"),
            segment(0xFE, b"a comment the client wrote"),
        ]);
        let stripped = strip_metadata(&dirty).unwrap();
        assert_eq!(
            stripped,
            whole(&[
                orientation_only(6),
                segment(0xFE, b"a comment the client wrote")
            ])
        );
        assert_eq!(orientation(&orientation_only(6)[10..]), Some(6));
        // Upright photos need no EXIF at all.
        assert_eq!(
            strip_metadata(&whole(&[segment(0xE1, &exif(1))])).unwrap(),
            clean
        );
        assert_eq!(strip_metadata(b"GIF89a"), Err("not a JPEG (no SOI marker)"));
        assert_eq!(
            strip_metadata(&[0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0]),
            Err("truncated JPEG segment")
        );
    }
}
