//! rehome-photo's one integration-test binary.

mod corpus;
mod fixtures;
mod heic;
mod hostile;
mod icc;
mod mutations;
mod pipeline;
mod rotate;
