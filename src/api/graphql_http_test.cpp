#include "api/graphql_http.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

HttpRequest Post(std::string body, std::string content_type = "application/json",
                 std::string accept = "") {
  HttpRequest request;
  request.method = "POST";
  request.path = "/graphql";
  request.body = std::move(body);
  if (!content_type.empty()) request.headers["content-type"] = content_type;
  if (!accept.empty()) request.headers["accept"] = accept;
  return request;
}

// The refusal of a request that is not a GraphQL request.
HttpResponse Refused(const HttpRequest& request) {
  auto call = ReadGraphqlCall(request);
  EXPECT_TRUE(std::holds_alternative<HttpResponse>(call));
  return std::holds_alternative<HttpResponse>(call) ? std::get<HttpResponse>(call) : HttpResponse();
}

GraphqlCall Accepted(const HttpRequest& request) {
  auto call = ReadGraphqlCall(request);
  EXPECT_TRUE(std::holds_alternative<GraphqlCall>(call)) << std::get<HttpResponse>(call).body;
  return std::holds_alternative<GraphqlCall>(call) ? std::get<GraphqlCall>(call) : GraphqlCall();
}

TEST(GraphqlHttpTest, ReadsAPostBody) {
  const GraphqlCall call = Accepted(Post(
      R"({"query":"query Q($n: Int!) { a }","operationName":"Q","variables":{"n":3},"extensions":{}})",
      "application/json; charset=utf-8"));
  EXPECT_EQ(call.request.query, "query Q($n: Int!) { a }");
  EXPECT_EQ(call.request.operation_name, "Q");
  ASSERT_NE(call.request.variables.Find("n"), nullptr);
  EXPECT_EQ(call.request.variables.Find("n")->integer, 3);
  EXPECT_FALSE(call.graphql_response_json);
  // Null members are as good as absent.
  EXPECT_EQ(Accepted(Post(R"({"query":"{ a }","operationName":null,"variables":null})"))
                .request.variables.kind,
            graphql::Value::Kind::kObject);
}

TEST(GraphqlHttpTest, ReadsAGetQueryString) {
  HttpRequest request;
  request.method = "GET";
  request.query = {{"query", "{ a }"}, {"variables", R"({"x":"y"})"}};
  const GraphqlCall call = Accepted(request);
  EXPECT_EQ(call.request.query, "{ a }");
  EXPECT_EQ(call.request.variables.Find("x")->string, "y");

  request.query = {{"variables", "{}"}};
  EXPECT_EQ(Refused(request).status, 400);
  request.query = {{"query", "{ a }"}, {"variables", "[1]"}};
  EXPECT_EQ(Refused(request).status, 400);
  request.query = {{"query", "{ a }"}, {"variables", "{"}};
  EXPECT_EQ(Refused(request).status, 400);
}

TEST(GraphqlHttpTest, AMutationIsNeverRunOverGet) {
  HttpRequest request;
  request.method = "GET";
  request.query = {{"query", "mutation { a }"}};
  const HttpResponse refused = Refused(request);
  EXPECT_EQ(refused.status, 405);
  ASSERT_EQ(refused.headers.size(), 1u);
  EXPECT_EQ(refused.headers[0], std::make_pair(std::string("Allow"), std::string("POST")));
  // Only the operation that would run counts.
  request.query = {{"query", "query A { a } mutation B { a }"}, {"operationName", "A"}};
  Accepted(request);
}

TEST(GraphqlHttpTest, BadBodiesAreRefusedWithWhatToSend) {
  struct Case {
    std::string body;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"{", "the body: the text is not valid JSON"},
           {"[]", "the body must be a JSON object with a `query` string"},
           {"{}", "the body has no `query`: send the document"},
           {R"({"query":null})", "the body has no `query`: send the document"},
           {R"({"query":1})", "`query` must be a string"},
           {R"({"query":"{ a }","variables":"{}"})",
            "`variables` must be a JSON object of the variables' values"},
           {R"({"query":"{ a }","variables":[]})",
            "`variables` must be a JSON object of the variables' values"},
           {R"({"query":"{ a }","operationName":2})", "`operationName` must be a string"},
           {R"({"query":"{ a }","extensions":"x"})", "`extensions` must be a JSON object"},
       }) {
    const HttpResponse refused = Refused(Post(c.body));
    EXPECT_EQ(refused.status, 400) << c.body;
    EXPECT_EQ(refused.body, "{\"errors\":[{\"message\":\"" + c.message + "\"}]}\n") << c.body;
  }
}

TEST(GraphqlHttpTest, OtherContentTypesAre415) {
  for (const std::string type :
       {"", "text/plain", "application/graphql", "application/x-www-form-urlencoded",
        "application/json; charset=latin1"}) {
    const HttpResponse refused = Refused(Post(R"({"query":"{ a }"})", type));
    EXPECT_EQ(refused.status, 415) << type;
    EXPECT_NE(refused.body.find("send the request as application/json"), std::string::npos);
  }
}

TEST(GraphqlHttpTest, TheAnswersMediaTypeFollowsAccept) {
  const std::string body = R"({"query":"{ a }"})";
  EXPECT_TRUE(Accepted(Post(body, "application/json", kGraphqlResponseJson)).graphql_response_json);
  EXPECT_TRUE(Accepted(Post(body, "application/json",
                            "application/json;q=0.9, application/graphql-response+json"))
                  .graphql_response_json);
  for (const std::string accept : {"", "application/json", "*/*", "application/*",
                                   "text/html, application/json;charset=utf-8"}) {
    EXPECT_FALSE(Accepted(Post(body, "application/json", accept)).graphql_response_json) << accept;
  }
  for (const std::string accept : {"text/html", "application/xml", "application/json;q=0",
                                   "application/json; charset=latin1"}) {
    EXPECT_EQ(Refused(Post(body, "application/json", accept)).status, 406) << accept;
  }
}

TEST(GraphqlHttpTest, StatusCodesFollowTheMediaType) {
  graphql::Response request_error;
  request_error.errors.push_back({"Syntax Error", {}, {}, graphql::kParseFailed});
  EXPECT_EQ(GraphqlAnswer(request_error, false).status, 200);
  const HttpResponse strict = GraphqlAnswer(request_error, true);
  EXPECT_EQ(strict.status, 400);
  EXPECT_EQ(strict.content_type, kGraphqlResponseJson);

  graphql::Response field_error;
  field_error.has_data = true;
  field_error.errors.push_back({"no repository 'x'", {}, {{"repository", -1}}, "NOT_FOUND"});
  EXPECT_EQ(GraphqlAnswer(field_error, true).status, 200);
  EXPECT_EQ(GraphqlAnswer(field_error, false).content_type, "application/json");
}

}  // namespace
}  // namespace leadline::api
