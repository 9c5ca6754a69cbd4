#include "ingest/incident_sync.h"

#include <gtest/gtest.h>

#include "http/testing_fakes.h"
#include "ingest/connected_store_test.h"

namespace leadline::ingest {
namespace {

using common::Result;
using common::Status;

// A tool of three pages, "page 1" to "page 3", two incidents each; its walk ends at "done".
class ThreePageTool final : public sources::IncidentConnector {
 public:
  model::Provider provider() const override { return model::Provider::kPagerDuty; }
  const char* source() const override { return "tool"; }
  Result<sources::CheckReport> Check(http::HttpClient&,
                                     const sources::ConnectionSettings&) const override {
    return sources::CheckReport{};
  }
  Result<std::vector<model::IncidentService>> ListServices(
      http::HttpClient&, const sources::ConnectionSettings&) const override {
    return std::vector<model::IncidentService>();
  }
  Result<std::vector<std::string>> DefaultCounts(
      http::HttpClient&, const sources::ConnectionSettings&) const override {
    return std::vector<std::string>{"P1"};
  }
  std::string StartWalk(common::UnixSeconds, common::UnixSeconds) const override {
    return "page 1";
  }
  bool InsideWalk(const std::string& cursor) const override { return cursor.starts_with("page "); }
  std::optional<common::UnixSeconds> WalkEnd(const std::string& cursor) const override {
    return cursor == "done" ? std::optional<common::UnixSeconds>(1000) : std::nullopt;
  }
  Result<http::HttpRequest> RequestAt(const sources::ConnectionSettings&,
                                      const std::string& cursor) const override {
    if (!InsideWalk(cursor)) return Status::InvalidArgument("bad cursor " + cursor);
    http::HttpRequest request;
    request.url = "https://tool.example.com/p" + cursor.substr(5);
    return request;
  }
  Result<sources::IncidentPage> Read(const sources::ConnectionSettings&,
                                     const http::HttpResponse& response,
                                     const std::string& cursor) const override {
    if (response.body != "incidents") return Status::InvalidArgument("not a page");
    const int page = std::stoi(cursor.substr(5));
    sources::IncidentPage out;
    for (const char* suffix : {"a", "b"}) {
      model::Incident incident;
      incident.source = "tool";
      incident.id = "I" + std::to_string(page) + suffix;
      incident.service = "S";
      incident.severity = "P1";
      incident.started_at = 100 * page;
      out.incidents.push_back(incident);
    }
    out.tests_left_out = 1;
    out.cursor = page == 3 ? "done" : "page " + std::to_string(page + 1);
    return out;
  }
  Status Diagnose(const http::HttpResponse& response, const std::string&) const override {
    return Status::Unavailable("the tool answered " + std::to_string(response.status));
  }
};

class IncidentSyncTest : public ConnectedStoreTest {
 protected:
  void SetUp() override {
    ConnectedStoreTest::SetUp();
    model::Connection tool;
    tool.name = "pagerduty/api.pagerduty.com";
    tool.provider = model::Provider::kPagerDuty;
    tool.auth = model::AuthMethod::kPagerDutyToken;
    tool.sealed_secret = "v1:z";
    connection_id_ = *store_->connections().UpsertConnection(tool);
    ASSERT_TRUE(store_->incidents().SaveIncidentCounts(connection_id_, {"P1"}).ok());
  }
  IncidentSyncRequest Request() const { return {connection_id_, 0, 1000, nullptr}; }
  std::string Cursor() const {
    return store_->incidents().LoadIncidentConnection(connection_id_)->value().cursor;
  }

  ThreePageTool tool_;
  http::testing::ScriptedClient client_;
  std::int64_t connection_id_ = 0;
};

TEST_F(IncidentSyncTest, EachPageIsStoredWithItsCursorAndAWalkCutShortResumesThere) {
  client_.Answer("https://tool.example.com/p1", 200, "incidents");
  client_.Answer("https://tool.example.com/p2", 503, "busy");  // first the failure, then a page
  client_.Answer("https://tool.example.com/p2", 200, "incidents");
  client_.Answer("https://tool.example.com/p3", 200, "incidents");

  const auto cut = SyncIncidents(*store_, client_, tool_, {}, Request());
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().message(), "the tool answered 503");
  EXPECT_EQ(store_->incidents().LoadIncidents()->size(), 2u);  // page 1, committed with its cursor
  EXPECT_EQ(Cursor(), "page 2");

  const auto resumed = SyncIncidents(*store_, client_, tool_, {}, Request());
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_TRUE(resumed->resumed);
  EXPECT_EQ(resumed->pages, 2);
  EXPECT_EQ(resumed->read, 4);
  EXPECT_EQ(resumed->changed, 4);
  EXPECT_EQ(resumed->tests_left_out, 2);
  EXPECT_EQ(client_.sent, (std::vector<std::string>{
                              "https://tool.example.com/p1", "https://tool.example.com/p2",
                              "https://tool.example.com/p2", "https://tool.example.com/p3"}));
  const std::vector<model::Incident> stored = *store_->incidents().LoadIncidents();
  ASSERT_EQ(stored.size(), 6u);
  for (const model::Incident& incident : stored) EXPECT_EQ(incident.connection_id, connection_id_);
  EXPECT_EQ(Cursor(), "done");

  // A walk after the end starts anew; reading the same incidents again changes nothing.
  const auto again = SyncIncidents(*store_, client_, tool_, {}, Request());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->resumed);
  EXPECT_EQ(again->changed, 0);
  EXPECT_EQ(store_->incidents().LoadIncidents()->size(), 6u);
}

TEST_F(IncidentSyncTest, ABadPageStoresNothingAndAConnectionWithoutSettingsIsRefused) {
  client_.Answer("https://tool.example.com/p1", 200, "<html>");
  const auto bad = SyncIncidents(*store_, client_, tool_, {}, Request());
  EXPECT_EQ(bad.status().message(), "not a page");
  EXPECT_TRUE(store_->incidents().LoadIncidents()->empty());
  EXPECT_EQ(Cursor(), "");

  IncidentSyncRequest unknown = Request();
  unknown.connection_id = connection_id_ + 100;
  const auto refused = SyncIncidents(*store_, client_, tool_, {}, unknown);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace leadline::ingest
