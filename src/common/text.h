// Small ASCII text helpers shared by the layers that compare names people type (environment
// names, severities, services) without case, and read hex digits. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace leadline::common {

std::string AsciiLower(std::string_view text);
bool EqualsIgnoringCase(std::string_view a, std::string_view b);
// `url` without trailing slashes ("https://gitlab.example.com/" -> "https://gitlab.example.com").
std::string WithoutTrailingSlashes(std::string_view url);
// 0 to 15 for a hex digit of either case; -1 for anything else.
int HexDigitValue(char c);

}  // namespace leadline::common
