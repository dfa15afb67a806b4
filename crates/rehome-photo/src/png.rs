//! PNG (and the default image of an APNG) through the `png` crate: 16-bit
//! stripped to 8, palette and low bit depths expanded, alpha flattened onto white.

use crate::pixels::Rgb8;
use crate::{Limits, PhotoError, check_dimensions};

const FORMAT: &str = "PNG";

pub(crate) struct DecodedPng {
    pub image: Rgb8,
    pub orientation: u8,
    pub icc_profile: Option<Vec<u8>>,
    pub animated: bool,
}

/// Width and height from IHDR, which must be the first chunk.
fn header_size(data: &[u8]) -> Result<(u32, u32), PhotoError> {
    let ihdr = data
        .get(8..24)
        .ok_or_else(|| PhotoError::truncated(FORMAT, "ends before the image header"))?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(PhotoError::corrupt(FORMAT, "first chunk is not IHDR"));
    }
    let w = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
    let h = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
    if w == 0 || h == 0 {
        return Err(PhotoError::corrupt(FORMAT, "zero width or height"));
    }
    Ok((w, h))
}

pub(crate) fn decode(data: &[u8], limits: &Limits) -> Result<DecodedPng, PhotoError> {
    let (w, h) = header_size(data)?;
    check_dimensions(w, h, limits)?;
    // worst case after normalising: RGBA 8-bit, plus our RGB copy
    let needed = u64::from(w) * u64::from(h) * (4 + 3);
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::MemoryLimit {
            limit: limits.max_decode_bytes,
        });
    }
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(data),
        png::Limits {
            bytes: usize::try_from(limits.max_decode_bytes).unwrap_or(usize::MAX),
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    let mut reader = decoder
        .read_info()
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let (orientation, icc_profile, animated) = {
        let info = reader.info();
        (
            info.exif_metadata
                .as_deref()
                .and_then(crate::exif::orientation)
                .unwrap_or(1),
            info.icc_profile.as_deref().map(<[u8]>::to_vec),
            info.animation_control.is_some(),
        )
    };
    let size = reader.output_buffer_size().ok_or(PhotoError::MemoryLimit {
        limit: limits.max_decode_bytes,
    })?;
    let mut buf = vec![0u8; size];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let (color, depth) = reader.output_color_type();
    if depth != png::BitDepth::Eight {
        return Err(PhotoError::corrupt(
            FORMAT,
            format!("unexpected bit depth {depth:?}"),
        ));
    }
    let channels = match color {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => {
            return Err(PhotoError::corrupt(FORMAT, "palette was not expanded"));
        }
    };
    let (fw, fh) = (frame.width, frame.height);
    let tight =
        crate::pixels::pack_rows(&buf, frame.line_size, fw as usize * channels, fh as usize)
            .ok_or_else(|| PhotoError::corrupt(FORMAT, "short frame buffer"))?;
    drop(buf);
    Ok(DecodedPng {
        image: Rgb8 {
            width: fw,
            height: fh,
            data: crate::pixels::to_rgb_on_white(&tight, channels),
        },
        orientation,
        icc_profile,
        animated,
    })
}

fn map_error(err: png::DecodingError, limit: u64) -> PhotoError {
    match err {
        png::DecodingError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            PhotoError::truncated(FORMAT, "unexpected end of data")
        }
        png::DecodingError::LimitsExceeded => PhotoError::MemoryLimit { limit },
        other => {
            let msg = other.to_string();
            if msg.contains("EOF") || msg.contains("end of") || msg.contains("No more data") {
                PhotoError::truncated(FORMAT, msg)
            } else {
                PhotoError::corrupt(FORMAT, msg)
            }
        }
    }
}
