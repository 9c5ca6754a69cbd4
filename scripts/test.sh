#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds with warnings as errors and runs every test,
# then does the same in an AddressSanitizer + UndefinedBehaviorSanitizer build (compiled at low
# priority while the first build's tests run). The dashboard's browser tests run in Chromium
# against the first build.
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
# lookml-parser for the check of the generated LookML (tests/lookml), the same way.
(cd tests/lookml && { [ node_modules/.package-lock.json -nt package-lock.json ] ||
  npm ci --no-audit --no-fund; })
jobs=$(nproc)

configure() {  # configure BUILD_DIR CMAKE_ARGS...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DLEADLINE_WERROR=ON "$@" >/dev/null
}
run_tests() {  # run_tests BUILD_DIR
  (cd "$1" && ctest --output-on-failure -j "$jobs" --timeout 600)
}

echo "== build and test (warnings as errors) ==" >&2
# Line tables only (-g1): failures' stack traces keep their lines, at a fraction of the
# compile time of full debug information.
configure build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADLINE_BUILD_TESTS=ON \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
ninja -C build/test -j "$jobs"
sanitize_build=""
# A failure below stops the background build too.
trap '[ -z "$sanitize_build" ] || kill "$sanitize_build" 2>/dev/null || true' EXIT
if [ "$sanitize" = 1 ]; then
  # The sanitizers' build compiles meanwhile, at the lowest priority: the tests below mostly
  # wait (on servers, sockets, PostgreSQL, Chromium) and leave the cores idle, and they come first.
  # Line tables only here too: the sanitizers' reports keep file and line, and the build, the
  # longest step of the whole run, takes a quarter less. It is compiled with clang, which
  # compiles this unoptimised build in half gcc's time (and warns about other things than gcc,
  # so the code is kept clean under both); the product's own build above stays on gcc.
  # A tree configured with gcc before is started afresh (CMake cannot switch compilers in place).
  grep -qs 'CMAKE_CXX_COMPILER:.*clang' build/sanitize/CMakeCache.txt || rm -rf build/sanitize
  configure build/sanitize -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_BUILD_TYPE=Debug -DLEADLINE_SANITIZE=ON \
    -DLEADLINE_BUILD_TESTS=ON -DLEADLINE_BUILD_BENCH=OFF "-DCMAKE_CXX_FLAGS_DEBUG=-g1"
  nice -n 19 ninja -C build/sanitize -j "$jobs" > build/sanitize-build.log 2>&1 &
  sanitize_build=$!
fi
run_tests build/test
echo "== the dashboard in Chromium ==" >&2
scripts/build-web.sh
(cd web && LEADLINE_BIN_DIR="$PWD/../build/test" npm run --silent test:browser)
if [ "$sanitize" = 1 ]; then
  echo "== build and test (AddressSanitizer + UndefinedBehaviorSanitizer) ==" >&2
  wait "$sanitize_build" || { cat build/sanitize-build.log >&2; exit 1; }
  tail -n 1 build/sanitize-build.log >&2
  # Leaks inside third-party libraries, each explained in the file.
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan-suppressions.txt:print_suppressions=0"
  run_tests build/sanitize
fi
