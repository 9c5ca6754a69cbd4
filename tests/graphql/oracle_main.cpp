// The engine's half of the oracle (oracle.mjs holds graphql-js's half and compares): loads the
// SDL and the fixture, runs every document of the corpus and prints one JSON line per document:
// {"name": ..., "response": ...}. Fields resolve by default from the fixture, exactly as
// oracle.mjs resolves them in graphql-js:
//  - a field's value is the parent object's member of the field's name; {"$ref": K} stands for
//    the fixture's objects[K]; an abstract type's object names its type in "__typename";
//  - a field named in the fixture's "errors" (Type.field) or in the object's "$errors" fails;
//  - the value "$args" answers the field's coerced arguments as JSON text;
//  - a list is cut to the field's `first` argument when it has one.
//   leadline_graphql_oracle SCHEMA.graphql FIXTURE.json CORPUS_DIR
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/graphql/request.h"

namespace graphql = leadline::graphql;
using Json = nlohmann::ordered_json;

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

graphql::Value ToValue(const Json& json) {
  graphql::Value value;
  std::string error;
  graphql::ValueFromJson(json.dump(), &value, &error);
  return value;
}

class FixtureResolver : public graphql::Resolver {
 public:
  explicit FixtureResolver(const Json& fixture) : fixture_(fixture) {}

  std::vector<graphql::Resolved> Resolve(const graphql::FieldCall& call) override {
    const std::string key = call.parent_type->name + "." + call.field.name;
    const bool always_fails = std::find(fixture_["errors"].begin(), fixture_["errors"].end(),
                                        key) != fixture_["errors"].end();
    const graphql::Value* first = call.arguments.Find("first");
    std::vector<graphql::Resolved> out;
    for (const auto& handle : call.parents) {
      const Json& parent = *static_cast<const Json*>(handle.get());
      const bool fails =
          always_fails || (parent.contains("$errors") &&
                           std::find(parent["$errors"].begin(), parent["$errors"].end(),
                                     call.field.name) != parent["$errors"].end());
      if (fails) {
        out.push_back(graphql::Resolved::Error("Failed to resolve " + key));
        continue;
      }
      const auto member = parent.find(call.field.name);
      if (member == parent.end()) {
        out.push_back(graphql::Resolved::Null());
      } else if (*member == "$args") {
        out.push_back(graphql::Resolved::Leaf(graphql::Value::String(ToJson(call.arguments))));
      } else {
        out.push_back(Convert(*member, first));
      }
    }
    return out;
  }

 private:
  const Json& Deref(const Json& json) const {
    if (json.is_object() && json.contains("$ref")) {
      return fixture_["objects"][json["$ref"].get<std::string>()];
    }
    return json;
  }

  graphql::Resolved Convert(const Json& raw, const graphql::Value* first) const {
    const Json& json = Deref(raw);
    if (json.is_null()) return graphql::Resolved::Null();
    if (json.is_array()) {
      size_t count = json.size();
      if (first != nullptr && first->kind == graphql::Value::Kind::kInt) {
        count = std::min<size_t>(count, static_cast<size_t>(std::max<int64_t>(0, first->integer)));
      }
      std::vector<graphql::Resolved> items;
      for (size_t i = 0; i < count; ++i) items.push_back(Convert(json[i], nullptr));
      return graphql::Resolved::List(std::move(items));
    }
    if (json.is_object()) {
      return graphql::Resolved::Object(graphql::Unowned(&json),
                                       json.value("__typename", std::string()));
    }
    return graphql::Resolved::Leaf(ToValue(json));
  }

  const Json& fixture_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: leadline_graphql_oracle SCHEMA.graphql FIXTURE.json CORPUS_DIR\n";
    return 2;
  }
  auto schema = graphql::Schema::FromSdl(ReadFile(argv[1]));
  if (!schema.ok()) {
    std::cerr << schema.status().message() << "\n";
    return 1;
  }
  const Json fixture = Json::parse(ReadFile(argv[2]));
  FixtureResolver resolver(fixture);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[3])) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  // graphql-js has no request limits: lift ours so only the specification's behaviour shows.
  graphql::RequestOptions options;
  options.limits.max_depth = 1 << 20;
  options.limits.max_aliases = 1 << 30;
  options.limits.max_complexity = int64_t{1} << 60;
  for (const auto& file : files) {
    for (const Json& item : Json::parse(ReadFile(file))) {
      graphql::Request request;
      request.query = item["query"].get<std::string>();
      request.operation_name = item.value("operationName", std::string());
      if (item.contains("variables")) request.variables = ToValue(item["variables"]);
      const graphql::Response response = graphql::ExecuteRequest(
          **schema, resolver, request, options, graphql::Unowned(&fixture["root"]));
      std::string line = "{\"name\":";
      graphql::AppendJsonString(item["name"].get<std::string>(), line);
      line += ",\"response\":" + graphql::ResponseToJson(response) + "}\n";
      std::cout << line;
    }
  }
  return 0;
}
