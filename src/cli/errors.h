// How every subcommand reports a failure: one line on stderr, "leadline: error: <message>", and
// exit code 1. Thread-compatible.
#pragma once

#include <cstdio>

#include "common/status.h"

namespace leadline::cli {

inline int ReportError(const common::Status& status) {
  std::fprintf(stderr, "leadline: error: %s\n", status.message().c_str());
  return 1;
}

}  // namespace leadline::cli
