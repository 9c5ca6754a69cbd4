# Every third-party dependency is found here, and only here. All come from Debian's packages;
# scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)

find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson REQUIRED)  # the webhook intake's read of every delivery
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(date REQUIRED)
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(tomlplusplus REQUIRED)
# The server: Boost.Beast and Asio (header-only), zlib for gzip request bodies.
find_package(Boost 1.81 REQUIRED)
find_package(ZLIB REQUIRED)
# JWT verification (RS256, PS256, ES256, EdDSA) on OpenSSL 3's EVP interface.
find_package(OpenSSL 3 REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.1)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# The PostgreSQL store: libpq, the server's own client library.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# cpp-httplib serves the test doubles (Bitbucket) and is the tests' HTTP client.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# cpp-httplib's listen backlog is a compile-time constant (5 by default): every target that
# includes httplib.h must agree on it.
add_compile_definitions(CPPHTTPLIB_LISTEN_BACKLOG=1024)

if(LEADLINE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(LEADLINE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
