#include "api/graphql/executor.h"

#include <gtest/gtest.h>

#include <map>

#include "api/graphql/request.h"

namespace leadline::graphql {
namespace {

constexpr char kSdl[] = R"(
  type Query { repositories(first: Int = 10): [Repository!]!, fail: Int, broken: Repository! }
  type Repository { name: String!, deployments(first: Int = 3): [Deployment], owner: Owner }
  type Deployment { id: ID!, failed: Boolean!, repository: Repository! }
  interface Owner { login: String! }
  type User implements Owner { login: String!, email: String }
  type Team implements Owner { login: String!, size: Int }
)";

struct Repository {
  std::string name;
  int deployments = 0;
};

// Answers from memory and counts the calls: one per field and place, whatever the parents.
class CountingResolver : public Resolver {
 public:
  std::map<std::string, int> calls;
  std::map<std::string, size_t> parents;

  std::vector<Resolved> Resolve(const FieldCall& call) override {
    const std::string key = call.parent_type->name + "." + call.field.name;
    ++calls[key];
    parents[key] += call.parents.size();
    std::vector<Resolved> out;
    for (const auto& parent : call.parents) {
      if (key == "Query.repositories") {
        std::vector<Resolved> items;
        for (int i = 0; i < call.arguments.Find("first")->integer; ++i) {
          auto repository = std::make_shared<Repository>(Repository{"repo" + std::to_string(i), i});
          items.push_back(Resolved::Object(repository));
        }
        out.push_back(Resolved::List(std::move(items)));
      } else if (key == "Query.fail") {
        out.push_back(Resolved::Error("the store is unavailable", "UNAVAILABLE"));
      } else if (key == "Query.broken") {
        out.push_back(Resolved::Null());
      } else if (key == "Repository.name") {
        out.push_back(
            Resolved::Leaf(Value::String(static_cast<const Repository*>(parent.get())->name)));
      } else if (key == "Repository.owner") {
        const auto* repository = static_cast<const Repository*>(parent.get());
        out.push_back(Resolved::Object(parent, repository->deployments % 2 ? "Team" : "User"));
      } else if (key == "Repository.deployments") {
        const auto* repository = static_cast<const Repository*>(parent.get());
        std::vector<Resolved> items;
        for (int i = 0; i < repository->deployments; ++i) items.push_back(Resolved::Object(parent));
        out.push_back(Resolved::List(std::move(items)));
      } else if (key == "Deployment.id" || key == "User.login" || key == "Team.login") {
        out.push_back(Resolved::Leaf(Value::Int(7)));
      } else if (key == "Deployment.failed") {
        out.push_back(Resolved::Leaf(Value::Boolean(false)));
      } else {
        out.push_back(Resolved::Null());
      }
    }
    return out;
  }
};

Response RunQuery(Resolver& resolver, const std::string& query) {
  auto schema = Schema::FromSdl(kSdl);
  EXPECT_TRUE(schema.ok()) << schema.status().message();
  return ExecuteRequest(**schema, resolver, Request{query, "", Value::Object()});
}

TEST(ExecutorTest, ResolvesEachFieldOnceForAllParentsAtALevel) {
  CountingResolver resolver;
  const Response response = RunQuery(
      resolver,
      "{ repositories(first: 20) { name deployments { id failed } owner { login ... on Team { "
      "size } } } }");
  ASSERT_TRUE(response.errors.empty()) << ResponseToJson(response);
  EXPECT_EQ(resolver.calls["Query.repositories"], 1);
  EXPECT_EQ(resolver.calls["Repository.name"], 1);
  EXPECT_EQ(resolver.parents["Repository.name"], 20u);
  EXPECT_EQ(resolver.calls["Repository.deployments"], 1);
  EXPECT_EQ(resolver.calls["Deployment.id"], 1);
  // 0 + 1 + ... + 19 deployments, one call.
  EXPECT_EQ(resolver.parents["Deployment.id"], 190u);
  // An interface's objects are asked once per concrete type.
  EXPECT_EQ(resolver.calls["User.login"], 1);
  EXPECT_EQ(resolver.calls["Team.login"], 1);
  EXPECT_EQ(resolver.parents["User.login"] + resolver.parents["Team.login"], 20u);
}

TEST(ExecutorTest, KeepsTheRequestedOrderAndAliases) {
  CountingResolver resolver;
  const Response response =
      RunQuery(resolver,
               "{ b: repositories(first: 1) { name __typename } a: repositories(first: 2) { "
               "n: name } }");
  EXPECT_EQ(ResponseToJson(response),
            R"({"data":{"b":[{"name":"repo0","__typename":"Repository"}],)"
            R"("a":[{"n":"repo0"},{"n":"repo1"}]}})");
}

TEST(ExecutorTest, FieldErrorsCarryPathLocationAndCode) {
  CountingResolver resolver;
  const Response response = RunQuery(resolver, "{\n  fail\n  repositories(first: 1) { name }\n}");
  EXPECT_EQ(ResponseToJson(response),
            R"({"errors":[{"message":"the store is unavailable","locations":[{"line":2,)"
            R"("column":3}],"path":["fail"],"extensions":{"code":"UNAVAILABLE"}}],)"
            R"("data":{"fail":null,"repositories":[{"name":"repo0"}]}})");
}

TEST(ExecutorTest, NullInANonNullRootFieldNullsTheData) {
  CountingResolver resolver;
  const Response response =
      RunQuery(resolver, "{ repositories(first: 1) { name } broken { name } }");
  EXPECT_EQ(ResponseToJson(response),
            R"({"errors":[{"message":"Cannot return null for non-nullable field Query.broken.",)"
            R"("locations":[{"line":1,"column":35}],"path":["broken"]}],"data":null})");
}

TEST(ExecutorTest, MutationRootFieldsRunOneAfterTheOtherWithTheirSubtrees) {
  class Recorder : public Resolver {
   public:
    std::vector<std::string> calls;
    std::vector<Resolved> Resolve(const FieldCall& call) override {
      calls.push_back(call.field.name);
      if (call.field.name == "add") return {Resolved::Object(Unowned(this))};
      return std::vector<Resolved>(call.parents.size(), Resolved::Leaf(Value::Int(1)));
    }
  } resolver;
  auto schema = Schema::FromSdl(
      "type Query { a: Int } type Mutation { add: Result } type Result { count: Int }");
  ASSERT_TRUE(schema.ok());
  const Response response = ExecuteRequest(
      **schema, resolver,
      Request{"mutation { first: add { count } second: add { count } }", "", Value::Object()});
  EXPECT_EQ(ResponseToJson(response), R"({"data":{"first":{"count":1},"second":{"count":1}}})");
  EXPECT_EQ(resolver.calls, (std::vector<std::string>{"add", "count", "add", "count"}));
}

class WrongCountResolver : public Resolver {
 public:
  std::vector<Resolved> Resolve(const FieldCall&) override { return {}; }
};

TEST(ExecutorTest, AResolverAnsweringTheWrongNumberOfParentsIsAnError) {
  WrongCountResolver resolver;
  const Response response = RunQuery(resolver, "{ fail }");
  ASSERT_EQ(response.errors.size(), 1u);
  EXPECT_EQ(response.errors[0].message,
            "The resolver of Query.fail returned 0 values for 1 parents.");
  EXPECT_EQ(response.errors[0].code, kInternalError);
}

}  // namespace
}  // namespace leadline::graphql
