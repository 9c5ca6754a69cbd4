// Small ASCII text helpers shared by the layers that compare names people type (environment
// names, severities, services) without case. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace leadline::common {

std::string AsciiLower(std::string_view text);
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace leadline::common
