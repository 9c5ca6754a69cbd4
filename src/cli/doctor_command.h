// `leadline doctor`: the data-quality checks of the selected, synced repositories, each finding
// with what to change.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddDoctorCommand(CLI::App& app);

}  // namespace leadline::cli
