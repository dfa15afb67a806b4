//! Embedded ICC profiles: pixels in another RGB space (Display P3 from
//! iPhones, Adobe RGB from cameras) are converted to sRGB with qcms
//! (Firefox's colour management: pure Rust, no dependencies, built to read
//! hostile profiles from the web).
//!
//! The output carries no profile, which viewers read as sRGB, so converting is
//! what keeps a P3 red red instead of washed out.

/// What happened to an embedded profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IccOutcome {
    /// No profile: the pixels are taken as sRGB.
    Absent,
    /// An sRGB profile (or one that maps every probe colour to itself within
    /// one level): nothing to do.
    Srgb,
    /// Converted to sRGB.
    Converted,
    /// A profile we cannot apply to RGB pixels (damaged, CMYK, grey, or
    /// larger than [`PROFILE_BYTES_MAX`]): ignored, pixels taken as sRGB.
    Ignored,
}

/// Profiles larger than this are ignored (real RGB profiles are 0.5-60 KB;
/// LUT-based camera profiles can reach a few hundred KB).
pub(crate) const PROFILE_BYTES_MAX: usize = 4 << 20;

/// Colours that show whether a profile differs from sRGB: the primaries,
/// secondaries, mid grey and a few skin and foliage tones.
const PROBE: [u8; 27] = [
    255, 0, 0, 0, 255, 0, 0, 0, 255, //
    255, 255, 0, 0, 255, 255, 128, 128, 128, //
    224, 172, 105, 64, 128, 48, 30, 60, 200,
];

/// Converts interleaved RGB8 `pixels` from the colour space of `profile` to
/// sRGB, in place.
pub(crate) fn to_srgb(pixels: &mut [u8], profile: Option<&[u8]>) -> IccOutcome {
    if !pixels.len().is_multiple_of(3) {
        return IccOutcome::Ignored;
    }
    match plan(profile) {
        Plan::Leave(outcome) => outcome,
        Plan::Convert(transform) => {
            transform.apply(pixels);
            IccOutcome::Converted
        }
    }
}

/// What [`to_srgb`] would do with `profile`, without pixels: `None` when it
/// would convert them, else the outcome of leaving them as they are.
pub(crate) fn left_as_is(profile: Option<&[u8]>) -> Option<IccOutcome> {
    match plan(profile) {
        Plan::Leave(outcome) => Some(outcome),
        Plan::Convert(_) => None,
    }
}

enum Plan {
    Leave(IccOutcome),
    Convert(qcms::Transform),
}

fn plan(profile: Option<&[u8]>) -> Plan {
    let Some(profile) = profile else {
        return Plan::Leave(IccOutcome::Absent);
    };
    if profile.is_empty() || profile.len() > PROFILE_BYTES_MAX {
        return Plan::Leave(IccOutcome::Ignored);
    }
    let Some(input) = qcms::Profile::new_from_slice(profile, false) else {
        return Plan::Leave(IccOutcome::Ignored);
    };
    let output = qcms::Profile::new_sRGB();
    // Fails for profiles of other colour spaces (CMYK, grey) than the RGB
    // pixels we hand it.
    let Some(transform) = qcms::Transform::new(
        &input,
        &output,
        qcms::DataType::RGB8,
        qcms::Intent::Perceptual,
    ) else {
        return Plan::Leave(IccOutcome::Ignored);
    };
    let mut probe = PROBE;
    transform.apply(&mut probe);
    if probe.iter().zip(PROBE).all(|(a, b)| a.abs_diff(b) <= 1) {
        return Plan::Leave(IccOutcome::Srgb);
    }
    Plan::Convert(transform)
}
