// Bad input end to end: each gives a clear error, in bounded time and memory, never a crash.
#include "api/graphql/request.h"

#include <gtest/gtest.h>

#include <chrono>

namespace leadline::graphql {
namespace {

// The time any bad request may take: 2 s in an optimised build; the sanitizer build (Debug, every
// instruction several times slower) checks correctness, not speed.
#if defined(LEADLINE_SANITIZED)
constexpr std::chrono::seconds kBounded{30};
#else
constexpr std::chrono::seconds kBounded{2};
#endif

constexpr char kSdl[] = R"(
  type Query { node(id: ID!): Node, nodes(first: Int, ids: [ID!]): [Node], echo(text: String, n: Int): String }
  type Node { id: ID!, children(first: Int): [Node], parent: Node }
)";

class NullResolver : public Resolver {
 public:
  std::vector<Resolved> Resolve(const FieldCall& call) override {
    return std::vector<Resolved>(call.parents.size(), Resolved::Null());
  }
};

class RequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = Schema::FromSdl(kSdl);
    ASSERT_TRUE(built.ok()) << built.status().message();
    schema_ = *built;
  }

  Response Run(std::string query, Value variables = Value::Object(),
               const RequestOptions& options = {}) {
    const auto start = std::chrono::steady_clock::now();
    Response response =
        ExecuteRequest(*schema_, resolver_, Request{std::move(query), "", variables}, options);
    EXPECT_LT(std::chrono::steady_clock::now() - start, kBounded);
    return response;
  }

  static std::string FirstMessage(const Response& response) {
    return response.errors.empty() ? "" : response.errors.front().message;
  }

  std::shared_ptr<const Schema> schema_;
  NullResolver resolver_;
};

TEST_F(RequestTest, MalformedDocuments) {
  for (const char* text :
       {"", "{", "}", "{ node(id: ) { id } }", "query query { }", "{ ... }", "fragment F on Node",
        "{ a(b: [1, 2) }", "{ node(id: \"\\u12\") }", "\x01", "{ node(id: 1) { id } } garbage"}) {
    const Response response = Run(text);
    ASSERT_EQ(response.errors.size(), 1u) << text;
    EXPECT_TRUE(FirstMessage(response).starts_with("Syntax Error: ")) << text;
    EXPECT_EQ(response.errors[0].code, kParseFailed);
    EXPECT_FALSE(response.has_data);
  }
}

TEST_F(RequestTest, VariablesOfTheWrongType) {
  Value variables;
  std::string error;
  ASSERT_TRUE(
      ValueFromJson(R"({"id": {"a": 1}, "n": "many", "ids": [1, null]})", &variables, &error));
  const Response response =
      Run("query Q($id: ID!, $n: Int, $ids: [ID!]) { node(id: $id) { id } echo(n: $n) nodes(ids: "
          "$ids) { id } }",
          variables);
  ASSERT_EQ(response.errors.size(), 3u) << ResponseToJson(response);
  EXPECT_EQ(response.errors[0].message,
            "Variable \"$id\" got invalid value { a: 1 }; ID cannot represent value: { a: 1 }");
  EXPECT_EQ(response.errors[1].message,
            "Variable \"$n\" got invalid value \"many\"; Int cannot represent non-integer value: "
            "\"many\"");
  EXPECT_EQ(response.errors[2].message,
            "Variable \"$ids\" got invalid value null at \"ids[1]\"; Expected non-nullable type "
            "\"ID!\" not to be null.");
  EXPECT_EQ(response.errors[0].code, kBadUserInput);
  EXPECT_FALSE(response.has_data);

  const Response missing = Run("query Q($id: ID!) { node(id: $id) { id } }");
  EXPECT_EQ(FirstMessage(missing), "Variable \"$id\" of required type \"ID!\" was not provided.");
  const Response not_object = Run("{ echo }", Value::List({Value::Int(1)}));
  EXPECT_EQ(FirstMessage(not_object),
            "Variables must be provided as an Object where each property is a variable value.");
}

TEST_F(RequestTest, TenThousandLevelsOfNesting) {
  std::string query;
  for (int i = 0; i < 10'000; ++i) query += "{ node(id: 1) ";
  for (int i = 0; i < 10'000; ++i) query += "}";
  EXPECT_EQ(FirstMessage(Run(query)),
            "Syntax Error: Document nesting exceeds the limit of 100 levels.");

  // The same depth through a chain of fragments, each spreading the next.
  std::string chain = "{ node(id: 1) { ...F0 } }";
  for (int i = 0; i < 7'000; ++i) {
    chain += " fragment F" + std::to_string(i) + " on Node { parent { ...F" +
             std::to_string(i + 1) + " } }";
  }
  chain += " fragment F7000 on Node { id }";
  RequestOptions options;
  options.parse.max_tokens = 1'000'000;
  EXPECT_EQ(FirstMessage(Run(chain, Value::Object(), options)),
            "Syntax Error: Document nesting exceeds the limit of 100 levels through fragment "
            "spreads.");

  // A chain of fragments each spreading the next directly: every spread is a level too.
  std::string direct = "{ node(id: 1) { ...F0 } }";
  for (int i = 0; i < 7'000; ++i) {
    direct += " fragment F" + std::to_string(i) + " on Node { ...F" + std::to_string(i + 1) + " }";
  }
  direct += " fragment F7000 on Node { id }";
  EXPECT_EQ(FirstMessage(Run(direct, Value::Object(), options)),
            "Syntax Error: Document nesting exceeds the limit of 100 levels through fragment "
            "spreads.");

  Value deep;
  std::string error;
  const std::string json =
      "{\"ids\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  EXPECT_FALSE(ValueFromJson(json, &deep, &error));
  EXPECT_EQ(error, "the JSON nests deeper than 100 levels");
}

TEST_F(RequestTest, OneHundredThousandAliases) {
  std::string query = "{";
  for (int i = 0; i < 100'000; ++i) query += " a" + std::to_string(i) + ": echo";
  query += " }";
  EXPECT_EQ(FirstMessage(Run(query)),
            "Syntax Error: Document is 1288893 bytes, over the limit of 1048576 bytes.");
  RequestOptions options;
  options.parse.max_bytes = 16 << 20;
  EXPECT_EQ(FirstMessage(Run(query, Value::Object(), options)),
            "Syntax Error: Document contains more than 50000 tokens. Parsing aborted.");
  // Past the parser's caps, the alias limit refuses it before validation looks at it.
  options.parse.max_tokens = 10'000'000;
  const Response response = Run(query, Value::Object(), options);
  ASSERT_EQ(response.errors.size(), 2u);
  EXPECT_EQ(response.errors[0].message,
            "Query has 100000 aliases, which exceeds max aliases of 30.");
  EXPECT_EQ(response.errors[1].message,
            "Query has complexity of 100000, which exceeds max complexity of 10000.");
  EXPECT_EQ(response.errors[0].code, kLimitExceeded);

  // The same response key 100,000 times: the overlapping-fields check stays within its budget.
  std::string same = "{";
  for (int i = 0; i < 100'000; ++i) same += i % 2 ? " a: echo(n: 1)" : " a: echo(n: 2)";
  same += " }";
  options.limits.max_aliases = 1 << 30;
  options.limits.max_complexity = 1 << 30;
  const Response overlapping = Run(same, Value::Object(), options);
  ASSERT_FALSE(overlapping.errors.empty());
  EXPECT_EQ(overlapping.errors.back().message,
            "Validation aborted: the document's overlapping fields are too many to compare.");
}

TEST_F(RequestTest, HugeStrings) {
  const std::string big(900'000, 'x');
  const Response response = Run("{ echo(text: \"" + big + "\") }");
  EXPECT_TRUE(response.errors.empty()) << FirstMessage(response);
  const std::string huge(2'000'000, 'x');
  EXPECT_EQ(FirstMessage(Run("{ echo(text: \"" + huge + "\") }")),
            "Syntax Error: Document is 2000018 bytes, over the limit of 1048576 bytes.");
  EXPECT_EQ(FirstMessage(Run("{ echo(text: \"" + big)), "Syntax Error: Unterminated string.");
}

// Every item of a long list fails, in a document with a long line of non-ASCII text before the
// field: the errors' lines and columns are found in one pass over the document, not one each.
TEST_F(RequestTest, ManyErrorsInALargeDocument) {
  class FailingIds : public Resolver {
   public:
    std::vector<Resolved> Resolve(const FieldCall& call) override {
      if (call.field.name == "nodes") {
        std::vector<Resolved> items(20'000, Resolved::Object(Unowned(this)));
        return {Resolved::List(std::move(items))};
      }
      return std::vector<Resolved>(call.parents.size(), Resolved::Error("no id"));
    }
  } resolver;
  std::string comment = "# ";
  for (int i = 0; i < 200'000; ++i) comment += "\xC3\xA9";
  RequestOptions options;
  options.limits.max_complexity = 1'000'000;
  const auto start = std::chrono::steady_clock::now();
  const Response response = ExecuteRequest(
      *schema_, resolver,
      Request{comment + "\n{ nodes(first: 20000) { id } }", "", Value::Object()}, options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kBounded);
  ASSERT_EQ(response.errors.size(), 20'000u);
  EXPECT_EQ(response.errors.back().locations[0].line, 2);
  EXPECT_EQ(response.errors.back().locations[0].column, 25);
  EXPECT_EQ(response.errors.back().path.size(), 3u);
}

TEST_F(RequestTest, LimitsNameTheLimitAndTheValue) {
  std::string deep = "{ node(id: 1) ";
  for (int i = 0; i < 15; ++i) deep += "{ parent ";
  deep += "{ id }";
  for (int i = 0; i < 16; ++i) deep += "}";
  const Response too_deep = Run(deep);
  ASSERT_EQ(too_deep.errors.size(), 1u);
  EXPECT_EQ(FirstMessage(too_deep), "Query has depth of 17, which exceeds max depth of 15.");

  // first: 100 x first: 100 x first: 100 children: each list multiplies what is below it.
  const Response complex = Run(
      "query Q($n: Int) { nodes(first: 100) { children(first: 100) { children(first: $n) { id } "
      "} } }",
      Value::Object({{"n", Value::Int(100)}}));
  EXPECT_EQ(FirstMessage(complex),
            "Query has complexity of 2010100, which exceeds max complexity of 10000.");
  const Response within =
      Run("query Q($n: Int) { nodes(first: 10) { children(first: 10) { children(first: $n) { id } "
          "} } }",
          Value::Object({{"n", Value::Int(10)}}));
  EXPECT_TRUE(within.errors.empty()) << FirstMessage(within);

  std::string aliases = "{";
  for (int i = 0; i < 31; ++i) aliases += " a" + std::to_string(i) + ": echo";
  EXPECT_EQ(FirstMessage(Run(aliases + " }")),
            "Query has 31 aliases, which exceeds max aliases of 30.");

  // Introspection is bounded by the schema, not by data: it costs nothing.
  EXPECT_TRUE(Run("{ __schema { types { fields { args { type { name } } } } } }").errors.empty());
}

TEST_F(RequestTest, FragmentsSpreadManyTimesAreMeasuredOnce) {
  // 2^30 expansions if each spread were walked: measured in linear time instead.
  std::string query = "{ node(id: 1) { ...F0 } }";
  for (int i = 0; i < 30; ++i) {
    query += " fragment F" + std::to_string(i) + " on Node { ...F" + std::to_string(i + 1) +
             " a: parent { ...F" + std::to_string(i + 1) + " } }";
  }
  query += " fragment F30 on Node { id }";
  const Response response = Run(query);
  ASSERT_FALSE(response.errors.empty());
  EXPECT_EQ(response.errors[0].code, kLimitExceeded);
}

}  // namespace
}  // namespace leadline::graphql
