//! Choices the seller makes for this device, not synced: kept in
//! `settings.json` in the data folder, written atomically (temp file, fsync,
//! rename), so a kill leaves either the old settings or the new ones.

use crate::{App, AppError};
use rehome_model::ipc::DeviceSettings;

const SETTINGS_FILE: &str = "settings.json";

impl App {
    /// This device's settings; the defaults when none were saved. A damaged
    /// file is an error that names it, never silently the defaults: "keep
    /// originals" must not turn itself off.
    pub fn device_settings(&self) -> Result<DeviceSettings, AppError> {
        let path = self.config().data_dir.join(SETTINGS_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                AppError::io(
                    &path,
                    std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DeviceSettings::default()),
            Err(e) => Err(AppError::io(path, e)),
        }
    }

    /// Saves this device's settings and returns them as saved.
    #[tracing::instrument(skip(self))]
    pub fn set_device_settings(
        &self,
        settings: DeviceSettings,
    ) -> Result<DeviceSettings, AppError> {
        let dir = &self.config().data_dir;
        let json = serde_json::to_vec_pretty(&settings).unwrap_or_default();
        crate::atomic_file::write(dir, SETTINGS_FILE, &json)?;
        Ok(settings)
    }
}
