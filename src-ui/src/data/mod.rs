//! Data access for the pages: state held in context, loaded over IPC.

pub mod drafts;
pub mod editor;
pub mod feed;
