#!/usr/bin/env bash
# Run the `decode` fuzz target for SECONDS (default 60: the CI-sized smoke run).
# Uses cargo-fuzz when installed (with a nightly toolchain); otherwise builds
# with the same flags by hand (libFuzzer through libfuzzer-sys,
# AddressSanitizer, SanitizerCoverage) with nightly, or, where no nightly can be
# installed (CI), with the stable compiler and RUSTC_BOOTSTRAP=1 for its -Z
# flags. `cargo xtask test` runs it for 30 s as a smoke run; a crash fails it.
# Seeds are generated from Debian's mate-backgrounds with vipsthumbnail and
# heif-enc when those are present.
#   crates/rehome-photo/fuzz/run.sh [SECONDS] [extra libFuzzer args...]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN="${1:-60}"; shift || true
# FUZZ_STABLE=1 takes the stable route even where nightly is installed.
if [ "${FUZZ_STABLE:-0}" != 1 ] && rustup run nightly rustc --version >/dev/null 2>&1; then
    NIGHTLY=1
else
    NIGHTLY=0
    echo "fuzz: building with the stable compiler and RUSTC_BOOTSTRAP=1 (no nightly, or FUZZ_STABLE=1)"
fi

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

if [ "$NIGHTLY" = 1 ] && cargo fuzz --version >/dev/null 2>&1; then
    exec cargo +nightly fuzz run decode corpus/decode -- -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 "$@"
fi

TARGET="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks \
  -Zsanitizer=address -Cforce-frame-pointers"
export RUSTDOCFLAGS="$RUSTFLAGS"
# Under the workspace's one target directory, apart from the normal builds.
export CARGO_TARGET_DIR="$(cd ../../.. && pwd)/target/fuzz"
if [ "$NIGHTLY" = 1 ]; then
    cargo +nightly build --release --target "$TARGET" --bin decode
else
    RUSTC_BOOTSTRAP=1 cargo build --release --target "$TARGET" --bin decode
fi
exec "$CARGO_TARGET_DIR/$TARGET/release/decode" corpus/decode -artifact_prefix=artifacts/decode/ \
    -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -print_final_stats=1 "$@"
