//! `photo_stages IN.jpg`: where the pipeline's time goes on one JPEG (median
//! of 9 runs per stage): the scaled decode alone, the photo and thumbnail
//! resizes with three filters, the JPEG encode of the photo, and the whole
//! `compress`. Wall-clock, so run it on a quiet machine. Not a test; a guide
//! for the CPU work measured by bench/run.sh.

use std::time::{Duration, Instant};

fn median(mut f: impl FnMut()) -> Duration {
    let mut runs: Vec<Duration> = (0..9)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort();
    runs[4]
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: photo_stages IN.jpg");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).expect("read the input");
    let settings = rehome_photo::Settings::default();
    let limits = rehome_photo::Limits::default();
    let out = rehome_photo::compress(&data, &settings, &limits).expect("compress");
    let whole = median(|| {
        rehome_photo::compress(&data, &settings, &limits).expect("compress");
    });
    let mut scaled = (0, 0);
    let decode = median(|| {
        let (w, h, px) =
            rehome_photo::stages::decode_jpeg(&data, settings.max_edge, &limits).expect("decode");
        scaled = (w, h);
        std::hint::black_box(px);
    });
    let (w, h) = (out.photo.width, out.photo.height);
    let pixels = vec![128u8; w as usize * h as usize * 3];
    let encode = median(|| {
        let jpeg =
            rehome_photo::stages::encode_jpeg(&pixels, w, h, settings.quality).expect("encode");
        std::hint::black_box(jpeg);
    });
    // Resizes of the scaled decode to the photo, and of the photo to the thumbnail.
    let decoded = rehome_photo::stages::decode_jpeg(&data, settings.max_edge, &limits)
        .expect("decode")
        .2;
    let resize =
        |src: &[u8], sw: u32, sh: u32, dw: u32, dh: u32, alg: fast_image_resize::ResizeAlg| {
            use fast_image_resize::images::{Image, ImageRef};
            let src = ImageRef::new(sw, sh, src, fast_image_resize::PixelType::U8x3).expect("src");
            let mut dst = Image::new(dw, dh, fast_image_resize::PixelType::U8x3);
            fast_image_resize::Resizer::new()
                .resize(
                    &src,
                    &mut dst,
                    &fast_image_resize::ResizeOptions::new().resize_alg(alg),
                )
                .expect("resize");
            dst
        };
    use fast_image_resize::{FilterType, ResizeAlg};
    let (sw, sh) = scaled;
    let (pw, ph) = (out.photo.width, out.photo.height);
    let (tw, th) = (out.thumb.width, out.thumb.height);
    let photo_px = resize(
        &decoded,
        sw,
        sh,
        pw,
        ph,
        ResizeAlg::Convolution(FilterType::Lanczos3),
    );
    for (name, alg) in [
        ("lanczos3", ResizeAlg::Convolution(FilterType::Lanczos3)),
        ("catmullrom", ResizeAlg::Convolution(FilterType::CatmullRom)),
        ("bilinear", ResizeAlg::Convolution(FilterType::Bilinear)),
    ] {
        let t = median(|| {
            std::hint::black_box(resize(&decoded, sw, sh, pw, ph, alg));
        });
        let u = median(|| {
            std::hint::black_box(resize(photo_px.buffer(), pw, ph, tw, th, alg));
        });
        println!(
            "resize {name:>10}: photo {:>5.1} ms, thumb {:>5.1} ms",
            t.as_secs_f64() * 1e3,
            u.as_secs_f64() * 1e3
        );
    }
    let real_encode = median(|| {
        let jpeg = rehome_photo::stages::encode_jpeg(photo_px.buffer(), pw, ph, settings.quality)
            .expect("encode");
        std::hint::black_box(jpeg);
    });
    println!(
        "encode of the real photo {:>5.1} ms",
        real_encode.as_secs_f64() * 1e3
    );
    println!(
        "whole {:>6.1} ms | scaled decode to {}x{} {:>6.1} ms | encode {}x{} (flat) {:>5.1} ms | rest (resize, orient, thumb, colour) {:>5.1} ms",
        whole.as_secs_f64() * 1e3,
        scaled.0,
        scaled.1,
        decode.as_secs_f64() * 1e3,
        w,
        h,
        encode.as_secs_f64() * 1e3,
        (whole.saturating_sub(decode).saturating_sub(encode)).as_secs_f64() * 1e3,
    );
}
