//! JPEG pixels through libjpeg-turbo's TurboJPEG API: the system's
//! `libturbojpeg` (Debian `libturbojpeg0`, the 2.x ABI, stable since 2.0).
//!
//! Why C here when the rest of the pipeline is Rust: libjpeg-turbo decodes at a
//! reduced DCT scale with SIMD Huffman and IDCT code, which is where most of the
//! pipeline's time went with jpeg-decoder (see ARCHITECTURE.md, "Photos").
//!
//! Why the TurboJPEG API and not libjpeg's: libjpeg reports a fatal error by
//! calling an `error_exit` hook that must not return (a `longjmp`, or an unwind
//! that `panic = "abort"` turns into an abort). TurboJPEG keeps its `setjmp`
//! inside C and hands back a return code and a message, so nothing unwinds
//! through Rust and a hostile file cannot abort the app.
//!
//! The markers are checked in Rust first ([`crate::jpeg::parse_header`]): the
//! frame size against the limits, unsupported variants, a missing end of image.
//! What reaches this module is a well-formed header with plausible sizes.

use std::ffi::{CStr, c_char, c_int, c_ulong, c_void};
use std::ptr::NonNull;

use crate::PhotoError;
use crate::pixels::{Plane, Ycc};

const FORMAT: &str = "JPEG";

type TjHandle = *mut c_void;

#[link(name = "turbojpeg")]
unsafe extern "C" {
    fn tjInitDecompress() -> TjHandle;
    fn tjInitCompress() -> TjHandle;
    fn tjBufSize(width: c_int, height: c_int, jpeg_subsamp: c_int) -> c_ulong;
    fn tjCompress2(
        handle: TjHandle,
        src_buf: *const u8,
        width: c_int,
        pitch: c_int,
        height: c_int,
        pixel_format: c_int,
        jpeg_buf: *mut *mut u8,
        jpeg_size: *mut c_ulong,
        jpeg_subsamp: c_int,
        jpeg_qual: c_int,
        flags: c_int,
    ) -> c_int;
    fn tjDecompress2(
        handle: TjHandle,
        jpeg_buf: *const u8,
        jpeg_size: c_ulong,
        dst_buf: *mut u8,
        width: c_int,
        pitch: c_int,
        height: c_int,
        pixel_format: c_int,
        flags: c_int,
    ) -> c_int;
    fn tjDecompressHeader3(
        handle: TjHandle,
        jpeg_buf: *const u8,
        jpeg_size: c_ulong,
        width: *mut c_int,
        height: *mut c_int,
        jpeg_subsamp: *mut c_int,
        jpeg_colorspace: *mut c_int,
    ) -> c_int;
    fn tjDecompressToYUVPlanes(
        handle: TjHandle,
        jpeg_buf: *const u8,
        jpeg_size: c_ulong,
        dst_planes: *mut *mut u8,
        width: c_int,
        strides: *mut c_int,
        height: c_int,
        flags: c_int,
    ) -> c_int;
    fn tjCompressFromYUVPlanes(
        handle: TjHandle,
        src_planes: *mut *const u8,
        width: c_int,
        strides: *const c_int,
        height: c_int,
        subsamp: c_int,
        jpeg_buf: *mut *mut u8,
        jpeg_size: *mut c_ulong,
        jpeg_qual: c_int,
        flags: c_int,
    ) -> c_int;
    fn tjPlaneWidth(component_id: c_int, width: c_int, subsamp: c_int) -> c_int;
    fn tjPlaneHeight(component_id: c_int, height: c_int, subsamp: c_int) -> c_int;
    fn tjInitTransform() -> TjHandle;
    fn tjTransform(
        handle: TjHandle,
        jpeg_buf: *const u8,
        jpeg_size: c_ulong,
        n: c_int,
        dst_bufs: *mut *mut u8,
        dst_sizes: *mut c_ulong,
        transforms: *mut TjTransform,
        flags: c_int,
    ) -> c_int;
    fn tjFree(buffer: *mut u8);
    fn tjGetErrorStr2(handle: TjHandle) -> *mut c_char;
    fn tjGetErrorCode(handle: TjHandle) -> c_int;
    fn tjDestroy(handle: TjHandle) -> c_int;
}

/// `TJPF_RGB`: 3 bytes a pixel. libjpeg converts grayscale and YCbCr to it.
const TJPF_RGB: c_int = 0;
/// `TJPF_CMYK`: 4 bytes a pixel, as stored (Adobe's inverted convention);
/// YCCK files are converted to it. libjpeg does not convert CMYK to RGB.
const TJPF_CMYK: c_int = 11;
/// `TJFLAG_LIMITSCANS`: refuse a progressive file with an absurd number of
/// scans (each scan re-walks the whole coefficient buffer: a CPU bomb).
/// libjpeg-turbo 2.1 added it (older versions ignore the flag), so the .deb
/// depends on `libturbojpeg0 (>= 1:2.1)` (Debian's version carries epoch 1).
const TJFLAG_LIMITSCANS: c_int = 32768;
/// `TJSAMP_420`: chroma halved both ways.
const TJSAMP_420: c_int = 2;
/// `TJCS_YCbCr`: the colour space of nearly every camera and phone JPEG.
const TJCS_YCBCR: c_int = 1;
/// `TJFLAG_NOREALLOC`: write into the buffer we pass (sized by `tjBufSize`,
/// the worst case) instead of allocating with libjpeg's allocator.
const TJFLAG_NOREALLOC: c_int = 1024;
/// `TJERR_WARNING`: the image was decoded, with a complaint (for example
/// extraneous bytes before a marker, common in camera files).
const TJERR_WARNING: c_int = 0;

/// `tjregion`: a crop region; all zero means the whole image.
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct TjRegion {
    x: c_int,
    y: c_int,
    w: c_int,
    h: c_int,
}

/// `tjtransform`: one lossless transform of the DCT coefficients.
#[repr(C)]
struct TjTransform {
    r: TjRegion,
    op: c_int,
    options: c_int,
    data: *mut c_void,
    custom_filter: Option<
        unsafe extern "C" fn(
            coeffs: *mut i16,
            array_region: TjRegion,
            plane_region: TjRegion,
            component_index: c_int,
            transform_index: c_int,
            transform: *mut TjTransform,
        ) -> c_int,
    >,
}

/// `TJXOP_ROT90`; `TJXOP_ROT180` and `TJXOP_ROT270` follow it.
const TJXOP_ROT90: c_int = 5;
/// `TJXOPT_PERFECT`: fail rather than leave a partial MCU block unturned at an
/// edge (an image whose sides are not whole MCUs: 16 px for 4:2:0).
const TJXOPT_PERFECT: c_int = 1;
/// `TJXOPT_COPYNONE`: copy no marker of the source: no EXIF, ICC or comment.
const TJXOPT_COPYNONE: c_int = 64;

/// How the decoded pixels are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    Rgb,
    /// As stored in an Adobe CMYK/YCCK file: 0 is full ink.
    AdobeCmyk,
}

impl Layout {
    fn bytes_per_pixel(self) -> usize {
        match self {
            Layout::Rgb => 3,
            Layout::AdobeCmyk => 4,
        }
    }
}

/// One TurboJPEG compressor or decompressor; destroyed on drop.
struct Handle(NonNull<c_void>);

impl Handle {
    /// A handle from one of TurboJPEG's `tjInit*` functions. Only a failed
    /// allocation inside libjpeg-turbo returns none: our failure, not the photo's.
    fn new(init: unsafe extern "C" fn() -> TjHandle, what: &str) -> Result<Self, PhotoError> {
        // SAFETY: the tjInit* functions take no arguments; null is handled.
        let handle = unsafe { init() };
        NonNull::new(handle)
            .map(Handle)
            .ok_or_else(|| PhotoError::Encode(format!("libturbojpeg could not start {what}")))
    }

    fn decompressor() -> Result<Self, PhotoError> {
        Self::new(tjInitDecompress, "a decoder")
    }

    fn transformer() -> Result<Self, PhotoError> {
        Self::new(tjInitTransform, "a transformer")
    }

    fn compressor() -> Result<Self, PhotoError> {
        Self::new(tjInitCompress, "an encoder")
    }

    /// A decode call's status: 0 is success; a warning means decoded in full,
    /// with a complaint (for example "Corrupt JPEG data: 2 extraneous bytes
    /// before marker 0xd9", common in camera files); anything else fails.
    fn decoded(&self, status: c_int) -> Result<(), PhotoError> {
        if status == 0 {
            return Ok(());
        }
        // SAFETY: the handle is live.
        let kind = unsafe { tjGetErrorCode(self.0.as_ptr()) };
        let message = self.message();
        if kind == TJERR_WARNING {
            tracing::debug!(%message, "libjpeg warning; the image was decoded");
            return Ok(());
        }
        Err(map_error(message))
    }

    fn message(&self) -> String {
        // SAFETY: the handle is live; TurboJPEG returns a NUL-terminated string
        // it owns (per handle), valid until the next call on this handle.
        let text = unsafe { tjGetErrorStr2(self.0.as_ptr()) };
        if text.is_null() {
            return "unknown libjpeg error".into();
        }
        // SAFETY: checked non-null above; NUL-terminated by TurboJPEG.
        unsafe { CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle came from tjInitDecompress and is destroyed once.
        unsafe {
            tjDestroy(self.0.as_ptr());
        }
    }
}

/// Decode `data` to exactly `width`×`height` pixels, which must be the frame
/// scaled by one of libjpeg's factors (the caller computes them as libjpeg
/// does: `ceil(side * num / 8)`); TurboJPEG picks the largest factor whose
/// output fits, which is then exactly this size.
pub(crate) fn decode(
    data: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
) -> Result<Vec<u8>, PhotoError> {
    let too_big = || PhotoError::corrupt(FORMAT, "frame too large for libjpeg");
    let w = c_int::try_from(width).map_err(|_| too_big())?;
    let h = c_int::try_from(height).map_err(|_| too_big())?;
    let bpp = layout.bytes_per_pixel();
    let pitch = c_int::try_from(width as usize * bpp).map_err(|_| too_big())?;
    let size = c_ulong::try_from(data.len()).map_err(|_| too_big())?;
    let format = match layout {
        Layout::Rgb => TJPF_RGB,
        Layout::AdobeCmyk => TJPF_CMYK,
    };
    let mut pixels = vec![0u8; width as usize * height as usize * bpp];
    let decoder = Handle::decompressor()?;
    // SAFETY: `data` is valid for `size` bytes; `pixels` holds exactly
    // pitch × height bytes, and TurboJPEG writes at most that for an output of
    // `w`×`h` (it refuses a frame whose scaled size does not fit).
    let status = unsafe {
        tjDecompress2(
            decoder.0.as_ptr(),
            data.as_ptr(),
            size,
            pixels.as_mut_ptr(),
            w,
            pitch,
            h,
            format,
            TJFLAG_LIMITSCANS,
        )
    };
    decoder.decoded(status)?;
    Ok(pixels)
}

/// The image's own YCbCr planes at exactly `width`×`height` (a scaled frame, as
/// for [`decode`]), or `None` when the file is not YCbCr with a chroma
/// subsampling TurboJPEG names (grey, CMYK, RGB-coded, odd sampling): those
/// take the RGB route.
pub(crate) fn decode_ycc(data: &[u8], width: u32, height: u32) -> Result<Option<Ycc>, PhotoError> {
    let too_big = || PhotoError::corrupt(FORMAT, "frame too large for libjpeg");
    let w = c_int::try_from(width).map_err(|_| too_big())?;
    let h = c_int::try_from(height).map_err(|_| too_big())?;
    let size = c_ulong::try_from(data.len()).map_err(|_| too_big())?;
    let decoder = Handle::decompressor()?;
    let (mut full_w, mut full_h, mut subsamp, mut colorspace) = (0, 0, -1, -1);
    // SAFETY: `data` is valid for `size` bytes; the out-pointers are live locals.
    let status = unsafe {
        tjDecompressHeader3(
            decoder.0.as_ptr(),
            data.as_ptr(),
            size,
            &mut full_w,
            &mut full_h,
            &mut subsamp,
            &mut colorspace,
        )
    };
    if status != 0 || colorspace != TJCS_YCBCR || !(0..=5).contains(&subsamp) {
        return Ok(None);
    }
    let mut planes: Vec<Plane> = Vec::with_capacity(3);
    for component in 0..3 {
        // SAFETY: plain arithmetic on its arguments; -1 on bad arguments.
        let (pw, ph) = unsafe {
            (
                tjPlaneWidth(component, w, subsamp),
                tjPlaneHeight(component, h, subsamp),
            )
        };
        let (Ok(pw), Ok(ph)) = (u32::try_from(pw), u32::try_from(ph)) else {
            return Ok(None);
        };
        planes.push(Plane {
            width: pw,
            height: ph,
            data: vec![0u8; pw as usize * ph as usize],
        });
    }
    let mut pointers: Vec<*mut u8> = planes.iter_mut().map(|p| p.data.as_mut_ptr()).collect();
    // SAFETY: each plane buffer holds tjPlaneWidth × tjPlaneHeight bytes for
    // this output size and the file's subsampling; with null strides TurboJPEG
    // writes rows exactly tjPlaneWidth apart, so it stays inside them.
    let status = unsafe {
        tjDecompressToYUVPlanes(
            decoder.0.as_ptr(),
            data.as_ptr(),
            size,
            pointers.as_mut_ptr(),
            w,
            std::ptr::null_mut(),
            h,
            TJFLAG_LIMITSCANS,
        )
    };
    decoder.decoded(status)?;
    let Ok([mut y, cb, cr]) = <[Plane; 3]>::try_from(planes) else {
        return Ok(None);
    };
    // TurboJPEG pads the luma plane to whole chroma samples (an odd width or
    // height gains a column or row); keep the image's own size.
    if (y.width, y.height) != (width, height) {
        let Some(data) =
            crate::pixels::pack_rows(&y.data, y.width as usize, width as usize, height as usize)
        else {
            return Err(PhotoError::corrupt(
                FORMAT,
                "luma plane smaller than the frame",
            ));
        };
        y = Plane {
            width,
            height,
            data,
        };
    }
    Ok(Some(Ycc {
        width,
        height,
        planes: [y, cb, cr],
    }))
}

/// libjpeg's fatal messages, sorted into the pipeline's error codes. The
/// message is kept for people; callers branch on the code.
fn map_error(message: String) -> PhotoError {
    if message.contains("Premature end") {
        PhotoError::truncated(FORMAT, message)
    } else if message.contains("Unsupported") || message.contains("not supported") {
        PhotoError::UnsupportedVariant {
            format: FORMAT,
            detail: message,
        }
    } else {
        PhotoError::corrupt(FORMAT, message)
    }
}

/// Encode packed RGB (`width`×`height`, 3 bytes a pixel) as a baseline JPEG
/// with 4:2:0 chroma at `quality`, with the standard Huffman tables, a JFIF
/// header and nothing else: no EXIF, no ICC, no comment.
pub(crate) fn encode_rgb(
    rgb: &[u8],
    width: u32,
    height: u32,
    quality: u8,
) -> Result<Vec<u8>, PhotoError> {
    let too_big = || PhotoError::Encode(format!("{width}x{height} is too large to encode"));
    let w = c_int::try_from(width).map_err(|_| too_big())?;
    let h = c_int::try_from(height).map_err(|_| too_big())?;
    let pitch = c_int::try_from(width as usize * 3).map_err(|_| too_big())?;
    if rgb.len() != width as usize * height as usize * 3 || w == 0 || h == 0 {
        return Err(PhotoError::Encode(format!(
            "{} bytes of pixels for {width}x{height} RGB",
            rgb.len()
        )));
    }
    compress_into(w, h, |encoder, out, size| {
        // SAFETY: `rgb` holds pitch × height bytes (checked above); `out` and
        // `size` are as `compress_into` describes.
        unsafe {
            tjCompress2(
                encoder,
                rgb.as_ptr(),
                w,
                pitch,
                h,
                TJPF_RGB,
                out,
                size,
                TJSAMP_420,
                c_int::from(quality),
                TJFLAG_NOREALLOC,
            )
        }
    })
}

/// Encode 4:2:0 planes (as [`Ycc::resize_420`] makes them) as a baseline JPEG
/// at `quality`, with the same headers as [`encode_rgb`]: JFIF and nothing else.
pub(crate) fn encode_ycc420(image: &Ycc, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let (width, height) = (image.width, image.height);
    let too_big = || PhotoError::Encode(format!("{width}x{height} is too large to encode"));
    let w = c_int::try_from(width).map_err(|_| too_big())?;
    let h = c_int::try_from(height).map_err(|_| too_big())?;
    let chroma = (width.div_ceil(2), height.div_ceil(2));
    let [y, cb, cr] = &image.planes;
    let shaped = |p: &Plane, (pw, ph): (u32, u32)| {
        (p.width, p.height) == (pw, ph) && p.data.len() == pw as usize * ph as usize
    };
    if w == 0 || h == 0 || !shaped(y, (width, height)) || !shaped(cb, chroma) || !shaped(cr, chroma)
    {
        return Err(PhotoError::Encode(format!(
            "planes are not 4:2:0 for {width}x{height}"
        )));
    }
    // TurboJPEG reads the luma plane padded to whole chroma samples: an odd
    // width or height needs one more column or row, a copy of the edge.
    let padded;
    let luma = if width % 2 == 0 && height % 2 == 0 {
        &y.data
    } else {
        padded = pad_to_even(&y.data, width as usize, height as usize);
        &padded
    };
    let mut sources = [luma.as_ptr(), cb.data.as_ptr(), cr.data.as_ptr()];
    compress_into(w, h, |encoder, out, size| {
        // SAFETY: the planes have exactly the 4:2:0 plane sizes TurboJPEG
        // reads with null strides (checked above, luma padded to even); `out`
        // and `size` are as `compress_into` describes.
        unsafe {
            tjCompressFromYUVPlanes(
                encoder,
                sources.as_mut_ptr(),
                w,
                std::ptr::null(),
                h,
                TJSAMP_420,
                out,
                size,
                c_int::from(quality),
                TJFLAG_NOREALLOC,
            )
        }
    })
}

/// Run one TurboJPEG compress call for a `w`×`h` 4:2:0 output. The call gets a
/// compressor, a pointer to the output buffer's address and one to its size:
/// the buffer is ours, `tjBufSize`'s worst case for these dimensions, and with
/// `TJFLAG_NOREALLOC` TurboJPEG writes into it without reallocating and sets
/// the size to the bytes written.
fn compress_into(
    w: c_int,
    h: c_int,
    call: impl FnOnce(TjHandle, *mut *mut u8, *mut c_ulong) -> c_int,
) -> Result<Vec<u8>, PhotoError> {
    let too_big = || PhotoError::Encode(format!("{w}x{h} is too large to encode"));
    // SAFETY: plain arithmetic on its arguments.
    let capacity = unsafe { tjBufSize(w, h, TJSAMP_420) };
    let capacity = usize::try_from(capacity).map_err(|_| too_big())?;
    let mut jpeg = vec![0u8; capacity];
    let mut out = jpeg.as_mut_ptr();
    let mut size = c_ulong::try_from(capacity).map_err(|_| too_big())?;
    let encoder = Handle::compressor()?;
    if call(encoder.0.as_ptr(), &mut out, &mut size) != 0 {
        return Err(PhotoError::Encode(encoder.message()));
    }
    let written = usize::try_from(size).map_err(|_| too_big())?;
    if out != jpeg.as_mut_ptr() || written > capacity {
        return Err(PhotoError::Encode(
            "libturbojpeg wrote outside the buffer it was given".into(),
        ));
    }
    jpeg.truncate(written);
    Ok(jpeg)
}

/// Turn a JPEG by `quarter_turns` × 90° clockwise (1..=3) in the DCT domain:
/// no decode, no new JPEG generation, the same quantisation. Possible only when
/// both sides are whole MCUs (multiples of 16 px for 4:2:0, as a 4:3 photo at
/// 1600×1200 is); otherwise, or for any other failure, an error, and the
/// caller re-encodes instead. The output carries no marker of the source.
pub(crate) fn turn_losslessly(jpeg: &[u8], quarter_turns: u8) -> Result<Vec<u8>, PhotoError> {
    let size = c_ulong::try_from(jpeg.len())
        .map_err(|_| PhotoError::corrupt(FORMAT, "too large for libjpeg"))?;
    let mut transform = TjTransform {
        r: TjRegion::default(),
        op: TJXOP_ROT90 + c_int::from(quarter_turns.clamp(1, 3)) - 1,
        options: TJXOPT_PERFECT | TJXOPT_COPYNONE,
        data: std::ptr::null_mut(),
        custom_filter: None,
    };
    let handle = Handle::transformer()?;
    let mut out: *mut u8 = std::ptr::null_mut();
    let mut out_size: c_ulong = 0;
    // SAFETY: `jpeg` is valid for `size` bytes; one transform and one output
    // slot. With a null output and no TJFLAG_NOREALLOC, TurboJPEG allocates the
    // output with its own allocator; we copy it and free it with tjFree.
    let status = unsafe {
        tjTransform(
            handle.0.as_ptr(),
            jpeg.as_ptr(),
            size,
            1,
            &mut out,
            &mut out_size,
            &mut transform,
            TJFLAG_LIMITSCANS,
        )
    };
    let result = if out.is_null() {
        None
    } else {
        let len = usize::try_from(out_size).unwrap_or(0);
        // SAFETY: TurboJPEG wrote `out_size` bytes at `out`.
        Some(unsafe { std::slice::from_raw_parts(out, len) }.to_vec())
    };
    if !out.is_null() {
        // SAFETY: allocated by TurboJPEG for this call; freed once.
        unsafe { tjFree(out) };
    }
    match (status, result) {
        (0, Some(turned)) => Ok(turned),
        (0, None) => Err(PhotoError::Encode("libjpeg turned nothing".into())),
        _ => Err(PhotoError::Encode(handle.message())),
    }
}

/// `width`×`height` samples padded to even sides by repeating the last column
/// and row.
fn pad_to_even(data: &[u8], width: usize, height: usize) -> Vec<u8> {
    let (pw, ph) = (width.next_multiple_of(2), height.next_multiple_of(2));
    let mut out = Vec::with_capacity(pw * ph);
    for row in data.chunks_exact(width).take(height) {
        out.extend_from_slice(row);
        if pw > width {
            out.push(row[width - 1]);
        }
    }
    if ph > height {
        let last = out[(height - 1) * pw..].to_vec();
        out.extend_from_slice(&last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pad_to_even;

    #[test]
    fn the_deb_depends_on_a_libturbojpeg_that_knows_limitscans() {
        let conf = include_str!("../../../tauri.conf.json");
        assert!(
            conf.contains(r#""libturbojpeg0 (>= 1:2.1)""#),
            "tauri.conf.json's deb depends must ask for libturbojpeg0 2.1 or later"
        );
    }

    #[test]
    fn padding_repeats_the_last_column_and_row() {
        assert_eq!(pad_to_even(&[1, 2, 3, 4], 2, 2), vec![1, 2, 3, 4]);
        assert_eq!(pad_to_even(&[1, 2, 3], 3, 1), vec![1, 2, 3, 3, 1, 2, 3, 3]);
        assert_eq!(pad_to_even(&[1, 2], 1, 2), vec![1, 1, 2, 2]);
        assert_eq!(pad_to_even(&[7], 1, 1), vec![7, 7, 7, 7]);
    }
}
