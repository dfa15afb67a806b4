//! Embedded ICC profiles: Display P3 and Adobe RGB photos are converted to
//! sRGB; sRGB, damaged and non-RGB profiles leave the pixels alone. The
//! profiles are written here, byte by byte, from their published primaries;
//! the expected colours come from the published linear conversion matrices,
//! independently of the pipeline's colour engine.

use crate::fixtures::*;
use jpeg_encoder::ColorType;
use rehome_photo::{Limits, Settings, compress};

/// A tone response curve.
#[derive(Clone, Copy)]
pub enum Trc {
    /// The sRGB curve (Display P3 uses it too).
    Srgb,
    /// A pure power law.
    Gamma(f64),
}

impl Trc {
    fn decode(self, v: f64) -> f64 {
        match self {
            Trc::Srgb if v <= 0.04045 => v / 12.92,
            Trc::Srgb => ((v + 0.055) / 1.055).powf(2.4),
            Trc::Gamma(g) => v.powf(g),
        }
    }
}

fn srgb_encode(v: f64) -> f64 {
    let v = v.clamp(0.0, 1.0);
    if v <= 0.0031308 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

/// An ICC v2 display profile: D50 white point, the colourants (PCS XYZ,
/// D50-adapted) of red, green and blue, and one curve for all three.
pub fn icc_profile(colourants: [[f64; 3]; 3], trc: Trc) -> Vec<u8> {
    fn s15(v: f64) -> [u8; 4] {
        ((v * 65536.0).round() as i32).to_be_bytes()
    }
    fn xyz(v: [f64; 3]) -> Vec<u8> {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for c in v {
            t.extend(s15(c));
        }
        t
    }
    let curve = {
        let mut t = b"curv\0\0\0\0".to_vec();
        match trc {
            Trc::Gamma(g) => {
                t.extend(1u32.to_be_bytes());
                t.extend(((g * 256.0).round() as u16).to_be_bytes());
            }
            Trc::Srgb => {
                t.extend(1024u32.to_be_bytes());
                for i in 0..1024 {
                    let v = Trc::Srgb.decode(f64::from(i) / 1023.0);
                    t.extend(((v * 65535.0).round() as u16).to_be_bytes());
                }
            }
        }
        t
    };
    let desc = {
        let text = b"Rehome test profile\0";
        let mut t = b"desc\0\0\0\0".to_vec();
        t.extend((text.len() as u32).to_be_bytes());
        t.extend(text);
        t.extend([0u8; 4 + 4 + 2 + 1 + 67]);
        t
    };
    let d50 = [0.9642, 1.0, 0.8249];
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", desc),
        (b"wtpt", xyz(d50)),
        (b"rXYZ", xyz(colourants[0])),
        (b"gXYZ", xyz(colourants[1])),
        (b"bXYZ", xyz(colourants[2])),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
    ];
    let mut header = vec![0u8; 128];
    header[8..12].copy_from_slice(&0x0210_0000u32.to_be_bytes());
    header[12..16].copy_from_slice(b"mntr");
    header[16..20].copy_from_slice(b"RGB ");
    header[20..24].copy_from_slice(b"XYZ ");
    header[36..40].copy_from_slice(b"acsp");
    for (i, c) in d50.iter().enumerate() {
        header[68 + i * 4..72 + i * 4].copy_from_slice(&s15(*c));
    }
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    let mut offset = 128 + 4 + 12 * tags.len();
    for (sig, body) in &tags {
        table.extend(*sig);
        table.extend((offset as u32).to_be_bytes());
        table.extend((body.len() as u32).to_be_bytes());
        let mut body = body.clone();
        body.resize(body.len().div_ceil(4) * 4, 0);
        offset += body.len();
        data.extend(body);
    }
    let mut out = header;
    out.extend(table);
    out.extend(data);
    let size = out.len() as u32;
    out[0..4].copy_from_slice(&size.to_be_bytes());
    out
}

/// A flat `colour` JPEG carrying `profile` in an APP2 ICC_PROFILE segment.
pub fn tagged_jpeg(colour: [u8; 3], profile: Option<&[u8]>) -> Vec<u8> {
    let (w, h) = (64, 48);
    let px: Vec<u8> = (0..w * h).flat_map(|_| colour).collect();
    let plain = jpeg(&px, w, h, ColorType::Rgb);
    match profile {
        None => plain,
        Some(p) => {
            let mut body = b"ICC_PROFILE\0\x01\x01".to_vec();
            body.extend(p);
            with_segment(&plain, 0xE2, &body)
        }
    }
}

pub const DISPLAY_P3: [[f64; 3]; 3] = [
    [0.515102, 0.241182, -0.001050],
    [0.291965, 0.692236, 0.041882],
    [0.157153, 0.066582, 0.784378],
];
const ADOBE_RGB: [[f64; 3]; 3] = [
    [0.609741, 0.311111, 0.019470],
    [0.205276, 0.625671, 0.060867],
    [0.149185, 0.063217, 0.744568],
];
const SRGB: [[f64; 3]; 3] = [
    [0.436066, 0.222488, 0.013916],
    [0.385147, 0.716873, 0.097076],
    [0.143066, 0.060608, 0.714096],
];
/// Linear Display P3 to linear sRGB (both D65).
const P3_TO_SRGB: [[f64; 3]; 3] = [
    [1.224_940_2, -0.224_940_4, 0.0],
    [-0.042_056_9, 1.042_057_1, 0.0],
    [-0.019_637_6, -0.078_636_1, 1.098_273_5],
];
/// Linear Adobe RGB (1998) to linear sRGB (both D65).
const ADOBE_TO_SRGB: [[f64; 3]; 3] = [
    [1.398_283_3, -0.398_283_1, 0.0],
    [0.0, 1.0, 0.0],
    [0.0, -0.042_938_3, 1.042_938_3],
];
const IDENTITY: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

/// What sRGB expects for `colour` in a space with curve `trc` and linear
/// matrix `to_srgb`.
fn expected(colour: [u8; 3], trc: Trc, to_srgb: [[f64; 3]; 3]) -> [u8; 3] {
    let lin = colour.map(|c| trc.decode(f64::from(c) / 255.0));
    let mut out = [0u8; 3];
    for (o, row) in out.iter_mut().zip(to_srgb) {
        let v = row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2];
        *o = (srgb_encode(v) * 255.0).round() as u8;
    }
    out
}

/// One case: the input colour and profile, what sRGB expects, and whether
/// the pipeline should report a conversion / an ignored profile.
fn check(
    name: &str,
    colour: [u8; 3],
    profile: Option<Vec<u8>>,
    want: [u8; 3],
    converted: bool,
    ignored: bool,
) {
    let input = tagged_jpeg(colour, profile.as_deref());
    let c = compress(&input, &Settings::default(), &Limits::default()).unwrap();
    assert_eq!(
        (c.source.icc_profile_converted, c.source.icc_profile_ignored),
        (converted, ignored),
        "{name}: converted, ignored"
    );
    let (w, h, px) = decode_rgb(&c.photo.jpeg);
    let got = mean(&px, w, w / 4, h / 4, w / 2, h / 2);
    assert!(
        close(got, want, 4),
        "{name}: {colour:?} came out {got:?}, sRGB expects {want:?}"
    );
    // No profile in the output: viewers take it as sRGB, which it now is.
    let icc = jpeg_segments(&c.photo.jpeg)
        .iter()
        .any(|(m, body)| *m == 0xE2 && body.starts_with(b"ICC_PROFILE"));
    assert!(!icc, "{name}: the output carries no profile");
}

#[test]
fn embedded_profiles_are_converted_to_srgb() {
    let p3 = icc_profile(DISPLAY_P3, Trc::Srgb);
    let adobe = icc_profile(ADOBE_RGB, Trc::Gamma(563.0 / 256.0));
    let srgb = icc_profile(SRGB, Trc::Srgb);
    let red = [200, 60, 40];
    let green = [70, 190, 80];
    let p3_red = expected(red, Trc::Srgb, P3_TO_SRGB);
    // The conversion must move the colour visibly, or this test proves nothing.
    assert!(p3_red[0] >= red[0] + 12, "{p3_red:?}");
    check("P3 red", red, Some(p3.clone()), p3_red, true, false);
    let p3_green = expected(green, Trc::Srgb, P3_TO_SRGB);
    check("P3 green", green, Some(p3), p3_green, true, false);
    let adobe_green = expected(green, Trc::Gamma(563.0 / 256.0), ADOBE_TO_SRGB);
    assert!(green[1].abs_diff(adobe_green[1]) >= 8 || green[0].abs_diff(adobe_green[0]) >= 8);
    check(
        "Adobe RGB green",
        green,
        Some(adobe),
        adobe_green,
        true,
        false,
    );
    let same = expected(red, Trc::Srgb, IDENTITY);
    check("sRGB profile", red, Some(srgb), same, false, false);
    check("no profile", red, None, same, false, false);
    check(
        "damaged profile",
        red,
        Some(b"not a profile at all, really".to_vec()),
        same,
        false,
        true,
    );
    let mut cmyk = icc_profile(DISPLAY_P3, Trc::Srgb);
    cmyk[16..20].copy_from_slice(b"CMYK");
    check(
        "CMYK profile on RGB pixels",
        red,
        Some(cmyk),
        same,
        false,
        true,
    );
}
