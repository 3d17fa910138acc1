#!/usr/bin/env bash
# Fails (exit 1, naming each file) when a C or C++ file of native/, targets/c-floor/ or bench/conn-floor/ differs
# from what clang-format makes of it with the root .clang-format; `--fix` rewrites them instead.
# Needs clang-format (apt: clang-format; version 14 is the reference, as CI installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "check-format-cxx: clang-format is not installed: apt-get install clang-format" >&2
  exit 2
fi
mapfile -t files < <(git ls-files 'native/*.cc' 'native/*.h' 'native/*.c' 'targets/c-floor/*.c' 'targets/c-floor/*.h' 'bench/conn-floor/*.c')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "check-format-cxx: $f is not formatted: run scripts/check-format-cxx.sh --fix" >&2
    bad=1
  fi
done
exit "$bad"
