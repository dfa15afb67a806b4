//! HEIC/HEIF through the system libheif (feature `heic`). libheif applies the
//! container's rotation and mirror properties (irot/imir) itself, so EXIF
//! orientation is deliberately not applied again.

use crate::pixels::Rgb8;
use crate::{Limits, PhotoError, check_dimensions};

const FORMAT: &str = "HEIF";

pub(crate) struct DecodedHeif {
    pub image: Rgb8,
    /// Full-size dimensions (after libheif's rotation); `image` may be smaller.
    pub stored: (u32, u32),
    pub icc_profile: Option<Vec<u8>>,
}

#[cfg(feature = "heic")]
/// Decode the primary image. libheif has no reduced-size decode, so when the
/// image is opaque and its rows are tightly packed, it is resized to
/// `target_long_edge` straight from libheif's buffer (saving a full-size copy).
pub(crate) fn decode(
    data: &[u8],
    target_long_edge: u32,
    limits: &Limits,
) -> Result<DecodedHeif, PhotoError> {
    use libheif_rs::{ColorSpace, HeifContext, LibHeif, RgbChroma};
    let ctx =
        HeifContext::read_from_bytes(data).map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let handle = ctx
        .primary_image_handle()
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let (w, h) = (handle.width(), handle.height());
    if w == 0 || h == 0 {
        return Err(PhotoError::corrupt(FORMAT, "zero width or height"));
    }
    check_dimensions(w, h, limits)?;
    let channels: u64 = if handle.has_alpha_channel() { 4 } else { 3 };
    // decoded YCbCr planes + interleaved RGB(A) + (for alpha) our RGB copy
    let needed = u64::from(w) * u64::from(h) * (2 + channels + 3);
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::MemoryLimit {
            limit: limits.max_decode_bytes,
        });
    }
    let icc_profile = handle.color_profile_raw().map(|p| p.data);
    let chroma = if channels == 4 {
        RgbChroma::Rgba
    } else {
        RgbChroma::Rgb
    };
    let lib = LibHeif::new();
    let image = lib
        .decode(&handle, ColorSpace::Rgb(chroma), None)
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let planes = image.planes();
    let plane = planes
        .interleaved
        .ok_or_else(|| PhotoError::corrupt(FORMAT, "no interleaved plane"))?;
    let (pw, ph) = (plane.width, plane.height);
    let packed = pw as usize * channels as usize;
    let image = if channels == 3 && plane.stride == packed {
        let (tw, th) = crate::pixels::fit(pw, ph, target_long_edge);
        crate::pixels::resize_rgb(plane.data, pw, ph, tw, th)?
    } else {
        let tight = crate::pixels::pack_rows(plane.data, plane.stride, packed, ph as usize)
            .ok_or_else(|| PhotoError::corrupt(FORMAT, "short plane"))?;
        let data = if channels == 4 {
            crate::pixels::to_rgb_on_white(&tight, 4)
        } else {
            tight
        };
        Rgb8 {
            width: pw,
            height: ph,
            data,
        }
    };
    Ok(DecodedHeif {
        image,
        stored: (pw, ph),
        icc_profile,
    })
}

#[cfg(feature = "heic")]
fn map_error(err: libheif_rs::HeifError, limit: u64) -> PhotoError {
    use libheif_rs::HeifErrorCode;
    let detail = format!("{} ({:?})", err.message, err.sub_code);
    match err.code {
        HeifErrorCode::UnsupportedFeature | HeifErrorCode::UnsupportedFileType => {
            PhotoError::UnsupportedVariant {
                format: FORMAT,
                detail,
            }
        }
        HeifErrorCode::MemoryAllocationError => PhotoError::MemoryLimit { limit },
        _ if matches!(err.sub_code, libheif_rs::HeifErrorSubCode::EndOfData) => {
            PhotoError::truncated(FORMAT, detail)
        }
        _ => PhotoError::corrupt(FORMAT, detail),
    }
}

#[cfg(not(feature = "heic"))]
pub(crate) fn decode(
    _data: &[u8],
    _target_long_edge: u32,
    _limits: &Limits,
) -> Result<DecodedHeif, PhotoError> {
    let _ = check_dimensions;
    Err(PhotoError::UnsupportedVariant {
        format: FORMAT,
        detail: "HEIC support was not built in (cargo feature `heic`)".into(),
    })
}
