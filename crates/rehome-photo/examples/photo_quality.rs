//! `photo_quality SRC OURS.jpg VIPS.jpg`: SSIM of each output against a careful
//! reference (full-resolution decode, linear-light Lanczos3 resize to the
//! output's size), and SSIM of our pipeline at the JPEG quality whose output
//! size is closest to (not above) vips's byte count. Used by bench/run.sh.
//!
//! SSIM: luma (BT.601), 8x8 windows with stride 4, C1=(0.01*255)^2, C2=(0.03*255)^2.
//! The source's EXIF orientation is not applied (the benchmark photos have none).

use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images::Image};

fn decode(jpeg: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut dec = jpeg_decoder::Decoder::new(jpeg);
    let px = dec.decode().expect("decode");
    let info = dec.info().expect("info");
    let px = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => px,
        jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&g| [g, g, g]).collect(),
        other => panic!("unsupported pixel format {other:?}"),
    };
    (info.width.into(), info.height.into(), px)
}

fn to_linear(v: u8) -> f32 {
    let c = f32::from(v) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb(c: f32) -> u8 {
    let c = c.clamp(0.0, 1.0);
    let v = if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    };
    (v * 255.0 + 0.5) as u8
}

/// Lanczos3 in linear light, in f32.
fn reference(src: &(u32, u32, Vec<u8>), w: u32, h: u32) -> Vec<u8> {
    let lut: Vec<f32> = (0..=255u8).map(to_linear).collect();
    let floats: Vec<u8> = src
        .2
        .iter()
        .flat_map(|&v| lut[v as usize].to_ne_bytes())
        .collect();
    let src_img = Image::from_vec_u8(src.0, src.1, floats, PixelType::F32x3).expect("src");
    let mut dst = Image::new(w, h, PixelType::F32x3);
    Resizer::new()
        .resize(
            &src_img,
            &mut dst,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .expect("resize");
    dst.buffer()
        .chunks_exact(4)
        .map(|b| to_srgb(f32::from_ne_bytes([b[0], b[1], b[2], b[3]])))
        .collect()
}

fn luma(rgb: &[u8]) -> Vec<f64> {
    rgb.chunks_exact(3)
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

fn ssim(a: &[u8], b: &[u8], w: u32, h: u32) -> f64 {
    let (a, b) = (luma(a), luma(b));
    let (w, h) = (w as usize, h as usize);
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (mut total, mut n) = (0.0, 0usize);
    let mut y = 0;
    while y + 8 <= h {
        let mut x = 0;
        while x + 8 <= w {
            let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for yy in y..y + 8 {
                for xx in x..x + 8 {
                    let (p, q) = (a[yy * w + xx], b[yy * w + xx]);
                    sa += p;
                    sb += q;
                    saa += p * p;
                    sbb += q * q;
                    sab += p * q;
                }
            }
            let m = 64.0;
            let (ma, mb) = (sa / m, sb / m);
            let (va, vb, cov) = (saa / m - ma * ma, sbb / m - mb * mb, sab / m - ma * mb);
            total += ((2.0 * ma * mb + c1) * (2.0 * cov + c2))
                / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            n += 1;
            x += 4;
        }
        y += 4;
    }
    total / n as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: photo_quality SRC OURS.jpg VIPS.jpg");
        std::process::exit(2);
    }
    let src_bytes = std::fs::read(&args[1]).expect("read src");
    let src = decode(&src_bytes);
    let ours = decode(&std::fs::read(&args[2]).expect("read ours"));
    let vips_bytes = std::fs::read(&args[3]).expect("read vips");
    let vips = decode(&vips_bytes);
    let mut refs: Vec<((u32, u32), Vec<u8>)> = Vec::new();
    let mut score = |img: &(u32, u32, Vec<u8>)| -> f64 {
        let key = (img.0, img.1);
        if !refs.iter().any(|(k, _)| *k == key) {
            refs.push((key, reference(&src, img.0, img.1)));
        }
        let r = &refs.iter().find(|(k, _)| *k == key).expect("ref").1;
        ssim(r, &img.2, img.0, img.1)
    };
    let s_ours = score(&ours);
    let s_vips = score(&vips);
    println!("ssim ours_q80 {:.4} ({}x{})", s_ours, ours.0, ours.1);
    println!("ssim vips_q80 {:.4} ({}x{})", s_vips, vips.0, vips.1);
    // our quality whose size is closest to vips's bytes without going over
    let target = vips_bytes.len();
    let (mut lo, mut hi, mut best) = (10u8, 100u8, None);
    while lo <= hi {
        let q = lo + (hi - lo) / 2;
        let settings = rehome_photo::Settings {
            quality: q,
            ..Default::default()
        };
        let c =
            rehome_photo::compress(&src_bytes, &settings, &Default::default()).expect("compress");
        if c.photo.jpeg.len() <= target {
            best = Some((q, c.photo));
            lo = q + 1;
        } else {
            hi = q - 1;
        }
    }
    if let Some((q, photo)) = best {
        let img = decode(&photo.jpeg);
        let s = score(&img);
        println!(
            "ssim ours_equal_bytes {:.4} (q{q}, {} B vs vips {} B)",
            s,
            photo.jpeg.len(),
            target
        );
    }
}
