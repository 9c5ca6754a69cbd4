#include "sources/contract/test_incident.h"

#include <algorithm>

#include "common/text.h"

namespace leadline::sources {
namespace {

// `prefix` is lowercase.
bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         common::EqualsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

}  // namespace

bool IsTestTitle(std::string_view title) {
  const std::size_t first = title.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  title.remove_prefix(first);
  return StartsWithIgnoringCase(title, "[test]") || StartsWithIgnoringCase(title, "test:");
}

bool HasTestLabel(const std::vector<std::string>& labels) {
  return std::any_of(labels.begin(), labels.end(), [](const std::string& label) {
    return common::EqualsIgnoringCase(label, "test");
  });
}

}  // namespace leadline::sources
