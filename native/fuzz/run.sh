#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for <seconds> (default 30;
# CI gives each of the two targets, framer_fuzz and response_fuzz, 30 s)
# from the seed corpus in native/fuzz/corpus/<target>. Exits non-zero on a crash or build failure.
# New inputs found go to build/fuzz/corpus/<target>, never into the checked-in seeds.
set -euo pipefail
seconds="${1:-30}"
cd "$(dirname "$0")/../.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S . -B build/fuzz "${generator[@]}" -DEVB_FUZZ=ON -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/fuzz -j "${JOBS:-2}"
status=0
for bin in build/fuzz/native/fuzz/*_fuzz; do
  name="$(basename "$bin")"
  work="build/fuzz/corpus/$name"
  mkdir -p "$work" "build/fuzz/artifacts/$name"
  echo "== $name for ${seconds}s"
  "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$name/" \
    "$work" "native/fuzz/corpus/$name" || status=$?
done
exit "$status"
