//! HEIC/HEIF through the system libheif (feature `heic`). libheif applies the
//! container's rotation and mirror properties (irot/imir) itself, so EXIF
//! orientation is deliberately not applied again.

use crate::pixels::Rgb8;
use crate::{Limits, PhotoError, check_dimensions};

const FORMAT: &str = "HEIF";

pub(crate) struct DecodedHeif {
    pub image: Rgb8,
    pub had_icc_profile: bool,
}

#[cfg(feature = "heic")]
pub(crate) fn decode(data: &[u8], limits: &Limits) -> Result<DecodedHeif, PhotoError> {
    use libheif_rs::{ColorSpace, HeifContext, LibHeif, RgbChroma};
    let ctx = HeifContext::read_from_bytes(data).map_err(map_error)?;
    let handle = ctx.primary_image_handle().map_err(map_error)?;
    let (w, h) = (handle.width(), handle.height());
    if w == 0 || h == 0 {
        return Err(PhotoError::corrupt(FORMAT, "zero width or height"));
    }
    check_dimensions(w, h, limits)?;
    let channels: u64 = if handle.has_alpha_channel() { 4 } else { 3 };
    // decoded YCbCr planes + interleaved RGB(A) + our RGB copy
    let needed = u64::from(w) * u64::from(h) * (2 + channels + 3);
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::MemoryLimit {
            needed,
            limit: limits.max_decode_bytes,
        });
    }
    let had_icc_profile = handle.color_profile_raw().is_some();
    let chroma = if channels == 4 {
        RgbChroma::Rgba
    } else {
        RgbChroma::Rgb
    };
    let lib = LibHeif::new();
    let image = lib
        .decode(&handle, ColorSpace::Rgb(chroma), None)
        .map_err(map_error)?;
    let planes = image.planes();
    let plane = planes
        .interleaved
        .ok_or_else(|| PhotoError::corrupt(FORMAT, "no interleaved plane"))?;
    let (pw, ph) = (plane.width, plane.height);
    let packed = pw as usize * channels as usize;
    let mut tight = Vec::with_capacity(packed * ph as usize);
    for y in 0..ph as usize {
        let start = y * plane.stride;
        let line = plane
            .data
            .get(start..start + packed)
            .ok_or_else(|| PhotoError::corrupt(FORMAT, "short plane"))?;
        tight.extend_from_slice(line);
    }
    let data = if channels == 4 {
        crate::pixels::to_rgb_on_white(&tight, 4)
    } else {
        tight
    };
    Ok(DecodedHeif {
        image: Rgb8 {
            width: pw,
            height: ph,
            data,
        },
        had_icc_profile,
    })
}

#[cfg(feature = "heic")]
fn map_error(err: libheif_rs::HeifError) -> PhotoError {
    use libheif_rs::HeifErrorCode;
    let detail = format!("{} ({:?})", err.message, err.sub_code);
    match err.code {
        HeifErrorCode::UnsupportedFeature | HeifErrorCode::UnsupportedFileType => {
            PhotoError::UnsupportedVariant {
                format: FORMAT,
                detail,
            }
        }
        HeifErrorCode::MemoryAllocationError => PhotoError::MemoryLimit {
            needed: 0,
            limit: 0,
        },
        _ if matches!(err.sub_code, libheif_rs::HeifErrorSubCode::EndOfData) => {
            PhotoError::truncated(FORMAT, detail)
        }
        _ => PhotoError::corrupt(FORMAT, detail),
    }
}

#[cfg(not(feature = "heic"))]
pub(crate) fn decode(_data: &[u8], _limits: &Limits) -> Result<DecodedHeif, PhotoError> {
    let _ = check_dimensions;
    Err(PhotoError::UnsupportedVariant {
        format: FORMAT,
        detail: "HEIC support was not built in (cargo feature `heic`)".into(),
    })
}
