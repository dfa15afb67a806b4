//! Photo pipeline (work in progress).
