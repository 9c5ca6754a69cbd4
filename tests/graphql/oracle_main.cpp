// The engine's half of the oracle (oracle.mjs holds graphql-js's half and compares): loads the
// SDL and the fixture, runs every document of the corpus and prints one JSON line per document:
// {"name": ..., "response": ...}. Fields resolve as fixture_resolver.h describes.
//   leadline_graphql_oracle SCHEMA.graphql FIXTURE.json CORPUS_DIR
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/graphql/request.h"
#include "fixture_resolver.h"

namespace graphql = leadline::graphql;
using Json = nlohmann::ordered_json;

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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
  graphql::testing::FixtureResolver resolver(fixture);
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
      if (item.contains("variables")) {
        std::string error;
        graphql::ValueFromJson(item["variables"].dump(), &request.variables, &error);
      }
      const graphql::Response response =
          graphql::ExecuteRequest(**schema, resolver, request, options, resolver.Root());
      std::string line = "{\"name\":";
      graphql::AppendJsonString(item["name"].get<std::string>(), line);
      line += ",\"response\":" + graphql::ResponseToJson(response) + "}\n";
      std::cout << line;
    }
  }
  return 0;
}
