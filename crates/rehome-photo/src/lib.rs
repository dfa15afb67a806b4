//! Rehome's photo pipeline: bytes in, bytes out. No files, no network, no UI.
//!
//! [`compress`] takes the bytes of a photo as a phone or camera wrote it and
//! returns a 1600 px (long edge) JPEG and a ~400 px thumbnail:
//!
//! 1. **sniff** the real format from the magic bytes ([`sniff`]): JPEG, PNG,
//!    WebP, HEIC/HEIF (feature `heic`, on by default). Anything else is refused
//!    with an error naming what was found.
//! 2. **bound** the work before allocating: input bytes, width/height/pixel
//!    count read from the header, and an estimate of decoder memory ([`Limits`]).
//! 3. **decode** JPEG with libjpeg-turbo at the smallest DCT scale (1/8, 1/4,
//!    1/2) whose long edge still covers the target. A YCbCr JPEG with no profile
//!    to convert stays in its own planes to the end (`compress_ycc`); CMYK/YCCK
//!    and grayscale JPEGs are converted to RGB; PNG 16-bit/palette/alpha and
//!    WebP (first frame of an animation) are normalised to 8-bit RGB, alpha
//!    flattened onto white.
//! 4. **colour**: an embedded RGB ICC profile that is not sRGB (Display P3 from
//!    iPhones, Adobe RGB from cameras) is applied with qcms, converting the
//!    pixels to sRGB; without a profile pixels are taken as sRGB. CMYK uses the
//!    naive formula (CMYK and grey profiles are ignored). The output carries no
//!    profile, which browsers and viewers read as sRGB.
//! 5. **resize** with Lanczos3 (fast_image_resize) to the long edge, never upscaling,
//!    then apply EXIF orientation 1..8 (on the small image, which is cheaper);
//!    the thumbnail is resized from the oriented photo.
//! 6. **encode** baseline JPEG with libjpeg-turbo, 4:2:0, standard Huffman
//!    tables, with no metadata at all: no EXIF, GPS, XMP, ICC, comments; only
//!    the JFIF header.
//!
//! Deterministic: the same bytes and settings give the same output bytes.
//! Never panics on input (fuzzed), and memory is bounded by [`Limits`].

mod colour;
mod error;
mod exif;
mod heic;
mod jpeg;
mod pixels;
mod png;
mod sniff;
mod turbo;
mod webp;

use sha2::{Digest, Sha256};

pub use error::PhotoError;
pub use jpeg::JpegInfo;
pub use sniff::{Format, sniff};

/// What to produce. [`Settings::default`] is the product's: 1600 / 400 / q80.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Long edge of the photo in pixels (never upscaled).
    pub max_edge: u32,
    /// Long edge of the thumbnail in pixels (never larger than the photo).
    pub thumb_edge: u32,
    /// JPEG quality, 1..=100.
    pub quality: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_edge: 1600,
            thumb_edge: 400,
            quality: 80,
        }
    }
}

impl Settings {
    /// Largest accepted `max_edge`.
    pub const MAX_EDGE: u32 = 8192;

    pub fn validate(&self) -> Result<(), PhotoError> {
        if !(1..=Self::MAX_EDGE).contains(&self.max_edge) {
            return Err(PhotoError::InvalidSettings(format!(
                "max edge must be 1..={}, got {}",
                Self::MAX_EDGE,
                self.max_edge
            )));
        }
        if !(1..=self.max_edge).contains(&self.thumb_edge) {
            return Err(PhotoError::InvalidSettings(format!(
                "thumb edge must be 1..={} (the max edge), got {}",
                self.max_edge, self.thumb_edge
            )));
        }
        if !(1..=100).contains(&self.quality) {
            return Err(PhotoError::InvalidSettings(format!(
                "quality must be 1..=100, got {}",
                self.quality
            )));
        }
        Ok(())
    }
}

/// Hard limits checked before any large allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Input size in bytes.
    pub max_input_bytes: usize,
    /// Width and height, each, read from the header.
    pub max_side: u32,
    /// Width × height, read from the header.
    pub max_pixels: u64,
    /// Estimated peak bytes for decoding (coefficients, planes, pixel buffers).
    pub max_decode_bytes: u64,
}

impl Default for Limits {
    /// 64 MiB of input; 16384 px a side; 64 MP (a 50 MP phone frame fits);
    /// 256 MiB of decoder memory. JPEGs decode at reduced scale, so their real
    /// peak is far lower (about 19 MiB for a 12 MP photo).
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_side: 16384,
            max_pixels: 64_000_000,
            max_decode_bytes: 256 << 20,
        }
    }
}

/// One encoded output: a baseline JPEG without metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub sha256: [u8; 32],
}

impl Encoded {
    /// Lowercase hex SHA-256 of [`Encoded::jpeg`].
    pub fn sha256_hex(&self) -> String {
        rehome_model::hex(&self.sha256)
    }

    /// Size of the JPEG in bytes.
    pub fn bytes(&self) -> usize {
        self.jpeg.len()
    }
}

/// What the input was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceInfo {
    pub format: Format,
    /// As stored (before orientation), in pixels.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation that was applied (1 when absent; HEIF rotations are
    /// applied by libheif and reported as 1).
    pub orientation: u8,
    /// An ICC profile was present and ignored (damaged, CMYK or grey, or too
    /// large): pixels treated as sRGB.
    pub icc_profile_ignored: bool,
    /// A non-sRGB RGB ICC profile (Display P3, Adobe RGB, ...) was applied:
    /// the pixels were converted to sRGB.
    pub icc_profile_converted: bool,
    /// An animation; only its first frame was used.
    pub animated: bool,
}

/// The pipeline's result: the photo, its thumbnail, and facts about the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compressed {
    pub photo: Encoded,
    pub thumb: Encoded,
    pub source: SourceInfo,
}

/// Run the whole pipeline on `input` (see the crate docs).
#[tracing::instrument(skip(input), fields(input_bytes = input.len()))]
pub fn compress(
    input: &[u8],
    settings: &Settings,
    limits: &Limits,
) -> Result<Compressed, PhotoError> {
    settings.validate()?;
    if input.len() > limits.max_input_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: input.len(),
            limit: limits.max_input_bytes,
        });
    }
    let format = sniff(input)?;
    let (image, mut source, icc) = match decode(input, format, settings.max_edge, limits)? {
        Decoded::Planes(planes) => return compress_ycc(planes, settings),
        Decoded::Rgb(image, source, icc) => (image, source, icc),
    };
    let (pw, ph) = pixels::fit(image.width, image.height, settings.max_edge);
    // orientation swaps axes for 5..=8: fit on the stored axes, then orient
    let photo = if (pw, ph) == (image.width, image.height) {
        image
    } else {
        let resized = pixels::resize(&image, pw, ph)?;
        drop(image);
        resized
    };
    // On the resized photo: the fewest pixels to convert.
    let mut photo = photo;
    match colour::to_srgb(&mut photo.data, icc.as_deref()) {
        colour::IccOutcome::Converted => source.icc_profile_converted = true,
        colour::IccOutcome::Ignored => source.icc_profile_ignored = true,
        colour::IccOutcome::Absent | colour::IccOutcome::Srgb => {}
    }
    let photo = pixels::orient(photo, source.orientation);
    let (tw, th) = pixels::fit(photo.width, photo.height, settings.thumb_edge);
    let thumb = pixels::resize(&photo, tw, th)?;
    let photo = encode(&photo, settings.quality)?;
    let thumb = encode(&thumb, settings.quality)?;
    Ok(compressed(photo, thumb, source, "RGB"))
}

fn compressed(photo: Encoded, thumb: Encoded, source: SourceInfo, route: &str) -> Compressed {
    tracing::debug!(
        format = %source.format,
        route,
        photo_bytes = photo.jpeg.len(),
        thumb_bytes = thumb.jpeg.len(),
        "compressed"
    );
    Compressed {
        photo,
        thumb,
        source,
    }
}

/// [`compress`] for a YCbCr JPEG whose colours need no conversion, on its own
/// planes: resize each to 4:2:0, orient, and encode the planes as they are. Half
/// the pixel memory of RGB, and no colour conversion either way.
fn compress_ycc(decoded: jpeg::DecodedYcc, settings: &Settings) -> Result<Compressed, PhotoError> {
    let jpeg::DecodedYcc {
        image,
        stored,
        orientation,
        icc,
    } = decoded;
    let (pw, ph) = pixels::fit(image.width, image.height, settings.max_edge);
    // orientation swaps axes for 5..=8: fit on the stored axes, then orient
    let photo = image.resize_420(pw, ph)?;
    drop(image);
    let photo = photo.orient(orientation);
    let (tw, th) = pixels::fit(photo.width, photo.height, settings.thumb_edge);
    let thumb = photo.resize_420(tw, th)?;
    let photo = encode_ycc(&photo, settings.quality)?;
    let thumb = encode_ycc(&thumb, settings.quality)?;
    let source = SourceInfo {
        format: Format::Jpeg,
        width: stored.0,
        height: stored.1,
        orientation,
        icc_profile_ignored: icc == colour::IccOutcome::Ignored,
        icc_profile_converted: false,
        animated: false,
    };
    Ok(compressed(photo, thumb, source, "YCbCr planes"))
}

/// Turns a JPEG this pipeline wrote by `quarter_turns` × 90° clockwise (0..=3;
/// other values wrap), with no metadata in the result.
///
/// When both sides are whole MCUs (multiples of 16 px for our 4:2:0 output, as
/// a 4:3 photo at 1600×1200 is) the turn is lossless: the DCT blocks are moved,
/// nothing is decoded, and `quality` is not used. Otherwise: decode at full
/// size, turn the pixels, encode again at `quality` with the same settings as
/// [`compress`] (baseline, 4:2:0), so the loss is one more JPEG generation.
/// Deterministic: the same bytes and turns give the same output bytes.
///
/// Any EXIF orientation in `jpeg` is applied first (our outputs have none), so
/// the result is upright as seen, then turned.
#[tracing::instrument(skip(jpeg), fields(input_bytes = jpeg.len()))]
pub fn rotate(
    jpeg: &[u8],
    quarter_turns: u8,
    quality: u8,
    limits: &Limits,
) -> Result<Encoded, PhotoError> {
    if !(1..=100).contains(&quality) {
        return Err(PhotoError::InvalidSettings(format!(
            "quality must be 1..=100, got {quality}"
        )));
    }
    if jpeg.len() > limits.max_input_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: jpeg.len(),
            limit: limits.max_input_bytes,
        });
    }
    match sniff(jpeg)? {
        Format::Jpeg => {}
        other => {
            return Err(PhotoError::UnsupportedFormat {
                found: format!("{} (a JPEG was expected)", other.name()),
            });
        }
    }
    // A photo this pipeline wrote (no EXIF orientation) whose sides are whole
    // MCUs turns in the DCT domain: no decode, no generation lost.
    let (info, orientation) = jpeg::frame_and_orientation(jpeg, limits)?;
    if !quarter_turns.is_multiple_of(4) && orientation == 1 {
        match turbo::turn_losslessly(jpeg, quarter_turns % 4) {
            Ok(turned) => {
                let (w, h) = if quarter_turns % 2 == 1 {
                    (info.height, info.width)
                } else {
                    (info.width, info.height)
                };
                return encoded(turned, w, h);
            }
            Err(err) => tracing::debug!(%err, "not a lossless turn; re-encoding"),
        }
    }
    let decoded = jpeg::decode(jpeg, u32::MAX, limits)?;
    let image = pixels::orient(decoded.image, decoded.orientation);
    // EXIF orientation values that turn clockwise by 90°, 180° and 270°.
    let turned = match quarter_turns % 4 {
        0 => image,
        1 => pixels::orient(image, 6),
        2 => pixels::orient(image, 3),
        _ => pixels::orient(image, 8),
    };
    encode(&turned, quality)
}

/// Cheap re-check that `input` is a baseline or progressive 8-bit JPEG within
/// `limits`, from its markers alone (no pixel decoding): SOI, well-formed
/// segments, a SOF0/1/2 frame header, a scan and an end-of-image marker.
/// Returns its stored dimensions. Meant for the server's upload check.
pub fn check_jpeg(input: &[u8], limits: &Limits) -> Result<JpegInfo, PhotoError> {
    if input.is_empty() {
        return Err(PhotoError::Empty);
    }
    match sniff(input) {
        Ok(Format::Jpeg) => jpeg::check(input, limits),
        Ok(other) => Err(PhotoError::UnsupportedFormat {
            found: format!("{} (a JPEG was expected)", other.name()),
        }),
        Err(err) => Err(err),
    }
}

/// What [`decode`] produced: a JPEG's own planes (see `compress_ycc`), or RGB
/// with facts about the source and its ICC profile, if any.
enum Decoded {
    Planes(jpeg::DecodedYcc),
    Rgb(pixels::Rgb8, SourceInfo, Option<Vec<u8>>),
}

fn decode(
    input: &[u8],
    format: Format,
    target_long_edge: u32,
    limits: &Limits,
) -> Result<Decoded, PhotoError> {
    let mut stored = None;
    let (image, orientation, icc, animated) = match format {
        Format::Jpeg => match jpeg::decode_for_compress(input, target_long_edge, limits)? {
            jpeg::Decoded::Planes(planes) => return Ok(Decoded::Planes(planes)),
            jpeg::Decoded::Rgb(d) => {
                stored = Some(d.stored);
                (d.image, d.orientation, d.icc_profile, false)
            }
        },
        Format::Png => {
            let d = png::decode(input, limits)?;
            (d.image, d.orientation, d.icc_profile, d.animated)
        }
        Format::Webp => {
            let d = webp::decode(input, limits)?;
            (d.image, d.orientation, d.icc_profile, d.animated)
        }
        Format::Heif => {
            let d = heic::decode(input, target_long_edge, limits)?;
            stored = Some(d.stored);
            (d.image, 1, d.icc_profile, false)
        }
    };
    let expected = image.width as usize * image.height as usize * 3;
    if image.width == 0 || image.height == 0 || image.data.len() != expected {
        return Err(PhotoError::corrupt(
            format.name(),
            "decoder returned no pixels",
        ));
    }
    let (width, height) = stored.unwrap_or((image.width, image.height));
    let source = SourceInfo {
        format,
        width,
        height,
        orientation,
        icc_profile_ignored: false,
        icc_profile_converted: false,
        animated,
    };
    Ok(Decoded::Rgb(image, source, icc))
}

pub(crate) fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), PhotoError> {
    let pixels = u64::from(width) * u64::from(height);
    if width > limits.max_side || height > limits.max_side {
        return Err(PhotoError::TooManyPixels {
            width: width.into(),
            height: height.into(),
            limit: format!("{} px a side", limits.max_side),
        });
    }
    if pixels > limits.max_pixels {
        return Err(PhotoError::TooManyPixels {
            width: width.into(),
            height: height.into(),
            limit: format!("{} pixels", limits.max_pixels),
        });
    }
    Ok(())
}

fn encode(image: &pixels::Rgb8, quality: u8) -> Result<Encoded, PhotoError> {
    let jpeg = turbo::encode_rgb(&image.data, image.width, image.height, quality)?;
    encoded(jpeg, image.width, image.height)
}

fn encode_ycc(image: &pixels::Ycc, quality: u8) -> Result<Encoded, PhotoError> {
    let jpeg = turbo::encode_ycc420(image, quality)?;
    encoded(jpeg, image.width, image.height)
}

fn encoded(jpeg: Vec<u8>, width: u32, height: u32) -> Result<Encoded, PhotoError> {
    // libjpeg-turbo honours TJ_OPTIMIZE, TJ_PROGRESSIVE, TJ_ARITHMETIC and
    // TJ_RESTART from the environment. Whatever they say, what leaves here must
    // be a JPEG the server's upload check accepts.
    jpeg::parse_header(&jpeg).map_err(|e| PhotoError::Encode(format!("the encoder wrote {e}")))?;
    let sha256: [u8; 32] = Sha256::digest(&jpeg).into();
    Ok(Encoded {
        jpeg,
        width,
        height,
        sha256,
    })
}

/// The JPEG stages one by one, for the `photo_stages` benchmark example that
/// shows where the time goes. Not part of the pipeline's API.
#[doc(hidden)]
pub mod stages {
    use crate::{Limits, PhotoError};

    /// The scaled decode [`crate::compress`] does: `(width, height, rgb)`.
    pub fn decode_jpeg(
        input: &[u8],
        target_long_edge: u32,
        limits: &Limits,
    ) -> Result<(u32, u32, Vec<u8>), PhotoError> {
        let d = crate::jpeg::decode(input, target_long_edge, limits)?;
        Ok((d.image.width, d.image.height, d.image.data))
    }

    /// The encode [`crate::compress`] does.
    pub fn encode_jpeg(
        rgb: &[u8],
        width: u32,
        height: u32,
        quality: u8,
    ) -> Result<Vec<u8>, PhotoError> {
        crate::turbo::encode_rgb(rgb, width, height, quality)
    }
}
