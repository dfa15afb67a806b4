#!/usr/bin/env bash
# Run the `decode` fuzz target for SECONDS (default 60: the CI-sized smoke run).
# Uses cargo-fuzz when installed; otherwise builds with the same flags by hand
# (libFuzzer through libfuzzer-sys, AddressSanitizer, SanitizerCoverage), which
# needs only a nightly toolchain. Seeds are generated from Debian's
# mate-backgrounds with vipsthumbnail/heif-enc when those are present.
#   crates/rehome-photo/fuzz/run.sh [SECONDS] [extra libFuzzer args...]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN="${1:-60}"; shift || true
rustup run nightly rustc --version >/dev/null 2>&1 || { echo "SKIPPED: no nightly toolchain (rustup toolchain install nightly)"; exit 0; }

mkdir -p corpus/decode artifacts/decode
if [ -z "$(ls -A corpus/decode)" ]; then
    SRC="$(find /usr/share/backgrounds/mate -name '*.jpg' 2>/dev/null | head -3 || true)"
    i=0
    for f in $SRC; do
        i=$((i + 1))
        command -v vipsthumbnail >/dev/null && {
            vipsthumbnail "$f" -s 48 -o "$PWD/corpus/decode/s$i.jpg[Q=70,strip]"
            vipsthumbnail "$f" -s 40 -o "$PWD/corpus/decode/s$i-p.jpg[Q=60,interlace,strip]"
            vipsthumbnail "$f" -s 32 -o "$PWD/corpus/decode/s$i.png"
            vipsthumbnail "$f" -s 32 -o "$PWD/corpus/decode/s$i.webp[Q=50]"
            vipsthumbnail "$f" -s 32 -o "$PWD/corpus/decode/s$i-l.webp[lossless]"
        } || true
    done
    if command -v heif-enc >/dev/null && [ -f corpus/decode/s1.png ]; then
        heif-enc -q 30 corpus/decode/s1.png -o corpus/decode/s1.heic >/dev/null 2>&1 || true
    fi
    printf 'GIF89a' >corpus/decode/gif
    echo "seed corpus: $(ls corpus/decode | wc -l) files"
fi

if cargo fuzz --version >/dev/null 2>&1; then
    exec cargo +nightly fuzz run decode corpus/decode -- -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 "$@"
fi

TARGET="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks \
  -Zsanitizer=address -Cforce-frame-pointers"
export RUSTDOCFLAGS="$RUSTFLAGS"
cargo +nightly build --release --target "$TARGET" --bin decode
exec "target/$TARGET/release/decode" corpus/decode -artifact_prefix=artifacts/decode/ \
    -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -print_final_stats=1 "$@"
