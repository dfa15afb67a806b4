//! Data access for the pages: state held in context, loaded over IPC.

pub mod feed;
