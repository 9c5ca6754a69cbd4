#include "http/pager.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/testing_fakes.h"

namespace leadline::http {
namespace {

using nlohmann::json;
using testing::ScriptedClient;

constexpr char kCloud[] = "https://api.bitbucket.org/2.0/repositories/ws/r/pullrequests/1/activity";
constexpr char kDc[] =
    "https://bb.example.com/rest/api/1.0/projects/P/repos/r/pull-requests?limit=2";

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

// Collects every value's "id".
struct Collected {
  std::vector<int> ids;
  PageCallback callback() {
    return [this](const json& values, const std::string&) {
      for (const json& v : values) ids.push_back(v["id"]);
      return common::Status::Ok();
    };
  }
};

TEST(ForEachPage, CloudFollowsNextIncludingCursorsUntilItIsAbsent) {
  ScriptedClient client;
  const std::string page2 = std::string(kCloud) + "?ctx=Zm9vYmFy";
  const std::string page3 = std::string(kCloud) + "?ctx=YmF6";
  client.Answer(kCloud, 200, json{{"values", {{{"id", 1}}, {{"id", 2}}}}, {"next", page2}}.dump());
  client.Answer(page2, 200,
                json{{"values", {{{"id", 3}}}}, {"next", page3}, {"pagelen", 2}}.dump());
  client.Answer(page3, 200, json{{"values", {{{"id", 4}}}}}.dump());
  Collected got;
  ASSERT_TRUE(ForEachPage(client, PageStyle::kBitbucketCloud, Get(kCloud), got.callback()).ok());
  EXPECT_EQ(got.ids, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(client.sent, (std::vector<std::string>{kCloud, page2, page3}));
}

TEST(ForEachPage, CloudStopsOnAStaleNextOrALoop) {
  ScriptedClient client;
  const std::string page2 = std::string(kCloud) + "?page=2";
  client.Answer(kCloud, 200, json{{"values", {{{"id", 1}}}}, {"next", page2}}.dump());
  client.Answer(page2, 200, json{{"values", json::array()}, {"next", page2 + "&x"}}.dump());
  Collected got;
  ASSERT_TRUE(ForEachPage(client, PageStyle::kBitbucketCloud, Get(kCloud), got.callback()).ok());
  EXPECT_EQ(client.sent.size(), 2u);  // the empty page ended the walk

  ScriptedClient looping;
  looping.Answer(kCloud, 200, json{{"values", {{{"id", 1}}}}, {"next", kCloud}}.dump());
  Collected once;
  ASSERT_TRUE(ForEachPage(looping, PageStyle::kBitbucketCloud, Get(kCloud), once.callback()).ok());
  EXPECT_EQ(once.ids, std::vector<int>{1});
}

TEST(ForEachPage, DataCenterUsesNextPageStart) {
  ScriptedClient client;
  const std::string page2 = WithQueryParameter(kDc, "start", "2");
  const std::string page3 = WithQueryParameter(kDc, "start", "5");  // ids need not be contiguous
  client.Answer(kDc, 200,
                json{{"values", {{{"id", 1}}, {{"id", 2}}}},
                     {"isLastPage", false},
                     {"nextPageStart", 2},
                     {"start", 0},
                     {"limit", 2},
                     {"size", 2}}
                    .dump());
  client.Answer(
      page2, 200,
      json{{"values", {{{"id", 3}}, {{"id", 4}}}}, {"isLastPage", false}, {"nextPageStart", 5}}
          .dump());
  client.Answer(page3, 200, json{{"values", {{{"id", 5}}}}, {"isLastPage", true}}.dump());
  Collected got;
  ASSERT_TRUE(ForEachPage(client, PageStyle::kBitbucketDataCenter, Get(kDc), got.callback()).ok());
  EXPECT_EQ(got.ids, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(page2,
            "https://bb.example.com/rest/api/1.0/projects/P/repos/r/pull-requests?limit=2&start=2");
}

TEST(ForEachPage, MalformedPagesNameTheUrlAndTheField) {
  struct Case {
    PageStyle style;
    std::string body;
    std::string why;
  };
  const Case cases[] = {
      {PageStyle::kBitbucketCloud, "<html>502</html>", "the body is not JSON"},
      {PageStyle::kBitbucketCloud, "[1,2]", "not a JSON object"},
      {PageStyle::kBitbucketCloud, "{\"size\":3}", "field 'values' is missing"},
      {PageStyle::kBitbucketCloud, "{\"values\":[{\"id\":1}],\"next\":7}", "field 'next'"},
      {PageStyle::kBitbucketDataCenter, "{\"values\":[{\"id\":1}]}", "field 'isLastPage'"},
      {PageStyle::kBitbucketDataCenter, "{\"values\":[{\"id\":1}],\"isLastPage\":false}",
       "field 'nextPageStart'"},
  };
  for (const Case& c : cases) {
    ScriptedClient client;
    const std::string url = std::string(kDc) + "&access_token=s3cret";
    client.Answer(url, 200, c.body);
    Collected got;
    const common::Status status = ForEachPage(client, c.style, Get(url), got.callback());
    ASSERT_FALSE(status.ok()) << c.body;
    EXPECT_NE(status.message().find(c.why), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("pull-requests?limit=2&access_token=REDACTED"),
              std::string::npos)
        << status.message();
  }
}

TEST(ForEachPage, ErrorAnswersCarryTheServersMessage) {
  ScriptedClient client;
  client.Answer(
      kCloud, 403,
      R"({"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"required":["read:pullrequest:bitbucket"]}}})");
  Collected got;
  const common::Status status =
      ForEachPage(client, PageStyle::kBitbucketCloud, Get(kCloud), got.callback());
  EXPECT_EQ(status.code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("HTTP 403"), std::string::npos);
  EXPECT_NE(status.message().find("lack one or more required privilege scopes"), std::string::npos);
  EXPECT_NE(status.message().find("the token lacks the scope read:pullrequest:bitbucket"),
            std::string::npos)
      << status.message();
}

TEST(ForEachPageUntil, StopsWhenAskedAndTellsEachPagesNextUrl) {
  ScriptedClient client;
  const std::string page2 = std::string(kCloud) + "?ctx=Zm9v";
  const std::string page3 = std::string(kCloud) + "?ctx=YmFy";
  client.Answer(kCloud, 200, json{{"values", {{{"id", 1}}}}, {"next", page2}}.dump());
  client.Answer(page2, 200, json{{"values", {{{"id", 2}}}}, {"next", page3}}.dump());
  client.Answer(page3, 200, json{{"values", {{{"id", 3}}}}}.dump());
  std::vector<std::string> next_urls;
  const auto stop_after_second = [&](const Page& page) -> common::Result<Paging> {
    next_urls.push_back(page.next_url);
    return next_urls.size() == 2 ? Paging::kStop : Paging::kContinue;
  };
  ASSERT_TRUE(
      ForEachPageUntil(client, PageStyle::kBitbucketCloud, Get(kCloud), stop_after_second).ok());
  EXPECT_EQ(next_urls, (std::vector<std::string>{page2, page3}));
  EXPECT_EQ(client.sent.size(), 2u);

  std::vector<std::string> dc_next;
  ScriptedClient dc;
  dc.Answer(kDc, 200,
            json{{"values", {{{"id", 1}}}}, {"isLastPage", false}, {"nextPageStart", 7}}.dump());
  dc.Answer(std::string(kDc) + "&start=7", 200,
            json{{"values", {{{"id", 2}}}}, {"isLastPage", true}}.dump());
  ASSERT_TRUE(ForEachPageUntil(dc, PageStyle::kBitbucketDataCenter, Get(kDc),
                               [&](const Page& page) -> common::Result<Paging> {
                                 dc_next.push_back(page.next_url);
                                 return Paging::kContinue;
                               })
                  .ok());
  EXPECT_EQ(dc_next, (std::vector<std::string>{std::string(kDc) + "&start=7", ""}));
}

TEST(ForEachPageUntil, AnErrorFromTheCallbackEndsTheWalk) {
  ScriptedClient client;
  client.Answer(kCloud, 200,
                json{{"values", {{{"id", 1}}}}, {"next", std::string(kCloud) + "?page=2"}}.dump());
  const common::Status status = ForEachPageUntil(
      client, PageStyle::kBitbucketCloud, Get(kCloud), [](const Page&) -> common::Result<Paging> {
        return common::Status::InvalidArgument("bad row");
      });
  EXPECT_EQ(status.message(), "bad row");
  EXPECT_EQ(client.sent.size(), 1u);
}

TEST(HttpError, MapsStatusesToCodes) {
  HttpResponse response;
  response.body = R"({"errors":[{"message":"Authentication failed."}]})";
  response.status = 401;
  const common::Status unauthenticated = HttpError(response, kDc);
  EXPECT_EQ(unauthenticated.code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(unauthenticated.message().find("Authentication failed."), std::string::npos);
  response.status = 404;
  EXPECT_EQ(HttpError(response, kDc).code(), common::StatusCode::kNotFound);
  response.status = 503;
  EXPECT_EQ(HttpError(response, kDc).code(), common::StatusCode::kUnavailable);
  response.status = 400;
  EXPECT_EQ(HttpError(response, kDc).code(), common::StatusCode::kFailedPrecondition);
}

TEST(EncodeQueryValue, EncodesBbqlOperatorsAndOffsets) {
  EXPECT_EQ(EncodeQueryValue("updated_on>=2024-01-01T00:00:00+00:00"),
            "updated_on%3E%3D2024-01-01T00:00:00%2B00:00");
  EXPECT_EQ(EncodeQueryValue("state = \"OPEN\""), "state%20%3D%20%22OPEN%22");
}

TEST(WithQueryParameter, AddsOrReplaces) {
  EXPECT_EQ(WithQueryParameter("https://h/p", "start", "25"), "https://h/p?start=25");
  EXPECT_EQ(WithQueryParameter("https://h/p?limit=2&start=0", "start", "25"),
            "https://h/p?limit=2&start=25");
  EXPECT_EQ(WithQueryParameter("https://h/p?start=1&limit=2", "start", "3"),
            "https://h/p?limit=2&start=3");
}

}  // namespace
}  // namespace leadline::http
