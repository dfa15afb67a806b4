//! rehome-photo's one integration-test binary.

mod corpus;
mod fixtures;
mod heic;
mod hostile;
mod mutations;
mod pipeline;
mod rotate;
