//! WebP (lossy, lossless, alpha; the first frame of an animation) through image-webp.

use crate::pixels::Rgb8;
use crate::{Limits, PhotoError, check_dimensions};

const FORMAT: &str = "WebP";

pub(crate) struct DecodedWebp {
    pub image: Rgb8,
    pub orientation: u8,
    pub icc_profile: Option<Vec<u8>>,
    pub animated: bool,
}

pub(crate) fn decode(data: &[u8], limits: &Limits) -> Result<DecodedWebp, PhotoError> {
    // The RIFF header says how long the file is: a shorter file was cut off.
    let riff_len = data
        .get(4..8)
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])) + 8);
    if riff_len.is_some_and(|len| len > data.len() as u64) || data.len() < 20 {
        return Err(PhotoError::truncated(
            FORMAT,
            "shorter than its RIFF header says",
        ));
    }
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(data))
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let (w, h) = decoder.dimensions();
    check_dimensions(w, h, limits)?;
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    let needed = u64::from(w) * u64::from(h) * (channels + 3);
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::MemoryLimit {
            limit: limits.max_decode_bytes,
        });
    }
    decoder.set_memory_limit(usize::try_from(limits.max_decode_bytes).unwrap_or(usize::MAX));
    let animated = decoder.is_animated();
    if animated && decoder.num_frames() == 0 {
        return Err(PhotoError::corrupt(FORMAT, "animation without frames"));
    }
    let orientation = decoder
        .exif_metadata()
        .ok()
        .flatten()
        .as_deref()
        .and_then(crate::exif::orientation)
        .unwrap_or(1);
    let icc_profile = decoder.icc_profile().ok().flatten();
    let size = decoder
        .output_buffer_size()
        .ok_or_else(|| PhotoError::corrupt(FORMAT, "image size overflows"))?;
    let mut buf = vec![0u8; size];
    decoder
        .read_image(&mut buf)
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let data = if channels == 4 {
        crate::pixels::to_rgb_on_white(&buf, 4)
    } else {
        buf
    };
    Ok(DecodedWebp {
        image: Rgb8 {
            width: w,
            height: h,
            data,
        },
        orientation,
        icc_profile,
        animated,
    })
}

fn map_error(err: image_webp::DecodingError, limit: u64) -> PhotoError {
    match err {
        image_webp::DecodingError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            PhotoError::truncated(FORMAT, "unexpected end of data")
        }
        image_webp::DecodingError::ImageTooLarge
        | image_webp::DecodingError::MemoryLimitExceeded => PhotoError::MemoryLimit { limit },
        other => PhotoError::corrupt(FORMAT, other.to_string()),
    }
}
