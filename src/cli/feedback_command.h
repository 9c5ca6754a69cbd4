// `leadline feedback preview REPO NUMBER`: prints what Leadline would post on that pull request
// now (the comment's Markdown, and with --fields the Code Insights data fields), posting nothing;
// and `enable|disable|status` (feedback_settings_command.h).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddFeedbackCommand(CLI::App& app);

}  // namespace leadline::cli
