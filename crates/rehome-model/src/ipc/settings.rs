//! Device settings: choices the person makes for this device (not synced).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceSettings {
    /// Keep each photo's original file, as the camera or gallery gave it, in
    /// the device's originals folder. Off by default: only the compressed
    /// copy is kept.
    pub keep_originals: bool,
    /// Light or dark colours; by default whatever the system asks for.
    pub theme: Theme,
}

/// The app's colours. Photos are shown as taken in every theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    /// Follow the system's light or dark preference (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The name the CLI, the settings file and the UI's `data-theme` use.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme named `s` (as [`Theme::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_file_from_before_themes_reads_as_the_system_theme() {
        let old: DeviceSettings = serde_json::from_str(r#"{"keepOriginals": true}"#).unwrap();
        assert_eq!(
            old,
            DeviceSettings {
                keep_originals: true,
                theme: Theme::System
            }
        );
    }

    #[test]
    fn theme_names_round_trip_through_the_wire_and_parse() {
        for t in Theme::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(Theme::parse(t.as_str()), Some(t));
        }
        assert_eq!(Theme::parse("Dark"), None);
        assert!(serde_json::from_str::<DeviceSettings>(r#"{"theme": "sepia"}"#).is_err());
    }
}
