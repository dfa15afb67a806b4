//! JPEG: a cheap marker walk (header check without decoding, and the EXIF and
//! ICC segments) and the scaled decode through libjpeg-turbo ([`crate::turbo`]).

use crate::colour::{self, IccOutcome};
use crate::pixels::{Rgb8, Ycc};
use crate::turbo::{self, Layout};
use crate::{Limits, PhotoError, check_dimensions};

const FORMAT: &str = "JPEG";

/// What [`crate::check_jpeg`] learns from the markers, without decoding pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    /// `true` for progressive (SOF2), `false` for baseline/extended sequential (SOF0/SOF1).
    pub progressive: bool,
    /// 1 (grayscale), 3 (YCbCr/RGB) or 4 (CMYK/YCCK).
    pub components: u8,
}

/// Walk the markers from SOI to the first SOS, read the frame header, and make
/// sure an EOI marker follows the entropy-coded data (so a cut-off file is
/// reported as truncated instead of decoding to a grey bottom half).
pub(crate) fn parse_header(data: &[u8]) -> Result<JpegInfo, PhotoError> {
    parse(data).map(|header| header.info)
}

/// What the marker walk finds: the frame, and the metadata segments the
/// pipeline reads (and never writes back).
struct Header<'a> {
    info: JpegInfo,
    /// The first APP1 `Exif\0\0` payload.
    exif: Option<&'a [u8]>,
    /// APP2 `ICC_PROFILE\0` chunks: (sequence number, count, bytes).
    icc_chunks: Vec<(u8, u8, &'a [u8])>,
}

impl Header<'_> {
    /// EXIF orientation 1..=8, 1 when absent or invalid.
    fn orientation(&self) -> u8 {
        self.exif.and_then(crate::exif::orientation).unwrap_or(1)
    }

    /// The ICC profile, its chunks joined in order; `None` when absent or when
    /// the chunks do not form one whole profile (a gap, a repeat, mixed counts).
    fn icc_profile(&self) -> Option<Vec<u8>> {
        let count = self.icc_chunks.first()?.1;
        if count == 0 || self.icc_chunks.len() != usize::from(count) {
            return None;
        }
        let mut chunks = self.icc_chunks.clone();
        chunks.sort_by_key(|c| c.0);
        let in_order = chunks
            .iter()
            .enumerate()
            .all(|(i, c)| usize::from(c.0) == i + 1 && c.1 == count);
        in_order.then(|| chunks.iter().flat_map(|c| c.2.iter().copied()).collect())
    }
}

fn parse(data: &[u8]) -> Result<Header<'_>, PhotoError> {
    if data.len() < 4 {
        return Err(PhotoError::truncated(FORMAT, "shorter than a marker"));
    }
    if data[0..2] != [0xFF, 0xD8] {
        return Err(PhotoError::corrupt(FORMAT, "no start-of-image marker"));
    }
    let mut pos = 2;
    let mut info: Option<JpegInfo> = None;
    let mut exif = None;
    let mut icc_chunks = Vec::new();
    loop {
        // markers may be preceded by any number of 0xFF fill bytes
        if pos >= data.len() {
            return Err(PhotoError::truncated(FORMAT, "ends inside the header"));
        }
        if data[pos] != 0xFF {
            return Err(PhotoError::corrupt(
                FORMAT,
                format!("expected a marker at byte {pos}"),
            ));
        }
        while pos < data.len() && data[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = data.get(pos) else {
            return Err(PhotoError::truncated(FORMAT, "ends inside the header"));
        };
        pos += 1;
        match marker {
            0x01 | 0xD0..=0xD7 => continue, // standalone markers
            0xD8 => {
                return Err(PhotoError::corrupt(
                    FORMAT,
                    "a second start-of-image marker",
                ));
            }
            0xD9 => {
                return Err(PhotoError::corrupt(
                    FORMAT,
                    "end of image before any image data",
                ));
            }
            0x00 => return Err(PhotoError::corrupt(FORMAT, "stray 0xFF00 in the header")),
            _ => {}
        }
        let Some(len) = data.get(pos..pos + 2) else {
            return Err(PhotoError::truncated(
                FORMAT,
                "ends inside a segment length",
            ));
        };
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        if len < 2 {
            return Err(PhotoError::corrupt(FORMAT, "segment length below 2"));
        }
        let body_start = pos + 2;
        let seg_end = pos + len;
        if seg_end > data.len() {
            return Err(PhotoError::truncated(
                FORMAT,
                "ends inside a header segment",
            ));
        }
        let body = &data[body_start..seg_end];
        match marker {
            0xC0..=0xC2 => {
                if info.is_some() {
                    return Err(PhotoError::corrupt(FORMAT, "more than one frame header"));
                }
                if body.len() < 6 {
                    return Err(PhotoError::corrupt(FORMAT, "frame header too short"));
                }
                let precision = body[0];
                let height = u32::from(u16::from_be_bytes([body[1], body[2]]));
                let width = u32::from(u16::from_be_bytes([body[3], body[4]]));
                let components = body[5];
                if precision != 8 {
                    return Err(PhotoError::UnsupportedVariant {
                        format: FORMAT,
                        detail: format!("{precision}-bit samples"),
                    });
                }
                if width == 0 || height == 0 {
                    return Err(PhotoError::corrupt(FORMAT, "zero width or height"));
                }
                if !matches!(components, 1 | 3 | 4) {
                    return Err(PhotoError::corrupt(
                        FORMAT,
                        format!("{components} colour components"),
                    ));
                }
                if body.len() < 6 + 3 * usize::from(components) {
                    return Err(PhotoError::corrupt(FORMAT, "frame header too short"));
                }
                info = Some(JpegInfo {
                    width,
                    height,
                    progressive: marker == 0xC2,
                    components,
                });
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                let kind = match marker {
                    0xC3 => "lossless",
                    0xC5..=0xC7 => "hierarchical",
                    _ => "arithmetic-coded",
                };
                return Err(PhotoError::UnsupportedVariant {
                    format: FORMAT,
                    detail: format!("{kind} JPEG"),
                });
            }
            0xDA => {
                let Some(info) = info else {
                    return Err(PhotoError::corrupt(FORMAT, "scan before the frame header"));
                };
                // Entropy-coded data stuffs 0xFF as FF 00, so the first FF D9 after
                // the scan header is the end of image.
                let scan = &data[seg_end..];
                if !scan.windows(2).any(|w| w == [0xFF, 0xD9]) {
                    return Err(PhotoError::truncated(FORMAT, "no end-of-image marker"));
                }
                return Ok(Header {
                    info,
                    exif,
                    icc_chunks,
                });
            }
            0xE1 if exif.is_none() && body.starts_with(b"Exif\0\0") => exif = Some(body),
            0xE2 if body.len() >= 14 && body.starts_with(b"ICC_PROFILE\0") => {
                icc_chunks.push((body[12], body[13], &body[14..]));
            }
            _ => {}
        }
        pos = seg_end;
    }
}

/// [`check`] plus the EXIF orientation (1 when absent).
pub(crate) fn frame_and_orientation(
    data: &[u8],
    limits: &Limits,
) -> Result<(JpegInfo, u8), PhotoError> {
    let header = checked(data, limits)?;
    Ok((header.info, header.orientation()))
}

/// Header check plus the size limits: the cheap re-check used for uploads.
pub(crate) fn check(data: &[u8], limits: &Limits) -> Result<JpegInfo, PhotoError> {
    checked(data, limits).map(|header| header.info)
}

/// The marker walk, after the byte limit and followed by the frame limits.
fn checked<'a>(data: &'a [u8], limits: &Limits) -> Result<Header<'a>, PhotoError> {
    if data.len() > limits.max_input_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: data.len(),
            limit: limits.max_input_bytes,
        });
    }
    let header = parse(data)?;
    check_dimensions(header.info.width, header.info.height, limits)?;
    Ok(header)
}

pub(crate) struct DecodedJpeg {
    pub image: Rgb8,
    /// Full-size dimensions from the header (the image may be DCT-scaled).
    pub stored: (u32, u32),
    pub orientation: u8,
    /// The embedded ICC profile (APP2 chunks joined), if any.
    pub icc_profile: Option<Vec<u8>>,
}

/// The planes of a YCbCr JPEG whose colours need no conversion, decoded at
/// the same scale as [`decode`].
pub(crate) struct DecodedYcc {
    pub image: Ycc,
    /// Full-size dimensions from the header (the image may be DCT-scaled).
    pub stored: (u32, u32),
    pub orientation: u8,
    /// What was done about an embedded ICC profile: absent, sRGB, or ignored.
    pub icc: IccOutcome,
}

/// The header, checked against the limits, and the libjpeg output size for
/// the smallest DCT scale (1/8, 1/4, 1/2, 1) whose long edge still covers
/// `target_long_edge`.
fn prepare<'a>(
    data: &'a [u8],
    target_long_edge: u32,
    limits: &Limits,
) -> Result<(Header<'a>, u32, u32), PhotoError> {
    let header = checked(data, limits)?;
    let info = header.info;
    let long = info.width.max(info.height);
    let target = target_long_edge.min(long);
    // Progressive files keep every DCT coefficient of the full image in memory.
    let coefficient_bytes = if info.progressive {
        u64::from(info.width) * u64::from(info.height) * u64::from(info.components) * 2
    } else {
        0
    };
    let scale = [1u32, 2, 4, 8]
        .into_iter()
        .find(|s| (long * s).div_ceil(8) >= target)
        .unwrap_or(8);
    // libjpeg's scaled size: ceil(side × scale / 8).
    let (w, h) = (
        (info.width * scale).div_ceil(8),
        (info.height * scale).div_ceil(8),
    );
    let (out_w, out_h) = (u64::from(w), u64::from(h));
    // row buffers + the output at the scaled size, then RGB conversion
    let needed =
        coefficient_bytes + out_w * out_h * u64::from(info.components) * 2 + out_w * out_h * 3;
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::MemoryLimit {
            limit: limits.max_decode_bytes,
        });
    }
    Ok((header, w, h))
}

/// Decode at the smallest DCT scale (1/8, 1/4, 1/2, 1) whose long edge still
/// covers `target_long_edge`, and convert to RGB.
pub(crate) fn decode(
    data: &[u8],
    target_long_edge: u32,
    limits: &Limits,
) -> Result<DecodedJpeg, PhotoError> {
    let (header, w, h) = prepare(data, target_long_edge, limits)?;
    decode_rgb(data, &header, w, h)
}

/// What [`decode_for_compress`] chose.
pub(crate) enum Decoded {
    Planes(DecodedYcc),
    Rgb(DecodedJpeg),
}

/// [`decode`], but to the file's own YCbCr planes in the common case: three
/// components coded as YCbCr, and no ICC profile that needs converting. RGB
/// for anything else. The header is walked once either way.
pub(crate) fn decode_for_compress(
    data: &[u8],
    target_long_edge: u32,
    limits: &Limits,
) -> Result<Decoded, PhotoError> {
    let (header, w, h) = prepare(data, target_long_edge, limits)?;
    if header.info.components == 3
        && let Some(icc) = colour::left_as_is(header.icc_profile().as_deref())
        && let Some(image) = turbo::decode_ycc(data, w, h)?
    {
        return Ok(Decoded::Planes(DecodedYcc {
            image,
            stored: (header.info.width, header.info.height),
            orientation: header.orientation(),
            icc,
        }));
    }
    decode_rgb(data, &header, w, h).map(Decoded::Rgb)
}

/// Decode to RGB at `w`×`h`, the scaled size [`prepare`] chose for `header`.
fn decode_rgb(data: &[u8], header: &Header, w: u32, h: u32) -> Result<DecodedJpeg, PhotoError> {
    let rgb = if header.info.components == 4 {
        let cmyk = turbo::decode(data, w, h, Layout::AdobeCmyk)?;
        crate::pixels::adobe_cmyk_to_rgb(&cmyk)
    } else {
        turbo::decode(data, w, h, Layout::Rgb)?
    };
    Ok(DecodedJpeg {
        image: Rgb8 {
            width: w,
            height: h,
            data: rgb,
        },
        stored: (header.info.width, header.info.height),
        orientation: header.orientation(),
        icc_profile: header.icc_profile(),
    })
}
