// Bitbucket Cloud's partial responses (`fields=`), as the double applies them: a comma-separated
// list of dotted paths, each "-path" removing a field and "+path" asking for one the
// representation leaves out by default. Arrays on the way apply the rest of the path to each
// element; "*" matches every key at its level. Paths that name nothing are ignored, as Cloud
// ignores them. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace leadline::testing {

// Removes the fields that `fields` excludes from `body`.
void RemoveExcludedFields(nlohmann::json& body, const std::string& fields);

// The "+path" entries of `fields`, without their '+'.
std::vector<std::string> AddedFields(const std::string& fields);

}  // namespace leadline::testing
