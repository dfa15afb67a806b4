//! On-device store (work in progress).
