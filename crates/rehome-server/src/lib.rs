//! Reference marketplace API (work in progress).
