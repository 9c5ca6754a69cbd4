#!/usr/bin/env bash
# Installs every package Leadline needs to build and test, from Debian's archive.
#   scripts/install-deps.sh            the build, the tests and the dashboard's build (Node.js)
#   scripts/install-deps.sh --browser  and Chromium, for the dashboard's browser tests
# Idempotent: does nothing when all are installed. Run as root (or with sudo available).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config git ca-certificates
  libgit2-dev libsqlite3-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev libre2-dev
  libhowardhinnant-date-dev libcurl4-openssl-dev libcpp-httplib-dev libsodium-dev
  libboost1.81-dev zlib1g-dev libssl-dev
  libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
  libpq-dev postgresql-15
  # The sanitizers' build (scripts/test.sh) compiles with clang: half gcc's time at -O0.
  clang-14 libclang-rt-14-dev
)
[ "${1:-}" = "--browser" ] && packages+=(chromium)
# Node.js builds the dashboard; a newer one already on the machine will do.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
