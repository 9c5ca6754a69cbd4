// How the incident tools' test incidents are told apart, for the tools that have no flag for
// them (PagerDuty, Jira Service Management, Opsgenie): teams title them "[TEST] ..." or
// "test: ...", or label (tag) them "test". Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadline::sources {

// A title starting with "[test]" or "test:", without case, after leading blanks.
bool IsTestTitle(std::string_view title);
// A label or tag "test", without case.
bool HasTestLabel(const std::vector<std::string>& labels);

}  // namespace leadline::sources
