#!/usr/bin/env bash
# Configures, builds and runs the C++ unit tests. `--sanitize` builds them with AddressSanitizer
# and UBSan (in build/cpp-test-asan). Exits non-zero when anything fails. Uses at most -j2 unless
# JOBS says otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=build/cpp-test
flags=(-DEVB_TESTS=ON)
if [[ "${1:-}" == "--sanitize" ]]; then
  dir=build/cpp-test-asan
  flags+=(-DEVB_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S . -B "$dir" "${generator[@]}" "${flags[@]}"
cmake --build "$dir" -j "${JOBS:-2}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$dir" --output-on-failure -j "${JOBS:-2}"
