#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds with warnings as errors and runs every test,
# then does the same in an AddressSanitizer + UndefinedBehaviorSanitizer build.
# Between the two, the dashboard's browser tests run in Chromium against the first build.
#   scripts/test.sh                 everything
#   scripts/test.sh --no-sanitize   without the sanitizer build (faster while iterating)
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0

scripts/install-deps.sh --browser
# graphql-js for the GraphQL oracle (tests/graphql), only when its lock file changed.
(cd tests/graphql && { [ node_modules/.package-lock.json -nt package-lock.json ] ||
  npm ci --no-audit --no-fund; })
jobs=$(nproc)

run_suite() {  # run_suite BUILD_DIR CMAKE_ARGS...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DLEADLINE_WERROR=ON "$@" >/dev/null
  ninja -C "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600)
}

echo "== build and test (warnings as errors) ==" >&2
# Line tables only (-g1): failures' stack traces keep their lines, at a fraction of the
# compile time of full debug information.
run_suite build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADLINE_BUILD_TESTS=ON \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
echo "== the dashboard in Chromium ==" >&2
scripts/build-web.sh
(cd web && LEADLINE_BIN_DIR="$PWD/../build/test" npm run --silent test:browser)
if [ "$sanitize" = 1 ]; then
  echo "== build and test (AddressSanitizer + UndefinedBehaviorSanitizer) ==" >&2
  # Leaks inside third-party libraries, each explained in the file.
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan-suppressions.txt:print_suppressions=0"
  run_suite build/sanitize -DCMAKE_BUILD_TYPE=Debug -DLEADLINE_SANITIZE=ON -DLEADLINE_BUILD_TESTS=ON \
    -DLEADLINE_BUILD_BENCH=OFF
fi
