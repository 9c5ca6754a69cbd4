#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds with warnings as errors and runs every test,
# then does the same in an AddressSanitizer + UndefinedBehaviorSanitizer build.
#   scripts/test.sh                 both builds
#   scripts/test.sh --no-sanitize   the warnings-as-errors build only (faster while iterating)
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0

scripts/install-deps.sh
jobs=$(nproc)

run_suite() {  # run_suite BUILD_DIR CMAKE_ARGS...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DLEADLINE_WERROR=ON "$@" >/dev/null
  ninja -C "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600)
}

echo "== build and test (warnings as errors) ==" >&2
run_suite build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADLINE_BUILD_TESTS=ON
if [ "$sanitize" = 1 ]; then
  echo "== build and test (AddressSanitizer + UndefinedBehaviorSanitizer) ==" >&2
  # Leaks inside third-party libraries, each explained in the file.
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan-suppressions.txt:print_suppressions=0"
  run_suite build/sanitize -DCMAKE_BUILD_TYPE=Debug -DLEADLINE_SANITIZE=ON -DLEADLINE_BUILD_TESTS=ON \
    -DLEADLINE_BUILD_BENCH=OFF
fi
