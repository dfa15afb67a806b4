//! Demo product shots, drawn in code: a garment silhouette in a colour and a
//! pattern, with cylindrical shading, a fabric weave, a soft drop shadow and a
//! studio background with a vignette. Deterministic from a seed, so a demo data
//! dir can be re-created byte for byte.
//!
//! Shapes are polygons in a 900×1200 design space, scaled to the output size, so
//! a 300×400 thumbnail is the same picture drawn small (cheaper than resizing).

#![forbid(unsafe_code)]

/// What is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Garment {
    TShirt,
    Dress,
    Trousers,
    Skirt,
    Jacket,
    Shoe,
    Bag,
    Scarf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    Stripes,
    Dots,
    Check,
    Twill,
}

/// One product shot.
#[derive(Clone, Copy, Debug)]
pub struct Shot {
    pub garment: Garment,
    pub colour: [f32; 3],
    pub background: [f32; 3],
    pub pattern: Pattern,
    /// 0: front, 1: a close-up, 2: the back (mirrored, lit from the other side).
    pub view: u8,
    pub seed: u64,
}

const DESIGN_W: f32 = 900.0;

type Poly = Vec<(f32, f32)>;

/// A small, fast, deterministic PRNG (SplitMix64).
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn hash2(x: u32, y: u32, seed: u32) -> u32 {
    let mut h = x.wrapping_mul(0x8da6_b343) ^ y.wrapping_mul(0xd816_3841) ^ seed;
    h ^= h >> 13;
    h = h.wrapping_mul(0x5bd1_e995);
    h ^ (h >> 15)
}

fn shapes(garment: Garment) -> Vec<(Poly, f32)> {
    // (polygon, brightness factor applied to the garment colour)
    let p = |pts: &[(f32, f32)]| pts.to_vec();
    match garment {
        Garment::TShirt => vec![(
            p(&[
                (370., 250.),
                (300., 270.),
                (170., 340.),
                (110., 500.),
                (220., 545.),
                (262., 470.),
                (265., 910.),
                (635., 910.),
                (638., 470.),
                (680., 545.),
                (790., 500.),
                (730., 340.),
                (600., 270.),
                (530., 250.),
                (505., 295.),
                (450., 312.),
                (395., 295.),
            ]),
            1.0,
        )],
        Garment::Jacket => vec![
            (
                p(&[
                    (370., 230.),
                    (290., 255.),
                    (190., 320.),
                    (130., 540.),
                    (105., 880.),
                    (195., 890.),
                    (245., 580.),
                    (250., 980.),
                    (650., 980.),
                    (655., 580.),
                    (705., 890.),
                    (795., 880.),
                    (770., 540.),
                    (710., 320.),
                    (610., 255.),
                    (530., 230.),
                    (450., 430.),
                ]),
                1.0,
            ),
            // lapels
            (
                p(&[(370., 232.), (450., 430.), (400., 470.), (335., 300.)]),
                0.8,
            ),
            (
                p(&[(530., 232.), (450., 430.), (500., 470.), (565., 300.)]),
                0.8,
            ),
            // placket
            (
                p(&[(445., 430.), (455., 430.), (455., 980.), (445., 980.)]),
                0.6,
            ),
        ],
        Garment::Dress => vec![(
            p(&[
                (385., 190.),
                (372., 330.),
                (335., 520.),
                (385., 560.),
                (225., 1010.),
                (675., 1010.),
                (515., 560.),
                (565., 520.),
                (528., 330.),
                (515., 190.),
                (490., 190.),
                (478., 285.),
                (450., 305.),
                (422., 285.),
                (410., 190.),
            ]),
            1.0,
        )],
        Garment::Trousers => vec![
            (
                p(&[
                    (300., 220.),
                    (600., 220.),
                    (625., 330.),
                    (685., 1030.),
                    (530., 1030.),
                    (455., 480.),
                    (445., 480.),
                    (370., 1030.),
                    (215., 1030.),
                    (275., 330.),
                ]),
                1.0,
            ),
            (
                p(&[(300., 220.), (600., 220.), (604., 268.), (296., 268.)]),
                0.82,
            ),
        ],
        Garment::Skirt => vec![
            (
                p(&[
                    (330., 330.),
                    (570., 330.),
                    (580., 390.),
                    (725., 910.),
                    (175., 910.),
                    (320., 390.),
                ]),
                1.0,
            ),
            (
                p(&[(330., 330.), (570., 330.), (576., 375.), (324., 375.)]),
                0.8,
            ),
        ],
        Garment::Shoe => vec![
            (
                p(&[
                    (175., 705.),
                    (195., 560.),
                    (300., 515.),
                    (385., 540.),
                    (435., 600.),
                    (525., 622.),
                    (645., 632.),
                    (745., 665.),
                    (785., 705.),
                ]),
                1.0,
            ),
            // the sole, pale whatever the colour
            (
                p(&[
                    (165., 760.),
                    (765., 760.),
                    (795., 722.),
                    (785., 695.),
                    (160., 700.),
                    (150., 742.),
                ]),
                2.6,
            ),
            // laces
            (
                p(&[(400., 575.), (470., 600.), (462., 612.), (392., 588.)]),
                2.2,
            ),
            (
                p(&[(380., 600.), (450., 625.), (442., 637.), (372., 613.)]),
                2.2,
            ),
        ],
        Garment::Bag => {
            let mut handle = Vec::new();
            let (cx, cy, r_out, r_in) = (450.0f32, 540.0f32, 170.0f32, 140.0f32);
            for i in 0..=24 {
                let a = std::f32::consts::PI * (1.0 + i as f32 / 24.0);
                handle.push((cx + r_out * a.cos(), cy + r_out * a.sin()));
            }
            for i in (0..=24).rev() {
                let a = std::f32::consts::PI * (1.0 + i as f32 / 24.0);
                handle.push((cx + r_in * a.cos(), cy + r_in * a.sin()));
            }
            vec![
                (handle, 0.75),
                (
                    p(&[
                        (280., 520.),
                        (620., 520.),
                        (660., 560.),
                        (685., 885.),
                        (650., 920.),
                        (250., 920.),
                        (215., 885.),
                        (240., 560.),
                    ]),
                    1.0,
                ),
                (
                    p(&[(240., 600.), (660., 600.), (662., 640.), (238., 640.)]),
                    0.78,
                ),
                (
                    p(&[(430., 610.), (470., 610.), (470., 660.), (430., 660.)]),
                    1.9,
                ),
            ]
        }
        Garment::Scarf => vec![
            (
                p(&[
                    (290., 200.),
                    (610., 200.),
                    (600., 300.),
                    (530., 330.),
                    (560., 1010.),
                    (450., 1020.),
                    (430., 340.),
                    (380., 330.),
                    (400., 900.),
                    (300., 910.),
                    (285., 320.),
                ]),
                1.0,
            ),
            // fringe
            (
                p(&[(450., 1020.), (560., 1010.), (565., 1050.), (452., 1060.)]),
                0.7,
            ),
            (
                p(&[(300., 910.), (400., 900.), (404., 940.), (302., 950.)]),
                0.7,
            ),
        ],
    }
}

/// Fills a polygon (even-odd) by scanlines, calling `paint(x, y)` per pixel.
fn fill(poly: &[(f32, f32)], w: usize, h: usize, mut paint: impl FnMut(usize, usize)) {
    let (mut y0, mut y1) = (f32::MAX, f32::MIN);
    for &(_, y) in poly {
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let y_start = y0.floor().max(0.0) as usize;
    let y_end = (y1.ceil().max(0.0) as usize).min(h);
    let mut xs: Vec<f32> = Vec::with_capacity(16);
    for y in y_start..y_end {
        let sy = y as f32 + 0.5;
        xs.clear();
        for i in 0..poly.len() {
            let (ax, ay) = poly[i];
            let (bx, by) = poly[(i + 1) % poly.len()];
            if (ay <= sy && by > sy) || (by <= sy && ay > sy) {
                xs.push(ax + (sy - ay) / (by - ay) * (bx - ax));
            }
        }
        xs.sort_by(f32::total_cmp);
        for pair in xs.chunks_exact(2) {
            let xa = (pair[0] - 0.5).ceil().max(0.0) as usize;
            let xb = ((pair[1] - 0.5).floor().max(-1.0) + 1.0).min(w as f32) as usize;
            for x in xa..xb {
                paint(x, y);
            }
        }
    }
}

/// Renders a shot as packed RGB8, `width` × `height` (3:4 portrait expected).
pub fn render_rgb(shot: &Shot, width: usize, height: usize) -> Vec<u8> {
    let mut img = vec![0f32; width * height * 3];
    let seed = shot.seed as u32;
    let s = width as f32 / DESIGN_W;
    let floor_y = 0.86 * height as f32;

    // Studio background: a sweep with a floor, a vignette and a little grain.
    let (cx, cy) = (width as f32 * 0.5, height as f32 * 0.45);
    let diag2 = cx * cx + cy * cy;
    for y in 0..height {
        let fy = y as f32;
        let sweep = if fy < floor_y {
            1.02 - 0.06 * fy / floor_y
        } else {
            0.9 - 0.05 * (fy - floor_y) / (height as f32 - floor_y)
        };
        for x in 0..width {
            let dx = x as f32 - cx;
            let dy = fy - cy;
            let vignette = 1.0 - 0.22 * (dx * dx + dy * dy) / diag2;
            let grain = (hash2(x as u32, y as u32, seed) & 0xff) as f32 / 255.0 * 0.03 - 0.015;
            let k = sweep * vignette + grain;
            let i = (y * width + x) * 3;
            img[i] = shot.background[0] * k;
            img[i + 1] = shot.background[1] * k;
            img[i + 2] = shot.background[2] * k;
        }
    }

    // The view: a close-up zooms into the upper middle; the back is mirrored.
    let (zoom, ox, oy) = match shot.view {
        1 => (1.7f32, -0.35 * DESIGN_W, -0.25 * 1200.0),
        _ => (1.0, 0.0, 0.0),
    };
    let mirror = shot.view == 2;
    let place = |(x, y): (f32, f32), dx: f32, dy: f32| {
        let x = if mirror { DESIGN_W - x } else { x };
        ((x * zoom + ox + dx) * s, (y * zoom + oy + dy) * s)
    };
    let parts = shapes(shot.garment);

    // Drop shadow: the silhouette, offset, blended in twice for a soft edge.
    for (offset, alpha) in [(26.0f32, 0.10f32), (16.0, 0.14)] {
        for (poly, _) in &parts {
            let moved: Poly = poly
                .iter()
                .map(|&p| place(p, offset, offset * 1.3))
                .collect();
            fill(&moved, width, height, |x, y| {
                let i = (y * width + x) * 3;
                for c in 0..3 {
                    img[i + c] *= 1.0 - alpha;
                }
            });
        }
    }

    // The garment itself.
    let accent = [
        (shot.colour[0] * 0.35 + 0.62).min(1.0),
        (shot.colour[1] * 0.35 + 0.62).min(1.0),
        (shot.colour[2] * 0.35 + 0.62).min(1.0),
    ];
    let light_from_left = !mirror;
    for (poly, tone) in &parts {
        let placed: Poly = poly.iter().map(|&p| place(p, 0.0, 0.0)).collect();
        let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for &(x, y) in &placed {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let bw = (x1 - x0).max(1.0);
        let bh = (y1 - y0).max(1.0);
        let period = (44.0 * s * zoom).max(3.0);
        fill(&placed, width, height, |x, y| {
            let fx = x as f32;
            let fy = y as f32;
            // Cylindrical shading across the part, lit from one side, darker at the hem.
            let mut t = (fx - x0) / bw;
            if !light_from_left {
                t = 1.0 - t;
            }
            let u = 2.0 * t - 0.8;
            let shade = (1.08 - 0.38 * u * u).clamp(0.55, 1.1) * (1.0 - 0.12 * (fy - y0) / bh);
            // Weave: a fine diagonal twill plus grain.
            let weave = if (x + y) % 4 < 2 { 1.02 } else { 0.98 };
            let grain =
                (hash2(x as u32, y as u32, seed ^ 0x5a5a) & 0xff) as f32 / 255.0 * 0.06 - 0.03;
            let px = (fx / period) as i64;
            let py = (fy / period) as i64;
            let use_accent = match shot.pattern {
                Pattern::Solid | Pattern::Twill => false,
                Pattern::Stripes => py % 2 == 0,
                Pattern::Check => (px + py) % 2 == 0,
                Pattern::Dots => {
                    let lx = fx / period - px as f32 - 0.5;
                    let ly = fy / period - py as f32 - 0.5;
                    lx * lx + ly * ly < 0.06
                }
            };
            let twill = if shot.pattern == Pattern::Twill && (x + 2 * y) % 6 < 2 {
                0.93
            } else {
                1.0
            };
            let base = if use_accent { accent } else { shot.colour };
            let k = shade * weave * twill * tone + grain;
            let i = (y * width + x) * 3;
            for c in 0..3 {
                img[i + c] = base[c] * k;
            }
        });
    }

    img.iter()
        .map(|v| (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8)
        .collect()
}

/// Renders a shot and encodes it as a baseline 4:2:0 JPEG.
pub fn render_jpeg(
    shot: &Shot,
    width: u16,
    height: u16,
    quality: u8,
) -> Result<Vec<u8>, jpeg_encoder::EncodingError> {
    let rgb = render_rgb(shot, width as usize, height as usize);
    let mut out = Vec::with_capacity(rgb.len() / 10);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder.encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb)?;
    Ok(out)
}
