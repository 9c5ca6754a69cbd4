#include "fields_filter.h"

#include <sstream>

namespace leadline::testing {
namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, separator);) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void Remove(nlohmann::json& node, const std::vector<std::string>& path, std::size_t depth) {
  if (node.is_array()) {
    for (nlohmann::json& element : node) Remove(element, path, depth);
    return;
  }
  if (!node.is_object() || depth >= path.size()) return;
  const std::string& key = path[depth];
  const bool last = depth + 1 == path.size();
  if (key == "*") {
    if (last) {
      node = nlohmann::json::object();
      return;
    }
    for (auto& [name, child] : node.items()) Remove(child, path, depth + 1);
    return;
  }
  if (!node.contains(key)) return;
  if (last) {
    node.erase(key);
  } else {
    Remove(node[key], path, depth + 1);
  }
}

}  // namespace

void RemoveExcludedFields(nlohmann::json& body, const std::string& fields) {
  for (const std::string& item : Split(fields, ',')) {
    if (item.front() == '-') Remove(body, Split(item.substr(1), '.'), 0);
  }
}

std::vector<std::string> AddedFields(const std::string& fields) {
  std::vector<std::string> out;
  for (const std::string& item : Split(fields, ',')) {
    if (item.front() == '+') out.push_back(item.substr(1));
  }
  return out;
}

}  // namespace leadline::testing
