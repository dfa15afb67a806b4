//! Data access for the pages: state held in context, loaded over IPC. The IPC
//! client is private to this module, so a page or a component cannot call the
//! core except through a data module (the compiler refuses it).

pub mod about;
pub mod account;
pub mod bulk;
pub mod card_pages;
pub mod closet;
pub mod conflicts;
pub mod device_settings;
pub mod drafts;
pub mod editor;
pub mod feed;
pub mod grid;
mod ipc;
pub mod likes;
pub mod listing;
pub mod photo_url;
pub mod search;
pub mod sizes;
pub mod social;
pub mod sync;
