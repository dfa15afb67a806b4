//! What makes uploaded bytes a photo we keep: a JPEG whose markers we walk
//! ourselves (never trusting client metadata), within the pixel limit, decoded
//! only once its header is accepted; and its ~400 px thumbnail.

use crate::Limits;
use crate::problem::Problem;
use axum::http::StatusCode;
use rehome_model::ErrorCode;

const THUMB_EDGE: u32 = 400;

/// Width, height and component count from a JPEG's frame header, walking the
/// markers ourselves (the decoder is only trusted with headers we accept).
pub fn jpeg_header(bytes: &[u8]) -> Result<(u32, u32, u8), &'static str> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err("not a JPEG (no SOI marker)");
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err("damaged JPEG marker stream");
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 || i + 2 + len > bytes.len() {
            return Err("truncated JPEG segment");
        }
        match marker {
            0xC0..=0xC2 => {
                let seg = &bytes[i + 4..i + 2 + len];
                if seg.len() < 6 {
                    return Err("short frame header");
                }
                if seg[0] != 8 {
                    return Err("only 8-bit JPEGs are accepted");
                }
                let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                let components = seg[5];
                if width == 0 || height == 0 {
                    return Err("a JPEG with no pixels");
                }
                if components != 1 && components != 3 {
                    return Err("only greyscale and colour JPEGs are accepted");
                }
                return Ok((width, height, components));
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err("unsupported JPEG coding (lossless or arithmetic)");
            }
            0xD9 | 0xDA => return Err("no frame header before the image data"),
            _ => i += 2 + len,
        }
    }
    Err("no frame header")
}

/// Checks `bytes` are a JPEG within `limits`; returns (width, height, thumbnail JPEG).
pub fn check_and_thumbnail(bytes: &[u8], limits: &Limits) -> Result<(u32, u32, Vec<u8>), Problem> {
    let bad = |m: &str| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadPhoto,
            m.to_owned(),
        )
    };
    let (width, height, _) = jpeg_header(bytes).map_err(bad)?;
    if u64::from(width) * u64::from(height) > limits.max_photo_pixels {
        return Err(bad("The photo has too many pixels"));
    }
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(limits.max_photo_pixels as usize * 3);
    decoder
        .read_info()
        .map_err(|_| bad("The JPEG header is damaged"))?;
    let scale_to = |v: u32| v.min(u32::from(u16::MAX)) as u16;
    let (tw, th) = fit(width, height, THUMB_EDGE);
    decoder
        .scale(scale_to(tw), scale_to(th))
        .map_err(|_| bad("The JPEG cannot be scaled"))?;
    let pixels = decoder
        .decode()
        .map_err(|_| bad("The JPEG data is damaged"))?;
    let info = decoder
        .info()
        .ok_or_else(|| bad("The JPEG header is damaged"))?;
    let (sw, sh) = (u32::from(info.width), u32::from(info.height));
    let rgb: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
        _ => return Err(bad("Unsupported JPEG pixel format")),
    };
    if rgb.len() < (sw * sh * 3) as usize {
        return Err(bad("The JPEG data is short"));
    }
    let (tw, th) = fit(sw, sh, THUMB_EDGE);
    let small = box_resize(&rgb, sw, sh, tw, th);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 80);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.encode(&small, tw as u16, th as u16, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| Problem::internal(e.to_string()))?;
    Ok((width, height, out))
}

/// The size that fits `w`×`h` within `edge` on its long side (never upscaled).
fn fit(w: u32, h: u32, edge: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= edge {
        return (w.max(1), h.max(1));
    }
    (
        ((u64::from(w) * u64::from(edge) / u64::from(long)) as u32).max(1),
        ((u64::from(h) * u64::from(edge) / u64::from(long)) as u32).max(1),
    )
}

/// Area-average resize of packed RGB8.
fn box_resize(src: &[u8], sw: u32, sh: u32, dw: u32, dh: u32) -> Vec<u8> {
    let mut out = vec![0u8; (dw * dh * 3) as usize];
    for y in 0..dh {
        let y0 = y * sh / dh;
        let y1 = ((y + 1) * sh / dh).max(y0 + 1).min(sh);
        for x in 0..dw {
            let x0 = x * sw / dw;
            let x1 = ((x + 1) * sw / dw).max(x0 + 1).min(sw);
            let mut acc = [0u32; 3];
            for yy in y0..y1 {
                for xx in x0..x1 {
                    let i = ((yy * sw + xx) * 3) as usize;
                    acc[0] += u32::from(src[i]);
                    acc[1] += u32::from(src[i + 1]);
                    acc[2] += u32::from(src[i + 2]);
                }
            }
            let n = (y1 - y0) * (x1 - x0);
            let o = ((y * dw + x) * 3) as usize;
            for c in 0..3 {
                out[o + c] = (acc[c] / n) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_headers_are_parsed_and_hostile_ones_refused() {
        let good = crate::render::render_jpeg(
            &crate::render::Shot {
                garment: crate::render::Garment::Bag,
                colour: [0.5, 0.2, 0.2],
                background: [0.9, 0.9, 0.9],
                pattern: crate::render::Pattern::Solid,
                view: 0,
                seed: 1,
            },
            90,
            120,
            80,
        )
        .unwrap();
        assert_eq!(jpeg_header(&good), Ok((90, 120, 3)));
        let check = |bytes: &[u8], expected: &str| {
            assert_eq!(jpeg_header(bytes).unwrap_err(), expected, "{bytes:?}");
        };
        check(b"GIF89a", "not a JPEG (no SOI marker)");
        check(
            &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x40],
            "truncated JPEG segment",
        );
        check(
            &[0xFF, 0xD8, 0x00, 0x00, 0x00, 0x00],
            "damaged JPEG marker stream",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 8, 0, 1, 0, 1, 2],
            "only greyscale and colour JPEGs are accepted",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 12, 0, 1, 0, 1, 3],
            "only 8-bit JPEGs are accepted",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 8, 0, 0, 0, 1, 3],
            "a JPEG with no pixels",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xC3, 0, 8, 8, 0, 1, 0, 1, 3],
            "unsupported JPEG coding (lossless or arithmetic)",
        );
        check(
            &[0xFF, 0xD8, 0xFF, 0xD9, 0, 2],
            "no frame header before the image data",
        );
        let (w, h, thumb) = check_and_thumbnail(&good, &Limits::default()).unwrap();
        assert_eq!((w, h), (90, 120));
        assert_eq!(jpeg_header(&thumb), Ok((90, 120, 3)));
        let tiny = Limits {
            max_photo_pixels: 100,
            ..Limits::default()
        };
        assert_eq!(
            check_and_thumbnail(&good, &tiny).unwrap_err().code,
            ErrorCode::BadPhoto
        );
    }

    #[test]
    fn thumbnails_fit_the_long_edge() {
        for ((w, h), expected) in [
            ((4000, 3000), (400, 300)),
            ((900, 1200), (300, 400)),
            ((200, 100), (200, 100)),
            ((10000, 1), (400, 1)),
        ] {
            assert_eq!(fit(w, h, 400), expected);
        }
    }
}
