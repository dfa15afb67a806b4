#!/usr/bin/env bash
# Store benchmarks (not tests; `cargo xtask bench store`): each prints its
# figures and a ratio to a peer measured in the same run on the same disk.
#   - edit_bench: one edit's save against a bare INSERT transaction;
#   - grid_bench: grid pages and counts at 50,000 rows against a bare SELECT
#     (and the old list_drafts), and a bulk -10 % of 10,000 rows against a
#     bare UPDATE of the same rows;
#   - bench_bulk (rehome-sync): 10,000 listings -10 % committed and pushed to
#     an in-process server, with the request count;
#   - csv_bench (rehome-app): a 10,000-row CSV previewed against the csv
#     crate's bare parse.
# PROFILE=release for the release figures (a release build of these crates).
set -euo pipefail
cd "$(dirname "$0")/../../.."
profile=${PROFILE:-dev}
dir=debug
flag=()
if [ "$profile" = release ]; then dir=release; flag=(--release); fi
cargo build -q "${flag[@]}" -p rehome-store --example edit_bench --example grid_bench
cargo build -q "${flag[@]}" -p rehome-sync --features test-support --example bench_bulk
cargo build -q "${flag[@]}" -p rehome-app --example csv_bench
"target/$dir/examples/edit_bench" 200
"target/$dir/examples/grid_bench" 50000
"target/$dir/examples/bench_bulk" 10000
"target/$dir/examples/csv_bench" 10000
