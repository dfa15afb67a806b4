//! rehome-testkit's own tests: one binary, one module per piece.

mod private_keyring;
