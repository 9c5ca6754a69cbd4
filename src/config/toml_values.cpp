#include "config/toml_values.h"

namespace leadline::config {

using common::Result;
using common::Status;

Status Error(const std::string& path, const toml::node& node, const std::string& key,
             const std::string& message) {
  return Status::InvalidArgument(path + " line " + std::to_string(node.source().begin.line) +
                                 ": key '" + key + "': " + message);
}

Result<std::vector<std::string>> Strings(const std::string& path, const toml::node& node,
                                         const std::string& key) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return Error(path, node, key, "expected an array of strings");
  std::vector<std::string> out;
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr) return Error(path, element, key, "expected an array of strings");
    out.push_back(text->get());
  }
  return out;
}

Result<std::string> String(const std::string& path, const toml::node& node,
                           const std::string& key) {
  const auto* text = node.as_string();
  if (text == nullptr) return Error(path, node, key, "expected a string");
  return text->get();
}

Result<common::Seconds> Duration(const std::string& path, const toml::node& node,
                                 const std::string& key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, String(path, node, key));
  auto seconds = common::ParseDurationFlag(text);
  if (!seconds.ok()) return Error(path, node, key, seconds.status().message());
  return *seconds;
}

Result<bool> Bool(const std::string& path, const toml::node& node, const std::string& key) {
  const auto* value = node.as_boolean();
  if (value == nullptr) return Error(path, node, key, "expected true or false");
  return value->get();
}

}  // namespace leadline::config
