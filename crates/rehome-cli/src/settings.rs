//! `rehome settings [--keep-originals on|off]`: this device's settings, the same
//! ones the app's switches change (today: whether photos' originals are kept
//! beside the compressed copies). Prints the settings after any change.

use crate::Cli;
use crate::output::print_json;
use rehome_app::App;
use rehome_model::ApiError;

#[derive(clap::Args)]
pub struct SettingsArgs {
    /// Keep each added photo's original file in the device's originals folder
    /// (off by default: only the compressed copy is kept).
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    keep_originals: Option<bool>,
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
    if let Some(keep) = args.keep_originals {
        settings.keep_originals = keep;
        settings = app.set_device_settings(settings).map_err(ApiError::from)?;
    }
    print_json(&settings)
}
