// What one GraphQL request costs the engine around its resolvers: parse, validate and execute a
// small query (a book with its author and reviews) and write the response, with the oracle's
// in-memory fixture resolver, split by phase; and against graphql-js 16 doing the same over the
// same SDL and data (the peer, run under Node in the same run when tests/graphql has its npm
// modules).
//   build/test/bench/leadline_graphql_bench
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "api/graphql/request.h"
#include "api/graphql/validation.h"
#include "fixture_resolver.h"

namespace {

namespace graphql = leadline::graphql;

constexpr char kQuery[] =
    "query Book($id: ID!) { book(id: $id) { id title genre pages price author { name born } "
    "reviews(first: 3) { id stars reviewer { name email } } } }";
constexpr char kVariables[] = R"({"id": "b2"})";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string kSchemaPath = std::string(LEADLINE_SOURCE_DIR) + "/tests/graphql/schema.graphql";
const std::string kFixturePath = std::string(LEADLINE_SOURCE_DIR) + "/tests/graphql/fixture.json";

struct Setup {
  std::shared_ptr<const graphql::Schema> schema;
  nlohmann::ordered_json fixture;
  std::unique_ptr<graphql::testing::FixtureResolver> resolver;
  graphql::Value variables;

  Setup() {
    schema = *graphql::Schema::FromSdl(ReadFile(kSchemaPath));
    fixture = nlohmann::ordered_json::parse(ReadFile(kFixturePath));
    resolver = std::make_unique<graphql::testing::FixtureResolver>(fixture);
    std::string error;
    graphql::ValueFromJson(kVariables, &variables, &error);
  }
};

const Setup& Shared() {
  static const Setup setup;
  return setup;
}

std::string RunOnce(const Setup& setup) {
  const graphql::Response response = graphql::ExecuteRequest(
      *setup.schema, *setup.resolver, graphql::Request{kQuery, "", setup.variables}, {},
      setup.resolver->Root());
  return graphql::ResponseToJson(response);
}

void BM_Parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(graphql::ParseDocument(kQuery));
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMicrosecond);

void BM_Validate(benchmark::State& state) {
  const Setup& setup = Shared();
  const graphql::ParseResult parsed = graphql::ParseDocument(kQuery);
  for (auto _ : state) benchmark::DoNotOptimize(graphql::Validate(*setup.schema, parsed.document));
}
BENCHMARK(BM_Validate)->Unit(benchmark::kMicrosecond);

void BM_Execute(benchmark::State& state) {
  const Setup& setup = Shared();
  const graphql::ParseResult parsed = graphql::ParseDocument(kQuery);
  const auto& operation = parsed.document.definitions.front();
  for (auto _ : state) {
    benchmark::DoNotOptimize(graphql::Execute(*setup.schema, parsed.document, operation,
                                              setup.variables, *setup.resolver,
                                              setup.resolver->Root()));
  }
}
BENCHMARK(BM_Execute)->Unit(benchmark::kMicrosecond);

// The figure: text in, response JSON out.
void BM_ParseValidateExecute(benchmark::State& state) {
  const Setup& setup = Shared();
  if (RunOnce(setup).find("\"errors\"") != std::string::npos) {
    state.SkipWithError("the benchmark query has errors");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(RunOnce(setup));
}
BENCHMARK(BM_ParseValidateExecute)->Unit(benchmark::kMicrosecond);

// The peer in the same run: graphql-js's mean per request, Leadline's over the same number of
// requests, and their ratio.
void BM_AgainstGraphqlJs(benchmark::State& state) {
  constexpr int kIterations = 20'000;
  const std::string command = "node '" + std::string(LEADLINE_SOURCE_DIR) +
                              "/bench/graphql/graphql_js_bench.mjs' '" + kSchemaPath + "' '" +
                              kFixturePath + "' '" + kQuery + "' '" + kVariables + "' " +
                              std::to_string(kIterations) + " 2>/dev/null";
  double peer_us = 0;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 64> line{};
    if (fgets(line.data(), line.size(), pipe) != nullptr) peer_us = std::atof(line.data());
    pclose(pipe);
  }
  if (peer_us <= 0) {
    state.SkipWithError("graphql-js did not run: install Node.js and `npm ci` in tests/graphql");
    return;
  }
  const Setup& setup = Shared();
  for (int i = 0; i < 2'000; ++i) benchmark::DoNotOptimize(RunOnce(setup));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) benchmark::DoNotOptimize(RunOnce(setup));
  const double ours_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kIterations;
  for (auto _ : state) state.SetIterationTime(ours_us * 1e-6);
  state.counters["leadline_us"] = ours_us;
  state.counters["graphql_js_us"] = peer_us;
  state.counters["graphql_js_over_leadline"] = peer_us / ours_us;
}
BENCHMARK(BM_AgainstGraphqlJs)->UseManualTime()->Iterations(1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
