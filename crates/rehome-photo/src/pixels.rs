//! Pixel work on interleaved 8-bit RGB: colour conversion, alpha flattening,
//! EXIF orientation and resizing (fast_image_resize, Lanczos3).

use crate::PhotoError;

/// Interleaved 8-bit sRGB, 3 bytes per pixel, rows top to bottom, no padding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rgb8 {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

pub(crate) fn gray_to_rgb(gray: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(gray.len() * 3);
    for &g in gray {
        out.extend_from_slice(&[g, g, g]);
    }
    out
}

/// CMYK as an Adobe file stores it and libjpeg returns it (inverted: 255 = no
/// ink, 0 = full ink; YCCK files come out the same way) to RGB with the naive
/// formula, `rgb = (1 - ink) × (1 - black)`. No ICC colour management.
pub(crate) fn adobe_cmyk_to_rgb(cmyk: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(cmyk.len() / 4 * 3);
    for px in cmyk.chunks_exact(4) {
        let k = u32::from(px[3]);
        for &stored in &px[..3] {
            out.push(((u32::from(stored) * k + 127) / 255) as u8);
        }
    }
    out
}

/// Composite `channels`-per-pixel data with alpha last (2 = gray+alpha,
/// 4 = RGBA) onto white; 1 and 3 channels are converted without blending.
pub(crate) fn to_rgb_on_white(data: &[u8], channels: usize) -> Vec<u8> {
    fn over_white(c: u8, a: u8) -> u8 {
        let (c, a) = (u32::from(c), u32::from(a));
        ((c * a + 255 * (255 - a) + 127) / 255) as u8
    }
    match channels {
        1 => gray_to_rgb(data),
        2 => {
            let mut out = Vec::with_capacity(data.len() / 2 * 3);
            for px in data.chunks_exact(2) {
                let v = over_white(px[0], px[1]);
                out.extend_from_slice(&[v, v, v]);
            }
            out
        }
        4 => {
            let mut out = Vec::with_capacity(data.len() / 4 * 3);
            for px in data.chunks_exact(4) {
                out.extend_from_slice(&[
                    over_white(px[0], px[3]),
                    over_white(px[1], px[3]),
                    over_white(px[2], px[3]),
                ]);
            }
            out
        }
        _ => data.to_vec(),
    }
}

/// Apply EXIF orientation `1..=8` so the result is upright. Other values are
/// treated as 1.
pub(crate) fn orient(img: Rgb8, orientation: u8) -> Rgb8 {
    let (width, height, data) = orient_samples(img.data, img.width, img.height, 3, orientation);
    Rgb8 {
        width,
        height,
        data,
    }
}

/// [`orient`] for `channels` interleaved samples a pixel (1 for a plane).
fn orient_samples(
    data: Vec<u8>,
    width: u32,
    height: u32,
    channels: usize,
    orientation: u8,
) -> (u32, u32, Vec<u8>) {
    if !(2..=8).contains(&orientation) {
        return (width, height, data);
    }
    let (w, h) = (width as usize, height as usize);
    let transposed = orientation >= 5;
    let (ow, oh) = if transposed { (h, w) } else { (w, h) };
    let mut out = vec![0u8; w * h * channels];
    for y in 0..oh {
        for x in 0..ow {
            // the source pixel shown at (x, y) once upright
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x), // 8
            };
            let s = (sy * w + sx) * channels;
            let d = (y * ow + x) * channels;
            out[d..d + channels].copy_from_slice(&data[s..s + channels]);
        }
    }
    (ow as u32, oh as u32, out)
}

/// One 8-bit plane, rows top to bottom, no padding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plane {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// A JPEG's own YCbCr planes: Y at the image size, Cb and Cr at whatever
/// chroma subsampling the file (or [`Ycc::resize_420`]) gave them. Working on
/// these instead of RGB halves the pixel memory of a 4:2:0 photo and skips two
/// colour conversions; the values are the same sRGB-encoded YCbCr the encoder
/// would compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ycc {
    pub width: u32,
    pub height: u32,
    pub planes: [Plane; 3],
}

impl Ycc {
    /// Resize to `width`×`height` with 4:2:0 chroma (each chroma plane
    /// `ceil(width / 2)`×`ceil(height / 2)`), each plane with Lanczos3.
    pub(crate) fn resize_420(&self, width: u32, height: u32) -> Result<Ycc, PhotoError> {
        let chroma = (width.div_ceil(2), height.div_ceil(2));
        let resize = |plane: &Plane, (w, h): (u32, u32)| -> Result<Plane, PhotoError> {
            let data = if (plane.width, plane.height) == (w, h) {
                plane.data.clone()
            } else {
                resize_samples(&plane.data, 1, plane.width, plane.height, w, h)?
            };
            Ok(Plane {
                width: w,
                height: h,
                data,
            })
        };
        let [y, cb, cr] = &self.planes;
        Ok(Ycc {
            width,
            height,
            planes: [
                resize(y, (width, height))?,
                resize(cb, chroma)?,
                resize(cr, chroma)?,
            ],
        })
    }

    /// Apply EXIF orientation `1..=8` to every plane.
    pub(crate) fn orient(self, orientation: u8) -> Ycc {
        let turn = |p: Plane| {
            let (width, height, data) = orient_samples(p.data, p.width, p.height, 1, orientation);
            Plane {
                width,
                height,
                data,
            }
        };
        let [y, cb, cr] = self.planes;
        let y = turn(y);
        Ycc {
            width: y.width,
            height: y.height,
            planes: [y, turn(cb), turn(cr)],
        }
    }
}

/// Copy `rows` rows of `packed` bytes out of a buffer whose rows are `stride` apart.
pub(crate) fn pack_rows(data: &[u8], stride: usize, packed: usize, rows: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(packed.checked_mul(rows)?);
    for y in 0..rows {
        let start = y.checked_mul(stride)?;
        out.extend_from_slice(data.get(start..start.checked_add(packed)?)?);
    }
    Some(out)
}

/// The size that fits `long_edge` on the longer side, keeping the aspect ratio,
/// never larger than the input.
pub(crate) fn fit(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge {
        return (width, height);
    }
    let scale = |v: u32| -> u32 {
        let scaled = (u64::from(v) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        (scaled as u32).max(1)
    };
    if width >= height {
        (long_edge, scale(height))
    } else {
        (scale(width), long_edge)
    }
}

/// Destination rows resized per call in [`resize`].
const BAND_ROWS: u32 = 96;

/// Lanczos3 resize (in the sRGB-encoded values, like most thumbnailers) to
/// exactly `width`×`height`.
///
/// fast_image_resize keeps an intermediate image (destination width × source
/// height) for its two passes; to keep peak memory low we resize horizontal
/// bands of destination rows, each from the source rows it needs plus a margin
/// wider than the filter's reach, so the kernel never gets clipped at a band
/// edge and the result matches a one-shot resize.
pub(crate) fn resize(img: &Rgb8, width: u32, height: u32) -> Result<Rgb8, PhotoError> {
    if (img.width, img.height) == (width, height) {
        return Ok(img.clone());
    }
    resize_rgb(&img.data, img.width, img.height, width, height)
}

/// [`resize`] from borrowed, tightly packed RGB rows (`sw`×`sh`).
pub(crate) fn resize_rgb(
    data: &[u8],
    sw: u32,
    sh: u32,
    width: u32,
    height: u32,
) -> Result<Rgb8, PhotoError> {
    Ok(Rgb8 {
        width,
        height,
        data: resize_samples(data, 3, sw, sh, width, height)?,
    })
}

/// The banded Lanczos3 resize of `channels` (1 or 3) interleaved samples a
/// pixel, `sw`×`sh`, to `width`×`height`.
fn resize_samples(
    data: &[u8],
    channels: usize,
    sw: u32,
    sh: u32,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, PhotoError> {
    use fast_image_resize::images::{Image, ImageRef};
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let fail =
        |what: &str, e: &dyn std::fmt::Display| PhotoError::Encode(format!("resize {what}: {e}"));
    if data.len() < sw as usize * sh as usize * channels || width == 0 || height == 0 {
        return Err(PhotoError::Encode("resize: bad buffer or size".into()));
    }
    let pixel = if channels == 1 {
        PixelType::U8
    } else {
        PixelType::U8x3
    };
    let row_bytes = sw as usize * channels;
    let scale = f64::from(sh) / f64::from(height);
    let margin = (3.0 * scale.max(1.0)).ceil() as u32 + 2;
    let mut out = vec![0u8; width as usize * height as usize * channels];
    let mut resizer = Resizer::new();
    let alg = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut d0 = 0;
    while d0 < height {
        let d1 = (d0 + BAND_ROWS).min(height);
        let top = f64::from(d0) * scale;
        // d1 × (sh / height) can round to a hair over sh on the last band
        // (2001 rows to 1600: 2001.0000000000002), which fast_image_resize
        // refuses as a crop outside the image.
        let bottom = (f64::from(d1) * scale).min(f64::from(sh));
        let r0 = (top.floor() as u32).saturating_sub(margin);
        let r1 = (bottom.ceil() as u32 + margin).min(sh);
        let rows = &data[r0 as usize * row_bytes..r1 as usize * row_bytes];
        let src = ImageRef::new(sw, r1 - r0, rows, pixel).map_err(|e| fail("input", &e))?;
        let out_row = width as usize * channels;
        let band = &mut out[d0 as usize * out_row..d1 as usize * out_row];
        let mut dst =
            Image::from_slice_u8(width, d1 - d0, band, pixel).map_err(|e| fail("output", &e))?;
        let options = alg.crop(0.0, top - f64::from(r0), f64::from(sw), bottom - top);
        resizer
            .resize(&src, &mut dst, &options)
            .map_err(|e| fail("", &e))?;
        d0 = d1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_never_upscales_and_keeps_aspect() {
        let cases = [
            ((5640, 3172), 1600, (1600, 900)),
            ((3024, 4032), 1600, (1200, 1600)),
            ((800, 600), 1600, (800, 600)),
            ((1600, 1), 400, (400, 1)),
            ((1, 60000), 1600, (1, 1600)),
        ];
        for ((w, h), edge, expected) in cases {
            assert_eq!(fit(w, h, edge), expected, "{w}x{h} -> {edge}");
        }
    }

    #[test]
    fn banded_resize_matches_one_shot_resize() {
        use fast_image_resize::images::Image;
        use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
        // a busy pattern so any seam between bands would show
        let (sw, sh) = (517u32, 389u32);
        let data: Vec<u8> = (0..sw * sh * 3)
            .map(|i| ((u64::from(i) * 7919) % 251) as u8 ^ ((i / (sw * 3)) as u8).wrapping_mul(13))
            .collect();
        let img = Rgb8 {
            width: sw,
            height: sh,
            data: data.clone(),
        };
        for (w, h) in [(400, 301), (200, 150), (517, 100), (60, 389), (1, 1)] {
            let banded = resize(&img, w, h).unwrap();
            let src = Image::from_vec_u8(sw, sh, data.clone(), PixelType::U8x3).unwrap();
            let mut dst = Image::new(w, h, PixelType::U8x3);
            Resizer::new()
                .resize(
                    &src,
                    &mut dst,
                    &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
                )
                .unwrap();
            let max_diff = banded
                .data
                .iter()
                .zip(dst.buffer())
                .map(|(a, b)| a.abs_diff(*b))
                .max()
                .unwrap();
            assert!(max_diff <= 1, "{w}x{h}: max difference {max_diff}");
        }
    }

    #[test]
    fn flatten_onto_white() {
        assert_eq!(to_rgb_on_white(&[0, 0, 0, 0], 4), vec![255, 255, 255]);
        assert_eq!(to_rgb_on_white(&[10, 20, 30, 255], 4), vec![10, 20, 30]);
        assert_eq!(to_rgb_on_white(&[0, 128], 2), vec![127, 127, 127]);
    }

    #[test]
    fn cmyk_naive_conversion() {
        // stored inverted: 255 = no ink
        assert_eq!(
            adobe_cmyk_to_rgb(&[255, 255, 255, 255]),
            vec![255, 255, 255]
        );
        assert_eq!(adobe_cmyk_to_rgb(&[255, 0, 0, 255]), vec![255, 0, 0]);
        assert_eq!(adobe_cmyk_to_rgb(&[255, 255, 255, 0]), vec![0, 0, 0]);
        assert_eq!(adobe_cmyk_to_rgb(&[255, 255, 127, 127]), vec![127, 127, 63]);
    }
}
