//! `rehome settings [--keep-originals on|off] [--theme system|light|dark]`:
//! this device's settings, the same ones the app's switches change (whether
//! photos' originals are kept beside the compressed copies, and the app's
//! colours). Prints the settings after any change.

use crate::Cli;
use crate::output::print_json;
use rehome_app::App;
use rehome_model::ApiError;
use rehome_model::ipc::Theme;

#[derive(clap::Args)]
pub struct SettingsArgs {
    /// Keep each added photo's original file in the device's originals folder
    /// (off by default: only the compressed copy is kept).
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    keep_originals: Option<bool>,
    /// The app's colours: the system's choice (the default), light or dark.
    #[arg(long, value_name = "system|light|dark", value_parser = theme)]
    theme: Option<Theme>,
}

fn theme(s: &str) -> Result<Theme, String> {
    Theme::parse(s).ok_or_else(|| format!("{s:?}: expected system, light or dark"))
}

fn on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("{other:?}: expected on or off")),
    }
}

pub fn run(cli: &Cli, args: &SettingsArgs) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    let mut settings = app.device_settings().map_err(ApiError::from)?;
    let before = settings.clone();
    if let Some(keep) = args.keep_originals {
        settings.keep_originals = keep;
    }
    if let Some(theme) = args.theme {
        settings.theme = theme;
    }
    if settings != before {
        settings = app.set_device_settings(settings).map_err(ApiError::from)?;
    }
    print_json(&settings)
}
