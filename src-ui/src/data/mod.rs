//! Data access for the pages: state held in context, loaded over IPC.

pub mod account;
pub mod conflicts;
pub mod device_settings;
pub mod drafts;
pub mod editor;
pub mod feed;
pub mod sync;
