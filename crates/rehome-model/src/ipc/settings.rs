//! Device settings: choices the seller makes for this device (not synced).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceSettings {
    /// Keep each photo's original file, as the camera or gallery gave it, in
    /// the device's originals folder. Off by default: only the compressed
    /// copy is kept.
    pub keep_originals: bool,
}
