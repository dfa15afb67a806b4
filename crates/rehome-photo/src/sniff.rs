//! Format detection from magic bytes. The file name and any claimed MIME type
//! are never consulted.

use crate::PhotoError;

/// An input format the pipeline decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    /// HEIC or another HEIF still image (ISO BMFF `ftyp` with a HEIF brand).
    Heif,
}

impl Format {
    /// Short display name: `"JPEG"`, `"PNG"`, `"WebP"`, `"HEIF"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
            Format::Heif => "HEIF",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Judge the format from the first bytes. Anything not supported is an error
/// that names what was found ("GIF", "PDF", "AVIF", "unknown (first bytes ...)").
pub fn sniff(data: &[u8]) -> Result<Format, PhotoError> {
    if data.is_empty() {
        return Err(PhotoError::Empty);
    }
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if data.starts_with(&[0xFF, 0xD8]) {
        return Err(PhotoError::corrupt(
            "JPEG",
            "no marker after the start-of-image",
        ));
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if data.len() >= 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        return Ok(Format::Webp);
    }
    if let Some(brands) = ftyp_brands(data) {
        const HEIC: [&[u8; 4]; 8] = [
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
        ];
        const AVIF: [&[u8; 4]; 2] = [b"avif", b"avis"];
        const HEIF: [&[u8; 4]; 2] = [b"mif1", b"msf1"];
        let has = |set: &[&[u8; 4]]| brands.iter().any(|b| set.contains(b));
        if has(&HEIC) {
            return Ok(Format::Heif);
        }
        if has(&AVIF) {
            return Err(unsupported("AVIF"));
        }
        if has(&HEIF) {
            return Ok(Format::Heif);
        }
        if let Some(major) = brands.first() {
            return Err(unsupported(match *major {
                b"qt  " => "QuickTime video",
                b"crx " => "Canon CR3 raw",
                b"jxl " => "JPEG XL",
                _ => "MP4/ISO media (not a HEIF image)",
            }));
        }
    }
    Err(unsupported(other_format_name(data).unwrap_or_else(|| {
        let head: Vec<String> = data.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("unknown (first bytes {})", head.join(" "))
    })))
}

fn unsupported(found: impl Into<String>) -> PhotoError {
    PhotoError::UnsupportedFormat {
        found: found.into(),
    }
}

/// The major brand followed by the compatible brands of an ISO BMFF `ftyp` box.
fn ftyp_brands(data: &[u8]) -> Option<Vec<&[u8; 4]>> {
    if data.get(4..8)? != b"ftyp" {
        return None;
    }
    let size = u32::from_be_bytes(data.get(0..4)?.try_into().ok()?) as usize;
    let end = size.clamp(16, 4096).min(data.len());
    let mut brands = vec![data.get(8..12)?.try_into().ok()?];
    let mut pos = 16;
    while pos + 4 <= end {
        brands.push(data[pos..pos + 4].try_into().ok()?);
        pos += 4;
    }
    Some(brands)
}

fn other_format_name(data: &[u8]) -> Option<String> {
    let table: &[(&[u8], &str)] = &[
        (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"),
        (b"%PDF", "PDF"),
        (b"BM", "BMP"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"\0\0\0\x0cJXL \r\n\x87\n", "JPEG XL"),
        (b"\xff\x0a", "JPEG XL"),
        (b"8BPS", "Photoshop PSD"),
        (b"\0\0\x01\0", "ICO"),
        (b"PK\x03\x04", "ZIP"),
        (b"\x1f\x8b", "gzip"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
        (b"Rar!", "RAR"),
        (b"\x7fELF", "ELF executable"),
        (b"MZ", "Windows executable"),
        (b"OggS", "Ogg"),
        (b"ID3", "MP3"),
        (b"fLaC", "FLAC"),
        (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
        (b"qoif", "QOI"),
        (b"FORM", "IFF"),
        (b"\x00\x00\x00\x00", "unknown (starts with zero bytes)"),
    ];
    for (magic, name) in table {
        if data.starts_with(magic) {
            return Some((*name).to_owned());
        }
    }
    if data.len() >= 12 && &data[0..4] == b"RIFF" {
        let kind = String::from_utf8_lossy(&data[8..12]).into_owned();
        return Some(format!("RIFF {}", kind.trim()));
    }
    let head = &data[..data.len().min(256)];
    let text = String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    for (prefix, name) in [
        ("<svg", "SVG"),
        ("<?xml", "XML/SVG"),
        ("<!doctype html", "HTML"),
        ("<html", "HTML"),
        ("{", "JSON/text"),
    ] {
        if text.starts_with(prefix) {
            return Some(name.to_owned());
        }
    }
    if std::str::from_utf8(head).is_ok()
        && head.iter().all(|&b| b >= 0x20 || b"\t\r\n".contains(&b))
    {
        return Some("text".to_owned());
    }
    None
}
