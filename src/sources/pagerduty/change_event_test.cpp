// PagerDuty change events: the summary and body of a deployment, the routing key's check, and
// what each answer of the Events API makes of a send (202 sent; 400 and other 4xx refused for
// good; 429, 5xx and no answer worth another try), never with the key in a message.
#include "sources/pagerduty/change_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace leadline::sources::pagerduty {
namespace {

using nlohmann::json;

constexpr char kKey[] = "R0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123";  // 32 letters and digits

DeploymentChange Change() {
  DeploymentChange change;
  change.repository = "acme/api";
  change.environment = "production";
  change.ref = "v2.4.1";
  change.sha = "3f2a9c1e7b04d5f6a7b8c9d0e1f2a3b4c5d6e7f8";
  change.finished_at = 1767225600;  // 2026-01-01T00:00:00Z
  change.deployment_key = "push:build-4711";
  return change;
}

// Answers every request with one response (or a transport failure), keeping what was sent.
class OneAnswer final : public http::HttpClient {
 public:
  explicit OneAnswer(common::Result<http::HttpResponse> answer) : answer_(std::move(answer)) {}
  OneAnswer(int status, std::string body) : answer_(http::HttpResponse{status, {}, body}) {}
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    sent.push_back(request);
    return answer_;
  }
  std::vector<http::HttpRequest> sent;

 private:
  common::Result<http::HttpResponse> answer_;
};

TEST(ChangeEventTest, TheSummarySaysWhatShippedWhereAndWhetherItFailed) {
  DeploymentChange change = Change();
  EXPECT_EQ(ChangeSummary(change), "Deployed acme/api v2.4.1 (3f2a9c1) to production");
  change.ref = "";
  change.succeeded = false;
  EXPECT_EQ(ChangeSummary(change), "Deployment of acme/api 3f2a9c1 to production failed");
  change.repository = std::string(2000, 'r');
  EXPECT_EQ(ChangeSummary(change).size(), kMostSummaryBytes);
}

TEST(ChangeEventTest, TheBodyCarriesTheDeploymentWithoutARoutingKey) {
  DeploymentChange change = Change();
  json body = json::parse(ChangeEventBody(change));
  EXPECT_FALSE(body.contains("routing_key"));
  EXPECT_FALSE(body.contains("links"));
  EXPECT_EQ(body["payload"]["summary"], "Deployed acme/api v2.4.1 (3f2a9c1) to production");
  EXPECT_EQ(body["payload"]["timestamp"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(body["payload"]["source"], "leadline");
  EXPECT_EQ(body["payload"]["custom_details"], (json{{"repository", "acme/api"},
                                                     {"environment", "production"},
                                                     {"ref", "v2.4.1"},
                                                     {"commit", change.sha},
                                                     {"status", "success"},
                                                     {"leadline_deployment", "push:build-4711"}}));
  change.link = "https://leadline.example.com/?repo=acme%2Fapi";
  body = json::parse(ChangeEventBody(change));
  EXPECT_EQ(body["links"], json::parse(R"([{"href": "https://leadline.example.com/?repo=acme%2Fapi",
                                             "text": "Leadline: acme/api"}])"));
}

TEST(ChangeEventTest, ARoutingKeyIsThirtyTwoLettersAndDigits) {
  EXPECT_TRUE(CheckRoutingKey(kKey).ok());
  for (const std::string& bad : {std::string(""), std::string(31, 'a'), std::string(33, 'a'),
                                 std::string(31, 'a') + "-", std::string(31, 'a') + " "}) {
    const common::Status status = CheckRoutingKey(bad);
    EXPECT_EQ(status.code(), common::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(status.message().find("Integration Key"), std::string::npos);
  }
}

TEST(ChangeEventTest, AnAcceptedEventIsPostedWithItsKeyAndNoAuthorization) {
  OneAnswer client(202, R"({"status":"success","message":"Change event processed"})");
  ASSERT_TRUE(SendChangeEvent(client, "http://127.0.0.1:9", kKey, ChangeEventBody(Change())).ok());
  ASSERT_EQ(client.sent.size(), 1u);
  const http::HttpRequest& sent = client.sent[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/v2/change/enqueue");
  EXPECT_EQ(sent.credentials.kind, http::Credentials::Kind::kNone);
  const json body = json::parse(sent.body);
  EXPECT_EQ(body["routing_key"], kKey);
  EXPECT_EQ(body["payload"]["source"], "leadline");
}

TEST(ChangeEventTest, RefusalsAreForGoodAndBusyAnswersMayPassWithoutTheKeyInTheMessage) {
  const std::string body = ChangeEventBody(Change());
  OneAnswer invalid(400, std::string(R"({"status":"invalid event","message":"Event object is )") +
                             R"(invalid","errors":["Unknown routing key )" + kKey + "\"]}");
  const common::Status refused = SendChangeEvent(invalid, "http://h", kKey, body);
  EXPECT_EQ(refused.code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("PagerDuty answered 400"), std::string::npos);
  EXPECT_NE(refused.message().find("Event object is invalid; Unknown routing key (the routing "
                                   "key)"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(refused.message().find(kKey), std::string::npos);

  OneAnswer missing(404, "not found");
  EXPECT_EQ(SendChangeEvent(missing, "http://h", kKey, body).code(),
            common::StatusCode::kInvalidArgument);
  for (const int status : {429, 500, 503}) {
    OneAnswer busy(status, R"({"status":"throttle event","message":"Requests for this service )"
                           R"(are arriving too quickly."})");
    const common::Status later = SendChangeEvent(busy, "http://h", kKey, body);
    EXPECT_EQ(later.code(), common::StatusCode::kUnavailable) << status;
  }
  OneAnswer down(common::Status::Unavailable("connection refused"));
  EXPECT_EQ(SendChangeEvent(down, "http://h", kKey, body).code(), common::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace leadline::sources::pagerduty
