//! rehome-photo's one integration-test binary.

mod chroma;
mod corpus;
mod fixtures;
mod heic;
mod hostile;
mod icc;
mod mutations;
mod pipeline;
mod rotate;
