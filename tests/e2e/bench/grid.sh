#!/usr/bin/env bash
# The seller's grid in the real window (`cargo xtask bench grid`): with 1,000
# (the peer) and 10,000 drafts, the Drafts tab's open to the first row
# painted, the rows mounted, and the arrow-key repaint (median, p95, max).
# Builds the UI and the binaries first, as the E2E tests need them.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo xtask ui
cargo build -q --workspace --exclude rehome-ui --bins
cargo nextest run --workspace --exclude rehome-ui \
  -E 'package(rehome-e2e) and test(grid_bench)' --run-ignored only --no-capture
