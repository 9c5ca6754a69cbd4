// Test support: deterministic, unique 40-digit commit ids for in-memory graphs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace leadline::testing {

// The n-th id: 24 scrambled hex digits (splitmix64, so ids spread like real SHA-1s), then n.
inline std::string HexId(std::uint64_t n) {
  std::uint64_t z = n + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  char out[41];
  std::snprintf(out, sizeof(out), "%08x%016llx%016llx", static_cast<unsigned>(z >> 32),
                static_cast<unsigned long long>(z), static_cast<unsigned long long>(n));
  return out;
}

}  // namespace leadline::testing
