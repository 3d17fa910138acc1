#!/usr/bin/env bash
# Cross-compiles native/ and the C floor for macOS (x86_64, arm64) and FreeBSD (x86_64) with
# `zig c++` / `zig cc` (zig ships those platforms' libc headers), with the warnings the Linux build
# shows turned into errors: every translation unit of native/core (the poller is kqueue there; the
# epoll and io_uring units compile to nothing, as cmake's glob builds them), the addon's units
# (against node-addon-api and node-api-headers from node_modules), then links the standalone server
# and the floor as executables and the addon as a shared object. Nothing is run: these are other
# platforms' binaries. One line per target and unit; exits 1 when anything fails.
#   scripts/cross-compile.sh [target...]   (default: x86_64-macos aarch64-macos x86_64-freebsd)
# Environment: JOBS (parallel compiles, default 2), ZIG (a zig command to use instead of ziglang),
# LINK_CXX (the targets whose C++ links are made, default all: zig builds libc++ once per target on
# a cold cache, about a minute each here, so CI links one).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(x86_64-macos aarch64-macos x86_64-freebsd)
out_root=build/cross
venv="${XDG_CACHE_HOME:-$HOME/.cache}/evbench/zig-venv"

# zig from PyPI's ziglang: the user's site first, then a venv (Debian's python3 refuses
# `pip install --user` outside one, PEP 668).
find_zig() {
  if [[ -n "${ZIG:-}" ]]; then echo "$ZIG"; return; fi
  if command -v zig >/dev/null; then echo zig; return; fi
  if python3 -m ziglang version >/dev/null 2>&1; then echo "python3 -m ziglang"; return; fi
  if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -m ziglang version >/dev/null 2>&1; then
    echo "$venv/bin/python -m ziglang"
    return
  fi
  return 1
}
if ! zig=$(find_zig); then
  echo "cross-compile: installing zig (PyPI ziglang)" >&2
  if ! python3 -m pip install --user --quiet ziglang >&2 2>/dev/null; then
    python3 -m venv "$venv" >&2 || {
      echo "cross-compile: no pip and no venv for python3: install python3-venv (apt) and run again" >&2
      exit 2
    }
    "$venv/bin/python" -m pip install --quiet ziglang >&2
  fi
  zig=$(find_zig) || { echo "cross-compile: ziglang installed but 'python3 -m ziglang' does not run" >&2; exit 2; }
fi
napi_inc=node_modules/node-api-headers/include
addon_api=node_modules/node-addon-api
if [[ ! -f $napi_inc/node_api.h || ! -f $addon_api/napi.h ]]; then
  echo "cross-compile: $napi_inc or $addon_api missing: run npm ci first" >&2
  exit 2
fi
echo "cross-compile: zig $($zig version), targets ${targets[*]}"

# The Linux build's flags (CMakeLists.txt, binding.gyp) with -Werror; PIC, as cmake builds the core.
cxxflags=(-std=c++17 -O2 -Wall -Wextra -Werror -fPIC -fexceptions -Inative/core)
addon_flags=(-DNAPI_VERSION=8 -DNODE_ADDON_API_CPP_EXCEPTIONS -I"$addon_api" -I"$napi_inc")
core_units=(native/core/*.cc)
addon_units=(native/addon/*.cc)

# One compile: prints "ok|FAIL target unit" and, after a failure, the compiler's output, in one
# write so that parallel compiles do not interleave their lines.
compile_one() {
  local target=$1 unit=$2 obj log
  obj="$out_root/$target/$(echo "$unit" | tr / _).o"
  log="$obj.log"
  local flags=("${cxxflags[@]}")
  [[ $unit == native/addon/* ]] && flags+=("${addon_flags[@]}")
  local cc=(c++)
  [[ $unit == *.c ]] && cc=(cc) && flags=(-O2 -Wall -Wextra -Werror)  # the floor: C, build.mjs' flags
  if $zig "${cc[@]}" -target "$target" "${flags[@]}" -c "$unit" -o "$obj" >"$log" 2>&1; then
    echo "ok   $target $unit"
  else
    printf 'FAIL %s %s\n%s\n' "$target" "$unit" "$(sed 's/^/     /' "$log")"
    return 1
  fi
}
export -f compile_one
export zig out_root
export cxxflags_s="${cxxflags[*]}" addon_flags_s="${addon_flags[*]}"

# One link; same line form as compile_one.
link_one() {
  local target=$1 what=$2 out=$3
  shift 3
  if $zig "$@" -target "$target" -o "$out" >"$out.log" 2>&1; then
    echo "ok   $target link $what ($out)"
  else
    echo "FAIL $target link $what"
    sed 's/^/     /' "$out.log"
    return 1
  fi
}

failed=0
units=("${core_units[@]}" "${addon_units[@]}" native/standalone/main.cc targets/c-floor/floor.c)
for target in "${targets[@]}"; do
  dir="$out_root/$target"
  rm -rf "$dir" && mkdir -p "$dir"
  # xargs runs the compiles JOBS at a time; the arrays travel as strings (bash exports no arrays).
  if ! printf '%s\n' "${units[@]}" |
    xargs -P "${JOBS:-2}" -I{} bash -c 'cxxflags=($cxxflags_s); addon_flags=($addon_flags_s); compile_one "$0" "$1"' "$target" {}; then
    failed=1
    echo "skip $target links (a unit failed)"
    continue
  fi
  obj() { echo "$dir/$(echo "$1" | tr / _).o"; }
  core_objs=()
  for u in "${core_units[@]}"; do core_objs+=("$(obj "$u")"); done
  addon_objs=()
  for u in "${addon_units[@]}"; do addon_objs+=("$(obj "$u")"); done
  # A Node addon leaves napi_* to the node binary that loads it: macOS's linker must be told.
  undefined=()
  [[ $target == *macos* ]] && undefined=(-Wl,-undefined,dynamic_lookup)
  link_one "$target" c-floor "$dir/floor" cc "$(obj targets/c-floor/floor.c)" -lpthread || failed=1
  if [[ " ${LINK_CXX:-${targets[*]}} " != *" $target "* ]]; then
    echo "skip $target link native-standalone, addon (LINK_CXX=$LINK_CXX)"
    continue
  fi
  link_one "$target" native-standalone "$dir/native-standalone" c++ "$(obj native/standalone/main.cc)" "${core_objs[@]}" -lpthread || failed=1
  link_one "$target" addon "$dir/evbench_native.node" c++ -shared "${addon_objs[@]}" "${core_objs[@]}" "${undefined[@]}" || failed=1
done
if [[ $failed != 0 ]]; then
  echo "cross-compile: failures above (logs in $out_root/<target>/)" >&2
  exit 1
fi
echo "cross-compile: every unit compiled for ${targets[*]}, linked as listed above"
