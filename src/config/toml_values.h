// Reading values out of leadline.toml's parsed tables, each failure an error naming the file, the
// line and the key: the helpers every table's reader shares. Pure functions; thread-safe.
// Included by config/*.cpp only (it brings toml++).
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace leadline::config {

// "leadline.toml line 4: key 'bot_patterns': expected an array of strings".
common::Status Error(const std::string& path, const toml::node& node, const std::string& key,
                     const std::string& message);
common::Result<std::vector<std::string>> Strings(const std::string& path, const toml::node& node,
                                                 const std::string& key);
common::Result<std::string> String(const std::string& path, const toml::node& node,
                                   const std::string& key);
// "24h", "30m", "90d".
common::Result<common::Seconds> Duration(const std::string& path, const toml::node& node,
                                         const std::string& key);
common::Result<bool> Bool(const std::string& path, const toml::node& node, const std::string& key);

}  // namespace leadline::config
