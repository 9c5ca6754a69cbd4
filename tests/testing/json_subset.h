// Test support: compares a JSON output with an expected subset of it, for the golden cases.
// Every key of `expected` must be in `actual` with an equal value (numbers within 1e-6); arrays
// must have the same length; keys starting with '_' are notes and are skipped. Tests only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace leadline::testing {

// One line per difference, each starting with the JSON path, e.g.
// "deployments[2].change_count: expected 3, got 4".
std::vector<std::string> SubsetDifferences(const nlohmann::json& expected,
                                           const nlohmann::json& actual);

}  // namespace leadline::testing
