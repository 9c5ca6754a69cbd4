#include "http/http_client.h"

#include <gtest/gtest.h>

namespace leadline::http {
namespace {

TEST(RedactUrl, DropsUserInformation) {
  EXPECT_EQ(RedactUrl("https://ada%40example.com:s3cret@api.bitbucket.org/2.0/user"),
            "https://api.bitbucket.org/2.0/user");
  EXPECT_EQ(RedactUrl("https://token@host/path@x"), "https://host/path@x");
}

TEST(RedactUrl, HidesSecretQueryParameters) {
  EXPECT_EQ(RedactUrl("https://h/p?pagelen=50&access_token=abc&q=x"),
            "https://h/p?pagelen=50&access_token=REDACTED&q=x");
  EXPECT_EQ(RedactUrl("https://h/p?Private_Token=abc#frag"),
            "https://h/p?Private_Token=REDACTED#frag");
}

TEST(RedactUrl, LeavesOrdinaryUrlsAlone) {
  const std::string url =
      "https://api.bitbucket.org/2.0/repositories/ws/r/pullrequests/1/activity?ctx=Zm9v";
  EXPECT_EQ(RedactUrl(url), url);
  EXPECT_EQ(RedactUrl("not a url"), "not a url");
}

TEST(HttpResponse, HeadersIgnoreCase) {
  HttpResponse response;
  response.headers["Retry-After"] = "30";
  EXPECT_EQ(response.Header("retry-after"), "30");
  EXPECT_EQ(response.Header("RETRY-AFTER"), "30");
  EXPECT_FALSE(response.Header("X-RateLimit-Limit").has_value());
}

}  // namespace
}  // namespace leadline::http
