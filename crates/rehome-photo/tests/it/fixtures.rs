//! Fixtures generated in code: no file in the repo, nothing read from ../shared.

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

pub const RED: [u8; 3] = [230, 20, 20];
pub const GREEN: [u8; 3] = [20, 200, 40];
pub const BLUE: [u8; 3] = [20, 40, 230];
pub const WHITE: [u8; 3] = [255, 255, 255];

/// An upright test scene, `w`×`h` RGB: top-left quadrant red, top-right green,
/// bottom-left blue, bottom-right white. All 8 orientations look different.
pub fn scene(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let px = match (x < w / 2, y < h / 2) {
                (true, true) => RED,
                (false, true) => GREEN,
                (true, false) => BLUE,
                (false, false) => WHITE,
            };
            out.extend_from_slice(&px);
        }
    }
    out
}

/// The pixels a camera stores for an upright `scene` (vw×vh) when it tags the
/// file with EXIF `orientation`, written from the EXIF 2.32 table ("0th row"
/// / "0th column" sides), independently of the pipeline's own transform.
/// Returns (stored width, stored height, pixels).
pub fn stored_for_orientation(
    scene: &[u8],
    vw: u32,
    vh: u32,
    orientation: u8,
) -> (u32, u32, Vec<u8>) {
    let (sw, sh) = if orientation >= 5 { (vh, vw) } else { (vw, vh) };
    let mut out = vec![0u8; (sw * sh * 3) as usize];
    for sy in 0..sh {
        for sx in 0..sw {
            // visual coordinates of stored pixel (sx, sy)
            let (vx, vy) = match orientation {
                1 => (sx, sy),                   // row0 top,    col0 left
                2 => (vw - 1 - sx, sy),          // row0 top,    col0 right
                3 => (vw - 1 - sx, vh - 1 - sy), // row0 bottom, col0 right
                4 => (sx, vh - 1 - sy),          // row0 bottom, col0 left
                5 => (sy, sx),                   // row0 left,   col0 top
                6 => (vw - 1 - sy, sx),          // row0 right,  col0 top
                7 => (vw - 1 - sy, vh - 1 - sx), // row0 right,  col0 bottom
                8 => (sy, vh - 1 - sx),          // row0 left,   col0 bottom
                _ => unreachable!(),
            };
            let s = ((vy * vw + vx) * 3) as usize;
            let d = ((sy * sw + sx) * 3) as usize;
            out[d..d + 3].copy_from_slice(&scene[s..s + 3]);
        }
    }
    (sw, sh, out)
}

pub fn jpeg(pixels: &[u8], w: u32, h: u32, color: ColorType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, 92);
    enc.set_sampling_factor(SamplingFactor::R_4_4_4);
    enc.encode(pixels, w as u16, h as u16, color).unwrap();
    out
}

pub fn rgb_jpeg(w: u32, h: u32) -> Vec<u8> {
    jpeg(&scene(w, h), w, h, ColorType::Rgb)
}

/// A TIFF block with Orientation, Make and, optionally, a GPS IFD.
pub fn exif_tiff(orientation: u16, gps: bool) -> Vec<u8> {
    let mut t: Vec<u8> = Vec::new();
    let p16 = |t: &mut Vec<u8>, v: u16| t.extend_from_slice(&v.to_be_bytes());
    let p32 = |t: &mut Vec<u8>, v: u32| t.extend_from_slice(&v.to_be_bytes());
    t.extend_from_slice(b"MM");
    p16(&mut t, 42);
    p32(&mut t, 8);
    // IFD0 at 8: 3 entries -> 2 + 36 + 4 = 42 bytes, then data at 50
    let entries: u16 = if gps { 3 } else { 2 };
    p16(&mut t, entries);
    let ifd0_end = 8 + 2 + 12 * u32::from(entries) + 4;
    let make_at = ifd0_end;
    let gps_ifd_at = make_at + 8;
    p16(&mut t, 0x010F); // Make, ASCII, 8 bytes at make_at
    p16(&mut t, 2);
    p32(&mut t, 8);
    p32(&mut t, make_at);
    p16(&mut t, 0x0112); // Orientation, SHORT
    p16(&mut t, 3);
    p32(&mut t, 1);
    p16(&mut t, orientation);
    p16(&mut t, 0);
    if gps {
        p16(&mut t, 0x8825); // GPSInfo IFD pointer, LONG
        p16(&mut t, 4);
        p32(&mut t, 1);
        p32(&mut t, gps_ifd_at);
    }
    p32(&mut t, 0); // no IFD1
    t.extend_from_slice(b"TestCam\0");
    if gps {
        // GPS IFD: LatitudeRef 'N', Latitude 3 RATIONALs, LongitudeRef 'E', Longitude
        p16(&mut t, 4);
        let data_at = gps_ifd_at + 2 + 4 * 12 + 4;
        p16(&mut t, 0x0001);
        p16(&mut t, 2);
        p32(&mut t, 2);
        t.extend_from_slice(b"N\0\0\0");
        p16(&mut t, 0x0002);
        p16(&mut t, 5);
        p32(&mut t, 3);
        p32(&mut t, data_at);
        p16(&mut t, 0x0003);
        p16(&mut t, 2);
        p32(&mut t, 2);
        t.extend_from_slice(b"E\0\0\0");
        p16(&mut t, 0x0004);
        p16(&mut t, 5);
        p32(&mut t, 3);
        p32(&mut t, data_at + 24);
        p32(&mut t, 0);
        for (num, den) in [(48, 1), (51, 1), (2400, 100), (2, 1), (21, 1), (700, 100)] {
            p32(&mut t, num);
            p32(&mut t, den);
        }
    }
    t
}

/// Insert an APP1 `Exif\0\0` segment right after SOI.
pub fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Insert arbitrary segments (XMP, ICC, COM) after SOI.
pub fn with_segment(jpeg: &[u8], marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// An upright scene stored with `orientation`, tagged in EXIF (with GPS).
pub fn oriented_jpeg(vw: u32, vh: u32, orientation: u8) -> Vec<u8> {
    let (sw, sh, px) = stored_for_orientation(&scene(vw, vh), vw, vh, orientation);
    with_exif(
        &jpeg(&px, sw, sh, ColorType::Rgb),
        &exif_tiff(orientation.into(), true),
    )
}

/// Rewrite the frame header's dimensions (a "decompression bomb" header).
pub fn jpeg_with_size(jpeg: &[u8], w: u16, h: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    let sof = out
        .windows(2)
        .position(|m| m[0] == 0xFF && (0xC0..=0xC2).contains(&m[1]))
        .unwrap();
    out[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    out
}

pub fn png(w: u32, h: u32, color: png::ColorType, depth: png::BitDepth, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(color);
        enc.set_depth(depth);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(data).unwrap();
    }
    out
}

/// The scene as 16-bit RGB (big-endian samples, value*257).
pub fn png16(w: u32, h: u32) -> Vec<u8> {
    let data: Vec<u8> = scene(w, h)
        .iter()
        .flat_map(|&v| (u16::from(v) * 257).to_be_bytes())
        .collect();
    png(w, h, png::ColorType::Rgb, png::BitDepth::Sixteen, &data)
}

/// Left half fully transparent (black underneath), right half opaque black.
pub fn png_alpha(w: u32, h: u32) -> Vec<u8> {
    let mut data = Vec::new();
    for _y in 0..h {
        for x in 0..w {
            data.extend_from_slice(&[0, 0, 0, if x < w / 2 { 0 } else { 255 }]);
        }
    }
    png(w, h, png::ColorType::Rgba, png::BitDepth::Eight, &data)
}

pub fn png_palette(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette([RED, GREEN, BLUE, WHITE].concat());
        let mut writer = enc.write_header().unwrap();
        let idx: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                match (x < w / 2, y < h / 2) {
                    (true, true) => 0,
                    (false, true) => 1,
                    (true, false) => 2,
                    (false, false) => 3,
                }
            })
            .collect();
        writer.write_image_data(&idx).unwrap();
    }
    out
}

/// A two-frame APNG: the first frame red, the second blue.
pub fn apng(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_animated(2, 0).unwrap();
        let mut writer = enc.write_header().unwrap();
        for colour in [RED, BLUE] {
            let frame: Vec<u8> = (0..w * h).flat_map(|_| colour).collect();
            writer.write_image_data(&frame).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

/// A PNG header claiming `w`×`h` with a valid CRC and a tiny IDAT.
pub fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    let mut out = png(
        8,
        8,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        &[0; 8 * 8 * 3],
    );
    out[16..20].copy_from_slice(&w.to_be_bytes());
    out[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn webp_lossless(pixels: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(pixels, w, h, image_webp::ColorType::Rgb8)
        .unwrap();
    out
}

fn riff_chunk(fourcc: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = fourcc.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

fn u24(v: u32) -> [u8; 3] {
    let b = v.to_le_bytes();
    [b[0], b[1], b[2]]
}

/// An animated WebP built by hand (VP8X + ANIM + ANMF frames, each frame a
/// lossless bitstream from image-webp's encoder): red first, then blue.
pub fn animated_webp(w: u32, h: u32) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x02, 0, 0, 0]; // animation flag
    vp8x.extend_from_slice(&u24(w - 1));
    vp8x.extend_from_slice(&u24(h - 1));
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend(riff_chunk(b"ANIM", &[255, 255, 255, 255, 0, 0]));
    for colour in [RED, BLUE] {
        let frame: Vec<u8> = (0..w * h).flat_map(|_| colour).collect();
        let still = webp_lossless(&frame, w, h);
        let vp8l = &still[12..]; // the VP8L chunk of a simple-format file
        let mut anmf = Vec::new();
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(w - 1));
        anmf.extend_from_slice(&u24(h - 1));
        anmf.extend_from_slice(&u24(100));
        anmf.push(0);
        anmf.extend_from_slice(vp8l);
        body.extend(riff_chunk(b"ANMF", &anmf));
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// A WebP whose VP8X canvas claims `w`×`h`.
pub fn webp_bomb(w: u32, h: u32) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x10, 0, 0, 0]; // alpha flag
    vp8x.extend_from_slice(&u24(w - 1));
    vp8x.extend_from_slice(&u24(h - 1));
    body.extend(riff_chunk(b"VP8X", &vp8x));
    let still = webp_lossless(&[0; 8 * 8 * 3], 8, 8);
    body.extend_from_slice(&still[12..]);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// The APPn/COM segments (marker, body) before the first scan of a JPEG.
pub fn jpeg_segments(jpeg: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 2;
    while pos + 4 <= jpeg.len() {
        assert_eq!(jpeg[pos], 0xFF, "marker expected at {pos}");
        let marker = jpeg[pos + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        if marker == 0xDA {
            break;
        }
        out.push((marker, jpeg[pos + 4..pos + 2 + len].to_vec()));
        pos += 2 + len;
    }
    out
}

/// Mean RGB of a w×h region at (x0, y0) of a decoded RGB image.
pub fn mean(rgb: &[u8], width: u32, x0: u32, y0: u32, w: u32, h: u32) -> [u8; 3] {
    let mut sum = [0u64; 3];
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            let i = ((y * width + x) * 3) as usize;
            for c in 0..3 {
                sum[c] += u64::from(rgb[i + c]);
            }
        }
    }
    let n = u64::from(w * h);
    [(sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8]
}

/// Decode a JPEG to RGB with jpeg-decoder (an independent reader of our output).
pub fn decode_rgb(jpeg: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut dec = jpeg_decoder::Decoder::new(jpeg);
    let px = dec.decode().unwrap();
    let info = dec.info().unwrap();
    assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
    (info.width.into(), info.height.into(), px)
}

pub fn close(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

/// Which of the four quadrant colours are where: [top-left, top-right, bottom-left, bottom-right].
pub fn quadrants(jpeg: &[u8]) -> [[u8; 3]; 4] {
    let (w, h, px) = decode_rgb(jpeg);
    let (qw, qh) = (w / 2, h / 2);
    // sample the middle half of each quadrant, away from blurred edges
    let (mw, mh) = (qw / 2, qh / 2);
    [
        mean(&px, w, qw / 4, qh / 4, mw, mh),
        mean(&px, w, qw + qw / 4, qh / 4, mw, mh),
        mean(&px, w, qw / 4, qh + qh / 4, mw, mh),
        mean(&px, w, qw + qw / 4, qh + qh / 4, mw, mh),
    ]
}
