//! JPEG: a cheap marker walk (header check without decoding) and the scaled decode.

use crate::pixels::Rgb8;
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
    if data.len() < 4 {
        return Err(PhotoError::truncated(FORMAT, "shorter than a marker"));
    }
    if data[0..2] != [0xFF, 0xD8] {
        return Err(PhotoError::corrupt(FORMAT, "no start-of-image marker"));
    }
    let mut pos = 2;
    let mut info: Option<JpegInfo> = None;
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
                return Ok(info);
            }
            _ => {}
        }
        pos = seg_end;
    }
}

/// Header check plus the size limits: the cheap re-check used for uploads.
pub(crate) fn check(data: &[u8], limits: &Limits) -> Result<JpegInfo, PhotoError> {
    if data.len() > limits.max_input_bytes {
        return Err(PhotoError::TooManyBytes {
            bytes: data.len(),
            limit: limits.max_input_bytes,
        });
    }
    let info = parse_header(data)?;
    check_dimensions(info.width, info.height, limits)?;
    Ok(info)
}

pub(crate) struct DecodedJpeg {
    pub image: Rgb8,
    /// Full-size dimensions from the header (the image may be DCT-scaled).
    pub stored: (u32, u32),
    pub orientation: u8,
    /// The embedded ICC profile (APP2 chunks joined), if any.
    pub icc_profile: Option<Vec<u8>>,
}

/// Decode at the smallest DCT scale (1/8, 1/4, 1/2, 1) whose long edge still
/// covers `target_long_edge`, and convert to RGB.
pub(crate) fn decode(
    data: &[u8],
    target_long_edge: u32,
    limits: &Limits,
) -> Result<DecodedJpeg, PhotoError> {
    let info = check(data, limits)?;
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
    let out_w = u64::from((info.width * scale).div_ceil(8));
    let out_h = u64::from((info.height * scale).div_ceil(8));
    // planes + interleaved output at the scaled size, then RGB conversion
    let needed =
        coefficient_bytes + out_w * out_h * u64::from(info.components) * 2 + out_w * out_h * 3;
    if needed > limits.max_decode_bytes {
        return Err(PhotoError::MemoryLimit {
            limit: limits.max_decode_bytes,
        });
    }

    let mut decoder = jpeg_decoder::Decoder::new(data);
    decoder.set_max_decoding_buffer_size(
        usize::try_from(limits.max_decode_bytes).unwrap_or(usize::MAX),
    );
    // "covers in at least one axis": ask on the long axis only.
    let target16 = u16::try_from(target).unwrap_or(u16::MAX);
    let request = if info.width >= info.height {
        (target16, u16::MAX)
    } else {
        (u16::MAX, target16)
    };
    decoder
        .scale(request.0, request.1)
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let pixels = decoder
        .decode()
        .map_err(|e| map_error(e, limits.max_decode_bytes))?;
    let out = decoder
        .info()
        .ok_or_else(|| PhotoError::corrupt(FORMAT, "no frame after decoding"))?;
    let (w, h) = (u32::from(out.width), u32::from(out.height));
    let n = (w as usize) * (h as usize);
    use jpeg_decoder::PixelFormat;
    let rgb = match out.pixel_format {
        PixelFormat::RGB24 if pixels.len() >= n * 3 => {
            let mut pixels = pixels;
            pixels.truncate(n * 3);
            pixels
        }
        PixelFormat::L8 if pixels.len() >= n => crate::pixels::gray_to_rgb(&pixels[..n]),
        PixelFormat::CMYK32 if pixels.len() >= n * 4 => {
            crate::pixels::cmyk_to_rgb(&pixels[..n * 4])
        }
        PixelFormat::L16 => {
            return Err(PhotoError::UnsupportedVariant {
                format: FORMAT,
                detail: "16-bit samples".into(),
            });
        }
        _ => {
            return Err(PhotoError::corrupt(
                FORMAT,
                "decoder returned too few pixels",
            ));
        }
    };
    let orientation = decoder
        .exif_data()
        .and_then(crate::exif::orientation)
        .unwrap_or(1);
    Ok(DecodedJpeg {
        image: Rgb8 {
            width: w,
            height: h,
            data: rgb,
        },
        stored: (info.width, info.height),
        orientation,
        icc_profile: decoder.icc_profile(),
    })
}

fn map_error(err: jpeg_decoder::Error, limit: u64) -> PhotoError {
    match err {
        jpeg_decoder::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            PhotoError::truncated(FORMAT, "unexpected end of data")
        }
        jpeg_decoder::Error::Unsupported(feature) => PhotoError::UnsupportedVariant {
            format: FORMAT,
            detail: format!("{feature:?}"),
        },
        jpeg_decoder::Error::Format(msg) if msg.contains("exceeds maximum allowed size") => {
            PhotoError::MemoryLimit { limit }
        }
        other => PhotoError::corrupt(FORMAT, other.to_string()),
    }
}
