#include "testing/json_subset.h"

#include <cmath>

namespace leadline::testing {
namespace {

using nlohmann::json;

constexpr double kTolerance = 1e-6;

bool IsNote(const std::string& key) { return key.starts_with("_"); }

void CompareSubset(const json& expected, const json& actual, const std::string& path,
                   std::vector<std::string>& errors) {
  const std::string where = path.empty() ? "(root)" : path;
  if (expected.is_object()) {
    if (!actual.is_object()) {
      errors.push_back(where + ": expected an object, got " + actual.dump());
      return;
    }
    for (const auto& [key, value] : expected.items()) {
      if (IsNote(key)) continue;
      const std::string child = path.empty() ? key : path + "." + key;
      if (!actual.contains(key)) {
        errors.push_back(child + ": missing (expected " + value.dump() + ")");
        continue;
      }
      CompareSubset(value, actual[key], child, errors);
    }
  } else if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      errors.push_back(where + ": expected " + std::to_string(expected.size()) + " elements, got " +
                       (actual.is_array() ? std::to_string(actual.size()) : actual.dump()));
      return;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CompareSubset(expected[i], actual[i], path + "[" + std::to_string(i) + "]", errors);
    }
  } else if (expected.is_number()) {
    if (!actual.is_number() ||
        std::abs(expected.get<double>() - actual.get<double>()) > kTolerance) {
      errors.push_back(where + ": expected " + expected.dump() + ", got " + actual.dump());
    }
  } else if (expected != actual) {
    errors.push_back(where + ": expected " + expected.dump() + ", got " + actual.dump());
  }
}

}  // namespace

std::vector<std::string> SubsetDifferences(const json& expected, const json& actual) {
  std::vector<std::string> errors;
  CompareSubset(expected, actual, "", errors);
  return errors;
}

}  // namespace leadline::testing
