// How `leadline report` prints a scope (several repositories pooled, or a team): JSON with the
// pooled summary, the pull request stages, each repository's summary and the weekly trend; or a
// table of the same.
#pragma once

#include <string>

#include "app/scope_report.h"

namespace leadline::cli {

std::string RenderScopeJson(const app::ScopeReport& report);
std::string RenderScopeTable(const app::ScopeReport& report);

}  // namespace leadline::cli
