// Reading a whole file the user named. Thread-safe.
#pragma once

#include <string>

#include "common/status.h"

namespace leadline::common {

// The file's bytes; NotFound "cannot read the <what> '<path>'" when it cannot be opened.
Result<std::string> ReadTextFile(const std::string& path, const std::string& what);

}  // namespace leadline::common
