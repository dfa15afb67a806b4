//! `rehome photo compress IN... --out DIR`: shrink photos the way the app does
//! before upload. A thin layer: reading and writing files, parallelism and JSON
//! output live here; every pixel decision is rehome-photo's.
//!
//! One JSON object per input, in input order, one per line:
//! `{"input","ok":true,"photo":{path,width,height,bytes,sha256},"thumb":{...}}` or
//! `{"input","ok":false,"code","errorCode","message"}` where `code` is the
//! pipeline's stable per-cause code (`truncated`, `too_many_pixels`, ...) and
//! `errorCode` the edge category (`bad_photo`, `too_large`). Keeps going past
//! bad files and exits non-zero if any failed.

use rehome_model::{ApiError, ErrorCode};
use rehome_photo::{Compressed, Encoded, Limits, PhotoError, Settings};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(clap::Args)]
pub struct PhotoArgs {
    #[command(subcommand)]
    command: PhotoCommand,
}

#[derive(clap::Subcommand)]
enum PhotoCommand {
    /// Shrink photos to a JPEG and a thumbnail, orientation applied, no metadata.
    Compress(CompressArgs),
}

#[derive(clap::Args)]
struct CompressArgs {
    /// Input photos (JPEG, PNG, WebP, HEIC; the content decides, not the name).
    #[arg(required = true, value_name = "IN")]
    inputs: Vec<PathBuf>,
    /// Folder for the outputs (created if missing): STEM.SHA12.jpg and STEM.SHA12.thumb.jpg.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Long edge of the photo in pixels (never upscaled).
    #[arg(long, default_value_t = Settings::default().max_edge)]
    max_edge: u32,
    /// Long edge of the thumbnail in pixels.
    #[arg(long, default_value_t = Settings::default().thumb_edge)]
    thumb_edge: u32,
    /// JPEG quality, 1-100.
    #[arg(long, default_value_t = Settings::default().quality)]
    quality: u8,
    /// Worker threads (default: every core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Print JSON (the only format; accepted for scripts that pass it).
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct OutputFile {
    path: String,
    width: u32,
    height: u32,
    bytes: usize,
    sha256: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Line {
    #[serde(rename_all = "camelCase")]
    Ok {
        input: String,
        ok: bool,
        photo: OutputFile,
        thumb: OutputFile,
    },
    #[serde(rename_all = "camelCase")]
    Failed {
        input: String,
        ok: bool,
        code: &'static str,
        error_code: ErrorCode,
        message: String,
    },
}

pub fn run(args: &PhotoArgs) -> Result<(), ApiError> {
    match &args.command {
        PhotoCommand::Compress(args) => compress(args),
    }
}

fn compress(args: &CompressArgs) -> Result<(), ApiError> {
    let _ = args.json;
    let settings = Settings {
        max_edge: args.max_edge,
        thumb_edge: args.thumb_edge,
        quality: args.quality,
    };
    settings.validate().map_err(ApiError::from)?;
    std::fs::create_dir_all(&args.out).map_err(|e| {
        ApiError::new(
            ErrorCode::ReadOnly,
            format!("cannot create {}: {e}", args.out.display()),
        )
        .with_field("out")
    })?;
    let limits = Limits::default();
    let workers = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, args.inputs.len().max(1));

    // Workers take the next input; lines are printed in input order as soon as
    // every earlier input is done.
    let next = AtomicUsize::new(0);
    let printer = Mutex::new((0usize, BTreeMap::<usize, Line>::new()));
    let failed = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = args.inputs.get(i) else {
                        break;
                    };
                    let line = one(input, &args.out, &settings, &limits);
                    if matches!(line, Line::Failed { .. }) {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    let mut guard = printer.lock().unwrap_or_else(|p| p.into_inner());
                    let (next_to_print, pending) = &mut *guard;
                    pending.insert(i, line);
                    while let Some(line) = pending.remove(next_to_print) {
                        print_line(&line);
                        *next_to_print += 1;
                    }
                }
            });
        }
    });
    match failed.load(Ordering::Relaxed) {
        0 => Ok(()),
        n => Err(ApiError::new(
            ErrorCode::BadPhoto,
            format!("{n} of {} photos failed", args.inputs.len()),
        )),
    }
}

fn print_line(line: &Line) {
    let text = serde_json::to_string(line).unwrap_or_else(|e| {
        format!(
            "{{\"ok\":false,\"code\":\"internal\",\"message\":{:?}}}",
            e.to_string()
        )
    });
    // Only a closed stdout fails here (a broken pipe exits quietly).
    let _ = crate::output::print_line(&text);
}

#[tracing::instrument(skip(out, settings, limits))]
fn one(input: &Path, out: &Path, settings: &Settings, limits: &Limits) -> Line {
    let name = input.display().to_string();
    let failed = |code: &'static str, error_code: ErrorCode, message: String| Line::Failed {
        input: name.clone(),
        ok: false,
        code,
        error_code,
        message,
    };
    let from_photo = |e: PhotoError| failed(e.code(), e.error_code(), e.to_string());
    // refuse an oversized file before reading it into memory
    match std::fs::metadata(input) {
        Ok(meta) if meta.len() > limits.max_input_bytes as u64 => {
            return from_photo(PhotoError::TooManyBytes {
                bytes: usize::try_from(meta.len()).unwrap_or(usize::MAX),
                limit: limits.max_input_bytes,
            });
        }
        Ok(meta) if !meta.is_file() => {
            return failed(
                "unreadable",
                ErrorCode::NotFound,
                format!("{name} is not a file"),
            );
        }
        Ok(_) => {}
        Err(e) => return failed("unreadable", ErrorCode::NotFound, format!("{name}: {e}")),
    }
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => return failed("unreadable", ErrorCode::NotFound, format!("{name}: {e}")),
    };
    let compressed = match rehome_photo::compress(&bytes, settings, limits) {
        Ok(c) => c,
        Err(e) => return from_photo(e),
    };
    match write_outputs(input, out, &compressed) {
        Ok((photo, thumb)) => Line::Ok {
            input: name,
            ok: true,
            photo,
            thumb,
        },
        Err(e) => failed("write_failed", ErrorCode::ReadOnly, e),
    }
}

/// `STEM.SHA12.jpg` and `STEM.SHA12.thumb.jpg` (SHA12: the photo's hash), each
/// written to a temporary name and renamed into place.
fn write_outputs(
    input: &Path,
    out: &Path,
    c: &Compressed,
) -> Result<(OutputFile, OutputFile), String> {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "photo".to_owned());
    let tag = &c.photo.sha256_hex()[..12];
    let write = |suffix: &str, e: &Encoded| -> Result<OutputFile, String> {
        let path = out.join(format!("{stem}.{tag}{suffix}"));
        let tmp = out.join(format!(".{stem}.{tag}{suffix}.tmp"));
        std::fs::write(&tmp, &e.jpeg)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|err| format!("{}: {err}", path.display()))?;
        Ok(OutputFile {
            path: path.display().to_string(),
            width: e.width,
            height: e.height,
            bytes: e.bytes(),
            sha256: e.sha256_hex(),
        })
    };
    Ok((write(".jpg", &c.photo)?, write(".thumb.jpg", &c.thumb)?))
}
