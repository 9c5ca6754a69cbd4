#include "fixture_resolver.h"

#include <algorithm>

namespace leadline::graphql::testing {
namespace {

using Json = nlohmann::ordered_json;

Value ToValue(const Json& json) {
  Value value;
  std::string error;
  ValueFromJson(json.dump(), &value, &error);
  return value;
}

bool Names(const Json& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::vector<Resolved> FixtureResolver::Resolve(const FieldCall& call) {
  const std::string key = call.parent_type->name + "." + call.field.name;
  const bool always_fails = Names(fixture_["errors"], key);
  const Value* first = call.arguments.Find("first");
  std::vector<Resolved> out;
  out.reserve(call.parents.size());
  for (const auto& handle : call.parents) {
    const Json& parent = *static_cast<const Json*>(handle.get());
    if (always_fails || (parent.contains("$errors") && Names(parent["$errors"], call.field.name))) {
      out.push_back(Resolved::Error("Failed to resolve " + key));
      continue;
    }
    const auto member = parent.find(call.field.name);
    if (member == parent.end()) {
      out.push_back(Resolved::Null());
    } else if (*member == "$args") {
      out.push_back(Resolved::Leaf(Value::String(ToJson(call.arguments))));
    } else {
      out.push_back(Convert(*member, first));
    }
  }
  return out;
}

const Json& FixtureResolver::Deref(const Json& json) const {
  if (json.is_object() && json.contains("$ref")) {
    return fixture_["objects"][json["$ref"].get<std::string>()];
  }
  return json;
}

Resolved FixtureResolver::Convert(const Json& raw, const Value* first) const {
  const Json& json = Deref(raw);
  if (json.is_null()) return Resolved::Null();
  if (json.is_array()) {
    size_t count = json.size();
    if (first != nullptr && first->kind == Value::Kind::kInt) {
      count = std::min<size_t>(count, static_cast<size_t>(std::max<int64_t>(0, first->integer)));
    }
    std::vector<Resolved> items;
    for (size_t i = 0; i < count; ++i) items.push_back(Convert(json[i], nullptr));
    return Resolved::List(std::move(items));
  }
  if (json.is_object())
    return Resolved::Object(Unowned(&json), json.value("__typename", std::string()));
  if (json.is_string()) return Resolved::Leaf(Value::String(json.get<std::string>()));
  if (json.is_boolean()) return Resolved::Leaf(Value::Boolean(json.get<bool>()));
  return Resolved::Leaf(ToValue(json));
}

}  // namespace leadline::graphql::testing
